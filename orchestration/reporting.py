"""What a run prints when it ends: rows per extract, the gate's verdict, and where outputs live."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb

from ingestion.contract import EXTRACTS
from orchestration.lib.quality import failed_blocking_checks
from orchestration.lib.settings import Settings


@dataclass
class RunReport:
    loads: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    """Files, rows read, accepted and quarantined per extract, for the deliveries this run loaded."""
    blocked_by: list[tuple[str, str, object, str]] = field(default_factory=list)
    warnings: int = 0

    @classmethod
    def read(cls, warehouse_file: Path, run_id: str) -> RunReport:
        if not warehouse_file.exists():
            return cls()
        with duckdb.connect(str(warehouse_file), read_only=True) as con:
            loads = con.execute(
                """
                SELECT extract, count(*), sum(rows_read), sum(rows_accepted), sum(rows_quarantined)
                FROM audit.load_log WHERE run_id = ? AND is_current GROUP BY extract
                """,
                [run_id],
            ).fetchall()
            (warnings,) = con.execute(
                "SELECT count(*) FROM audit.dq_results WHERE run_id = ? AND severity = 'warning' AND NOT passed", [run_id]
            ).fetchone()
            return cls(
                loads={extract: tuple(int(v) for v in values) for extract, *values in loads},
                blocked_by=failed_blocking_checks(con, run_id),
                warnings=warnings,
            )


def print_run_summary(settings: Settings, run_id: str, success: bool, seconds: float, report: RunReport, dbt_log: Path) -> None:
    click.echo("")
    click.echo(f"{'extract':<12} {'files':>6} {'rows read':>12} {'accepted':>12} {'quarantined':>12}")
    for extract in EXTRACTS:
        files, read, accepted, quarantined = report.loads.get(extract.name, (0, 0, 0, 0))
        click.echo(f"{extract.name:<12} {files:>6,} {read:>12,} {accepted:>12,} {quarantined:>12,}")
    click.echo("(files unchanged since the last run are skipped and not counted)")
    click.echo("")
    if report.blocked_by:
        click.echo(f"PUBLICATION BLOCKED: {len(report.blocked_by)} blocking check(s) failed; the published warehouse was left as it was")
        for check, asset, month, details in report.blocked_by:
            _print_failure(check, asset, month, details)
    if report.warnings:
        click.echo(f"{report.warnings} warning(s) recorded (not blocking): see audit.dq_results")
    state = "succeeded" if success else "FAILED: the published warehouse was left as it was"
    click.echo(f"run {run_id} {state} in {seconds:.0f} s")
    click.echo(f"  published warehouse : {settings.warehouse}")
    if settings.working_warehouse.exists():
        click.echo(f"  working copy        : {settings.working_warehouse}")
    click.echo("  quarantined rows    : audit.quarantine, load history: audit.load_log, checks: audit.dq_results")
    click.echo(f"  data-quality docs   : {settings.quality_dir / 'docs' / 'index.html'}")
    click.echo(f"  dbt output          : {dbt_log}")
    click.echo(f"  Dagster runs        : {settings.dagster_home} (open with `uv run ccw ui`)")


def _print_failure(check: str, asset: str, month, details: str) -> None:
    detail = json.loads(details) if details else {}
    when = f" {month:%Y-%m}" if month else ""
    click.echo(f"  - {check} on {asset}{when}: {detail.get('message', '')}")
    for example in detail.get("examples", [])[:3]:
        click.echo(f"      e.g. {json.dumps(example, ensure_ascii=False, default=str)}")
