"""The committed dbt profile keeps building after a query has spilled to disk.

DuckDB refuses to set its spill folder again once it has been used: a profile that sets it on
every new cursor fails the first model after a spill, as a real centre's build did.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.dbt.conftest import DBT_EXECUTABLE, DBT_PROJECT_DIR

PROJECT = """
name: spills
version: "1.0"
profile: ccw
models:
  spills:
    +materialized: table
"""
MEMORY_LIMIT = "64MB"
# Sorting two million hashes needs far more than the memory limit: it spills.
SPILLING_MODEL = "select range as n, md5(range::varchar) as h from range(2000000) order by h"
NEXT_MODEL = "select count(*) as rows from {{ ref('sorted_hashes') }}"


def test_the_first_model_spills_under_the_limit(tmp_path: Path):
    """What the next test relies on: DuckDB creates its spill folder only when a query spills."""
    spill = tmp_path / "spill"
    with duckdb.connect(str(tmp_path / "probe.duckdb"), config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill)}) as con:
        con.execute(f"CREATE TABLE sorted_hashes AS {SPILLING_MODEL}")
        assert spill.exists()


def test_models_after_a_spill_still_build(tmp_path: Path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(PROJECT)
    (project / "models" / "sorted_hashes.sql").write_text(SPILLING_MODEL)
    (project / "models" / "counted.sql").write_text(NEXT_MODEL)
    shutil.copy(DBT_PROJECT_DIR / "profiles.yml", project / "profiles.yml")
    warehouse = tmp_path / "warehouse.duckdb"
    spill = tmp_path / "spill"
    environment = {
        **os.environ,
        "CCW_DBT_TARGET": "duckdb",
        "CCW_DBT_WAREHOUSE": str(warehouse),
        "CCW_DBT_MEMORY_LIMIT": MEMORY_LIMIT,
        "CCW_DBT_TEMP_DIRECTORY": str(spill),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    finished = subprocess.run(
        [str(DBT_EXECUTABLE), "run", "--project-dir", str(project), "--profiles-dir", str(project)],
        cwd=project, env=environment, capture_output=True, text=True,
    )

    assert finished.returncode == 0, finished.stdout + finished.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT rows FROM main.counted").fetchall()[0] == (2_000_000,)
