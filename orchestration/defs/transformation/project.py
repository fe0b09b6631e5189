"""The dbt project as Dagster sees it, with the scoring policy passed in as vars."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.defs.transformation.dbt_command import DbtCommand
from orchestration.lib.policy import dbt_vars, load_policy
from orchestration.lib.settings import REPO_ROOT, Settings, dbt_environment

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
ENGINE_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
"""What computes the marts besides the models: a new version may compute them differently."""

# dbt is installed beside this interpreter: let dagster-dbt find it even without an activated venv.
_interpreter_bin = str(Path(sys.executable).parent)
if _interpreter_bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_interpreter_bin, os.environ.get("PATH", "")])

# dbt's committed profile reads the file it builds from the environment: parsing needs it too.
_settings = Settings.from_env()
for _name, _value in dbt_environment(_settings.working_warehouse, _settings.duckdb_memory_limit).items():
    os.environ.setdefault(_name, _value)

# Validated at start-up: a broken policy stops the pipeline before anything runs.
policy = load_policy()
policy_vars = json.dumps(dbt_vars(policy))


def _transform_version() -> str:
    """The policy label and a hash of the models, the macros and the engine's versions.

    When it changes, the marts are rebuilt whole and dbt's unit tests run again.
    """
    digest = hashlib.sha256()
    for path in sorted(DBT_PROJECT_DIR.glob("**/*")):
        if path.is_file() and path.suffix in (".sql", ".yml") and not path.is_relative_to(DBT_PROJECT_DIR / "target"):
            digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(" ".join(f"{package}=={version(package)}" for package in ENGINE_PACKAGES).encode())
    return f"{policy.version_label}+models.{digest.hexdigest()[:12]}"


transform_version = _transform_version()


PARSE_ARGS = ["--quiet", "parse", "--vars", policy_vars]


def dbt_project_with_target(target_path: Path) -> DbtProject:
    """The project, its artifacts (manifest, partial parse) in `target_path`."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, target_path=target_path, prepare_project_cli_args=PARSE_ARGS)


dbt_project = dbt_project_with_target(DBT_PROJECT_DIR / "target")


def _manifest_stamp() -> str:
    """What the manifest was parsed from: models, macros, policy and the profile's environment."""
    profile_environment = sorted((name, value) for name, value in os.environ.items() if name.startswith("CCW_DBT_"))
    return json.dumps([transform_version, policy_vars, profile_environment])


def prepare_manifest(project: DbtProject) -> None:
    """Parse the project only when the manifest does not match the models and policy on disk.

    Starting dbt costs seconds; every run would otherwise start it twice (parse, then build).
    """
    stamp_file = manifest_stamp_file(project)
    stamp = _manifest_stamp()

    def parsed_from_this() -> bool:
        return project.manifest_path.exists() and stamp_file.exists() and stamp_file.read_text() == stamp

    if parsed_from_this():
        return
    project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    # Every process that loads the definitions gets here: one parses, the others then find it done.
    with open(project.manifest_path.with_name("ccw_manifest.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if parsed_from_this():
            return
        # dbt's own command, as the pipeline runs it: this process may run without dbt-core.
        DbtCommand(project_dir=project).cli(PARSE_ARGS, target_path=project.target_path).wait()
        stamp_file.write_text(stamp)


def manifest_stamp_file(project: DbtProject) -> Path:
    return project.manifest_path.with_name("ccw_manifest_stamp.json")


prepare_manifest(dbt_project)
