"""dbt's command line as the pipeline starts it."""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class DbtCommand(DbtCliResource):
    """dagster-dbt's resource, without two things it does before every command that cost seconds
    and that the pipeline never uses: it asks the `dbt` executable for its version in a process of
    its own, where dbt-core is installed beside this interpreter and its metadata says the version;
    and it opens dbt's adapter in this process, which only fetching column metadata needs.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None
