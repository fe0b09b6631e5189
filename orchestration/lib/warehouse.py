"""The warehouse files: the working copy the pipeline writes, and the published one people read."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from orchestration.lib.durability import replace_durably
from orchestration.lib.generations import publish_by_swapping, restore_working_copy
from orchestration.lib.processes import process_alive
from orchestration.lib.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, dbt_environment, spill_dir_of

WAREHOUSE_POOL = "warehouse"
"""Every asset that writes the warehouse runs in this pool, limited to one at a time."""
QUALITY_TABLES = ("load_log", "quarantine", "dq_results", "builds")
"""The audit tables the data-quality dashboard reads, published after every run, blocked or not."""


def quality_file(warehouse: Path) -> Path:
    """Where the latest run's audit tables are published, beside the warehouse."""
    return warehouse.with_name(f"{warehouse.stem}.quality{warehouse.suffix}")


class WarehouseResource(dg.ConfigurableResource):
    published_path: str
    working_path: str
    quality_dir: str
    """Great Expectations validation results and Data Docs of the latest run."""
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    """DuckDB's memory limit in every process that writes the warehouse (this one and dbt)."""

    def duckdb_config(self) -> dict[str, str]:
        return {"memory_limit": self.memory_limit, "temp_directory": str(spill_dir_of(Path(self.working_path)))}

    def dbt_environment(self) -> dict[str, str]:
        return dbt_environment(Path(self.working_path), self.memory_limit)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection to the working copy, made equal to the published file if there is none."""
        working = Path(self.working_path)
        working.parent.mkdir(parents=True, exist_ok=True)
        restore_working_copy(working, Path(self.published_path))
        con = duckdb.connect(str(working), config=self.duckdb_config())
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()

    def publish(self) -> int:
        """Atomically replace the published file with the working copy; the bytes this wrote.

        Readers holding the old file keep reading it; the next connection sees the new one. The
        working copy itself becomes the published file, and the file it replaced becomes the next
        working copy when a writer next connects (see `orchestration.lib.generations`).
        """
        working = Path(self.working_path)
        published = Path(self.published_path)
        _remove_abandoned_publications(published)
        staged = published.with_name(f".{published.name}.{os.getpid()}.publishing")
        return publish_by_swapping(working, published, staged)

    def publish_quality(self, con: duckdb.DuckDBPyConnection) -> Path:
        """Atomically replace `<stem>.quality.duckdb` with a copy of the working copy's audit tables.

        The warehouse itself is only replaced when every blocking check passed; the results of a
        blocked run must still reach the data-quality dashboard, so they travel in their own file.
        """
        target = quality_file(Path(self.published_path))
        _remove_abandoned_publications(target)
        staged = target.with_name(f".{target.name}.{os.getpid()}.publishing")
        staged.unlink(missing_ok=True)
        con.execute("ATTACH ? AS quality_copy", [str(staged)])
        try:
            con.execute("CREATE SCHEMA quality_copy.audit")
            for table in QUALITY_TABLES:
                con.execute(f"CREATE TABLE quality_copy.audit.{table} AS SELECT * FROM audit.{table}")
        finally:
            con.execute("DETACH quality_copy")
        replace_durably(staged, target)
        return target


def _remove_abandoned_publications(published: Path) -> None:
    """Staged copies left by a publication that was killed before its rename (its process is gone)."""
    for staged in published.parent.glob(f".{published.name}.*.publishing"):
        pid = staged.name.removeprefix(f".{published.name}.").removesuffix(".publishing")
        if pid.isdigit() and not process_alive(int(pid)):
            staged.unlink(missing_ok=True)

