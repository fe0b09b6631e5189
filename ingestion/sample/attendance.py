"""Leave, shifts and who actually turns up: the HR side of an agent's day.

Every employed agent is scheduled 08:30-17:35 on working days. Approved leave keeps them home;
otherwise most log in a few minutes early and stay a little past the end, some arrive late or
leave early, and a few do not come at all or miss more than an hour (absence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from ingestion.contract import LEAVE
from ingestion.sample import clock
from ingestion.sample.clock import MINUTE, NOT_SET
from ingestion.sample.clock import clock as hm
from ingestion.sample.intraday import SHIFT_END, SHIFT_START
from ingestion.sample.roster import Staff

OFF, PRESENT, ON_LEAVE, ABSENT = 0, 1, 2, 3

# Shares of working days, before each agent's own lateness multiplier.
LATE_RATE, EARLY_LEAVE_RATE, NO_SHOW_RATE, HALF_DAY_RATE = 0.05, 0.03, 0.010, 0.004
SPLIT_SESSION_RATE = 0.10
"""Days on which the agent logs out for lunch: two sessions instead of one."""
STAY_HOME_WHEN_REFUSED = 0.6
"""Unapproved leave that is taken anyway: the day becomes an absence."""

LEAVE_REQUESTS_PER_AGENT_MONTH = 0.28
_LEAVE_TYPES = LEAVE.column("leave_type").values  # personal, sick, annual, bereavement, other
_LEAVE_TYPE_SHARES = (0.25, 0.30, 0.35, 0.03, 0.07)
_LEAVE_APPROVAL = np.array([0.85, 0.97, 0.92, 1.0, 0.80])
_LEAVE_MAX_DAYS = np.array([2, 3, 5, 3, 1])
_APPROVED_WORDS = ("否", "是")  # the HR system exports booleans in Chinese


@dataclass
class LeavePlan:
    leave_id: np.ndarray
    person: np.ndarray
    leave_type: np.ndarray
    start_day: np.ndarray
    end_day: np.ndarray
    approved: np.ndarray

    def starting_in(self, days: np.ndarray) -> np.ndarray:
        return np.flatnonzero((self.start_day >= days[0]) & (self.start_day <= days[-1]))

    def table(self, rows: np.ndarray, staff: Staff) -> dict[str, pa.Array]:
        return {
            "leave_id": pa.array(self.leave_id[rows], type=pa.string()),
            "agent_id": pa.array(staff.agent_id[self.person[rows]], type=pa.string()),
            "leave_type": pa.array(np.array(_LEAVE_TYPES, dtype=object)[self.leave_type[rows]], type=pa.string()),
            "start_date": clock.dates(self.start_day[rows]),
            "end_date": clock.dates(self.end_day[rows]),
            "approved": pa.array(
                np.array(_APPROVED_WORDS, dtype=object)[self.approved[rows].astype(int)], type=pa.string()
            ),
        }


def plan_leave(staff: Staff, start: date, months: int, rng: np.random.Generator) -> LeavePlan:
    """Leave requests of the whole period (a few per agent and year), each starting on a working day
    on which the agent is employed."""
    rows: list[tuple[str, int, int, int, int, bool]] = []
    agents = np.flatnonzero(staff.role == "agent")
    for month in range(months):
        first = clock.add_months(start, month)
        days = clock.month_days(first)
        work_days = days[clock.is_working_day(days)]
        employed = np.array([staff.employed_on(d) for d in work_days]).T  # persons x days
        sequence = 0
        for person in agents:
            options = work_days[employed[person]]
            for _ in range(rng.poisson(LEAVE_REQUESTS_PER_AGENT_MONTH) if len(options) else 0):
                kind = int(rng.choice(len(_LEAVE_TYPES), p=_LEAVE_TYPE_SHARES))
                first_day = int(rng.choice(options))
                length = int(rng.integers(1, _LEAVE_MAX_DAYS[kind] + 1))
                sequence += 1
                approved = bool(rng.random() < _LEAVE_APPROVAL[kind])
                rows.append(
                    (f"QJ{first:%Y%m}{sequence:05d}", int(person), kind, first_day, first_day + length - 1, approved)
                )
    columns = list(zip(*rows)) if rows else [[] for _ in range(6)]
    return LeavePlan(
        leave_id=np.array(columns[0], dtype=object),
        person=np.array(columns[1], dtype=np.int64),
        leave_type=np.array(columns[2], dtype=np.int64),
        start_day=np.array(columns[3], dtype=np.int64),
        end_day=np.array(columns[4], dtype=np.int64),
        approved=np.array(columns[5], dtype=bool),
    )


@dataclass
class MonthAttendance:
    """Who is scheduled, and how each scheduled agent-day went, for the working days of one month."""

    work_days: np.ndarray
    persons: np.ndarray
    status: np.ndarray
    """persons x work_days: OFF, PRESENT, ON_LEAVE or ABSENT."""
    login: np.ndarray
    logout: np.ndarray
    lunch_start: np.ndarray
    lunch_end: np.ndarray
    split: np.ndarray
    """Logged out over lunch: two sessions that day."""

    def present_on(self, column: int) -> np.ndarray:
        return np.flatnonzero(self.status[:, column] == PRESENT)

    def schedule_table(self, staff: Staff) -> dict[str, pa.Array]:
        person_row, day_column = np.nonzero(self.status != OFF)
        order = np.lexsort((person_row, day_column))
        person_row, day_column = person_row[order], day_column[order]
        count = len(person_row)
        return {
            "agent_id": pa.array(staff.agent_id[self.persons[person_row]], type=pa.string()),
            "shift_date": clock.dates(self.work_days[day_column]),
            "shift_start": pa.array(np.full(count, "08:30", dtype=object), type=pa.string()),
            "shift_end": pa.array(np.full(count, "17:35", dtype=object), type=pa.string()),
        }


def plan_month(staff: Staff, leave: LeavePlan, first: date, rng: np.random.Generator) -> MonthAttendance:
    days = clock.month_days(first)
    work_days = days[clock.is_working_day(days)]
    employed = np.array([staff.employed_on(d) & (staff.role == "agent") for d in work_days]).T
    persons = np.flatnonzero(employed.any(axis=1))
    scheduled = employed[persons]
    shape = scheduled.shape
    status = np.where(scheduled, PRESENT, OFF).astype(np.int8)

    on_leave, refused = _leave_days(leave, persons, work_days)
    stays_home = refused & (rng.random(shape) < STAY_HOME_WHEN_REFUSED)
    lateness = staff.lateness[persons][:, None]
    no_show = rng.random(shape) < NO_SHOW_RATE * lateness
    first_day = staff.hire_day[persons][:, None] == work_days[None, :]
    status[scheduled & on_leave] = ON_LEAVE
    status[scheduled & ~on_leave & (stays_home | no_show) & ~first_day] = ABSENT

    late = rng.random(shape) < LATE_RATE * lateness
    early = rng.random(shape) < EARLY_LEAVE_RATE * lateness
    half_day = rng.random(shape) < HALF_DAY_RATE * lateness
    half_day_morning = rng.random(shape) < 0.5
    late, early, half_day = (flag & ~first_day for flag in (late, early, half_day))

    login = hm(8, 25) - (np.clip(rng.gamma(2.0, 3.0, shape) - 2.0, -5.9, 25.0) * MINUTE)
    login = np.where(late, SHIFT_START + (1.0 + np.clip(rng.lognormal(np.log(7), 0.8, shape), 0, 58.9)) * MINUTE, login)
    logout = SHIFT_END + rng.uniform(0, 12, shape) * MINUTE
    logout = np.where(
        early, SHIFT_END - (1.0 + np.clip(rng.lognormal(np.log(10), 0.8, shape), 0, 58.9)) * MINUTE, logout
    )
    missed = rng.uniform(61.5, 180, shape) * MINUTE
    login = np.where(half_day & half_day_morning, SHIFT_START + missed, login)
    logout = np.where(half_day & ~half_day_morning, SHIFT_END - missed, logout)

    lunch_start = hm(11, 45) + rng.uniform(0, 30, shape) * MINUTE
    lunch_end = lunch_start + rng.uniform(45, 60, shape) * MINUTE
    split = (
        (rng.random(shape) < SPLIT_SESSION_RATE)
        & (login < lunch_start - 30 * MINUTE)
        & (logout > lunch_end + 30 * MINUTE)
    )

    def as_seconds(values: np.ndarray) -> np.ndarray:
        return np.where(status == PRESENT, values.astype(np.int64), NOT_SET)

    return MonthAttendance(
        work_days=work_days,
        persons=persons,
        status=status,
        login=as_seconds(login),
        logout=as_seconds(logout),
        lunch_start=as_seconds(lunch_start),
        lunch_end=as_seconds(lunch_end),
        split=split & (status == PRESENT),
    )


def _leave_days(leave: LeavePlan, persons: np.ndarray, work_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """persons x work_days: covered by approved leave; covered by refused leave only."""
    approved = np.zeros((len(persons), len(work_days)), dtype=bool)
    refused = np.zeros_like(approved)
    row_of = {int(p): i for i, p in enumerate(persons)}
    overlapping = np.flatnonzero((leave.end_day >= work_days[0]) & (leave.start_day <= work_days[-1]))
    for k in overlapping:
        row = row_of.get(int(leave.person[k]))
        if row is None:
            continue
        covered = (work_days >= leave.start_day[k]) & (work_days <= leave.end_day[k])
        (approved if leave.approved[k] else refused)[row] |= covered
    return approved, refused & ~approved
