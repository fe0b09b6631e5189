"""The month's scorecard rows as the marts hold them, with each agent's name and recent totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb

from orchestration.lib.months import months_later

TREND_MONTHS = 6
NUMBER_DECIMALS = 6
"""The marts keep scores to six decimals: numbers are compared at that precision."""


@dataclass(frozen=True)
class MonthScorecards:
    month: date
    columns: tuple[str, ...]
    """The columns of marts.fct_agent_scorecard, in the mart's order."""
    rows: tuple[dict[str, Any], ...]
    """One per appraised agent: the mart's columns plus `agent_name`, by team, team rank and id."""
    trends: dict[str, tuple[tuple[date, float | None], ...]]
    """Per agent, total_score of the last TREND_MONTHS months up to this one (None: not appraised or not scoreable)."""

    @property
    def policy_versions(self) -> set[str]:
        return {row["policy_version"] for row in self.rows}

    @property
    def teams(self) -> list[str]:
        return sorted({row["team"] for row in self.rows})

    def scored_in_team(self, team: str) -> int:
        return sum(1 for row in self.rows if row["team"] == team and row["total_score"] is not None)

    @property
    def scored_in_centre(self) -> int:
        return sum(1 for row in self.rows if row["total_score"] is not None)


def read_month(con: duckdb.DuckDBPyConnection, month: date) -> MonthScorecards:
    cursor = con.execute(
        """
        WITH names AS (
            -- the roster version in force at the end of the month, else the latest one
            SELECT agent_id,
                   coalesce(arg_max(name, valid_from) FILTER (WHERE valid_from <= last_day(CAST(? AS DATE))),
                            arg_max(name, valid_from)) AS agent_name
            FROM marts.dim_agent GROUP BY agent_id
        )
        SELECT scorecard.*, names.agent_name
        FROM marts.fct_agent_scorecard AS scorecard
        LEFT JOIN names USING (agent_id)
        WHERE scorecard.month = ?
        ORDER BY scorecard.team, scorecard.rank_in_team NULLS LAST, scorecard.agent_id
        """,
        [month, month],
    )
    names = [column[0] for column in cursor.description]
    rows = tuple({name: plain(value) for name, value in zip(names, record)} for record in cursor.fetchall())
    return MonthScorecards(
        month=month,
        columns=tuple(name for name in names if name != "agent_name"),
        rows=rows,
        trends=_trends(con, month, [row["agent_id"] for row in rows]),
    )


def plain(value: Any) -> Any:
    """DuckDB's DECIMALs as floats: every output (JSON, Excel, CSV) holds plain numbers."""
    return float(value) if isinstance(value, Decimal) else value


def comparable(value: Any) -> Any:
    """A value as compared between two productions: numbers at the marts' precision, dates as text."""
    if isinstance(value, float):
        return round(value, NUMBER_DECIMALS) + 0.0
    if isinstance(value, date):
        return value.isoformat()
    return value


def _trends(con: duckdb.DuckDBPyConnection, month: date, agent_ids: list[str]) -> dict[str, tuple[tuple[date, float | None], ...]]:
    months = [months_later(month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    totals = {
        (agent_id, recorded_month): plain(total)
        for agent_id, recorded_month, total in con.execute(
            """
            SELECT agent_id, month, total_score FROM marts.fct_agent_scorecard
            WHERE month BETWEEN ? AND ? AND list_contains(?, agent_id)
            """,
            [months[0], month, agent_ids],
        ).fetchall()
    }
    return {agent_id: tuple((m, totals.get((agent_id, m))) for m in months) for agent_id in agent_ids}
