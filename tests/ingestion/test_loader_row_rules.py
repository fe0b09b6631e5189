"""Every row rule of the contract: a broken row is quarantined naming its file, line, column and why."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from ingestion.contract import EXTRACTS_BY_NAME
from ingestion.loader import LoadSettings
from ingestion.pii import hash_number


def file_name(extract: str) -> str:
    stamp = "2026-08-01" if EXTRACTS_BY_NAME[extract].period == "day" else "2026-08"
    return f"{EXTRACTS_BY_NAME[extract].file_prefix}_{stamp}.csv"


def numbered(extract: str, number: int, **changes: str) -> dict[str, str]:
    """A row whose key differs from every other numbered row's, with the changes."""
    key = EXTRACTS_BY_NAME[extract].key
    return {key[0]: f"{key[0]}-{number}", **changes} if key else changes


NOT_A_TIMESTAMP = "not a timestamp (YYYY-MM-DD HH:MM:SS, or ISO 8601 with an offset)"
NOT_A_BOOLEAN = "not a boolean (true/false, 1/0, Y/N, 是/否)"

BROKEN_ROWS = [
    # unparseable values
    ("calls", {"talk_seconds": "abc"}, "talk_seconds", "not a whole number: 'abc'"),
    ("calls", {"wrap_seconds": "12.5"}, "wrap_seconds", "not a whole number: '12.5'"),
    ("evaluations", {"score": "high"}, "score", "not a number: 'high'"),
    ("calls", {"enqueued_at": "01/08/2026 09:00"}, "enqueued_at", f"{NOT_A_TIMESTAMP}: '01/08/2026 09:00'"),
    ("calls", {"answered_at": "2026-08-01"}, "answered_at", f"{NOT_A_TIMESTAMP}: '2026-08-01'"),
    (
        "complaints",
        {"due_at": "2026-08-03T25:00:00+08:00"},
        "due_at",
        f"{NOT_A_TIMESTAMP}: '2026-08-03T25:00:00+08:00'",
    ),
    ("agents", {"hire_date": "2025/01/06"}, "hire_date", "not a date (YYYY-MM-DD): '2025/01/06'"),
    ("schedules", {"shift_start": "8h30"}, "shift_start", "not a time of day (HH:MM): '8h30'"),
    ("ratings", {"month": "2026-08-15"}, "month", "not a month (YYYY-MM): '2026-08-15'"),
    ("leave", {"approved": "maybe"}, "approved", f"{NOT_A_BOOLEAN}: 'maybe'"),
    ("evaluations", {"fatal_error": "2"}, "fatal_error", f"{NOT_A_BOOLEAN}: '2'"),
    # required values
    ("calls", {"queue": ""}, "queue", "required value is empty"),
    ("calls", {"call_id": "   "}, "call_id", "required value is empty"),
    ("agents", {"name": ""}, "name", "required value is empty"),
    ("schedules", {"shift_end": ""}, "shift_end", "required value is empty"),
    ("calls", {"outcome": ""}, "outcome", "required value is empty"),
    # bounds: durations, ratings and scores
    ("calls", {"talk_seconds": "-5"}, "talk_seconds", "below the minimum 0: '-5'"),
    ("calls", {"hold_seconds": "86401"}, "hold_seconds", "above the maximum 86400: '86401'"),
    ("ratings", {"teamwork": "5.5"}, "teamwork", "above the maximum 5: '5.5'"),
    ("evaluations", {"score": "-1"}, "score", "below the minimum 0: '-1'"),
    ("surveys", {"score": "6"}, "score", "above the maximum 5: '6'"),
    # end before start
    (
        "calls",
        {"ended_at": "2026-08-01 08:59:59"},
        "ended_at",
        "ended_at '2026-08-01 08:59:59' is before enqueued_at '2026-08-01 09:00:00'",
    ),
    (
        "calls",
        {"answered_at": "2026-08-01 08:59:00"},
        "answered_at",
        "answered_at '2026-08-01 08:59:00' is before enqueued_at '2026-08-01 09:00:00'",
    ),
    (
        "sessions",
        {"logout_at": "2026-08-01 08:00:00"},
        "logout_at",
        "logout_at '2026-08-01 08:00:00' is before login_at '2026-08-01 08:25:00'",
    ),
    (
        "states",
        {"ended_at": "2026-08-01 08:29:00"},
        "ended_at",
        "ended_at '2026-08-01 08:29:00' is before started_at '2026-08-01 08:30:00'",
    ),
    ("leave", {"end_date": "2026-08-09"}, "end_date", "end_date '2026-08-09' is before start_date '2026-08-10'"),
    # enums
    ("calls", {"direction": "sideways"}, "direction", "unknown value 'sideways' (expected one of: inbound, outbound)"),
    (
        "states",
        {"state": "lunch"},
        "state",
        "unknown value 'lunch' (expected one of: available, on_call, wrap, busy, break, meeting, training)",
    ),
    ("agents", {"tier": "third_line"}, "tier", "unknown value 'third_line' (expected one of: first_line, second_line)"),
    (
        "complaints",
        {"resolution": "closed"},
        "resolution",
        "unknown value 'closed' (expected one of: open, success, failed, withdrawn)",
    ),
]


@pytest.mark.parametrize(
    "extract, changes, column, reason",
    BROKEN_ROWS,
    ids=[f"{e}.{c}={list(ch.values())[0]!r}" for e, ch, c, _ in BROKEN_ROWS],
)
def test_a_row_breaking_a_rule_is_quarantined_with_its_file_line_column_and_reason(
    landing, warehouse, extract, changes, column, reason
) -> None:
    landing.write(file_name(extract), [numbered(extract, 1), numbered(extract, 2, **changes), numbered(extract, 3)])

    warehouse.load(extract)

    [quarantined] = warehouse.quarantine(extract)
    assert (
        quarantined["file_name"],
        quarantined["line_number"],
        quarantined["column_name"],
        quarantined["reason"],
    ) == (
        file_name(extract),
        3,
        column,
        reason,
    )
    assert quarantined["month"] == date(2026, 8, 1)
    assert [r["_line_number"] for r in warehouse.raw(extract)] == [2, 4]
    log = warehouse.load_log(extract)[file_name(extract)]
    assert (log["rows_read"], log["rows_quarantined"]) == (3, 1)


def test_a_quarantined_row_keeps_its_text_with_the_customer_number_hashed(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c9", "talk_seconds": "-5", "customer_number": "13900139000"}])

    warehouse.load("calls")

    [quarantined] = warehouse.quarantine("calls")
    record = json.loads(quarantined["record"])
    assert (record["call_id"], record["talk_seconds"], record["queue"]) == ("c9", "-5", "billing")
    assert record["customer_number"] == hash_number(b"ingestion-test-key", "13900139000")


def test_a_quarantined_row_counts_in_the_month_of_its_business_date(landing, warehouse) -> None:
    late_call = {"enqueued_at": "2026-07-31 23:58:00", "answered_at": "", "ended_at": "2026-08-01 00:01:00"}
    landing.write("calls_2026-08-01.csv", [{**late_call, "outcome": "hung_up"}])

    warehouse.load("calls")

    assert [q["month"] for q in warehouse.quarantine("calls")] == [date(2026, 7, 1)]


def test_enum_values_are_accepted_in_any_case_and_stored_lower_case(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"direction": "INBOUND", "outcome": "Callback_Required"}])
    landing.write("states_2026-08-01.csv", [{"state": " On_Call "}])

    warehouse.load("calls")
    warehouse.load("states")

    assert [(r["direction"], r["outcome"]) for r in warehouse.raw("calls")] == [("inbound", "callback_required")]
    assert [r["state"] for r in warehouse.raw("states")] == ["on_call"]
    assert warehouse.quarantine("calls") == warehouse.quarantine("states") == []


SPELLINGS = {
    "true": True,
    "false": False,
    "TRUE": True,
    "1": True,
    "0": False,
    "Y": True,
    "N": False,
    "y": True,
    "n": False,
    "是": True,
    "否": False,
}


def test_booleans_are_read_in_every_accepted_spelling(landing, warehouse) -> None:
    landing.write("leave_2026-08.csv", [{"leave_id": f"L{i}", "approved": word} for i, word in enumerate(SPELLINGS)])

    warehouse.load("leave")

    assert [r["approved"] for r in warehouse.raw("leave")] == list(SPELLINGS.values())
    assert warehouse.quarantine("leave") == []


def test_timestamps_with_an_offset_are_converted_to_the_centres_local_time(landing, warehouse) -> None:
    landing.write(
        "calls_2026-08-01.csv",
        [
            {
                "enqueued_at": "2026-08-01T00:30:00Z",
                "answered_at": "2026-08-01T08:30:20+08:00",
                "ended_at": "2026-07-31T20:35:00-0400",
            }
        ],
    )

    warehouse.load("calls")

    [row] = warehouse.raw("calls")
    assert (row["enqueued_at"], row["answered_at"], row["ended_at"]) == (
        datetime(2026, 8, 1, 8, 30),
        datetime(2026, 8, 1, 8, 30, 20),
        datetime(2026, 8, 1, 8, 35),
    )


def test_the_centres_time_zone_comes_from_the_load_settings(landing, warehouse) -> None:
    landing.write("sessions_2026-08-01.csv", [{"login_at": "2026-08-01T00:30:00Z", "logout_at": "2026-08-01 08:00:00"}])

    warehouse.load("sessions", LoadSettings(hash_key=b"k", timezone="Europe/Paris", run_id="t"))

    [row] = warehouse.raw("sessions")
    assert (row["login_at"], row["logout_at"]) == (datetime(2026, 8, 1, 2, 30), datetime(2026, 8, 1, 8, 0))


def test_local_timestamps_may_use_the_iso_t_separator(landing, warehouse) -> None:
    landing.write("sessions_2026-08-01.csv", [{"login_at": "2026-08-01T08:25:00", "logout_at": "2026-08-01T17:40:00"}])

    warehouse.load("sessions")

    [row] = warehouse.raw("sessions")
    assert (row["login_at"], row["logout_at"]) == (datetime(2026, 8, 1, 8, 25), datetime(2026, 8, 1, 17, 40))


def test_every_contract_type_is_stored_typed(landing, warehouse) -> None:
    landing.write("schedules_2026-08.csv", [{"shift_start": "22:00", "shift_end": "06:30"}])
    landing.write("ratings_2026-08.csv", [{"learning": "3.5"}])
    landing.write("agents_2026-08-01.csv", [{"termination_date": "2026-09-30"}])

    for extract in ("schedules", "ratings", "agents"):
        warehouse.load(extract)

    [shift] = warehouse.raw("schedules")
    assert (shift["shift_date"], shift["shift_start"], shift["shift_end"]) == (date(2026, 8, 3), time(22), time(6, 30))
    [rating] = warehouse.raw("ratings")
    assert (rating["month"], rating["learning"], rating["teamwork"]) == (date(2026, 8, 1), 3.5, 5.0)
    [agent] = warehouse.raw("agents")
    assert (agent["hire_date"], agent["termination_date"], agent["_file_date"]) == (
        date(2025, 1, 6),
        date(2026, 9, 30),
        date(2026, 8, 1),
    )
