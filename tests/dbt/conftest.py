"""Running the real dbt project against a throwaway DuckDB file, with the scoring policy as vars.

- `run_dbt(["build", "--select", "staging"], warehouse)` runs dbt on `warehouse` and returns the
  finished process; it fails the test with dbt's output when dbt fails, unless `check=False`.
  Target and logs go to `dbt_target/` and `dbt_logs/` next to the warehouse file.
- `dbt_results(warehouse)` reads the status of every node of the last run on that warehouse:
  `dbt_results(warehouse)["unique_fct_x_id"] == "pass"`.
- `raw_warehouse` is a fresh DuckDB file holding the empty raw and audit layers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pytest

from ingestion.schema import create_schemas
from orchestration.lib.policy import Policy, dbt_vars, load_policy

REPOSITORY = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPOSITORY / "dbt_project"
# The dbt installed next to the running Python, not whichever dbt comes first on PATH.
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")

RunDbt = Callable[..., subprocess.CompletedProcess]


def read_dbt_results(warehouse: Path) -> dict[str, str]:
    """The status of every node of the last dbt run on `warehouse`, by node name (e.g. `fail`, `pass`)."""
    run_results = json.loads((warehouse.parent / "dbt_target" / "run_results.json").read_text())
    return {_node_name(result["unique_id"]): result["status"] for result in run_results["results"]}


def _node_name(unique_id: str) -> str:
    """`model.ccw.<name>`, `test.ccw.<name>.<hash>`, `unit_test.ccw.<model>.<name>`: the node's own name."""
    parts = unique_id.split(".")
    return parts[2] if parts[0] == "test" else parts[-1]


def run_dbt_command(
    args: Sequence[str],
    warehouse: Path,
    *,
    policy: Policy | None = None,
    with_policy: bool = True,
    extra_vars: dict[str, str] | None = None,
    extra_environment: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """Run `dbt <args>` on `warehouse`; target and logs go next to the warehouse file, not into the project."""
    scratch = warehouse.parent
    command = [
        str(DBT_EXECUTABLE),
        *args,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(scratch / "dbt_target"),
        "--log-path", str(scratch / "dbt_logs"),
    ]
    if with_policy:
        command += ["--vars", json.dumps(dbt_vars(policy or load_policy()) | (extra_vars or {}))]
    environment = {
        **os.environ, "CCW_DBT_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(extra_environment or {}),
    }
    finished = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=environment, capture_output=True, text=True)
    if check and finished.returncode != 0:
        output = f"{finished.stdout}\n{finished.stderr}"
        raise AssertionError(f"dbt {' '.join(args)} failed with exit code {finished.returncode}:\n{output}")
    return finished


@pytest.fixture(scope="session")
def run_dbt() -> RunDbt:
    return run_dbt_command


@pytest.fixture(scope="session")
def dbt_results() -> Callable[[Path], dict[str, str]]:
    return read_dbt_results


@pytest.fixture
def raw_warehouse(tmp_path: Path) -> Path:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        create_schemas(connection)
    return warehouse
