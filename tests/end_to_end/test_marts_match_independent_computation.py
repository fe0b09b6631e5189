"""The marts agree with KPIS.md computed independently, in plain Python, from the same landing files.

A generated centre (12 agents, 2 teams, July and August 2026) is loaded by a full `ccw run`; the
reference in `independent_kpis.py` reads the landing CSV files itself. Every agent-month of
`marts.fct_agent_monthly` is compared KPI by KPI (the scored ones also on team, total and grade),
and every queue-day of `marts.fct_queue_daily`.
"""

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from independent_kpis import IndependentKpis

from orchestration.lib.policy import load_policy

REPO_ROOT = Path(__file__).resolve().parents[2]
CCW = [sys.executable, "-m", "orchestration.cli"]
TIMEZONE = "Asia/Shanghai"
RATE_TOLERANCE = 1e-9
SCORE_TOLERANCE = 1e-6

COUNTS = (
    "handled_calls",
    "inbound_handled",
    "outbound_handled",
    "fcr_resolved_calls",
    "fcr_decidable_calls",
    "busy_violations",
    "scheduled_days",
    "present_days",
    "leave_days",
    "absent_days",
    "late_days",
    "early_leave_days",
    "qa_evaluations",
    "fatal_errors",
    "surveys",
    "complaints_handled",
    "complaints_received",
)
MEASURES = (
    "aht_seconds",
    "avg_talk_seconds",
    "avg_wrap_seconds",
    "fcr_rate",
    "logged_in_seconds",
    "calls_per_hour",
    "handle_seconds",
    "available_seconds",
    "occupancy_rate",
    "attendance_rate",
    "qa_score",
    "answer_accuracy_rate",
    "csat_rate",
    "complaint_timeliness_rate",
    "complaint_success_rate",
)
RATINGS = ("communication", "problem_solving", "learning", "teamwork", "responsibility", "service_attitude")


def ccw(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([*CCW, *args], check=False, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    root = tmp_path_factory.mktemp("independent")
    env = {
        **os.environ,
        "CCW_PII_HASH_KEY": "independent-computation-key",
        "CCW_TIMEZONE": TIMEZONE,
        "DAGSTER_HOME": str(root / "dagster"),
    }
    landing = root / "landing"
    ccw("generate", "--out", str(landing), "--agents", "12", "--teams", "2", "--start", "2026-07", "--months", "2", "--seed", "11", env=env)
    warehouse = root / "warehouse.duckdb"
    ccw("run", "--landing", str(landing), "--warehouse", str(warehouse), env=env)
    return {"landing": landing, "warehouse": warehouse}


@pytest.fixture(scope="module")
def reference(centre) -> IndependentKpis:
    return IndependentKpis(centre["landing"], load_policy(), TIMEZONE)


def mart_rows(warehouse: Path, table: str, key: tuple[str, ...]) -> dict[tuple, dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"SELECT * FROM marts.{table}")
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values)) for values in cursor.fetchall()]
    return {tuple(row[name] for name in key): row for row in rows}


@pytest.fixture(scope="module")
def agent_monthly(centre) -> dict[tuple[str, date], dict]:
    return mart_rows(centre["warehouse"], "fct_agent_monthly", ("agent_id", "month"))


@pytest.fixture(scope="module")
def scorecard(centre) -> dict[tuple[str, date], dict]:
    return mart_rows(centre["warehouse"], "fct_agent_scorecard", ("agent_id", "month"))


@pytest.fixture(scope="module")
def scheduled_agent_months(reference) -> list[tuple[str, date]]:
    """The appraisal's population: every agent-month with a scheduled day, in a stable order."""
    return sorted(key for key, kpis in reference.agent_months.items() if kpis["scheduled_days"] > 0)


def number(value):
    return float(value) if isinstance(value, Decimal) else value


def differs(expected, actual, tolerance: float) -> bool:
    if expected is None or actual is None:
        return expected is not actual
    return abs(float(expected) - float(actual)) > tolerance


def report(mismatches: list[str]) -> str:
    return f"{len(mismatches)} mismatches (reference vs mart):\n" + "\n".join(mismatches[:60])


def test_the_sample_is_meaningful(reference, scheduled_agent_months):
    months = {month for _, month in scheduled_agent_months}
    assert months == {date(2026, 7, 1), date(2026, 8, 1)}
    assert len(scheduled_agent_months) >= 20
    sampled = [reference.agent_months[key] for key in scheduled_agent_months]
    assert sum(kpis["late_days"] for kpis in sampled) > 0
    assert sum(kpis["early_leave_days"] for kpis in sampled) > 0
    assert sum(kpis["absent_days"] for kpis in sampled) > 0
    assert sum(kpis["leave_days"] for kpis in sampled) > 0
    assert sum(kpis["complaints_handled"] for kpis in sampled) > 0
    assert sum(kpis["complaints_received"] for kpis in sampled) > 0
    assert sum(kpis["busy_violations"] for kpis in sampled) > 0
    assert sum(kpis["fcr_decidable_calls"] for kpis in sampled) > 1000
    roster_teams = {}
    for day in reference.days:
        roster_teams.setdefault(day["agent_id"], set()).add(reference.team_on(day["agent_id"], day["work_date"])["team"])
    assert any(len(teams) > 1 for teams in roster_teams.values()), "a team mover is in the sample"
    july_agents = {agent for agent, month in scheduled_agent_months if month == date(2026, 7, 1)}
    august_agents = {agent for agent, month in scheduled_agent_months if month == date(2026, 8, 1)}
    assert august_agents - july_agents or july_agents - august_agents, "a new hire or a leaver is in the sample"


def test_every_scheduled_agent_month_is_in_the_monthly_mart(agent_monthly, scheduled_agent_months):
    assert set(scheduled_agent_months) <= set(agent_monthly)


def test_each_agent_months_kpis_equal_the_independent_computation(reference, agent_monthly):
    mismatches = []
    for (agent_id, month), row in sorted(agent_monthly.items()):
        expected = reference.agent_months.get((agent_id, month)) or reference.empty_month()
        for kpi in COUNTS:
            if expected[kpi] != row[kpi]:
                mismatches.append(f"{agent_id} {month:%Y-%m} {kpi}: {expected[kpi]} vs {row[kpi]}")
        for kpi in MEASURES:
            if differs(expected.get(kpi), number(row[kpi]), RATE_TOLERANCE):
                mismatches.append(f"{agent_id} {month:%Y-%m} {kpi}: {expected.get(kpi)} vs {row[kpi]}")
        for rating in RATINGS:
            if differs(expected["ratings"].get(rating), number(row[f"{rating}_rating"]), RATE_TOLERANCE):
                mismatches.append(f"{agent_id} {month:%Y-%m} {rating}_rating: {expected['ratings'].get(rating)} vs {row[f'{rating}_rating']}")
    assert not mismatches, report(mismatches)


def test_each_agent_month_counts_for_the_team_of_its_last_present_day(reference, agent_monthly, scheduled_agent_months):
    mismatches = [
        f"{agent_id} {month:%Y-%m} team: {reference.agent_months[(agent_id, month)]['team']} vs {agent_monthly[(agent_id, month)]['team']}"
        for agent_id, month in scheduled_agent_months
        if reference.agent_months[(agent_id, month)]["team"] != agent_monthly[(agent_id, month)]["team"]
    ]
    assert not mismatches, report(mismatches)


def test_the_scorecard_total_and_grade_equal_the_independent_score(reference, scorecard, scheduled_agent_months):
    scored = [key for key in scheduled_agent_months if reference.is_scored(*key)]
    assert len(scored) >= 20
    assert set(scorecard) == set(scored)
    mismatches = []
    for agent_id, month in scored:
        total, grade = reference.score(agent_id, month)
        row = scorecard[(agent_id, month)]
        if differs(total, number(row["total_score"]), SCORE_TOLERANCE) or grade != row["grade"]:
            mismatches.append(f"{agent_id} {month:%Y-%m} total/grade: {total} {grade} vs {row['total_score']} {row['grade']}")
    assert not mismatches, report(mismatches)
    assert len({grade for grade in (reference.score(*key)[1] for key in scored)}) >= 2


def test_each_queue_days_service_equals_the_independent_computation(reference, centre):
    expected = reference.queue_days()
    marts = mart_rows(centre["warehouse"], "fct_queue_daily", ("queue", "call_date"))
    assert len(expected) > 100
    assert set(marts) == set(expected)
    mismatches = []
    for key, day in sorted(expected.items()):
        row = marts[key]
        for kpi in ("offered", "answered", "abandoned"):
            if day[kpi] != row[kpi]:
                mismatches.append(f"{key[0]} {key[1]} {kpi}: {day[kpi]} vs {row[kpi]}")
        for kpi in ("abandon_rate", "service_level", "asa_seconds"):
            if differs(day[kpi], number(row[kpi]), RATE_TOLERANCE):
                mismatches.append(f"{key[0]} {key[1]} {kpi}: {day[kpi]} vs {row[kpi]}")
    assert not mismatches, report(mismatches)
