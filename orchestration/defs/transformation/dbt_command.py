"""dbt's command line as the pipeline starts it."""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class DbtCommand(DbtCliResource):
    """dagster-dbt's resource without two steps it takes before every command, which cost seconds
    and serve nothing the pipeline uses: running `dbt --version` in a process of its own (dbt-core is
    installed beside this interpreter, and its package metadata gives the version), and opening
    dbt's adapter in this process (only fetching column metadata needs it).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None
