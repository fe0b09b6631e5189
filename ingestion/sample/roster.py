"""The centre's staff over the whole period: who works where, from when, until when.

The staff plan is decided up front (it is a few hundred people and a few dozen events), so that
every day's snapshot, schedule and call can ask who was employed and in which team on that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from ingestion.sample import clock
from ingestion.sample.clock import NOT_SET
from ingestion.sample.identities import people, work_email

FIRST_LINE, SECOND_LINE = "first_line", "second_line"
AGENT, TEAM_LEAD, QA, SUPERVISOR = "agent", "team_lead", "qa", "supervisor"

SECOND_LINE_SHARE = 0.15
AGENTS_PER_QA = 20
PROBATION_MONTHS = 3
# Monthly rates per agent on the payroll: hires, leavers and moves between teams.
HIRE_RATE, TERMINATION_RATE, MOVE_RATE = 0.012, 0.008, 0.01

QA_TEAM, MANAGEMENT_TEAM = "质检组", "中心管理组"
_CHINESE_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class Team:
    name: str
    tier: str | None
    """None: a team that mixes both tiers (a centre of one team)."""


@dataclass
class Staff:
    teams: list[Team]
    agent_id: np.ndarray
    name: np.ndarray
    id_card_number: np.ndarray
    email: np.ndarray
    role: np.ndarray
    base_tier: np.ndarray
    team: np.ndarray
    """Team index at hire; `moves` change it later."""
    hire_day: np.ndarray
    termination_day: np.ndarray
    skill: np.ndarray
    """Latent ability (standard normal): shorter calls, better scores, fewer complaints."""
    lateness: np.ndarray
    """Multiplier of the centre's late, early-leave and absence rates (mean 1)."""
    move_person: np.ndarray
    move_day: np.ndarray
    move_team: np.ndarray
    team_leads: np.ndarray
    """Person index of each team's lead."""
    supervisor: int

    @property
    def size(self) -> int:
        return len(self.agent_id)

    def team_on(self, day: int) -> np.ndarray:
        team = self.team.copy()
        done = self.move_day <= day
        team[self.move_person[done]] = self.move_team[done]
        return team

    def tier_on(self, day: int) -> np.ndarray:
        team_tiers = np.array([t.tier or "" for t in self.teams], dtype=object)[self.team_on(day)]
        return np.where(team_tiers == "", self.base_tier, team_tiers)

    def employed_on(self, day: int) -> np.ndarray:
        started = self.hire_day <= day
        return started & ((self.termination_day == NOT_SET) | (day < self.termination_day))

    def agents_employed_on(self, day: int) -> np.ndarray:
        return np.flatnonzero(self.employed_on(day) & (self.role == AGENT))

    def change_days(self) -> np.ndarray:
        """Days on which the roster changes: a hire, a move or a termination takes effect."""
        events = np.concatenate([self.hire_day, self.move_day, self.termination_day])
        return np.unique(events[events != NOT_SET])

    def snapshot(self, day: int) -> dict[str, pa.Array]:
        """The full roster as HR exports it on `day`: everyone hired by then, leavers included."""
        on_file = np.flatnonzero(self.hire_day <= day)
        team = self.team_on(day)
        superior = np.full(self.size, NOT_SET, dtype=np.int64)
        superior[self.role == AGENT] = self.team_leads[team[self.role == AGENT]]
        superior[np.isin(self.role, (TEAM_LEAD, QA))] = self.supervisor
        left = np.where(
            (self.termination_day != NOT_SET) & (self.termination_day <= day), self.termination_day, NOT_SET
        )
        probation_end = [
            clock.day_number(clock.add_months(clock.to_date(d), PROBATION_MONTHS)) for d in self.hire_day[on_file]
        ]
        return {
            "agent_id": pa.array(self.agent_id[on_file], type=pa.string()),
            "name": pa.array(self.name[on_file], type=pa.string()),
            "id_card_number": pa.array(self.id_card_number[on_file], type=pa.string()),
            "team": pa.array(np.array([t.name for t in self.teams], dtype=object)[team[on_file]], type=pa.string()),
            "tier": pa.array(self.tier_on(day)[on_file], type=pa.string()),
            "role": pa.array(self.role[on_file], type=pa.string()),
            "supervisor_id": pa.array(
                self.agent_id[np.maximum(superior[on_file], 0)], mask=superior[on_file] == NOT_SET, type=pa.string()
            ),
            "hire_date": clock.dates(self.hire_day[on_file]),
            "probation_end_date": clock.dates(np.array(probation_end, dtype=np.int64)),
            "termination_date": clock.dates(left[on_file]),
            "email": pa.array(self.email[on_file], type=pa.string()),
        }


def _agent_teams(count: int) -> list[Team]:
    if count <= 1:
        return [Team("服务一组", None)]
    first_line = [Team(f"服务{_chinese_number(i + 1)}组", FIRST_LINE) for i in range(count - 1)]
    return [*first_line, Team("技术支持组", SECOND_LINE)]


def _chinese_number(n: int) -> str:
    """1-99 as written in team names: 一, 十, 十二, 二十三."""
    tens, units = divmod(n, 10)
    prefix = ("" if tens == 1 else _CHINESE_DIGITS[tens - 1]) + "十" if tens else ""
    return prefix + (_CHINESE_DIGITS[units - 1] if units else "")


def plan_staff(agents: int, teams: int, start: date, months: int, rng: np.random.Generator) -> Staff:
    """The staff on `start` and every hire, team move and termination of the period."""
    agent_team_list = _agent_teams(teams)
    agent_teams = _initial_agent_teams(agents, agent_team_list)
    team_list = [*agent_team_list, Team(QA_TEAM, FIRST_LINE), Team(MANAGEMENT_TEAM, SECOND_LINE)]
    qa_team, management_team = len(agent_team_list), len(agent_team_list) + 1
    qa_count = max(1, -(-agents // AGENTS_PER_QA))
    start_day = clock.day_number(start)

    leads = len(agent_team_list)
    role = np.array([SUPERVISOR] + [TEAM_LEAD] * leads + [QA] * qa_count + [AGENT] * agents, dtype=object)
    team = np.concatenate([[management_team], np.arange(leads), np.full(qa_count, qa_team), agent_teams]).astype(
        np.int64
    )
    years_on_payroll = np.concatenate(
        [
            rng.uniform(5, 12, 1),
            rng.uniform(2, 10, leads),
            rng.uniform(1, 6, qa_count),
            np.where(rng.random(agents) < 0.08, rng.uniform(0.05, 0.24, agents), rng.uniform(0.25, 8, agents)),
        ]
    )
    hire_day = start_day - (years_on_payroll * 365.25).astype(np.int64)
    skill = rng.normal(0, 1, len(role))

    hires, moves, terminations = _events(agents, agent_team_list, role, team, hire_day, start, months, rng)
    hire_count = len(hires)
    role = np.concatenate([role, np.full(hire_count, AGENT, dtype=object)])
    team = np.concatenate([team, np.array([t for _, t in hires], dtype=np.int64)])
    hire_day = np.concatenate([hire_day, np.array([d for d, _ in hires], dtype=np.int64)])
    skill = np.concatenate([skill, rng.normal(-0.6, 0.8, hire_count)])
    size = len(role)
    termination_day = np.full(size, NOT_SET, dtype=np.int64)
    for person, day in terminations:
        termination_day[person] = day

    age_at_hire_days = (rng.uniform(20, 38, size) * 365.25).astype(np.int64)
    identity = people([clock.to_date(d) for d in hire_day - age_at_hire_days], rng)
    agent_id = np.array([f"{10001 + i}" for i in range(size)], dtype=object)
    tiered = np.array([team_list[t].tier or "" for t in team], dtype=object)
    mixed_team_second_line = rng.random(size) < SECOND_LINE_SHARE
    base_tier = np.where(tiered != "", tiered, np.where(mixed_team_second_line, SECOND_LINE, FIRST_LINE))
    return Staff(
        teams=team_list,
        agent_id=agent_id,
        name=np.array([p["name"] for p in identity], dtype=object),
        id_card_number=np.array([p["id_card_number"] for p in identity], dtype=object),
        email=np.array([work_email(p["pinyin"], a) for p, a in zip(identity, agent_id)], dtype=object),
        role=role,
        base_tier=base_tier,
        team=team,
        hire_day=hire_day,
        termination_day=termination_day,
        skill=skill,
        lateness=np.clip(rng.gamma(2.0, 0.5, size), 0.1, 4.0),
        move_person=np.array([p for p, _, _ in moves], dtype=np.int64),
        move_day=np.array([d for _, d, _ in moves], dtype=np.int64),
        move_team=np.array([t for _, _, t in moves], dtype=np.int64),
        team_leads=np.arange(1, leads + 1),
        supervisor=0,
    )


def _initial_agent_teams(agents: int, teams: list[Team]) -> np.ndarray:
    """Second-line agents fill the technical team; first-line agents are spread over the others."""
    if len(teams) == 1:
        return np.zeros(agents, dtype=np.int64)
    second_line = max(1, round(agents * SECOND_LINE_SHARE))
    first_line = agents - second_line
    return np.concatenate([np.arange(first_line) % (len(teams) - 1), np.full(second_line, len(teams) - 1)]).astype(
        np.int64
    )


def _events(agents, teams, role, team, hire_day, start, months, rng):
    """Hires, team moves and terminations, month by month; each kind happens in the first month at
    least once, so that even a one-month sample shows them."""
    first_line_teams = [i for i, t in enumerate(teams) if t.tier != SECOND_LINE]
    hires: list[tuple[int, int]] = []
    moves: list[tuple[int, int, int]] = []
    terminations: list[tuple[int, int]] = []
    touched: set[int] = set()
    for month in range(months):
        first = clock.add_months(start, month)
        days = clock.month_days(first)
        event_days = days[clock.is_working_day(days)][1:]
        minimum = 1 if month == 0 else 0
        for _ in range(max(minimum, rng.poisson(agents * HIRE_RATE))):
            hires.append((int(rng.choice(event_days)), int(rng.choice(first_line_teams))))
        veterans = [int(p) for p in np.flatnonzero((role == AGENT) & (hire_day < days[0])) if int(p) not in touched]
        if len(teams) > 1 and veterans:
            for _ in range(max(minimum, rng.poisson(agents * MOVE_RATE))):
                movable = [p for p in veterans if p not in touched and team[p] in first_line_teams]
                if not movable:
                    break
                person = movable[rng.integers(len(movable))]
                targets = [t for t in first_line_teams if t != team[person]] or [len(teams) - 1]
                moves.append((person, int(rng.choice(event_days)), int(rng.choice(targets))))
                touched.add(person)
        for _ in range(max(minimum, rng.poisson(agents * TERMINATION_RATE))):
            leavers = [p for p in veterans if p not in touched]
            if not leavers:
                break
            person = leavers[rng.integers(len(leavers))]
            terminations.append((person, int(rng.choice(event_days))))
            touched.add(person)
    hires.sort()
    moves.sort(key=lambda m: m[1])
    return hires, moves, terminations
