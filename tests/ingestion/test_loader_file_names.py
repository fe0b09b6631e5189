"""File names that break the contract are recorded as rejected deliveries, never silently ignored."""

from __future__ import annotations

from datetime import date

import pytest

BAD_NAMES = [
    ("calls", "calls_20260801.csv", "calls_YYYY-MM-DD.csv"),
    ("calls", "calls_2026-08-01.txt", "calls_YYYY-MM-DD.csv"),
    ("calls", "calls_2026-02-30.csv", "calls_YYYY-MM-DD.csv"),
    ("calls", "call_2026-08-01.csv", "calls_YYYY-MM-DD.csv"),
    ("calls", "calls_2026-08-01 (1).csv", "calls_YYYY-MM-DD.csv"),
    ("schedules", "schedules_2026-08-01.csv", "schedules_YYYY-MM.csv"),
    ("leave", "leave_2026-13.csv", "leave_YYYY-MM.csv"),
]


@pytest.mark.parametrize("extract, file_name, expected", BAD_NAMES, ids=[name for _, name, _ in BAD_NAMES])
def test_a_file_whose_name_breaks_the_contract_is_recorded_as_rejected(
    landing, warehouse, extract, file_name, expected
) -> None:
    landing.write(file_name, [{}, {}], extract=extract)

    result = warehouse.load(extract)

    [log] = warehouse.load_log(extract).values()
    assert (log["file_name"], log["status"], log["file_date"]) == (file_name, "rejected", None)
    assert f"file name does not follow {expected}" in log["reason"]
    assert (log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (2, 0, 2)
    assert [q["line_number"] for q in warehouse.quarantine(extract)] == [2, 3]
    assert warehouse.raw(extract) == []
    assert [(f.file_name, f.status) for f in result.files] == [(file_name, "rejected")]


def test_a_badly_named_file_does_not_stop_the_well_named_ones_from_loading(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}])
    landing.write("calls-2026-08-02.csv", [{"call_id": "c2"}], extract="calls")

    warehouse.load("calls")

    assert [r["call_id"] for r in warehouse.raw("calls")] == ["c1"]
    assert {name: log["status"] for name, log in warehouse.load_log("calls").items()} == {
        "calls-2026-08-02.csv": "rejected",
        "calls_2026-08-01.csv": "loaded",
    }


def test_monthly_files_are_dated_the_first_of_their_month(landing, warehouse) -> None:
    landing.write("leave_2026-08.csv", [{}])

    warehouse.load("leave")

    assert [r["_file_date"] for r in warehouse.raw("leave")] == [date(2026, 8, 1)]
    assert warehouse.load_log("leave")["leave_2026-08.csv"]["file_date"] == date(2026, 8, 1)
