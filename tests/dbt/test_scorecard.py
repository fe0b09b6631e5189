"""The monthly mart and the scorecard, built by a real `dbt build` on a small raw layer.

August 2026, default policy, shifts 08:30-17:35 on Monday 3 and Tuesday 4 August. Every number
below can be checked by hand:

- a1 (north): present both days. 4 inbound calls of 240 s talk + 60 s wrap (AHT 300 -> 100 points),
  3 resolved and 1 unresolved (FCR 3/4 = 0.75 -> 62.5); 2 evaluations, 90 and 100, both accurate
  (QA 95 -> 100, accuracy 1.0 -> 100); 3 surveys 5, 5, 4 (CSAT 1.0 -> 100); handles a phone complaint
  without due_at (24 h) resolved in 23 h with success, and an online one (8 h) resolved after 9 h
  as failed, first delivered open and then re-delivered resolved (timeliness 0.5 and success 0.5,
  both below their floors -> 0). Results (15x100 + 15x100 + 10x62.5 + 5x100 + 5x0 + 5x0 + 5x100) / 60
  = 77.083333; ratings 5, 4, 3, 5 -> ability (100 + 75 + 50 + 100) / 4 = 81.25; attitude
  (5x100 + 2.5x100 + 2.5x75) / 10 = 93.75; total 0.6 x 77.083333 + 0.3 x 81.25 + 0.1 x 93.75 = 80.
- a2 (north): 10 minutes late on the 3rd, absent on the 4th (discipline 100 - 10 - 30 = 60); 2 calls
  of 400 s talk + 50 s hold + 150 s wrap (AHT 600 -> 0), both resolved (FCR 1.0 -> 100); one
  evaluation, 81, inaccurate, fatal (QA 60 points, accuracy 0); no survey and no complaint handled
  (csat and the complaint rates are missing); 3 complaints about a2 received in August; all ratings
  3 (50). Results (15x60 + 10x100 + 5x0 + 5x0) / 35 = 54.285714; ability 50; attitude
  (5x60 + 2.5x50 + 2.5x50) / 10 = 55; total 53.071429: fail, flagged.
- a3 (north): present, 2 calls of 300 s talk + 150 s wrap (AHT 450 -> 50), but no supervisor rating:
  not scoreable (no total, grade or rank).
- a4 (south, hired 15 June 2026 without a probation end: on probation until 15 September): one call
  and perfect marks everywhere it has data: 100, excellent.
- tl1 (north) is a team lead: in the monthly mart, not appraised.

An abandoned call on 20 August closes the 7-day FCR window of every call above.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.policy import load_policy
from raw_rows import load_raw_files

LOADED_AT = dt.datetime(2026, 8, 21, 2, 0, 0)
AUGUST = dt.date(2026, 8, 1)
# Cautious: tests that also reference marts outside the selection (e.g. fct_calls) wait for them.
BUILD = ["build", "--select", "+fct_agent_scorecard +fct_qa_coverage_weekly", "--indirect-selection", "cautious"]


def at(day: int, clock: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 8, day), dt.time.fromisoformat(clock))


def agent(agent_id: str, team: str, role: str = "agent", hire_date=dt.date(2026, 1, 5), probation_end_date=None) -> dict:
    return {
        "agent_id": agent_id, "name": f"Agent {agent_id}", "team": team, "tier": "first_line", "role": role,
        "supervisor_id": "s1", "hire_date": hire_date, "probation_end_date": probation_end_date,
        "termination_date": None, "email": f"{agent_id}@example.com",
    }


def shift(agent_id: str, day: int) -> dict:
    return {"agent_id": agent_id, "shift_date": dt.date(2026, 8, day), "shift_start": dt.time(8, 30), "shift_end": dt.time(17, 35)}


def session(agent_id: str, day: int, login: str = "08:25:00", logout: str = "17:40:00") -> dict:
    return {"agent_id": agent_id, "login_at": at(day, login), "logout_at": at(day, logout)}


def call(call_id: str, agent_id: str | None, answered_at: dt.datetime | None, talk: int = 240, hold: int = 0,
         wrap: int = 60, outcome: str = "resolved") -> dict:
    enqueued_at = (answered_at or at(20, "10:00:00")) - dt.timedelta(seconds=10)
    return {
        "call_id": call_id, "parent_call_id": None, "direction": "inbound", "queue": "hotline",
        "customer_number_hash": f"customer-{call_id}", "agent_id": agent_id, "enqueued_at": enqueued_at,
        "answered_at": answered_at, "ended_at": (answered_at or enqueued_at) + dt.timedelta(seconds=talk + hold + 10),
        "talk_seconds": talk, "hold_seconds": hold, "wrap_seconds": wrap, "outcome": outcome,
    }


def evaluation(evaluation_id: str, agent_id: str, day: int, score: float, accurate: bool = True, fatal: bool = False) -> dict:
    return {
        "evaluation_id": evaluation_id, "call_id": "any", "agent_id": agent_id, "evaluator_id": "q1",
        "evaluated_at": at(day, "16:00:00"), "mode": "recorded", "score": score,
        "answer_accurate": accurate, "fatal_error": fatal,
    }


def survey(survey_id: str, agent_id: str, score: int) -> dict:
    return {"survey_id": survey_id, "call_id": "any", "agent_id": agent_id, "responded_at": at(3, "18:00:00"), "score": score}


def complaint(complaint_id: str, channel: str, received_at: dt.datetime, resolution: str = "open",
              resolved_at: dt.datetime | None = None, handler: str | None = None, subject: str | None = None) -> dict:
    return {
        "complaint_id": complaint_id, "received_at": received_at, "channel": channel,
        "customer_number_hash": "customer-x", "call_id": None, "subject_agent_id": subject,
        "handler_agent_id": handler, "category": "service", "due_at": None, "first_response_at": None,
        "resolved_at": resolved_at, "resolution": resolution,
    }


def rating(agent_id: str, communication, problem_solving, learning, teamwork, responsibility, service_attitude) -> dict:
    return {
        "agent_id": agent_id, "month": AUGUST, "rater_id": "s1", "communication": communication,
        "problem_solving": problem_solving, "learning": learning, "teamwork": teamwork,
        "responsibility": responsibility, "service_attitude": service_attitude,
    }


# Raw rows by table, then by landing file name (the date in the name is the file's date).
RAW_FILES: dict[str, dict[str, list[dict]]] = {
    "agents": {
        "agents_2026-08-01.csv": [
            agent("a1", "north", probation_end_date=dt.date(2026, 4, 5)),
            agent("a2", "north", probation_end_date=dt.date(2026, 4, 5)),
            agent("a3", "north", probation_end_date=dt.date(2026, 4, 5)),
            agent("a4", "south", hire_date=dt.date(2026, 6, 15)),
            agent("tl1", "north", role="team_lead", probation_end_date=dt.date(2026, 4, 5)),
        ],
    },
    "schedules": {
        "schedules_2026-08.csv": [
            shift("a1", 3), shift("a1", 4), shift("a2", 3), shift("a2", 4),
            shift("a3", 3), shift("a3", 4), shift("a4", 3), shift("tl1", 3),
        ],
    },
    "sessions": {
        "sessions_2026-08-03.csv": [
            session("a1", 3), session("a2", 3, login="08:40:00"), session("a3", 3), session("a4", 3), session("tl1", 3),
        ],
        "sessions_2026-08-04.csv": [session("a1", 4), session("a3", 4)],
    },
    "calls": {
        "calls_2026-08-03.csv": [
            call("c1", "a1", at(3, "09:00:00")),
            call("c2", "a1", at(3, "10:00:00")),
            call("c3", "a1", at(3, "11:00:00"), outcome="unresolved"),
            call("c4", "a2", at(3, "09:30:00"), talk=400, hold=50, wrap=150),
            call("c5", "a2", at(3, "10:30:00"), talk=400, hold=50, wrap=150),
            call("c6", "a3", at(3, "09:15:00"), talk=300, wrap=150),
            call("c7", "a4", at(3, "09:45:00")),
            call("c8", "tl1", at(3, "14:00:00")),
        ],
        "calls_2026-08-04.csv": [
            call("c9", "a1", at(4, "09:00:00")),
            call("c10", "a3", at(4, "09:15:00"), talk=300, wrap=150),
        ],
        "calls_2026-08-20.csv": [call("c11", None, None, talk=0, wrap=0, outcome="abandoned")],
    },
    "evaluations": {
        "evaluations_2026-08-03.csv": [
            evaluation("e1", "a1", 3, 90), evaluation("e3", "a2", 3, 81, accurate=False, fatal=True),
            evaluation("e4", "a4", 3, 95),
        ],
        "evaluations_2026-08-04.csv": [evaluation("e2", "a1", 4, 100)],
    },
    "surveys": {
        "surveys_2026-08-03.csv": [survey("v1", "a1", 5), survey("v2", "a1", 5), survey("v3", "a1", 4), survey("v4", "a4", 4)],
    },
    "complaints": {
        "complaints_2026-08-03.csv": [
            complaint("p1", "online", at(3, "10:00:00"), handler="a1"),
            complaint("p3", "phone", at(3, "12:00:00"), subject="a2", handler="tl1"),
        ],
        "complaints_2026-08-04.csv": [
            complaint("p1", "online", at(3, "10:00:00"), "failed", at(3, "19:00:00"), handler="a1"),
            complaint("p2", "phone", at(3, "11:00:00"), "success", at(4, "10:00:00"), handler="a1"),
            complaint("p4", "phone", at(4, "12:00:00"), subject="a2", handler="tl1"),
        ],
        "complaints_2026-08-05.csv": [complaint("p5", "email", at(5, "12:00:00"), subject="a2", handler="tl1")],
    },
    "ratings": {
        "ratings_2026-08.csv": [
            rating("a1", 5, 4, 3, 5, 5, 4), rating("a2", 3, 3, 3, 3, 3, 3), rating("a4", 5, 5, 5, 5, 5, 5),
        ],
    },
}


def query(warehouse: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(sql)
        columns = [description[0] for description in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def by_agent(rows: list[dict]) -> dict[str, dict]:
    return {row["agent_id"]: row for row in rows}


@pytest.fixture(scope="module")
def scored_warehouse(tmp_path_factory: pytest.TempPathFactory, run_dbt) -> Path:
    warehouse = tmp_path_factory.mktemp("scorecard") / "warehouse.duckdb"
    load_raw_files(warehouse, RAW_FILES, LOADED_AT)
    run_dbt(BUILD, warehouse)
    return warehouse


@pytest.fixture(scope="module")
def monthly(scored_warehouse: Path) -> dict[str, dict]:
    return by_agent(query(scored_warehouse, "select * from marts.fct_agent_monthly where month = date '2026-08-01'"))


@pytest.fixture(scope="module")
def scorecard(scored_warehouse: Path) -> dict[str, dict]:
    return by_agent(query(scored_warehouse, "select * from marts.fct_agent_scorecard"))


def test_monthly_mart_has_one_row_per_known_agent_with_a_trace_in_the_month(monthly: dict[str, dict]) -> None:
    assert sorted(monthly) == ["a1", "a2", "a3", "a4", "tl1"]


def test_monthly_mart_adds_up_calls_attendance_quality_and_complaints(monthly: dict[str, dict]) -> None:
    a1, a2 = monthly["a1"], monthly["a2"]

    assert (a1["team"], a1["handled_calls"], a1["aht_seconds"], a1["fcr_rate"]) == ("north", 4, 300, 0.75)
    assert (a1["qa_evaluations"], a1["qa_score"], a1["answer_accuracy_rate"], a1["csat_rate"]) == (2, 95, 1, 1)
    assert (a1["complaints_handled"], a1["complaint_timeliness_rate"], a1["complaint_success_rate"]) == (2, 0.5, 0.5)
    assert (a2["aht_seconds"], a2["fatal_errors"], a2["csat_rate"], a2["complaint_timeliness_rate"]) == (600, 1, None, None)
    assert (a2["scheduled_days"], a2["present_days"], a2["late_days"], a2["absent_days"]) == (2, 1, 1, 1)
    assert (a2["attendance_rate"], a2["complaints_received"], a2["complaints_handled"]) == (0.5, 3, 0)
    assert monthly["tl1"]["complaints_handled"] == 0


def test_scorecard_appraises_scheduled_agents_only(scorecard: dict[str, dict]) -> None:
    assert sorted(scorecard) == ["a1", "a2", "a3", "a4"]


def test_scorecard_points_and_scores_match_the_hand_computation(scorecard: dict[str, dict]) -> None:
    a1 = scorecard["a1"]

    assert [a1[f"{name}_points"] for name in ("csat_rate", "qa_score", "fcr_rate", "aht_seconds")] == [100, 100, 62.5, 100]
    assert (a1["complaint_timeliness_rate_points"], a1["complaint_success_rate_points"]) == (0, 0)
    assert float(a1["results_score"]) == pytest.approx(4625 / 60, abs=1e-6)
    assert (a1["ability_score"], a1["attitude_score"], a1["total_score"], a1["grade"]) == (81.25, 93.75, 80, "good")
    assert a1["missing_components"] == ""


def test_scorecard_reweights_missing_components_and_scores_discipline(scorecard: dict[str, dict]) -> None:
    a2 = scorecard["a2"]

    assert a2["missing_components"] == "csat_rate, complaint_timeliness_rate, complaint_success_rate"
    assert float(a2["results_score"]) == pytest.approx(1900 / 35, abs=1e-6)
    assert (a2["discipline_value"], a2["discipline_points"], a2["attitude_score"]) == (60, 60, 55)
    assert float(a2["total_score"]) == pytest.approx(0.6 * 1900 / 35 + 0.3 * 50 + 0.1 * 55, abs=1e-6)
    assert a2["grade"] == "fail"


def test_scorecard_leaves_an_agent_without_ratings_unscored(scorecard: dict[str, dict]) -> None:
    a3 = scorecard["a3"]

    assert (a3["ability_score"], a3["total_score"], a3["grade"], a3["rank_in_team"], a3["rank_in_centre"]) == (
        None, None, None, None, None,
    )
    assert a3["missing_components"] == (
        "csat_rate, qa_score, answer_accuracy_rate, complaint_timeliness_rate, complaint_success_rate, "
        "communication, problem_solving, learning, teamwork, responsibility, service_attitude"
    )
    assert a3["aht_seconds_points"] == 50


def test_scorecard_ranks_in_team_and_centre(scorecard: dict[str, dict]) -> None:
    ranks = {agent_id: (row["rank_in_team"], row["rank_in_centre"]) for agent_id, row in scorecard.items()}

    assert ranks == {"a4": (1, 1), "a1": (1, 2), "a2": (2, 3), "a3": (None, None)}
    assert (scorecard["a4"]["total_score"], scorecard["a4"]["grade"]) == (100, "excellent")


def test_scorecard_flags_reviews_and_probation(scorecard: dict[str, dict]) -> None:
    flags = {agent_id: row["review_flags"] for agent_id, row in scorecard.items()}
    probation = {agent_id: row["is_on_probation"] for agent_id, row in scorecard.items()}

    assert flags == {"a1": "", "a2": "grade_fail, complaints_in_month, fatal_qa_error", "a3": "", "a4": ""}
    assert probation == {"a1": 0, "a2": 0, "a3": 0, "a4": 1}


def test_scorecard_carries_the_policy_version(scorecard: dict[str, dict]) -> None:
    assert {row["policy_version"] for row in scorecard.values()} == {load_policy().version_label}


def test_qa_coverage_needs_two_evaluations_in_the_iso_week(scored_warehouse: Path) -> None:
    weeks = query(scored_warehouse, "select * from marts.fct_qa_coverage_weekly order by agent_id")

    assert [(w["agent_id"], w["week_start"], w["iso_week"], w["evaluations"], w["qa_coverage_ok"]) for w in weeks] == [
        ("a1", dt.date(2026, 8, 3), 32, 2, 1),
        ("a2", dt.date(2026, 8, 3), 32, 1, 0),
        ("a3", dt.date(2026, 8, 3), 32, 0, 0),
        ("a4", dt.date(2026, 8, 3), 32, 1, 0),
        ("tl1", dt.date(2026, 8, 3), 32, 0, 0),
    ]


def test_complaints_keep_their_latest_delivery(scored_warehouse: Path) -> None:
    rows = query(scored_warehouse, "select * from intermediate.int_complaints_latest")
    complaints = {row["complaint_id"]: row for row in rows}

    assert (complaints["p1"]["resolution"], complaints["p1"]["deliveries"]) == ("failed", 2)
    assert complaints["p1"]["deadline_at"] == at(3, "18:00:00")
    assert complaints["p2"]["deadline_at"] == at(4, "11:00:00")
