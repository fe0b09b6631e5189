"""The same dbt models on Apache Spark: every mart equals DuckDB's for the same landing data.

A generated centre (10 agents, 2 months) is loaded by a full `ccw run` into DuckDB. Its raw layer
is exported as parquet and declared as Spark tables on a local standalone cluster (master, worker
and Thrift server from the pyspark distribution); `dbt build` of the whole project, models, data
tests and unit tests, then runs against it with `method: thrift`, first from empty, then as an
incremental run that recomputes the last month, and its days from the 20th. After each, every mart is compared with DuckDB's,
row by row and value by value, with a tolerance for float rounding only.

Heavy (a JVM cluster, two builds): it runs only when selected, with `make spark-check`
(CCW_SPARK_CHECK=1 and the `spark` dependency group installed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

if os.environ.get("CCW_SPARK_CHECK") != "1":
    pytest.skip(
        "the Spark check runs with `make spark-check` (CCW_SPARK_CHECK=1)",
        allow_module_level=True,
    )

from compare import differences
from pyhive import hive

from orchestration.lib.policy import dbt_vars, load_policy
from orchestration.lib.spark_cluster import local_spark_cluster
from orchestration.lib.spark_raw import export_raw_layer, spark_raw_layer_ddl

pytestmark = pytest.mark.spark

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
CCW = [sys.executable, "-m", "orchestration.cli"]
FIRST_MONTH = "2026-07"
SECOND_MONTH = date(2026, 8, 1)
FIRST_RECOMPUTED_DAY = date(2026, 8, 20)

# Each mart, the date column its incremental runs recompute by, and the first date recomputed
# (none: rebuilt every run).
MARTS = {
    "dim_agent": None,
    "fct_calls": ("call_date", FIRST_RECOMPUTED_DAY),
    "fct_queue_daily": ("call_date", FIRST_RECOMPUTED_DAY),
    "fct_agent_daily": ("work_date", FIRST_RECOMPUTED_DAY),
    "fct_team_daily_attendance": ("work_date", FIRST_RECOMPUTED_DAY),
    "fct_agent_monthly": ("month", SECOND_MONTH),
    "fct_agent_scorecard": ("month", SECOND_MONTH),
    "fct_qa_coverage_weekly": ("week_end", FIRST_RECOMPUTED_DAY),
}


def _run(command: list[str], *, env: dict[str, str], cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    finished = subprocess.run(
        command,
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert finished.returncode == 0, (
        f"{' '.join(command[:4])} ... exited {finished.returncode}\n{finished.stdout[-6000:]}\n{finished.stderr[-4000:]}"
    )
    return finished


def _timed(label: str, timings: dict[str, float], action):
    started = time.monotonic()
    result = action()
    timings[label] = round(time.monotonic() - started, 1)
    return result


@pytest.fixture(scope="module")
def timings():
    measured: dict[str, float] = {}
    yield measured
    # Reported, never asserted: a measurement for the README, not a test.
    print("\nSpark check timings (s): " + json.dumps(measured), file=sys.__stdout__)


@pytest.fixture(scope="module")
def duckdb_warehouse(tmp_path_factory, timings) -> Path:
    root = tmp_path_factory.mktemp("centre")
    env = {
        **os.environ,
        "CCW_PII_HASH_KEY": "spark-check-key",
        "DAGSTER_HOME": str(root / "dagster"),
    }
    env.pop("CCW_DBT_TARGET", None)
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    generate = [
        *CCW,
        "generate",
        "--out",
        str(landing),
        "--agents",
        "10",
        "--months",
        "2",
        "--start",
        FIRST_MONTH,
        "--seed",
        "7",
    ]
    _run(generate, env=env)
    _timed(
        "duckdb ccw run",
        timings,
        lambda: _run(
            [*CCW, "run", "--landing", str(landing), "--warehouse", str(warehouse)],
            env=env,
        ),
    )
    return warehouse


@pytest.fixture(scope="module")
def spark(tmp_path_factory, duckdb_warehouse, timings):
    root = tmp_path_factory.mktemp("spark")
    started = time.monotonic()
    with local_spark_cluster(root / "cluster") as endpoint:
        timings["cluster start"] = round(time.monotonic() - started, 1)
        folders = export_raw_layer(duckdb_warehouse, root / "raw")
        connection = hive.connect(host=endpoint.host, port=endpoint.port, username="ccw")
        with connection.cursor() as cursor:
            for statement in spark_raw_layer_ddl(folders):
                cursor.execute(statement)
        yield endpoint, connection, root
        connection.close()


def _dbt(spark, *arguments: str, extra_vars: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    endpoint, _, root = spark
    env = {
        **os.environ,
        "CCW_DBT_TARGET": "spark",
        "CCW_SPARK_HOST": endpoint.host,
        "CCW_SPARK_PORT": str(endpoint.port),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(DBT_EXECUTABLE), *arguments,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(root / "dbt_target"), "--log-path", str(root / "dbt_logs"),
        "--vars", json.dumps(dbt_vars(load_policy()) | (extra_vars or {})),
    ]  # fmt: skip
    return _run(command, env=env, cwd=DBT_PROJECT_DIR)


def _spark_rows(connection, table: str, columns: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"select {', '.join(f'`{c}`' for c in columns)} from marts.{table}")
        return cursor.fetchall()


def _duckdb_rows(warehouse: Path, table: str) -> tuple[list[str], list[tuple], frozenset[str]]:
    """Columns, rows, and the columns stored with six decimals (`dbt.type_numeric()`)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        relation = connection.sql(f"select * from marts.{table}")
        six_decimals = frozenset(c for c, t in zip(relation.columns, relation.types, strict=True) if str(t).endswith(",6)"))
        return relation.columns, relation.fetchall(), six_decimals


def _mart_differences(warehouse: Path, connection, table: str) -> list[str]:
    columns, expected, six_decimals = _duckdb_rows(warehouse, table)
    with connection.cursor() as cursor:
        # dbt replaced the table's files since this session last read it: list them anew.
        cursor.execute(f"refresh table marts.{table}")
        cursor.execute(f"select * from marts.{table} limit 0")
        spark_columns = [description[0] for description in cursor.description]
    if sorted(spark_columns) != sorted(columns):
        return [f"columns differ: DuckDB {sorted(columns)}, Spark {sorted(spark_columns)}"]
    return differences(columns, expected, _spark_rows(connection, table, columns), six_decimals)


@pytest.fixture(scope="module")
def full_build(spark, timings) -> subprocess.CompletedProcess:
    return _timed("spark dbt build (from empty)", timings, lambda: _dbt(spark, "build"))


@pytest.fixture(scope="module")
def incremental_build(full_build, spark, timings) -> subprocess.CompletedProcess:
    """The run after new files of the last month: only that month is recomputed, and the models
    kept by day only its days from the 20th. Those rows are doubled first, so the marts equal
    DuckDB's again only if the run really replaced them."""
    with spark[1].cursor() as cursor:
        for mart, recomputed in MARTS.items():
            if recomputed:
                date_column, first = recomputed
                cursor.execute(f"insert into marts.{mart} select * from marts.{mart} where {date_column} >= date'{first}'")
    extra = {"recompute_from": SECOND_MONTH.isoformat(), "recompute_from_day": FIRST_RECOMPUTED_DAY.isoformat()}
    # The incremental marts and their tests, with the calls' staging view for its key tests (which
    # then look only at the keys of the recomputed rows); the rest ran in the build from empty.
    return _timed(
        "spark dbt build (incremental marts, one month)",
        timings,
        lambda: _dbt(
            spark, "build", "--select", "config.materialized:incremental", "stg_telephony__calls",
            "--exclude", "resource_type:unit_test", extra_vars=extra,
        ),
    )


def test_the_whole_project_builds_and_passes_its_tests_on_spark(full_build):
    summary = [line for line in full_build.stdout.splitlines() if "Done. PASS=" in line]
    assert summary and " ERROR=0 " in summary[-1] and "SKIP=0 " in summary[-1], full_build.stdout[-4000:]


@pytest.mark.parametrize("mart", MARTS)
def test_mart_equals_duckdb_after_a_build_from_empty(mart, full_build, spark, duckdb_warehouse):
    found = _mart_differences(duckdb_warehouse, spark[1], mart)
    assert not found, f"marts.{mart} on Spark differs from DuckDB:\n" + "\n".join(found)


@pytest.mark.parametrize("mart", MARTS)
def test_mart_equals_duckdb_after_an_incremental_run(mart, incremental_build, spark, duckdb_warehouse):
    found = _mart_differences(duckdb_warehouse, spark[1], mart)
    assert not found, f"marts.{mart} on Spark after recomputing from {FIRST_RECOMPUTED_DAY} differs from DuckDB:\n" + "\n".join(found)
