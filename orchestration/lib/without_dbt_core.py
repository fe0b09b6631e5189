"""`ccw`'s own process runs without dbt-core: dbt runs in a process of its own (`ccw-dbt`).

dagster-dbt imports dbt-core whenever it is installed, only to do what this process never asks of
it: open a dbt adapter (`DbtCommand` opens none) and select nodes with dbt's selector (the pipeline
selects every node, which dagster-dbt reads from the manifest as it does for dbt Fusion). Kept out,
dbt-core no longer costs every `ccw run` close to a second of start-up: its imports, and a dbt
manifest object built only to select all of it.
"""

from __future__ import annotations

import importlib.abc
import sys


class DbtCoreKeptOut(importlib.abc.MetaPathFinder):
    """Refuses every import of dbt-core, as if it were not installed."""

    def find_spec(self, fullname, path, target=None):
        if fullname == "dbt" or fullname.startswith("dbt."):
            raise ModuleNotFoundError(f"{fullname} is not imported in ccw's process: dbt runs as ccw-dbt", name=fullname)
        return None


def keep_dbt_core_out() -> None:
    """Make dbt-core unimportable in this process; an error if something imported it already."""
    if "dbt" in sys.modules:
        raise RuntimeError("dbt-core was imported before it could be kept out of this process")
    if not any(isinstance(finder, DbtCoreKeptOut) for finder in sys.meta_path):
        sys.meta_path.insert(0, DbtCoreKeptOut())
