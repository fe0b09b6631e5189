"""A daily run recomputes only the months and days new extracts can change, and ends where a full build does."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import EXTRACTS
from ingestion.landing import date_in_name

REPO_ROOT = Path(__file__).resolve().parents[2]
MARTS = (
    "fct_calls",
    "fct_queue_daily",
    "fct_agent_daily",
    "fct_team_daily_attendance",
    "fct_agent_monthly",
    "fct_agent_scorecard",
    "fct_qa_coverage_weekly",
)
MONTH_COLUMNS = {"fct_calls": "month", "fct_queue_daily": "call_date", "fct_agent_daily": "work_date",
                 "fct_team_daily_attendance": "work_date", "fct_agent_monthly": "month",
                 "fct_agent_scorecard": "month", "fct_qa_coverage_weekly": "week_end"}
DAY_COLUMNS = {"fct_calls": "call_date", "fct_queue_daily": "call_date", "fct_agent_daily": "work_date",
               "fct_team_daily_attendance": "work_date", "fct_qa_coverage_weekly": "week_end"}


def ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def copy_deliveries(source: Path, target: Path, *, before: str | None = None, since: str | None = None) -> None:
    """Copy the files dated before a day, since one, or both; monthly files by their month's first day."""
    (target / ".ccw-sample").parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / ".ccw-sample", target / ".ccw-sample")
    for extract in EXTRACTS:
        for path in (source / extract.folder).glob("*.csv"):
            stamp = date_in_name(extract, path.name).isoformat()
            if (not before or stamp < before) and (not since or stamp >= since):
                (target / extract.folder).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target / extract.folder / path.name)


def marts(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {mart: sorted(con.execute(f"SELECT * FROM marts.{mart}").fetchall(), key=repr) for mart in MARTS}


def rows_before(warehouse: Path, day: str, columns: dict[str, str] = MONTH_COLUMNS) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            mart: sorted(con.execute(f"SELECT * FROM marts.{mart} WHERE {column} < CAST(? AS DATE)", [day]).fetchall(), key=repr)
            for mart, column in columns.items()
        }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    env = {**os.environ, "CCW_PII_HASH_KEY": "incremental-test-key", "DAGSTER_HOME": str(root / "dagster")}
    generated = root / "generated"
    ccw("generate", "--out", str(generated), "--agents", "8", "--teams", "2", "--start", "2026-06", "--months", "3", "--seed", "21", env=env)

    daily = root / "daily"
    copy_deliveries(generated, daily / "landing", before="2026-08-01")
    warehouse = daily / "warehouse.duckdb"
    ccw("run", "--landing", str(daily / "landing"), "--warehouse", str(warehouse), env=env)
    june_and_july = rows_before(warehouse, "2026-07-01")
    # The first half of August: the new month, which reaches back into July by the FCR window.
    copy_deliveries(generated, daily / "landing", since="2026-08-01", before="2026-08-16")
    second = ccw("run", "--landing", str(daily / "landing"), "--warehouse", str(warehouse), env=env)
    first_half_of_august = rows_before(warehouse, "2026-08-07", DAY_COLUMNS)
    # The rest of August: only the days from the FCR window before the new files are recomputed.
    copy_deliveries(generated, daily / "landing", since="2026-08-16")
    third = ccw("run", "--landing", str(daily / "landing"), "--warehouse", str(warehouse), env=env)
    after_third = marts(warehouse)
    nothing_new = ccw("run", "--landing", str(daily / "landing"), "--warehouse", str(warehouse), env=env)

    full = root / "full"
    ccw("run", "--landing", str(generated), "--warehouse", str(full / "warehouse.duckdb"), env=env)
    return {
        "warehouse": warehouse, "full": full / "warehouse.duckdb", "june": june_and_july,
        "first_half_of_august": first_half_of_august, "second": second, "third": third,
        "after_third": after_third, "nothing_new": nothing_new,
    }


def test_the_run_after_a_new_month_recomputes_from_the_month_before_it(runs):
    assert "recomputing months from 2026-07 on" in runs["second"].stderr


def test_a_run_within_a_month_recomputes_the_days_from_the_window_before_the_new_data(runs):
    # The last call the second run saw was enqueued on Friday 14 August at 17:23: a call that
    # ended up to the FCR window (7 days) before it could still change status.
    assert "recomputing months from 2026-08 on, days from 2026-08-07 on" in runs["third"].stderr


def test_months_before_the_recomputed_ones_are_left_untouched(runs):
    assert rows_before(runs["warehouse"], "2026-07-01") == runs["june"]
    assert any(runs["june"].values())


def test_days_before_the_recomputed_ones_are_left_untouched(runs):
    assert rows_before(runs["warehouse"], "2026-08-07", DAY_COLUMNS) == runs["first_half_of_august"]
    assert all(runs["first_half_of_august"].values())


def test_the_incremental_marts_equal_a_full_build_of_the_same_files(runs):
    incremental, full = marts(runs["warehouse"]), marts(runs["full"])
    for mart in MARTS:
        assert incremental[mart] == full[mart], mart
        assert incremental[mart], mart


def test_a_run_with_nothing_new_recomputes_nothing_and_changes_nothing(runs):
    assert "no extract changed since the last build" in runs["nothing_new"].stderr
    assert marts(runs["warehouse"]) == runs["after_third"]


def test_the_unit_tests_run_with_the_full_build_and_not_again_while_the_transform_stays_the_same(runs):
    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text(encoding="utf-8"))
    unit_tests = {node["name"] for node in manifest["unit_tests"].values()}
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        builds = con.execute("SELECT run_id, full_refresh FROM audit.builds ORDER BY built_at").fetchall()
        checked = [
            {name for (name,) in con.execute("SELECT check_name FROM audit.dq_results WHERE run_id = ?", [run_id]).fetchall()}
            for run_id, _ in builds
        ]
    assert [full_refresh for _, full_refresh in builds] == [True, False, False, False]
    assert unit_tests and checked[0] >= unit_tests
    assert [names & unit_tests for names in checked[1:]] == [set(), set(), set()]
