"""The bad-input corpus: every case of `corpus/manifest.yaml` loaded by the real loader into a real DuckDB file.

Each case directory is a landing folder. Loading it must not raise; every delivery must end with
the status and counts the manifest states, which reconcile (rows read = accepted + quarantined,
and both equal the rows left in raw and quarantine); the quarantine must hold exactly the rows the
manifest lists, each with its file, line, column and reason; a rejected file's reason names the
file and the line; and accepted values must be stored as stated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.contract import EXTRACTS, EXTRACTS_BY_NAME
from ingestion.loader import LoadSettings, load_extract
from ingestion.schema import create_schemas

CORPUS = Path(__file__).parent / "corpus"
CASES = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
SETTINGS = LoadSettings(hash_key=b"corpus-test-key", timezone="Asia/Shanghai", run_id="corpus")
LARGE_FILE_ROWS = 400_000
LARGE_FILE_BROKEN_EVERY = 10_000


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_schemas(con)
    yield con
    con.close()


def load_landing(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    for extract in EXTRACTS:
        load_extract(con, landing, extract, SETTINGS)


def rows(con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> list[dict]:
    cursor = con.execute(sql, parameters or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def extract_of(relative_path: str) -> str:
    folder = relative_path.rsplit("/", 1)[0]
    return next(e.name for e in EXTRACTS if e.folder == folder)


def expected_quarantine(case: dict) -> list[tuple]:
    expected = []
    for entry in case["quarantine"]:
        for line in entry.get("lines", [entry.get("line")]):
            expected.append((entry["file"], line, entry["column"], entry["reason"]))
    return sorted(expected, key=repr)


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_a_corpus_case_loads_as_its_manifest_states(con, case) -> None:
    load_landing(con, CORPUS / case["case"])

    for relative_path, expected in case["files"].items():
        extract, file_name = extract_of(relative_path), relative_path.rsplit("/", 1)[1]
        [log] = rows(con, "SELECT * FROM audit.load_log WHERE extract = ? AND file_name = ? AND is_current", [extract, file_name])
        assert (log["status"], log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (
            expected["status"], expected["read"], expected["accepted"], expected["quarantined"]
        ), relative_path
        assert log["rows_read"] == log["rows_accepted"] + log["rows_quarantined"]
        in_raw = con.execute(f"SELECT count(*) FROM raw.{extract} WHERE _file_name = ?", [file_name]).fetchone()[0]
        in_quarantine = con.execute(
            "SELECT count(*) FROM audit.quarantine WHERE extract = ? AND file_name = ?", [extract, file_name]
        ).fetchone()[0]
        assert (in_raw, in_quarantine) == (log["rows_accepted"], log["rows_quarantined"]), relative_path
        if log["status"] == "rejected":
            assert file_name in log["reason"] and ("(line " in log["reason"] or "(file)" in log["reason"])

    quarantined = rows(con, "SELECT file_name, line_number, column_name, reason FROM audit.quarantine")
    assert sorted(((q["file_name"], q["line_number"], q["column_name"], q["reason"]) for q in quarantined), key=repr) == (
        expected_quarantine(case)
    )
    for value in case.get("stored", []):
        extract = next(extract_of(p) for p in case["files"] if p.endswith("/" + value["file"]))
        [stored] = con.execute(
            f'SELECT CAST("{value["column"]}" AS VARCHAR) FROM raw.{extract} WHERE _file_name = ? AND _line_number = ?',
            [value["file"], value["line"]],
        ).fetchone()
        assert stored == value["value"], value


def contract_rules() -> set[str]:
    """Every rule the contract gives a row, named `<extract>.<column>.<rule>` as the manifest names them."""
    rules = set()
    for extract in EXTRACTS:
        for column in extract.columns:
            if column.personal:
                continue  # free text by contract: no rule to break
            base = f"{extract.name}.{column.name}"
            if column.required:
                rules.add(f"{base}.required")
            if column.type != "string":
                rules.add(f"{base}.{'enum' if column.type == 'enum' else 'type'}")
            if column.minimum is not None:
                rules.add(f"{base}.minimum")
            if column.maximum is not None:
                rules.add(f"{base}.maximum")
        rules |= {f"{extract.name}.{r.later}.not_before_{r.earlier}" for r in extract.ordered}
        rules |= {f"{extract.name}.{'+'.join(extract.key)}.unique"} if extract.key else set()
    return rules


def test_the_corpus_breaks_every_rule_of_the_extract_contract() -> None:
    covered = {case["rule"] for case in CASES if "rule" in case}
    assert contract_rules() - covered == set()


def test_every_corpus_case_directory_is_in_the_manifest() -> None:
    directories = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert directories == {case["case"] for case in CASES}


def write_large_calls_file(landing: Path) -> Path:
    """LARGE_FILE_ROWS calls, every LARGE_FILE_BROKEN_EVERY-th with a negative talk time, streamed to disk."""
    folder = landing / EXTRACTS_BY_NAME["calls"].folder
    folder.mkdir(parents=True)
    path = folder / "calls_2026-08-01.csv"
    header = "call_id,parent_call_id,direction,queue,customer_number,agent_id,enqueued_at,answered_at,ended_at,talk_seconds,hold_seconds,wrap_seconds,outcome\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        for number in range(1, LARGE_FILE_ROWS + 1):
            talk = -1 if number % LARGE_FILE_BROKEN_EVERY == 0 else 280
            handle.write(
                f"c{number},,inbound,账单,1380013{number % 10000:04d},A{number % 500:03d},2026-08-01 09:00:00,"
                f"2026-08-01 09:00:20,2026-08-01 09:05:00,{talk},0,30,resolved\n"
            )
    return path


def test_a_very_large_file_loads_every_row_and_quarantines_exactly_its_broken_ones(con, tmp_path) -> None:
    landing = tmp_path / "landing"
    path = write_large_calls_file(landing)

    load_landing(con, landing)

    broken = LARGE_FILE_ROWS // LARGE_FILE_BROKEN_EVERY
    [log] = rows(con, "SELECT * FROM audit.load_log WHERE file_name = ?", [path.name])
    assert (log["status"], log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (
        "loaded", LARGE_FILE_ROWS, LARGE_FILE_ROWS - broken, broken
    )
    assert con.execute("SELECT count(*) FROM raw.calls").fetchone()[0] == LARGE_FILE_ROWS - broken
    quarantined = con.execute("SELECT line_number, column_name, reason FROM audit.quarantine ORDER BY line_number").fetchall()
    # Call number n is on line n + 1.
    assert quarantined == [
        (n + 1, "talk_seconds", "below the minimum 0: '-1'")
        for n in range(LARGE_FILE_BROKEN_EVERY, LARGE_FILE_ROWS + 1, LARGE_FILE_BROKEN_EVERY)
    ]
