"""SIGKILL the pipeline in each phase, then run it again: the served warehouse is never partial.

The sample's calls and states are delivered again (the same rows with Windows line endings: every
checksum changes, no number does), so the next run reloads them, rebuilds the marts and publishes.
That run is killed, with every process it started, at the moment its own output shows it is
loading the calls; the run after it, once dbt has built a first mart; the one after it, as soon as
the publication begins: its staged copy, or the replaced file kept beside the published one,
appears. Each time the published
warehouse must be byte for byte the one from before, or (only once publication began) a complete
one whose run passed the gate. A last run must then finish with exit 0 and publish marts equal to
the sample's.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from conftest import SampleRun, copy_of, group_alive, kill_group, start_ccw

from orchestration.lib.generations import previous_generation

MARTS_BUILT = re.compile(r"OK created .* model marts\.")
GUARD_SECONDS = 1800
"""Only against a hang: the run must reach its phase or end, whatever the time it takes."""


def redeliver_with_crlf(landing: Path, *folders: str) -> int:
    count = 0
    for folder in folders:
        for path in sorted((landing / folder).glob("*.csv")):
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            count += 1
    return count


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_output(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def newest_dbt_log(sample: SampleRun, known: set[Path]) -> str:
    fresh = sorted(path for path in (sample.dagster_home / "logs").glob("dbt-*.log") if path not in known)
    return fresh[-1].read_text(encoding="utf-8", errors="replace") if fresh else ""


def staged_publications(sample: SampleRun) -> list[Path]:
    return list(sample.root.glob(f".{sample.warehouse.name}.*.publishing"))


def kill_run_when(sample: SampleRun, log: Path, reached: Callable[[], bool], poll_seconds: float) -> None:
    """Start `ccw run`, and SIGKILL its whole process group as soon as `reached()`."""
    process = start_ccw("run", "--landing", str(sample.landing), "--warehouse", str(sample.warehouse), env=sample.env, log=log)
    deadline = time.monotonic() + GUARD_SECONDS
    while not reached():
        assert process.poll() is None, f"the run ended (exit {process.returncode}) before the phase:\n{run_output(log)[-4000:]}"
        assert time.monotonic() < deadline, "the run never reached the phase"
        time.sleep(poll_seconds)
    kill_group(process)
    for _ in range(600):
        if not group_alive(process):
            break
        time.sleep(0.1)
    assert not group_alive(process), "a process of the killed run survived"


def gate_passed_for_its_run(con: duckdb.DuckDBPyConnection) -> bool:
    [run_id] = con.execute("SELECT run_id FROM audit.dq_results ORDER BY checked_at DESC LIMIT 1").fetchone()
    failed = con.execute(
        "SELECT count(*) FROM audit.dq_results WHERE run_id = ? AND severity = 'blocking' AND NOT passed", [run_id]
    ).fetchone()[0]
    return failed == 0


def marts_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'marts' ORDER BY 1", [catalog]
        ).fetchall()
    ]


def assert_complete(warehouse: Path, reference: Path) -> None:
    """Every mart readable and equal to the reference's, and the run that published it passed the gate."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"ATTACH '{reference}' AS reference (READ_ONLY)")
        tables = marts_tables(con, warehouse.stem)
        assert tables and tables == marts_tables(con, "reference")
        for table in tables:
            rows = con.execute(f'SELECT count(*) FROM marts."{table}"').fetchone()[0]
            differing = con.execute(
                f'SELECT count(*) FROM ((FROM marts."{table}" EXCEPT ALL FROM reference.marts."{table}") '
                f'UNION ALL (FROM reference.marts."{table}" EXCEPT ALL FROM marts."{table}"))'
            ).fetchone()[0]
            assert rows > 0 and differing == 0, f"marts.{table}: {rows} rows, {differing} differing from the reference"
        assert gate_passed_for_its_run(con)


def test_a_pipeline_killed_in_any_phase_leaves_the_old_or_the_new_warehouse_and_a_rerun_completes(sample_run, tmp_path):
    sample = copy_of(sample_run, tmp_path / "centre")
    assert redeliver_with_crlf(sample.landing, "telephony/calls", "telephony/states") > 30
    before = sha256(sample.warehouse)
    log = tmp_path / "runs.log"

    kill_run_when(sample, log, lambda: "raw__calls: calls: 30/" in run_output(log), poll_seconds=0.05)
    assert sha256(sample.warehouse) == before, "killed while loading: the published file changed"

    dbt_logs = set((sample.dagster_home / "logs").glob("dbt-*.log"))

    kill_run_when(sample, log, lambda: MARTS_BUILT.search(newest_dbt_log(sample, dbt_logs)) is not None, poll_seconds=0.05)
    assert sha256(sample.warehouse) == before, "killed in dbt: the published file changed"

    def publishing() -> bool:
        return bool(staged_publications(sample)) or previous_generation(sample.warehouse).exists()

    kill_run_when(sample, log, publishing, poll_seconds=0.0005)
    if sha256(sample.warehouse) != before:
        assert_complete(sample.warehouse, sample_run.warehouse)

    process = start_ccw("run", "--landing", str(sample.landing), "--warehouse", str(sample.warehouse), env=sample.env, log=log)
    assert process.wait(timeout=GUARD_SECONDS) == 0, run_output(log)[-6000:]
    assert_complete(sample.warehouse, sample_run.warehouse)
    assert staged_publications(sample) == [], "a killed publication's staged copy was left behind"
    with duckdb.connect(str(sample.warehouse), read_only=True) as con:
        unreconciled = con.execute(
            "SELECT count(*) FROM audit.load_log WHERE is_current AND rows_read <> rows_accepted + rows_quarantined"
        ).fetchone()[0]
        assert unreconciled == 0

