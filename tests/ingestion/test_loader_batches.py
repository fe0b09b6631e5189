"""Several files load in one batch: each keeps its own rows, line numbers, rules and counts."""

from __future__ import annotations

import pytest

from ingestion import loader


def write_mixed_calls(landing) -> None:
    """Files that differ in every way a batch must keep apart."""
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2"}, {"call_id": "c1", "queue": "x"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c3", "site": "武汉"}, {"call_id": "c3"}])
    landing.write_text("calls_2026-08-03.csv", landing.header("calls") + "\n")
    landing.write_text("calls_2026-08-04.csv", "call_id;queue\nc4;billing\n")
    landing.write_text(
        "calls_2026-08-05.csv",
        "\n".join([landing.header("calls"), landing.line("calls", call_id="c5"), "c6,short", landing.line("calls")]),
    )
    landing.write("calls_2026-08-06.csv", [{"call_id": "c7", "talk_seconds": "-1", "ivr": "1>2"}, {"call_id": "c8"}])


def loaded(warehouse) -> dict:
    return {
        "raw": warehouse.raw("calls"),
        "quarantine": warehouse.quarantine("calls"),
        "log": {
            name: (row["status"], row["rows_read"], row["rows_accepted"], row["rows_quarantined"], row["reason"])
            for name, row in warehouse.load_log("calls").items()
        },
    }


def test_a_batch_of_every_file_loads_exactly_as_one_file_at_a_time(
    landing, warehouse, second_warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_mixed_calls(landing)
    warehouse.load("calls")
    monkeypatch.setattr(loader, "ROWS_PER_BATCH", 1)

    second_warehouse.load("calls")

    assert loaded(second_warehouse) == loaded(warehouse)


def test_files_in_one_batch_keep_their_own_counts_and_reasons(landing, warehouse) -> None:
    write_mixed_calls(landing)

    warehouse.load("calls")

    log = loaded(warehouse)["log"]
    assert {name: entry[:4] for name, entry in log.items()} == {
        "calls_2026-08-01.csv": ("loaded", 3, 2, 1),
        "calls_2026-08-02.csv": ("loaded", 2, 1, 1),
        "calls_2026-08-03.csv": ("empty", 0, 0, 0),
        "calls_2026-08-04.csv": ("rejected", 1, 0, 1),
        "calls_2026-08-05.csv": ("loaded", 3, 1, 2),
        "calls_2026-08-06.csv": ("loaded", 2, 1, 1),
    }
    assert [(r["_file_name"], r["call_id"], r["_line_number"]) for r in warehouse.raw("calls")] == [
        ("calls_2026-08-01.csv", "c1", 2),
        ("calls_2026-08-01.csv", "c2", 3),
        ("calls_2026-08-02.csv", "c3", 2),
        ("calls_2026-08-05.csv", "c5", 2),
        ("calls_2026-08-06.csv", "c8", 3),
    ]


def test_an_id_repeated_within_each_of_two_files_cites_the_first_line_of_its_own_file(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c0"}, {"call_id": "c1"}, {"call_id": "c1"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1"}, {"call_id": "c1"}])

    warehouse.load("calls")

    reasons = [(q["file_name"], q["line_number"], q["reason"]) for q in warehouse.quarantine("calls")]
    assert reasons == [
        ("calls_2026-08-01.csv", 4, "duplicate call_id c1 (first at line 3)"),
        ("calls_2026-08-02.csv", 2, "duplicate call_id c1: first delivered in calls_2026-08-01.csv line 3"),
        ("calls_2026-08-02.csv", 3, "duplicate call_id c1 (first at line 2)"),
    ]


def test_rows_of_a_file_without_a_business_date_are_dated_by_their_own_file(landing, warehouse) -> None:
    landing.write("sessions_2026-08-01.csv", [{"login_at": "not a time"}])
    landing.write("sessions_2026-09-01.csv", [{"login_at": "not a time"}])

    warehouse.load("sessions")

    months = [(q["file_name"], str(q["month"])) for q in warehouse.quarantine("sessions")]
    assert months == [("sessions_2026-08-01.csv", "2026-08-01"), ("sessions_2026-09-01.csv", "2026-09-01")]
