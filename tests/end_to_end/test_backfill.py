"""`ccw backfill` recomputes exactly the months asked for, publishes them, and is idempotent."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MARTS = ("fct_agent_monthly", "fct_agent_scorecard", "fct_calls", "fct_agent_daily")


def ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


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
    ccw("run", "--landing", str(root / "landing"), "--warehouse", str(warehouse), env=env)
    built = {month: monthly(warehouse, month) for month in ("2026-06", "2026-08")}
    # Drift that only a recomputation repairs, in June and in August of the working copy.
    with duckdb.connect(str(root / "warehouse.working.duckdb")) as con:
        con.execute("UPDATE marts.fct_agent_monthly SET aht_seconds = aht_seconds + 1000 WHERE month IN ('2026-06-01', '2026-08-01')")
    first = ccw("backfill", "--from", "2026-06", "--to", "2026-06", "--warehouse", str(warehouse), env=env)
    after_first = all_marts(warehouse)
    ccw("backfill", "--from", "2026-06", "--to", "2026-06", "--warehouse", str(warehouse), env=env)
    return {"warehouse": warehouse, "built": built, "first": first, "after_first": after_first}


def test_the_backfill_says_which_months_it_recomputes(centre):
    assert "backfill: recomputing 2026-06 to 2026-06" in centre["first"].stderr


def test_the_months_asked_for_are_recomputed_and_published(centre):
    assert monthly(centre["warehouse"], "2026-06") == centre["built"]["2026-06"]


def test_other_months_are_left_untouched(centre):
    august = monthly(centre["warehouse"], "2026-08")
    assert august == [(agent, calls, None if aht is None else aht + 1000) for agent, calls, aht in centre["built"]["2026-08"]]


def test_a_second_identical_backfill_changes_nothing(centre):
    assert all_marts(centre["warehouse"]) == centre["after_first"]
