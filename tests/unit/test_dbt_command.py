"""The pipeline's dbt resource knows dbt's version without starting dbt to ask it."""

from __future__ import annotations

import re
import subprocess

from dagster_dbt import DbtCliResource

from orchestration.defs.transformation.dbt_command import DbtCommand
from orchestration.defs.transformation.project import dbt_project


def test_the_version_is_the_one_the_dbt_executable_prints() -> None:
    command = DbtCommand(project_dir=dbt_project)
    printed = subprocess.run([command.dbt_executable, "--version"], capture_output=True, text=True, check=True).stdout

    assert str(command._cli_version) == re.search(r"(\d+\.\d+\.\d+)", printed).group(1)
    assert command._cli_version == DbtCliResource(project_dir=dbt_project)._cli_version
