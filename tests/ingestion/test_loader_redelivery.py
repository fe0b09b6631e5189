"""Re-delivery and re-runs: a corrected file replaces its earlier delivery, and nothing ever doubles."""

from __future__ import annotations

import os

from ingestion.contract import EXTRACTS


def snapshot(warehouse) -> dict[str, list]:
    """Everything the loader wrote that a re-run must leave as it is."""
    tables = {
        e.name: warehouse.dicts(f"SELECT * EXCLUDE (_loaded_at) FROM {e.raw_table} ORDER BY ALL") for e in EXTRACTS
    }
    return {
        **tables,
        "quarantine": warehouse.dicts("SELECT * EXCLUDE (quarantined_at) FROM audit.quarantine ORDER BY ALL"),
        "load_log": warehouse.dicts(
            "SELECT * EXCLUDE (load_id, loaded_at) FROM audit.load_log WHERE is_current ORDER BY ALL"
        ),
    }


def load_everything(warehouse) -> None:
    for extract in EXTRACTS:
        warehouse.load(extract)


def test_a_corrected_file_replaces_its_earlier_rows_and_quarantine_entries(landing, warehouse) -> None:
    landing.write(
        "calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2", "talk_seconds": "-1"}, {"call_id": "c3"}]
    )
    warehouse.load("calls")
    landing.write(
        "calls_2026-08-01.csv",
        [{"call_id": "c1", "queue": "sales"}, {"call_id": "c2"}, {"call_id": "c4", "outcome": "?"}],
    )

    result = warehouse.load("calls")

    assert [(r["call_id"], r["queue"]) for r in warehouse.raw("calls")] == [("c1", "sales"), ("c2", "billing")]
    assert [(q["line_number"], q["column_name"]) for q in warehouse.quarantine("calls")] == [(4, "outcome")]
    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (3, 2, 1)
    assert warehouse.dicts("SELECT count(*) AS deliveries FROM audit.load_log") == [{"deliveries": 2}]
    assert [f.status for f in result.files] == ["loaded"]


def test_a_rejected_file_corrected_later_loads_in_its_place(landing, warehouse) -> None:
    landing.write("sessions_2026-08-01.csv", [{}, {}], columns=["agent_id", "logout_at"])
    warehouse.load("sessions")
    landing.write("sessions_2026-08-01.csv", [{}, {"agent_id": "A002"}])

    warehouse.load("sessions")

    assert [r["agent_id"] for r in warehouse.raw("sessions")] == ["A001", "A002"]
    assert warehouse.quarantine("sessions") == []
    assert warehouse.load_log("sessions")["sessions_2026-08-01.csv"]["status"] == "loaded"


def test_an_unchanged_file_is_skipped_by_its_checksum(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c2"}])
    warehouse.load("calls")
    landing.write("calls_2026-08-02.csv", [{"call_id": "c2", "queue": "sales"}])

    result = warehouse.load("calls")

    assert [(f.file_name, f.status) for f in result.files] == [
        ("calls_2026-08-01.csv", "unchanged"),
        ("calls_2026-08-02.csv", "loaded"),
    ]
    assert warehouse.dicts("SELECT file_name, count(*) AS deliveries FROM audit.load_log GROUP BY ALL ORDER BY 1") == [
        {"file_name": "calls_2026-08-01.csv", "deliveries": 1},
        {"file_name": "calls_2026-08-02.csv", "deliveries": 2},
    ]
    assert [(r["call_id"], r["queue"]) for r in warehouse.raw("calls")] == [("c1", "billing"), ("c2", "sales")]


def test_an_untouched_file_is_not_read_again_and_a_touched_identical_one_is_skipped_by_checksum(landing, warehouse) -> None:
    path = landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2"}])
    warehouse.load("calls")
    loaded = path.stat()
    # Same name, size and modification time: the loader trusts the file system and does not open it.
    path.write_text(path.read_text().replace("c2", "c9"))
    os.utime(path, ns=(loaded.st_atime_ns, loaded.st_mtime_ns))

    untouched = warehouse.load("calls")

    assert [f.status for f in untouched.files] == ["unchanged"]
    assert [r["call_id"] for r in warehouse.raw("calls")] == ["c1", "c2"]

    path.write_text(path.read_text().replace("c9", "c2"))
    os.utime(path, ns=(loaded.st_atime_ns, loaded.st_mtime_ns + 10**9))

    touched = warehouse.load("calls")

    assert [f.status for f in touched.files] == ["unchanged"]
    assert warehouse.load_log("calls")["calls_2026-08-01.csv"]["file_modified_ns"] == loaded.st_mtime_ns + 10**9
    assert warehouse.dicts("SELECT count(*) AS deliveries FROM audit.load_log") == [{"deliveries": 1}]


def write_a_bit_of_everything(landing) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2", "direction": "up"}, {"call_id": "c1"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1"}, {"call_id": "c3"}])
    landing.write_text("calls_2026-08-03.csv", landing.header("calls") + "\nc4,too,few\n")
    landing.write("calls_2026-08-04.csv", [{}], columns=["call_id", "direction"])
    landing.write("calls_2026-8-5.csv", [{"call_id": "c5"}])
    landing.write("complaints_2026-08-01.csv", [{"complaint_id": "K1"}])
    landing.write("complaints_2026-08-02.csv", [{"complaint_id": "K1", "resolution": "success"}])
    landing.write("agents_2026-08-01.csv", [{"agent_id": "A001"}, {"agent_id": "A001"}])
    landing.write("agents_2026-08-02.csv", [{"agent_id": "A001"}])
    landing.write_text("leave_2026-08.csv", "")


def test_loading_the_same_files_twice_changes_nothing(landing, warehouse) -> None:
    write_a_bit_of_everything(landing)
    load_everything(warehouse)
    first = snapshot(warehouse)
    deliveries = warehouse.dicts("SELECT count(*) AS n FROM audit.load_log")

    results = [warehouse.load(extract) for extract in EXTRACTS]

    assert snapshot(warehouse) == first
    assert warehouse.dicts("SELECT count(*) AS n FROM audit.load_log") == deliveries
    assert all(f.status == "unchanged" for result in results for f in result.files)
    assert not any(result.changed for result in results)
    assert first["quarantine"] and first["calls"] and first["load_log"]


def test_a_corrected_first_delivery_without_an_id_lets_its_later_delivery_stand(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1", "queue": "wrong day"}, {"call_id": "c2"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1", "queue": "right day"}])
    warehouse.load("calls")
    landing.write("calls_2026-08-01.csv", [{"call_id": "c2"}])

    warehouse.load("calls")

    assert [(r["_file_name"], r["call_id"], r["queue"]) for r in warehouse.raw("calls")] == [
        ("calls_2026-08-01.csv", "c2", "billing"),
        ("calls_2026-08-02.csv", "c1", "right day"),
    ]
    assert warehouse.quarantine("calls") == []
    assert warehouse.load_log("calls")["calls_2026-08-02.csv"]["rows_accepted"] == 1


def test_files_delivered_one_run_at_a_time_end_as_if_loaded_at_once(landing, warehouse, second_warehouse) -> None:
    landing.write("calls_2026-08-03.csv", [{"call_id": "c1"}, {"call_id": "c2"}])
    load_everything(warehouse)
    landing.write("calls_2026-08-01.csv", [{"call_id": "c2"}, {"call_id": "c3"}])
    load_everything(warehouse)
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1"}, {"call_id": "c3"}])
    load_everything(warehouse)
    landing.write("calls_2026-08-01.csv", [{"call_id": "c3", "queue": "corrected"}])
    load_everything(warehouse)
    incremental = snapshot(warehouse)

    load_everything(second_warehouse)

    assert snapshot(second_warehouse) == incremental
    assert sorted((r["_file_name"], r["call_id"]) for r in incremental["calls"]) == [
        ("calls_2026-08-01.csv", "c3"),
        ("calls_2026-08-02.csv", "c1"),
        ("calls_2026-08-03.csv", "c2"),
    ]
