"""`ccw backfill` recomputes exactly the months asked for, publishes them, and is idempotent."""

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster_graphql_client import DagsterUi

from orchestration.lib.generations import restore_working_copy
from orchestration.lib.ports import free_port
from orchestration.lib.processes import stop_process_group

REPO_ROOT = Path(__file__).resolve().parents[2]
MARTS = ("fct_agent_monthly", "fct_agent_scorecard", "fct_calls", "fct_agent_daily")


def ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def run_id_of(result: subprocess.CompletedProcess) -> str:
    return re.search(r"^run (\S+) succeeded", result.stdout, flags=re.MULTILINE).group(1)


def monthly(warehouse: Path, month: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT agent_id, handled_calls, aht_seconds FROM marts.fct_agent_monthly WHERE month = CAST(? AS DATE) ORDER BY agent_id",
            [f"{month}-01"],
        ).fetchall()


def all_marts(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {mart: sorted(con.execute(f"SELECT * FROM marts.{mart}").fetchall(), key=repr) for mart in MARTS}


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    root = tmp_path_factory.mktemp("backfill")
    env = {**os.environ, "CCW_PII_HASH_KEY": "backfill-test-key", "DAGSTER_HOME": str(root / "dagster")}
    ccw("generate", "--out", str(root / "landing"), "--agents", "8", "--teams", "2", "--start", "2026-06", "--months", "3", "--seed", "4", env=env)
    warehouse = root / "warehouse.duckdb"
    where = ("--landing", str(root / "landing"), "--warehouse", str(warehouse))
    run = ccw("run", *where, env=env)
    built = {month: monthly(warehouse, month) for month in ("2026-06", "2026-08")}
    # Drift that only a recomputation repairs, in June and in August of the working copy.
    working = root / "warehouse.working.duckdb"
    restore_working_copy(working, warehouse)
    with duckdb.connect(str(working)) as con:
        con.execute("UPDATE marts.fct_agent_monthly SET aht_seconds = aht_seconds + 1000 WHERE month IN ('2026-06-01', '2026-08-01')")
    first = ccw("backfill", "--from", "2026-06", "--to", "2026-06", *where, env=env)
    after_first = all_marts(warehouse)
    second = ccw("backfill", "--from", "2026-06", "--to", "2026-06", *where, env=env)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        validated = con.execute("SELECT mart, strftime(month, '%Y-%m'), run_id FROM audit.validated_mart_months").fetchall()
    return {
        "warehouse": warehouse, "built": built, "first": first, "after_first": after_first, "env": env, "where": where,
        "run_ids": (run_id_of(run), run_id_of(second)), "validated": validated,
    }


def test_the_backfill_says_which_months_it_recomputes(centre):
    assert "backfill: recomputing 2026-06 to 2026-06" in centre["first"].stderr


def test_the_months_asked_for_are_recomputed_and_published(centre):
    assert monthly(centre["warehouse"], "2026-06") == centre["built"]["2026-06"]


def test_other_months_are_left_untouched(centre):
    august = monthly(centre["warehouse"], "2026-08")
    assert august == [(agent, calls, None if aht is None else aht + 1000) for agent, calls, aht in centre["built"]["2026-08"]]


def test_a_second_identical_backfill_changes_nothing(centre):
    assert all_marts(centre["warehouse"]) == centre["after_first"]


def test_the_mart_gate_validates_the_months_the_backfill_recomputed_and_trusts_the_others(centre):
    """Each mart-month is marked by the run that last validated it: the backfills' month by the last."""
    run_id, backfill_id = centre["run_ids"]
    validated = centre["validated"]
    assert {mart for mart, _, _ in validated} == {
        "fct_calls", "fct_agent_daily", "fct_team_daily_attendance", "fct_queue_daily",
        "fct_agent_monthly", "fct_agent_scorecard", "fct_qa_coverage_weekly",
    }
    assert {month for _, month, _ in validated} >= {"2026-06", "2026-07", "2026-08"}
    assert len(validated) == len({(mart, month) for mart, month, _ in validated})
    for mart, month, validated_by in validated:
        assert validated_by == (backfill_id if month == "2026-06" else run_id), (mart, month)



def test_a_range_of_months_is_one_backfill_and_leaves_the_months_before_it(centre):
    june = monthly(centre["warehouse"], "2026-06")
    result = ccw("backfill", "--from", "2026-07", "--to", "2026-08", *centre["where"], env=centre["env"])
    assert "backfill: recomputing 2026-07 to 2026-08" in result.stderr
    assert monthly(centre["warehouse"], "2026-08") == centre["built"]["2026-08"], "the drift put into August is repaired"
    assert monthly(centre["warehouse"], "2026-06") == june


def test_a_month_without_data_is_refused_and_nothing_runs(centre):
    before = centre["warehouse"].read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "backfill", "--from", "2026-01", "--to", "2026-06", *centre["where"]],
        cwd=REPO_ROOT, env=centre["env"], capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1
    assert "no such month to backfill: 2026-01 (months with data: 2026-06 to " in result.stderr
    assert centre["warehouse"].read_bytes() == before



def test_a_range_picked_in_dagsters_ui_is_one_run_of_exactly_those_months(centre):
    """The backfill a data engineer launches in the UI, through the UI's own API, webserver and daemon."""
    published = {month: monthly(centre["warehouse"], month) for month in ("2026-06", "2026-07")}
    working = centre["warehouse"].with_name("warehouse.working.duckdb")
    restore_working_copy(working, centre["warehouse"])  # the backfills before published theirs
    with duckdb.connect(str(working)) as con:
        con.execute("UPDATE marts.fct_agent_monthly SET aht_seconds = aht_seconds + 1000 WHERE month IN ('2026-06-01', '2026-07-01')")
    env = centre["env"] | {"CCW_LANDING_DIR": centre["where"][1], "CCW_WAREHOUSE": centre["where"][3]}
    port = free_port()
    ui = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "ui", "--port", str(port)], cwd=REPO_ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        dagster = DagsterUi(port)
        dagster.wait_until_up(timeout=300)
        backfill_id = dagster.launch_job_backfill("ccw_backfill", ["2026-07-01", "2026-08-01"])
        backfill = dagster.wait_for_backfill(backfill_id, timeout=900)
    finally:
        stop_process_group(ui, grace_seconds=30)
    assert backfill["status"] == "COMPLETED_SUCCESS", backfill
    dbt_runs = [run for run in backfill["runs"] if any(tag["key"] == "dagster/asset_partition_range_start" for tag in run["tags"])]
    assert len(dbt_runs) == 1, f"the whole range is one dbt build: {backfill['runs']}"
    tags = {tag["key"]: tag["value"] for tag in dbt_runs[0]["tags"]}
    assert (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]) == ("2026-07-01", "2026-08-01")
    assert monthly(centre["warehouse"], "2026-07") == published["2026-07"], "July recomputed and published"
    june = [(agent, calls, None if aht is None else aht + 1000) for agent, calls, aht in published["2026-06"]]
    # The working copy the backfill built is the published file now.
    assert monthly(centre["warehouse"], "2026-06") == june, "June, outside the range, untouched"
