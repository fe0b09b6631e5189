"""What a run prints when it ends: rows per extract and where every output lives."""

from __future__ import annotations

from pathlib import Path

import click
import duckdb

from ingestion.contract import EXTRACTS
from orchestration.lib.settings import Settings


def load_counts(warehouse_file: str, run_id: str) -> dict[str, tuple[int, int, int, int]]:
    """Files, rows read, accepted and quarantined per extract by the deliveries this run loaded."""
    with duckdb.connect(warehouse_file, read_only=True) as con:
        rows = con.execute(
            """
            SELECT extract, count(*), sum(rows_read), sum(rows_accepted), sum(rows_quarantined)
            FROM audit.load_log WHERE run_id = ? AND is_current
            GROUP BY extract
            """,
            [run_id],
        ).fetchall()
    return {extract: tuple(int(v) for v in values) for extract, *values in rows}


def print_run_summary(settings: Settings, run_id: str, success: bool, seconds: float, dbt_log: Path) -> None:
    built = settings.working_warehouse
    counts = load_counts(str(built), run_id) if built.exists() else {}
    click.echo("")
    click.echo(f"{'extract':<12} {'files':>6} {'rows read':>12} {'accepted':>12} {'quarantined':>12}")
    for extract in EXTRACTS:
        files, read, accepted, quarantined = counts.get(extract.name, (0, 0, 0, 0))
        click.echo(f"{extract.name:<12} {files:>6,} {read:>12,} {accepted:>12,} {quarantined:>12,}")
    click.echo("(files unchanged since the last run are skipped and not counted)")
    click.echo("")
    state = "succeeded" if success else "FAILED: the published warehouse was left as it was"
    click.echo(f"run {run_id} {state} in {seconds:.0f} s")
    click.echo(f"  published warehouse : {settings.warehouse}")
    click.echo(f"  working copy        : {built}")
    click.echo("  quarantined rows    : audit.quarantine, load history: audit.load_log")
    click.echo(f"  dbt output          : {dbt_log}")
    click.echo(f"  Dagster runs        : {settings.dagster_home} (open with `uv run ccw ui`)")
