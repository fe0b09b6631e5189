"""End to end: `ccw import-connect` writes landing files the loader takes whole into a real DuckDB file."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from recorded_exports import CENTRE_MAPPING

from ingestion.contract import CALLS, SESSIONS, STATES
from ingestion.loader import LoadSettings, load_extract
from ingestion.schema import create_schemas

REPO_ROOT = Path(__file__).resolve().parents[2]
TELEPHONY = (CALLS, SESSIONS, STATES)


def ccw_import_connect(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CCW_TIMEZONE": "Asia/Shanghai"}
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "import-connect", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def rows_in_files(landing: Path, extract) -> int:
    total = 0
    for path in (landing / extract.folder).glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as file:
            total += sum(1 for _ in csv.DictReader(file))
    return total


@pytest.fixture
def warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_schemas(con)
    yield con
    con.close()


def test_imported_files_load_with_nothing_quarantined(exports, landing, warehouse):
    result = ccw_import_connect(
        "--ctr", str(exports.ctr), "--agent-events", str(exports.agent_events), "--out", str(landing), "--mapping", str(CENTRE_MAPPING)
    )
    settings = LoadSettings(hash_key=b"connect-test-key", timezone="Asia/Shanghai", run_id="connect")

    loads = {extract.name: load_extract(warehouse, landing, extract, settings) for extract in TELEPHONY}

    assert "wrote telephony/calls/calls_2026-08-03.csv (12 rows)" in result.stdout
    for extract in TELEPHONY:
        load = loads[extract.name]
        assert {f.status for f in load.files} == {"loaded"}, extract.name
        assert load.total("rows_quarantined") == 0, [f.reason for f in load.files]
        assert load.total("rows_accepted") == rows_in_files(landing, extract) > 0
    assert warehouse.execute("SELECT count(*) FROM audit.quarantine").fetchone()[0] == 0


def test_loaded_calls_keep_local_times_and_hash_the_customer_number(exports, landing, warehouse):
    ccw_import_connect("--ctr", str(exports.ctr), "--out", str(landing))
    load_extract(warehouse, landing, CALLS, LoadSettings(hash_key=b"connect-test-key"))

    enqueued, ended, number_hash = warehouse.execute(
        "SELECT enqueued_at, ended_at, customer_number_hash FROM raw.calls WHERE _file_name = 'calls_2026-08-03.csv' "
        "ORDER BY enqueued_at DESC LIMIT 1"
    ).fetchone()

    assert (str(enqueued), str(ended)) == ("2026-08-03 23:58:00", "2026-08-04 00:10:00")
    assert number_hash and "8613100131000" not in number_hash


def test_a_repeated_import_leaves_every_loaded_file_unchanged(exports, landing, warehouse):
    arguments = ("--ctr", str(exports.ctr), "--agent-events", str(exports.agent_events), "--out", str(landing))
    ccw_import_connect(*arguments)
    settings = LoadSettings(hash_key=b"connect-test-key")
    for extract in TELEPHONY:
        load_extract(warehouse, landing, extract, settings)

    second = ccw_import_connect(*arguments)
    reloads = [load_extract(warehouse, landing, extract, settings) for extract in TELEPHONY]

    assert "wrote " not in second.stdout
    assert {f.status for load in reloads for f in load.files} == {"unchanged"}
