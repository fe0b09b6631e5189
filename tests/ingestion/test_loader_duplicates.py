"""Ids that must be unique: within a file, across files (the first delivery stands), and the exceptions."""

from __future__ import annotations

import pytest


def reconciled(log_row: dict) -> bool:
    return log_row["rows_read"] == log_row["rows_accepted"] + log_row["rows_quarantined"]


def test_an_id_repeated_within_a_file_is_quarantined_citing_its_first_line(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2"}, {"call_id": "c1", "queue": "sales"}])

    warehouse.load("calls")

    assert [(r["call_id"], r["_line_number"]) for r in warehouse.raw("calls")] == [("c1", 2), ("c2", 3)]
    [duplicate] = warehouse.quarantine("calls")
    assert (duplicate["line_number"], duplicate["column_name"], duplicate["reason"]) == (
        4,
        "call_id",
        "duplicate call_id c1 (first at line 2)",
    )


def test_a_row_broken_on_its_first_line_lets_the_next_occurrence_of_its_id_stand(landing, warehouse) -> None:
    landing.write("evaluations_2026-08-01.csv", [{"evaluation_id": "E1", "score": "n/a"}, {"evaluation_id": "E1"}])

    warehouse.load("evaluations")

    assert [r["_line_number"] for r in warehouse.raw("evaluations")] == [3]
    assert [q["column_name"] for q in warehouse.quarantine("evaluations")] == ["score"]


def test_a_call_delivered_again_in_a_later_file_is_quarantined_there(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c3"}, {"call_id": "c1", "queue": "sales"}])

    result = warehouse.load("calls")

    assert [(r["_file_name"], r["call_id"]) for r in warehouse.raw("calls")] == [
        ("calls_2026-08-01.csv", "c1"),
        ("calls_2026-08-01.csv", "c2"),
        ("calls_2026-08-02.csv", "c3"),
    ]
    [duplicate] = warehouse.quarantine("calls")
    assert (duplicate["file_name"], duplicate["line_number"], duplicate["reason"]) == (
        "calls_2026-08-02.csv",
        3,
        "duplicate call_id c1: first delivered in calls_2026-08-01.csv line 2",
    )
    assert result.duplicates_quarantined == 1
    assert [(f.file_name, f.rows_accepted, f.rows_quarantined) for f in result.files] == [
        ("calls_2026-08-01.csv", 2, 0),
        ("calls_2026-08-02.csv", 1, 1),
    ]


def test_the_earlier_file_by_its_date_stands_even_when_it_is_loaded_after_the_later_one(landing, warehouse) -> None:
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1", "queue": "late"}, {"call_id": "c2"}])
    warehouse.load("calls")
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1", "queue": "early"}])

    warehouse.load("calls")

    assert [(r["_file_name"], r["call_id"], r["queue"]) for r in warehouse.raw("calls")] == [
        ("calls_2026-08-01.csv", "c1", "early"),
        ("calls_2026-08-02.csv", "c2", "billing"),
    ]
    [duplicate] = warehouse.quarantine("calls")
    assert (duplicate["file_name"], duplicate["line_number"]) == ("calls_2026-08-02.csv", 2)
    assert "first delivered in calls_2026-08-01.csv line 2" in duplicate["reason"]
    log = warehouse.load_log("calls")
    assert [(n, r["rows_read"], r["rows_accepted"], r["rows_quarantined"]) for n, r in log.items()] == [
        ("calls_2026-08-01.csv", 1, 1, 0),
        ("calls_2026-08-02.csv", 2, 1, 1),
    ]


def test_cross_file_duplicates_are_judged_for_every_centre_wide_key(landing, warehouse) -> None:
    landing.write("schedules_2026-08.csv", [{"shift_date": "2026-08-31"}, {"shift_date": "2026-09-01"}])
    landing.write("schedules_2026-09.csv", [{"shift_date": "2026-09-01", "shift_start": "09:00"}])
    landing.write("surveys_2026-08-01.csv", [{"survey_id": "V1"}])
    landing.write("surveys_2026-08-02.csv", [{"survey_id": "V1", "score": "1"}])

    warehouse.load("schedules")
    warehouse.load("surveys")

    assert [(q["file_name"], q["reason"]) for q in warehouse.quarantine("schedules")] == [
        (
            "schedules_2026-09.csv",
            "duplicate agent_id A001, shift_date 2026-09-01: first delivered in schedules_2026-08.csv line 3",
        )
    ]
    assert [r["score"] for r in warehouse.raw("surveys")] == [5]
    assert all(reconciled(row) for extract in ("schedules", "surveys") for row in warehouse.load_log(extract).values())


def test_a_complaint_delivered_again_in_a_later_file_is_kept_as_its_newer_state(landing, warehouse) -> None:
    landing.write("complaints_2026-08-01.csv", [{"complaint_id": "K1", "resolution": "open"}])
    landing.write(
        "complaints_2026-08-03.csv",
        [{"complaint_id": "K1", "resolution": "success", "resolved_at": "2026-08-03 16:00:00"}],
    )

    result = warehouse.load("complaints")

    assert [(r["_file_name"], r["complaint_id"], r["resolution"]) for r in warehouse.raw("complaints")] == [
        ("complaints_2026-08-01.csv", "K1", "open"),
        ("complaints_2026-08-03.csv", "K1", "success"),
    ]
    assert warehouse.quarantine("complaints") == []
    assert result.duplicates_quarantined == 0


def test_a_complaint_repeated_within_one_file_is_quarantined(landing, warehouse) -> None:
    landing.write("complaints_2026-08-01.csv", [{"complaint_id": "K1"}, {"complaint_id": "K1", "resolution": "failed"}])

    warehouse.load("complaints")

    assert [q["reason"] for q in warehouse.quarantine("complaints")] == ["duplicate complaint_id K1 (first at line 2)"]


def test_roster_snapshots_repeat_every_agent_without_quarantine(landing, warehouse) -> None:
    landing.write("agents_2026-08-01.csv", [{"agent_id": "A001", "team": "billing-1"}, {"agent_id": "A002"}])
    landing.write("agents_2026-08-15.csv", [{"agent_id": "A001", "team": "billing-2"}, {"agent_id": "A002"}])

    warehouse.load("agents")

    assert [(r["_file_name"], r["agent_id"], r["team"]) for r in warehouse.raw("agents")] == [
        ("agents_2026-08-01.csv", "A001", "billing-1"),
        ("agents_2026-08-01.csv", "A002", "billing-1"),
        ("agents_2026-08-15.csv", "A001", "billing-2"),
        ("agents_2026-08-15.csv", "A002", "billing-1"),
    ]
    assert warehouse.quarantine("agents") == []


def test_an_agent_listed_twice_in_one_roster_file_is_quarantined(landing, warehouse) -> None:
    landing.write(
        "agents_2026-08-01.csv", [{"agent_id": "A001"}, {"agent_id": "A002"}, {"agent_id": "A001", "team": "x"}]
    )

    warehouse.load("agents")

    assert [r["agent_id"] for r in warehouse.raw("agents")] == ["A001", "A002"]
    assert [(q["line_number"], q["reason"]) for q in warehouse.quarantine("agents")] == [
        (4, "duplicate agent_id A001 (first at line 2)")
    ]


def test_ratings_repeat_an_agent_and_month_only_across_files(landing, warehouse) -> None:
    landing.write("ratings_2026-08.csv", [{"agent_id": "A001"}, {"agent_id": "A001", "teamwork": "1"}])
    landing.write("ratings_2026-09.csv", [{"agent_id": "A001", "month": "2026-08", "teamwork": "2"}])

    warehouse.load("ratings")

    assert [(r["_file_name"], r["teamwork"]) for r in warehouse.raw("ratings")] == [
        ("ratings_2026-08.csv", 5.0),
        ("ratings_2026-09.csv", 2.0),
    ]
    assert [q["reason"] for q in warehouse.quarantine("ratings")] == [
        "duplicate agent_id A001, month 2026-08-01 (first at line 2)"
    ]


def test_ids_loaded_by_a_load_interrupted_before_its_check_are_looked_for_by_the_next(
    landing, warehouse, monkeypatch
) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}])
    warehouse.load("calls")
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1", "queue": "sales"}, {"call_id": "c2"}])

    def interrupted(con, extract):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr("ingestion.loader._quarantine_later_deliveries", interrupted)
        with pytest.raises(KeyboardInterrupt):
            warehouse.load("calls")
    assert len(warehouse.raw("calls")) == 3

    result = warehouse.load("calls")

    assert all(f.status == "unchanged" for f in result.files)
    assert result.duplicates_quarantined == 1
    assert [(r["_file_name"], r["call_id"]) for r in warehouse.raw("calls")] == [
        ("calls_2026-08-01.csv", "c1"),
        ("calls_2026-08-02.csv", "c2"),
    ]
    assert [(q["file_name"], q["line_number"]) for q in warehouse.quarantine("calls")] == [("calls_2026-08-02.csv", 2)]
    assert warehouse.load_log("calls")["calls_2026-08-02.csv"]["rows_quarantined"] == 1


def test_ids_already_looked_for_are_not_ranked_again(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1", "queue": "sales"}])
    warehouse.load("calls")
    landing.write("calls_2026-08-03.csv", [{"call_id": "c2"}])

    result = warehouse.load("calls")

    assert result.duplicates_quarantined == 0
    assert [(q["file_name"], q["line_number"]) for q in warehouse.quarantine("calls")] == [("calls_2026-08-02.csv", 2)]
    assert warehouse.dicts("SELECT extract, checked_through_load_id FROM audit.id_checks") == [
        {"extract": "calls", "checked_through_load_id": max(r["load_id"] for r in warehouse.load_log("calls").values())}
    ]
