"""`ccw generate` then `ccw run`, as a user runs them: a real Dagster run into a real DuckDB file."""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from ingestion.contract import EXTRACTS
from ingestion.pii import hash_number

REPO_ROOT = Path(__file__).resolve().parents[2]
HASH_KEY = "end-to-end-test-key"
CCW = [sys.executable, "-m", "orchestration.cli"]


def ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*CCW, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1200)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    """A small generated centre, loaded once by a full `ccw run`."""
    root = tmp_path_factory.mktemp("centre")
    env = {
        **os.environ,
        "CCW_PII_HASH_KEY": HASH_KEY,
        "DAGSTER_HOME": str(root / "dagster"),
    }
    landing = root / "landing"
    ok(ccw("generate", "--out", str(landing), "--agents", "8", "--teams", "2", "--start", "2026-08", "--months", "1", "--seed", "7", env=env))
    warehouse = root / "warehouse.duckdb"
    first_run = ok(ccw("run", "--landing", str(landing), "--warehouse", str(warehouse), env=env))
    return {"root": root, "env": env, "landing": landing, "warehouse": warehouse, "first_run": first_run}


def query(warehouse: Path, sql: str, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def table_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables}


def test_the_run_loads_every_extract_into_the_raw_layer_and_reports_it(centre):
    for extract in EXTRACTS:
        (rows,) = query(centre["warehouse"], f"SELECT count(*) FROM {extract.raw_table}")[0]
        assert rows > 0, extract.name
    output = centre["first_run"].stdout
    assert "succeeded" in output
    assert re.search(r"^calls\s+\d+\s+[\d,]+\s+[\d,]+\s+[\d,]+$", output, flags=re.MULTILINE)
    assert str(centre["warehouse"]) in output


def test_staging_views_serve_the_raw_rows(centre):
    calls_raw = query(centre["warehouse"], "SELECT count(*) FROM raw.calls")[0][0]
    calls_staged = query(centre["warehouse"], "SELECT count(*) FROM staging.stg_telephony__calls")[0][0]
    assert calls_staged == calls_raw
    agents = query(centre["warehouse"], "SELECT count(DISTINCT agent_id) FROM staging.stg_hr__agents")[0][0]
    assert agents >= 8


def test_every_file_reconciles_rows_read_with_accepted_and_quarantined(centre):
    files = query(
        centre["warehouse"],
        "SELECT extract, file_name, rows_read, rows_accepted, rows_quarantined FROM audit.load_log WHERE is_current",
    )
    assert files
    raw_counts = {}
    for extract in EXTRACTS:
        for name, count in query(centre["warehouse"], f"SELECT _file_name, count(*) FROM {extract.raw_table} GROUP BY 1"):
            raw_counts[(extract.name, name)] = count
    quarantined = {
        (e, f): n for e, f, n in query(centre["warehouse"], "SELECT extract, file_name, count(*) FROM audit.quarantine GROUP BY 1, 2")
    }
    for extract, name, read, accepted, rejected in files:
        assert read == accepted + rejected, name
        assert accepted == raw_counts.get((extract, name), 0), name
        assert rejected == quarantined.get((extract, name), 0), name
    assert sum(quarantined.values()) > 0, "the sample's defective rows are quarantined"


def test_the_pipeline_run_is_recorded_by_dagster(centre):
    instance = DagsterInstance.from_config(centre["env"]["DAGSTER_HOME"])
    runs = instance.get_runs()
    assert [run.job_name for run in runs] == ["ccw_pipeline"]
    assert runs[0].is_success


def test_a_second_run_over_the_same_files_changes_nothing(centre):
    before = table_counts(centre["warehouse"])
    current_before = query(centre["warehouse"], "SELECT extract, file_name, checksum, load_id FROM audit.load_log WHERE is_current ORDER BY 1, 2")
    ok(ccw("run", "--landing", str(centre["landing"]), "--warehouse", str(centre["warehouse"]), env=centre["env"]))
    after = table_counts(centre["warehouse"])
    # The run's history grows by one run (its checks, its build record); every other table is as it was.
    # Its checks are the first run's but dbt's unit tests, which run with a full build only.
    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text(encoding="utf-8"))
    assert after.pop("audit.dq_results") == 2 * before.pop("audit.dq_results") - len(manifest["unit_tests"])
    assert after.pop("audit.builds") == before.pop("audit.builds") + 1
    assert after == before
    assert query(centre["warehouse"], "SELECT extract, file_name, checksum, load_id FROM audit.load_log WHERE is_current ORDER BY 1, 2") == current_before


def test_a_corrected_redelivery_replaces_the_rows_of_its_earlier_delivery(centre):
    calls_file = sorted((centre["landing"] / "telephony" / "calls").glob("calls_*.csv"))[3]
    with open(calls_file, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0].keys())
    kept = rows[:-5]  # the correction drops five legs and changes one
    kept[0]["queue"] = "corrected_queue"
    with open(calls_file, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(kept)
    ok(ccw("run", "--landing", str(centre["landing"]), "--warehouse", str(centre["warehouse"]), env=centre["env"]))
    name = calls_file.name
    (read, accepted, rejected), = query(
        centre["warehouse"],
        "SELECT rows_read, rows_accepted, rows_quarantined FROM audit.load_log WHERE file_name = ? AND is_current",
        [name],
    )
    assert read == len(kept) == accepted + rejected
    assert query(centre["warehouse"], "SELECT count(*) FROM raw.calls WHERE _file_name = ?", [name])[0][0] == accepted
    assert query(centre["warehouse"], "SELECT count(*) FROM raw.calls WHERE queue = 'corrected_queue'")[0][0] == 1
    assert query(centre["warehouse"], "SELECT count(*) FROM audit.load_log WHERE file_name = ?", [name])[0][0] == 2


def _clear_personal_data(landing: Path) -> set[str]:
    values = set()
    for folder, column in (("telephony/calls", "customer_number"), ("qa/complaints", "customer_number"), ("hr/agents", "id_card_number")):
        for path in (landing / folder).glob("*.csv"):
            data = path.read_bytes()
            text = data.decode("utf-8-sig") if not folder.startswith("hr") else data.decode("gb18030")
            for row in csv.DictReader(text.splitlines()):
                value = (row.get(column) or "").strip()
                if len(value) >= 7:
                    values.add(value)
    return values


def test_no_clear_phone_number_or_national_id_reaches_the_warehouse_or_the_logs(centre):
    clear = _clear_personal_data(centre["landing"])
    assert len(clear) > 50
    digits_runs = re.compile(r"\d{7,}[\dXx]?")
    found: set[str] = set()
    with duckdb.connect(str(centre["warehouse"]), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            for (value,) in con.execute(
                f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}" WHERE regexp_matches("{column}", \'[0-9]{{7,}}\')'
            ).fetchall():
                found.update(digits_runs.findall(value))
    for path in Path(centre["env"]["DAGSTER_HOME"]).rglob("*"):
        if path.is_file():
            found.update(digits_runs.findall(path.read_bytes().decode("utf-8", errors="ignore")))
    found.update(digits_runs.findall(centre["first_run"].stdout + centre["first_run"].stderr))
    assert not (found & clear)


def test_customer_numbers_are_stored_as_their_keyed_hash(centre):
    rows = (
        row
        for path in sorted((centre["landing"] / "telephony" / "calls").glob("calls_*.csv"))
        for row in csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())
    )
    row = next(r for r in rows if r["customer_number"] and r["talk_seconds"].isdigit())
    stored = query(centre["warehouse"], "SELECT customer_number_hash FROM raw.calls WHERE call_id = ?", [row["call_id"]])
    assert stored == [(hash_number(HASH_KEY.encode(), row["customer_number"]),)]


def test_real_extracts_without_a_hashing_key_are_refused(centre, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(centre["landing"] / "telephony", landing / "telephony")
    env = {k: v for k, v in centre["env"].items() if k != "CCW_PII_HASH_KEY"}
    result = ccw("run", "--landing", str(landing), "--warehouse", str(tmp_path / "wh.duckdb"), env=env)
    assert result.returncode != 0
    assert "CCW_PII_HASH_KEY" in result.stderr
