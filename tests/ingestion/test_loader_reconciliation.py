"""The load log's counts reconcile, file by file, with what actually landed in raw and quarantine."""

from __future__ import annotations

from ingestion.contract import EXTRACTS


def write_first_run(landing) -> None:
    landing.write(
        "calls_2026-08-02.csv", [{"call_id": "c1"}, {"call_id": "c2", "talk_seconds": "x"}, {"call_id": "c3"}]
    )
    landing.write_text(
        "calls_2026-08-03.csv",
        "\n".join(
            [
                landing.header("calls"),
                landing.line("calls", call_id="c4"),
                "c5,short",
                "",
                landing.line("calls", call_id="c1"),
            ]
        ),
    )
    landing.write_text(
        "states_2026-08-01.csv",
        "\n".join(
            [
                landing.header("states"),
                'A001,break,"open quote',
                landing.line("states"),
                landing.line("states", state="nap"),
            ]
        ),
    )
    landing.write(
        "agents_2026-08-01.csv", [{"agent_id": "A001"}, {"agent_id": "A001"}, {"agent_id": "A002", "role": "boss"}]
    )
    landing.write(
        "schedules_2026-08.csv", [{}, {"shift_date": "2026-08-04"}], columns=["agent_id", "shift_date", "shift_start"]
    )
    landing.write_bytes("leave_2026-08.csv", (landing.header("leave") + "\nL1,A001,病假").encode("gb18030") + b"\xff\n")
    landing.write("surveys_2026-08-01.csv", [{}], extract="surveys")
    landing.write("surveys_2026_08_02.csv", [{"survey_id": "V2"}, {"survey_id": "V3"}], extract="surveys")
    landing.write_text("ratings_2026-08.csv", landing.header("ratings") + "\n")
    landing.write("complaints_2026-08-01.csv", [{"complaint_id": "K1"}, {"complaint_id": "K2", "channel": "fax"}])


def write_second_run(landing) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c3"}, {"call_id": "c4"}, {"call_id": "c9", "outcome": "?"}])
    landing.write("calls_2026-08-02.csv", [{"call_id": "c1"}, {"call_id": "c2"}, {"call_id": "c3"}, {"call_id": "c2"}])
    landing.write("complaints_2026-08-02.csv", [{"complaint_id": "K1", "resolution": "success"}])


def load_everything(warehouse) -> None:
    for extract in EXTRACTS:
        warehouse.load(extract)


def counts_by_file(warehouse) -> list[tuple]:
    """(extract, file, read, accepted, quarantined, rows in raw, rows in quarantine) of every current delivery."""
    raw_counts = " UNION ALL ".join(
        f"SELECT '{e.name}' AS extract, _file_name AS file_name, count(*) AS n FROM {e.raw_table} GROUP BY ALL"
        for e in EXTRACTS
    )
    return warehouse.con.execute(
        f"""
        WITH raw_counts AS ({raw_counts}),
        quarantine_counts AS (SELECT extract, file_name, count(*) AS n FROM audit.quarantine GROUP BY ALL)
        SELECT log.extract, log.file_name, log.rows_read, log.rows_accepted, log.rows_quarantined,
               coalesce(raw_counts.n, 0), coalesce(quarantine_counts.n, 0)
        FROM audit.load_log AS log
        LEFT JOIN raw_counts USING (extract, file_name)
        LEFT JOIN quarantine_counts USING (extract, file_name)
        WHERE log.is_current
        ORDER BY ALL
        """
    ).fetchall()


def assert_reconciled(warehouse) -> None:
    for extract, file_name, read, accepted, quarantined, in_raw, in_quarantine in counts_by_file(warehouse):
        assert read == accepted + quarantined, (extract, file_name)
        assert (accepted, quarantined) == (in_raw, in_quarantine), (extract, file_name)


def test_every_delivery_reconciles_with_the_rows_it_left_in_raw_and_quarantine(landing, warehouse) -> None:
    write_first_run(landing)
    load_everything(warehouse)
    assert_reconciled(warehouse)

    write_second_run(landing)
    load_everything(warehouse)

    assert_reconciled(warehouse)
    files = {
        (extract, name): (read, accepted, quarantined)
        for extract, name, read, accepted, quarantined, *_ in counts_by_file(warehouse)
    }
    assert files == {
        ("agents", "agents_2026-08-01.csv"): (3, 1, 2),
        ("calls", "calls_2026-08-01.csv"): (3, 2, 1),
        ("calls", "calls_2026-08-02.csv"): (4, 2, 2),
        ("calls", "calls_2026-08-03.csv"): (3, 0, 3),
        ("complaints", "complaints_2026-08-01.csv"): (2, 1, 1),
        ("complaints", "complaints_2026-08-02.csv"): (1, 1, 0),
        ("leave", "leave_2026-08.csv"): (1, 0, 1),
        ("ratings", "ratings_2026-08.csv"): (0, 0, 0),
        ("schedules", "schedules_2026-08.csv"): (2, 0, 2),
        ("states", "states_2026-08-01.csv"): (3, 1, 2),
        ("surveys", "surveys_2026-08-01.csv"): (1, 1, 0),
        ("surveys", "surveys_2026_08_02.csv"): (2, 0, 2),
    }


def test_every_line_with_content_is_either_accepted_or_quarantined(landing, warehouse) -> None:
    write_first_run(landing)
    write_second_run(landing)
    load_everything(warehouse)

    for extract in EXTRACTS:
        for path in sorted((landing.root / extract.folder).glob("*")):
            data_lines = [n for n, text in enumerate(path.read_bytes().split(b"\n"), start=1) if text.strip()][1:]
            accepted = [r["_line_number"] for r in warehouse.raw(extract.name, path.name)]
            quarantined = [q["line_number"] for q in warehouse.quarantine(extract.name, path.name)]
            assert sorted(accepted + quarantined) == data_lines, path.name
