"""`ccw bench` on a tiny centre: its baseline computes the marts' KPIs, and its results are complete.

No timing is asserted: the benchmark measures speed, the tests only that it measures the right thing.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.bench.baseline import compare_with_marts, compute_baseline
from orchestration.bench.charts import MEASURED_ROUNDS
from orchestration.bench.measured import STAGES
from orchestration.lib.dashboards.settings import BUNDLE_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    env = {**os.environ, "CCW_PII_HASH_KEY": "bench-test-key"}
    arguments = ["--agents", "10", "--months", "1"]
    arguments += ["--cache", str(root / "cache"), "--work", str(root / "run"), "--out", str(root / "results.json")]
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "bench", *arguments],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False,
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return root, json.loads((root / "results.json").read_text()), result.stdout


def test_the_baseline_script_computes_the_same_kpis_as_the_marts(bench):
    root, results, _ = bench
    agreement = results["baseline"]["agrees_with_marts"]
    assert agreement["equal"], agreement["mismatches"]
    with duckdb.connect(str(root / "run" / "baseline.duckdb"), read_only=True) as con:
        agent_months, handled, decidable, scheduled, occupancy = con.execute(
            "SELECT count(*), sum(handled_calls), sum(fcr_decidable_calls), sum(scheduled_days), count(occupancy_rate) FROM baseline_kpis"
        ).fetchone()
    # The marts also hold agent-months with no calls, shifts or ACD time (only ratings or QA, say).
    assert 10 <= agent_months <= agreement["agent_months"]
    assert handled > 0 and decidable > 0 and scheduled > 0 and occupancy > 0


def test_after_the_daily_run_and_the_backfill_the_marts_still_equal_the_baseline_and_a_difference_is_reported(bench, tmp_path):
    root, _, _ = bench
    run = root / "run"
    baseline = tmp_path / "baseline.duckdb"
    compute_baseline(run / "landing", baseline, "1GB")
    assert compare_with_marts(baseline, run / "warehouse.duckdb")["equal"]

    with duckdb.connect(str(baseline)) as con:
        con.execute("UPDATE baseline_kpis SET present_days = present_days + 1 WHERE agent_id = (SELECT min(agent_id) FROM baseline_kpis)")
        con.execute("UPDATE baseline_kpis SET aht_seconds = aht_seconds * 1.001 WHERE handled_calls > 0")
    agreement = compare_with_marts(baseline, run / "warehouse.duckdb")

    assert not agreement["equal"]
    assert set(agreement["mismatches"]) == {"present_days", "aht_seconds"}
    assert agreement["mismatches"]["present_days"]["agent_months"] == 1


def test_ccw_bench_writes_every_scenario_with_its_stages_and_memory(bench):
    _, results, stdout = bench
    assert results["all_runs_succeeded"]
    for name in ("full_build", "daily_run", "backfill_month"):
        run = results["scenarios"][name]
        assert run["exit_code"] == 0
        assert run["seconds"] > 0 and run["peak_memory_mb"] > 0 and run["largest_process_mb"] > 0
        assert {"dbt", "publish"} <= set(run["stages"]) <= {*STAGES, "other"}
    assert set(results["scenarios"]["full_build"]["stages"]) >= set(STAGES)
    assert results["baseline"]["exit_code"] == 0 and results["full_build_over_baseline"] > 0
    assert results["centre"]["rows"]["calls"] > 0 and results["centre"]["landing_bytes"] > 0
    assert results["machine"]["cores"] >= 1 and results["machine"]["cpu"]
    assert "| full build |" in stdout and "baseline KPIs vs marts" in stdout


def test_every_chart_of_every_dashboard_is_timed_on_the_published_marts(bench):
    _, results, stdout = bench
    charts = results["chart_queries"]
    assert charts["measured"], charts.get("reason")
    # Every chart of the bundle is placed on one of the dashboards.
    bundled = len(list((BUNDLE_DIR / "ccw_dashboards" / "charts").glob("*.yaml")))
    assert charts["charts"] == bundled
    assert charts["queries"] == bundled * MEASURED_ROUNDS
    assert 0 < charts["p50_ms"] <= charts["p95_ms"] <= charts["max_ms"]
    assert len(charts["slowest_charts_median_ms"]) == 5
    assert f"p95 {charts['p95_ms']} ms" in stdout
