"""dbt's command line as the pipeline starts it."""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

DBT_EXECUTABLE = str(Path(sys.executable).with_name("ccw-dbt"))
"""dbt's command line, installed with the project beside this interpreter (`orchestration.lib.dbt_process`)."""
QUIET_LOG_FILE = ["--log-level-file", "none"]
"""dbt's debug log file would go to each command's own target folder, removed once its results are
recorded: every SQL statement of every node written for nobody."""


class DbtCommand(DbtCliResource):
    """dagster-dbt's resource, running dbt without the work nobody reads.

    - dbt is started as `ccw-dbt`, which builds only the log lines its output keeps, and without
      its debug log file;
    - dagster-dbt runs `dbt --version` in a process of its own before every command: the version is
      read from the installed dbt-core's metadata instead (dbt-core is installed beside this
      interpreter);
    - dagster-dbt opens dbt's adapter in this process before every command: only fetching column
      metadata needs it, which the pipeline does not do.
    """

    def __init__(self, project_dir, **kwargs):
        kwargs.setdefault("dbt_executable", DBT_EXECUTABLE)
        kwargs.setdefault("global_config_flags", QUIET_LOG_FILE)
        super().__init__(project_dir, **kwargs)

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None
