"""Check outcomes: what every data-quality check reports, and where it is recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal

import duckdb

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class CheckOutcome:
    check_name: str
    asset: str
    """The asset guarded, as `schema.table` (e.g. raw.calls, marts.fct_agent_monthly)."""
    severity: Severity
    passed: bool
    month: date | None = None
    observed_value: Any = None
    details: str = ""
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocks(self) -> bool:
        return self.severity == "blocking" and not self.passed

    def describe(self) -> str:
        where = f" {self.month:%Y-%m}" if self.month else ""
        return f"{self.check_name} on {self.asset}{where}: {self.details}"


def record(con: duckdb.DuckDBPyConnection, run_id: str | None, outcomes: list[CheckOutcome]) -> None:
    """Append the outcomes to audit.dq_results, with a few example rows kept in the details."""
    if not outcomes:
        return
    checked_at = datetime.now(timezone.utc).replace(tzinfo=None)
    # One statement for every outcome: `executemany` runs one per row, and a dbt build has hundreds.
    con.execute(
        """
        INSERT INTO audit.dq_results
        SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::DATE[]), unnest(?::VARCHAR[]),
               unnest(?::BOOLEAN[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?
        """,
        [
            run_id,
            [o.check_name for o in outcomes],
            [o.asset for o in outcomes],
            [o.month for o in outcomes],
            [o.severity for o in outcomes],
            [o.passed for o in outcomes],
            [None if o.observed_value is None else str(o.observed_value) for o in outcomes],
            [json.dumps({"message": o.details, "examples": o.examples}, ensure_ascii=False, default=str) for o in outcomes],
            checked_at,
        ],
    )


def failed_blocking_checks(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, str, date | None, str]]:
    """(check, asset, month, details) of every blocking check that failed in the run."""
    return con.execute(
        """
        SELECT check_name, asset, month, details FROM audit.dq_results
        WHERE run_id = ? AND severity = 'blocking' AND NOT passed
        ORDER BY asset, check_name, month
        """,
        [run_id],
    ).fetchall()
