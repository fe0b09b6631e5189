"""Which months of a mart have passed the current version of its expectation suite.

A mart's month changes only when a dbt build recomputes it, and the builds recompute a range of
months (see `rebuild`). So the marks of that range are forgotten before dbt runs, and the mart gate
validates the months without a mark: a daily run validates the month it rebuilt rather than the
year. A month in which the suite found a blocking failure is not marked, and every later run
validates it again until a build mends it; a changed suite (another digest) sees every month again.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import duckdb


def month_of(date_column: str) -> str:
    return f"CAST(date_trunc('month', {date_column}) AS DATE)"


def pending_months(con: duckdb.DuckDBPyConnection, mart: str, date_column: str, digest: str) -> list[date]:
    """The months of `mart` (by the date it is recomputed by) that the suite of `digest` has not passed."""
    rows = con.execute(
        f"""
        SELECT DISTINCT {month_of(date_column)} AS month FROM marts.{mart}
        EXCEPT
        SELECT month FROM audit.validated_mart_months WHERE mart = ? AND suite_digest = ?
        ORDER BY month
        """,
        [mart, digest],
    ).fetchall()
    return [month for (month,) in rows]


def months_condition(date_column: str, months: list[date]) -> str:
    """A condition on a mart's rows: dated in one of `months` (dates, inlined)."""
    listed = ", ".join(f"DATE '{month.isoformat()}'" for month in months) or "NULL"
    return f"{month_of(date_column)} IN ({listed})"


def mark_validated_months(
    con: duckdb.DuckDBPyConnection, mart: str, months: list[date], digest: str, run_id: str | None
) -> None:
    validated_at = datetime.now(timezone.utc).replace(tzinfo=None)
    con.execute(
        "INSERT INTO audit.validated_mart_months SELECT ?, unnest(?::DATE[]), ?, ?, ?",
        [mart, months, digest, run_id, validated_at],
    )


def forget_recomputed_months(con: duckdb.DuckDBPyConnection, first: date | None, until: date | None) -> None:
    """Before a build: the marks of the months it recomputes, from `first` up to `until` (exclusive).

    No `first` is a full build (every month); no `until`, every month from `first` on.
    """
    bounds = [("month >= ?", first), ("month < ?", until)]
    kept = [(condition, value) for condition, value in bounds if value is not None]
    where = " AND ".join(condition for condition, _ in kept) or "true"
    con.execute(f"DELETE FROM audit.validated_mart_months WHERE {where}", [value for _, value in kept])
