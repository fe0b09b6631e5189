"""The roster, attendance and time-on-the-ACD models, built by a real `dbt build` on a small raw layer.

A week in August 2026 for four agents, small enough to check by hand (standard shift 08:30-17:35,
policy defaults: 5 minutes' login lead, absence beyond 60 minutes, busy limit 15 minutes):

- a1 (north, moves to south in the 10 August roster): on 3 August logs in 08:31:00 and out 17:34:00
  over two sessions (1 minute late, 1 minute early), two handled calls, a 15:00 busy and a 15:01
  busy; on approved leave 10-11 August; scheduled on 12 August, after the last login loaded.
- a2 (north): 3 August on the dot (08:30:59 to 17:34:01); a 22:00-06:00 night shift on 10 August
  whose session is still open in the extract, with states until 06:02.
- a3 (south, no probation end on the roster): 61 minutes late on 3 August; unapproved leave and
  no login on 10 August; logs in unscheduled on 11 August.
- a4 (south): present on 10 August.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.schema import create_schemas
from orchestration.lib.policy import DEFAULT_POLICY_FILE, load_policy

LOADED_AT = dt.datetime(2026, 8, 12, 2, 0, 0)
BUILD = [
    "build",
    "--select", "+path:models/intermediate/attendance +path:models/marts/attendance",
    "--indirect-selection", "cautious",
]


def at(day: int, clock: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 8, day), dt.time.fromisoformat(clock))


def august(day: int) -> dt.date:
    return dt.date(2026, 8, day)


def roster_row(agent_id: str, team: str, probation_end_date: dt.date | None = dt.date(2026, 6, 1)) -> dict:
    return {
        "agent_id": agent_id, "name": f"Agent {agent_id}", "team": team, "tier": "first_line", "role": "agent",
        "supervisor_id": "s1", "hire_date": dt.date(2026, 3, 1), "probation_end_date": probation_end_date,
        "termination_date": None, "email": f"{agent_id}@example.com",
    }


def shift(agent_id: str, day: int, start: str = "08:30", end: str = "17:35") -> dict:
    return {
        "agent_id": agent_id, "shift_date": august(day),
        "shift_start": dt.time.fromisoformat(start), "shift_end": dt.time.fromisoformat(end),
    }


def session(agent_id: str, login_at: dt.datetime, logout_at: dt.datetime | None) -> dict:
    return {"agent_id": agent_id, "login_at": login_at, "logout_at": logout_at}


def state(agent_id: str, name: str, started_at: dt.datetime, ended_at: dt.datetime) -> dict:
    return {"agent_id": agent_id, "state": name, "reason": None, "started_at": started_at, "ended_at": ended_at}


def handled_call(call_id: str, agent_id: str, answered_at: dt.datetime) -> dict:
    return {
        "call_id": call_id, "parent_call_id": None, "direction": "inbound", "queue": "hotline",
        "customer_number_hash": f"hash-{call_id}", "agent_id": agent_id,
        "enqueued_at": answered_at - dt.timedelta(seconds=10), "answered_at": answered_at,
        "ended_at": answered_at + dt.timedelta(minutes=5), "talk_seconds": 240, "hold_seconds": 0,
        "wrap_seconds": 60, "outcome": "resolved",
    }


# Raw rows by table, then by landing file (name and the date in it).
RAW_FILES: dict[str, dict[tuple[str, dt.date], list[dict]]] = {
    "agents": {
        ("agents_2026-08-01.csv", august(1)): [
            roster_row("a1", "north"), roster_row("a2", "north"),
            roster_row("a3", "south", probation_end_date=None), roster_row("a4", "south"),
        ],
        ("agents_2026-08-10.csv", august(10)): [
            roster_row("a1", "south"), roster_row("a2", "north"),
            roster_row("a3", "south", probation_end_date=None), roster_row("a4", "south"),
        ],
    },
    "schedules": {
        ("schedules_2026-08.csv", august(1)): [
            shift("a1", 3), shift("a2", 3), shift("a3", 3),
            shift("a1", 10), shift("a2", 10, start="22:00", end="06:00"), shift("a3", 10), shift("a4", 10),
            shift("a1", 11), shift("a1", 12),
        ],
    },
    "leave": {
        ("leave_2026-08.csv", august(1)): [
            {"leave_id": "l1", "agent_id": "a1", "leave_type": "annual", "start_date": august(10),
             "end_date": august(11), "approved": True},
            {"leave_id": "l2", "agent_id": "a3", "leave_type": "personal", "start_date": august(10),
             "end_date": august(10), "approved": False},
        ],
    },
    "sessions": {
        ("sessions_2026-08-03.csv", august(3)): [
            session("a1", at(3, "08:31:00"), at(3, "12:00:00")),
            session("a1", at(3, "13:00:00"), at(3, "17:34:00")),
            session("a2", at(3, "08:30:59"), at(3, "17:34:01")),
            session("a3", at(3, "09:31:00"), at(3, "17:40:00")),
        ],
        ("sessions_2026-08-10.csv", august(10)): [
            session("a2", at(10, "21:58:00"), None),
            session("a4", at(10, "08:20:00"), at(10, "17:40:00")),
        ],
        ("sessions_2026-08-11.csv", august(11)): [
            session("a3", at(11, "09:00:00"), at(11, "10:00:00")),
        ],
    },
    "states": {
        ("states_2026-08-03.csv", august(3)): [
            state("a1", "available", at(3, "08:31:00"), at(3, "09:31:00")),
            state("a1", "on_call", at(3, "09:31:00"), at(3, "10:31:00")),
            state("a1", "wrap", at(3, "10:31:00"), at(3, "10:41:00")),
            state("a1", "busy", at(3, "10:41:00"), at(3, "10:56:00")),
            state("a1", "available", at(3, "10:56:00"), at(3, "12:00:00")),
            state("a1", "busy", at(3, "13:00:00"), at(3, "13:15:01")),
            state("a1", "on_call", at(3, "13:15:01"), at(3, "17:34:00")),
        ],
        ("states_2026-08-10.csv", august(10)): [
            state("a2", "available", at(10, "21:58:00"), at(11, "00:00:00")),
        ],
        ("states_2026-08-11.csv", august(11)): [
            state("a2", "on_call", at(11, "00:00:00"), at(11, "05:00:00")),
            state("a2", "available", at(11, "05:00:00"), at(11, "06:02:00")),
        ],
    },
    "calls": {
        ("calls_2026-08-03.csv", august(3)): [
            handled_call("c1", "a1", at(3, "09:40:00")),
            handled_call("c2", "a1", at(3, "14:00:00")),
        ],
    },
}


def raw_warehouse_with_the_week(warehouse: Path) -> Path:
    with duckdb.connect(str(warehouse)) as connection:
        create_schemas(connection)
        for table, files in RAW_FILES.items():
            for (file_name, file_date), rows in files.items():
                for line_number, row in enumerate(rows, start=2):
                    values = {
                        **row, "_file_name": file_name, "_file_date": file_date, "_line_number": line_number,
                        "_extra": None, "_loaded_at": LOADED_AT,
                    }
                    columns = ", ".join(values)
                    placeholders = ", ".join("?" for _ in values)
                    connection.execute(
                        f"insert into raw.{table} ({columns}) values ({placeholders})", list(values.values())
                    )
    return warehouse


def query(warehouse: Path, sql: str, parameters: list | None = None) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(sql, parameters or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def agent_day(warehouse: Path, agent_id: str, day: int) -> dict:
    rows = query(
        warehouse, "select * from marts.fct_agent_daily where agent_id = ? and work_date = ?", [agent_id, august(day)]
    )
    assert len(rows) == 1, f"expected one fct_agent_daily row for {agent_id} on {august(day)}, got {rows}"
    return rows[0]


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory, run_dbt) -> Path:
    warehouse = raw_warehouse_with_the_week(tmp_path_factory.mktemp("attendance") / "warehouse.duckdb")
    run_dbt(BUILD, warehouse)
    return warehouse


def test_every_model_data_test_and_unit_test_of_the_build_succeeds(built_warehouse: Path) -> None:
    run_results = json.loads((built_warehouse.parent / "dbt_target" / "run_results.json").read_text())
    statuses = {result["unique_id"]: result["status"] for result in run_results["results"]}

    assert set(statuses.values()) == {"success", "pass"}
    assert statuses["model.ccw.fct_team_daily_attendance"] == "success"
    assert statuses[
        "unit_test.ccw.int_agent_days_classified.int_agent_days_classified_is_late_from_the_first_whole_minute"
    ] == "pass"


def test_dim_agent_keeps_the_team_change_as_two_versions(built_warehouse: Path) -> None:
    versions = query(
        built_warehouse,
        "select agent_id, team, valid_from, valid_to, is_current from marts.dim_agent order by agent_id, valid_from",
    )

    assert [v for v in versions if v["agent_id"] == "a1"] == [
        {"agent_id": "a1", "team": "north", "valid_from": august(1), "valid_to": august(10), "is_current": 0},
        {"agent_id": "a1", "team": "south", "valid_from": august(10), "valid_to": None, "is_current": 1},
    ]
    assert [(v["agent_id"], v["valid_to"]) for v in versions if v["agent_id"] != "a1"] == [
        ("a2", None), ("a3", None), ("a4", None),
    ]


def test_dim_agent_defaults_probation_to_three_months_after_hire(built_warehouse: Path) -> None:
    (a3,) = query(built_warehouse, "select hire_date, probation_end_date from marts.dim_agent where agent_id = 'a3'")

    assert a3 == {"hire_date": dt.date(2026, 3, 1), "probation_end_date": dt.date(2026, 6, 1)}


def test_a_login_one_minute_late_and_a_logout_one_minute_early_are_both_counted(built_warehouse: Path) -> None:
    day = agent_day(built_warehouse, "a1", 3)

    assert day["first_login"] == at(3, "08:31:00")
    assert day["last_logout"] == at(3, "17:34:00")
    assert day["expected_login_at"] == at(3, "08:25:00")
    assert (day["session_count"], day["day_status"], day["team"]) == (2, "present", "north")
    assert (day["late_minutes"], day["is_late"], day["early_minutes"], day["is_early_leave"]) == (1, 1, 1, 1)


def test_less_than_a_whole_minute_is_neither_late_nor_early(built_warehouse: Path) -> None:
    day = agent_day(built_warehouse, "a2", 3)

    assert (day["day_status"], day["late_minutes"], day["is_late"], day["early_minutes"], day["is_early_leave"]) == (
        "present", 0, 0, 0, 0,
    )


def test_sixty_one_minutes_late_is_an_absence_not_a_late_day(built_warehouse: Path) -> None:
    day = agent_day(built_warehouse, "a3", 3)

    assert (day["day_status"], day["absence_reason"], day["late_minutes"], day["is_late"]) == (
        "absent", "late_beyond_limit", 61, 0,
    )


def test_approved_leave_excuses_the_day_and_unapproved_leave_does_not(built_warehouse: Path) -> None:
    assert agent_day(built_warehouse, "a1", 10)["day_status"] == "on_leave"
    assert agent_day(built_warehouse, "a1", 11)["day_status"] == "on_leave"
    unapproved = agent_day(built_warehouse, "a3", 10)
    assert (unapproved["day_status"], unapproved["absence_reason"]) == ("absent", "no_login")


def test_an_open_night_session_lasts_until_its_last_state_after_midnight(built_warehouse: Path) -> None:
    night = agent_day(built_warehouse, "a2", 10)

    assert night["shift_end_at"] == at(11, "06:00:00")
    assert (night["first_login"], night["last_logout"], night["has_open_session"]) == (
        at(10, "21:58:00"), at(11, "06:02:00"), 1,
    )
    assert (night["day_status"], night["late_minutes"], night["early_minutes"]) == ("present", 0, 0)


def test_the_day_carries_its_calls_and_its_time_on_the_acd(built_warehouse: Path) -> None:
    day = agent_day(built_warehouse, "a1", 3)

    assert day["handled_calls"] == 2
    # 08:31-12:00 and 13:00-17:34.
    assert day["logged_in_seconds"] == (3 * 3600 + 29 * 60) + (4 * 3600 + 34 * 60)
    # on_call 09:31-10:31, wrap 10:31-10:41, on_call 13:15:01-17:34:00.
    assert day["handle_seconds"] == 3600 + 600 + (4 * 3600 + 18 * 60 + 59)
    # available 08:31-09:31 and 10:56-12:00.
    assert day["available_seconds"] == 3600 + 64 * 60
    # busy 10:41-10:56 is exactly the 15-minute limit; 13:00:00-13:15:01 is over it.
    assert (day["busy_seconds"], day["busy_violations"]) == (900 + 901, 1)


def test_acd_time_of_a_night_session_is_split_at_midnight(built_warehouse: Path) -> None:
    days = query(
        built_warehouse,
        "select activity_date, logged_in_seconds, handle_seconds, available_seconds "
        "from intermediate.int_agent_acd_daily where agent_id = 'a2' and activity_date >= date '2026-08-10' "
        "order by activity_date",
    )

    assert days == [
        # 21:58 to midnight, then midnight to the last state's end at 06:02.
        {"activity_date": august(10), "logged_in_seconds": 2 * 3600 + 2 * 60, "handle_seconds": 0,
         "available_seconds": 2 * 3600 + 2 * 60},
        {"activity_date": august(11), "logged_in_seconds": 6 * 3600 + 2 * 60, "handle_seconds": 5 * 3600,
         "available_seconds": 3600 + 2 * 60},
    ]


def test_scheduled_days_after_the_last_login_loaded_are_not_judged_yet(built_warehouse: Path) -> None:
    judged = query(built_warehouse, "select work_date from marts.fct_agent_daily where agent_id = 'a1' order by 1")

    assert [row["work_date"] for row in judged] == [august(3), august(10), august(11)]


def test_unscheduled_work_is_time_on_the_acd_but_not_an_attendance_day(built_warehouse: Path) -> None:
    scheduled = query(built_warehouse, "select * from marts.fct_agent_daily where agent_id = 'a3'")
    acd = query(
        built_warehouse,
        "select logged_in_seconds from intermediate.int_agent_acd_daily "
        "where agent_id = 'a3' and activity_date = date '2026-08-11'",
    )

    assert [row["work_date"] for row in scheduled] == [august(3), august(10)]
    assert acd == [{"logged_in_seconds": 3600}]


def test_team_attendance_counts_agents_on_leave_as_scheduled(built_warehouse: Path) -> None:
    teams = query(
        built_warehouse,
        "select team, work_date, agents_scheduled, agents_present, agents_on_leave, agents_absent, attendance_rate "
        "from marts.fct_team_daily_attendance order by work_date, team",
    )

    assert teams == [
        # a1 (late and early, still present) and a2; a3 absent (61 minutes late).
        {"team": "north", "work_date": august(3), "agents_scheduled": 2, "agents_present": 2, "agents_on_leave": 0,
         "agents_absent": 0, "attendance_rate": 1.0},
        {"team": "south", "work_date": august(3), "agents_scheduled": 1, "agents_present": 0, "agents_on_leave": 0,
         "agents_absent": 1, "attendance_rate": 0.0},
        # a2's night shift.
        {"team": "north", "work_date": august(10), "agents_scheduled": 1, "agents_present": 1, "agents_on_leave": 0,
         "agents_absent": 0, "attendance_rate": 1.0},
        # a1 (moved to south that day, on leave), a3 (absent), a4 (present).
        {"team": "south", "work_date": august(10), "agents_scheduled": 3, "agents_present": 1, "agents_on_leave": 1,
         "agents_absent": 1, "attendance_rate": pytest.approx(1 / 3)},
        {"team": "south", "work_date": august(11), "agents_scheduled": 1, "agents_present": 0, "agents_on_leave": 1,
         "agents_absent": 0, "attendance_rate": 0.0},
    ]


def test_a_month_counts_for_the_team_of_the_last_day_present(built_warehouse: Path) -> None:
    months = query(
        built_warehouse,
        "select agent_id, month, team, team_as_of_date, was_present_that_day "
        "from intermediate.int_agent_team_monthly order by agent_id",
    )

    assert months == [
        # In south from the 10th, but on leave there: August counts for north, where a1 last worked.
        {"agent_id": "a1", "month": august(1), "team": "north", "team_as_of_date": august(3), "was_present_that_day": 1},
        {"agent_id": "a2", "month": august(1), "team": "north", "team_as_of_date": august(10), "was_present_that_day": 1},
        # Present on no day: the team of the last scheduled day.
        {"agent_id": "a3", "month": august(1), "team": "south", "team_as_of_date": august(10), "was_present_that_day": 0},
        {"agent_id": "a4", "month": august(1), "team": "south", "team_as_of_date": august(10), "was_present_that_day": 1},
    ]


def test_the_thresholds_come_from_the_scoring_policy(tmp_path: Path, run_dbt) -> None:
    settings = yaml.safe_load(DEFAULT_POLICY_FILE.read_text())
    settings["attendance"]["absence_threshold_minutes"] = 90
    settings["acd"]["busy_limit_minutes"] = 20
    policy_file = tmp_path / "scoring_policy.yml"
    policy_file.write_text(yaml.safe_dump(settings, allow_unicode=True))
    warehouse = raw_warehouse_with_the_week(tmp_path / "warehouse.duckdb")

    # The unit tests pin the default policy's edges, so they are left out of this build.
    run_dbt([*BUILD, "--exclude", "test_type:unit"], warehouse, policy=load_policy(policy_file))

    late = agent_day(warehouse, "a3", 3)
    assert (late["day_status"], late["late_minutes"], late["is_late"]) == ("present", 61, 1)
    assert agent_day(warehouse, "a1", 3)["busy_violations"] == 0
