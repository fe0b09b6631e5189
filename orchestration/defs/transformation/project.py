"""The dbt project as Dagster sees it, with the scoring policy passed in as vars."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.lib.policy import dbt_vars, load_policy
from orchestration.lib.settings import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

# dbt is installed beside this interpreter: let dagster-dbt find it even without an activated venv.
_interpreter_bin = str(Path(sys.executable).parent)
if _interpreter_bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_interpreter_bin, os.environ.get("PATH", "")])

# Validated at start-up: a broken policy stops the pipeline before anything runs.
policy = load_policy()
policy_vars = json.dumps(dbt_vars(policy))

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    prepare_project_cli_args=["--quiet", "parse", "--vars", policy_vars],
)

# Parsed on every load (partial parsing keeps it quick) so the manifest always matches the models
# and the policy on disk.
dbt_project.preparer.prepare(dbt_project)
