"""Whether a month of a published warehouse passed the publication gate, read from audit.dq_results.

The rule, with two runs of the file's check history:
- P, the run that published the warehouse: the run of the latest `checked_at` (the published file
  is a copy of the working warehouse taken right after P's last check, so P's results are the
  newest it holds);
- J, the run that last judged the month: the latest run that recorded a blocking check for it.
  A regular run judges every month loaded (the raw layer's rules record one outcome per extract
  and month), so J is P; a run that only recomputed marts from loaded data leaves the month's own
  checks to the run before it.

The month passed when J exists and neither P nor J recorded a failed blocking check, whatever
month that check concerns: the pipeline publishes every month together or none, so a failure in P
means the file was not published by the gate (a working copy of a blocked run, or an altered file),
and a failure in J means the loaded data was rejected. A failure in another month also bears on
this one: the 12-month complaint counts and the trend read the other months.

Runs before J are history: J judged the corrected data again, and only its verdict stands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import duckdb


@dataclass(frozen=True)
class GateVerdict:
    month: date
    run_id: str | None
    """P, the run that published the warehouse (None when the warehouse records no check)."""
    reasons: tuple[str, ...]
    """Why the month is blocked; empty when it passed."""

    @property
    def passed(self) -> bool:
        return not self.reasons


def judge_month(con: duckdb.DuckDBPyConnection, month: date) -> GateVerdict:
    if not _has_check_results(con):
        return GateVerdict(month, None, ("the warehouse records no data-quality checks (audit.dq_results): it was not published by `ccw run`",))
    (published_by,) = con.execute("SELECT run_id FROM audit.dq_results ORDER BY checked_at DESC LIMIT 1").fetchone()
    judged_by = con.execute(
        "SELECT run_id FROM audit.dq_results WHERE month = ? AND severity = 'blocking' ORDER BY checked_at DESC LIMIT 1",
        [month],
    ).fetchone()
    reasons = []
    if judged_by is None:
        reasons.append(f"no run recorded a blocking check for {month:%Y-%m}: the month was never judged by the gate")
    runs = [published_by] + ([judged_by[0]] if judged_by and judged_by[0] != published_by else [])
    failures = [
        failure
        for run_id in runs
        for failure in con.execute(
            """
            SELECT run_id, check_name, asset, month, details FROM audit.dq_results
            WHERE run_id IS NOT DISTINCT FROM ? AND severity = 'blocking' AND NOT passed
            ORDER BY asset, check_name, month
            """,
            [run_id],
        ).fetchall()
    ]
    # The month's own failures first: they are the ones the reader came for.
    failures.sort(key=lambda failure: failure[3] != month)
    reasons += [_describe(*failure) for failure in failures]
    return GateVerdict(month, published_by, tuple(reasons))


def _has_check_results(con: duckdb.DuckDBPyConnection) -> bool:
    (tables,) = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'audit' AND table_name = 'dq_results'"
    ).fetchone()
    return bool(tables) and con.execute("SELECT count(*) FROM audit.dq_results").fetchone()[0] > 0


def _describe(run_id: str | None, check: str, asset: str, month: date | None, details: str | None) -> str:
    try:
        message = json.loads(details).get("message", "") if details else ""
    except (ValueError, AttributeError):
        message = details or ""
    where = f" for {month:%Y-%m}" if month else " (all months)"
    return f"blocking check {check} on {asset}{where} failed in run {run_id}: {message}".rstrip(": ")
