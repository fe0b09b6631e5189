"""Which days and months a dbt build recomputes: only those that extracts loaded since the last build can change.

Nearly every effect of a row runs forward in time (a roster snapshot from its date on, a complaint
into the month it is resolved, twelve-month review windows). First-call resolution looks up to the
repeat window back; so the build recomputes from the first day whose calls can change status, and
monthly models from that day's month. A changed policy or changed models rebuild everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import duckdb

from ingestion.contract import EXTRACTS
from orchestration.lib.months import month_after, month_before

NOTHING_CHANGED = date(9999, 1, 1)
"""recompute_from when no extract changed: incremental models keep every row."""

SHORTEST_REACH_BACK = timedelta(days=7)
"""How far back a build looks even with a shorter repeat window: the other effects that look back (an
ACD session left open, closed by its agent's later states or next login; scheduled days judged once
later logins show the data has passed them) reach back days, not weeks."""


@dataclass(frozen=True)
class RebuildPlan:
    full_refresh: bool
    recompute_from: date | None
    """The first day of the first recomputed month."""
    max_load_id: int
    recompute_until: date | None = None
    """Exclusive; set by a backfill, which recomputes exactly the months asked for."""
    recompute_from_day: date | None = None
    """The first day whose rows can change, within recompute_from's month; that month's first day if unset.
    Models kept by day recompute from it, models kept by month from recompute_from."""

    @property
    def first_recomputed_day(self) -> date | None:
        return self.recompute_from_day or self.recompute_from

    def dbt_environment(self) -> dict[str, str]:
        """The bounds as the dbt project reads them; empty when the whole table is rebuilt.

        In the environment rather than in `--vars`: dbt parses the whole project again whenever
        its vars differ from the last parse's, and the bounds differ from run to run.
        """
        incremental = not self.full_refresh and self.recompute_from is not None
        return {
            "CCW_RECOMPUTE_FROM": self.recompute_from.isoformat() if incremental else "",
            "CCW_RECOMPUTE_FROM_DAY": self.first_recomputed_day.isoformat() if incremental else "",
            "CCW_RECOMPUTE_UNTIL": self.recompute_until.isoformat() if incremental and self.recompute_until else "",
        }

    def describe(self) -> str:
        if self.full_refresh:
            return "full rebuild (first build, or the policy or the models changed)"
        if self.recompute_from == NOTHING_CHANGED:
            return "no extract changed since the last build: incremental models keep every month"
        if self.recompute_until:
            return f"backfill: recomputing {self.recompute_from:%Y-%m} to {month_before(self.recompute_until):%Y-%m}"
        return f"recomputing months from {self.recompute_from:%Y-%m} on, days from {self.first_recomputed_day:%Y-%m-%d} on"


def plan_rebuild(con: duckdb.DuckDBPyConnection, transform_version: str, repeat_window_hours: float) -> RebuildPlan:
    max_load_id = _max_load_id(con)
    last = _last_build(con)
    if last is None or last[0] != transform_version:
        return RebuildPlan(True, None, max_load_id)
    earliest = earliest_changed_date(con, last[1])
    if earliest is None:
        return RebuildPlan(False, NOTHING_CHANGED, max_load_id)
    first_day = first_day_to_recompute(con, earliest, repeat_window_hours)
    return RebuildPlan(False, first_day.replace(day=1), max_load_id, recompute_from_day=first_day)


def first_day_to_recompute(con: duckdb.DuckDBPyConnection, earliest_changed: date, repeat_window_hours: float) -> date:
    """The first day a call leg counts on whose first-call resolution the new extracts can change.

    A status changes when a contact within the call's window changes, from the earliest changed day
    on, or when the end of the calls data moves past the window's end: the data ended, at the last
    build, with the last call before that day. So every call whose window ends after the earlier of
    the two moments is recomputed, from the day the first of them was answered. A window shorter
    than SHORTEST_REACH_BACK reaches back that far all the same.
    """
    settled_until = datetime.combine(earliest_changed, datetime.min.time())
    (calls_ended_at,) = con.execute(
        "SELECT max(enqueued_at) FROM raw.calls WHERE enqueued_at < ?", [settled_until]
    ).fetchall()[0]
    if calls_ended_at is not None:
        settled_until = min(settled_until, calls_ended_at)
    windows_open_from = settled_until - max(timedelta(hours=repeat_window_hours), SHORTEST_REACH_BACK)
    (first_answered,) = con.execute(
        "SELECT min(coalesce(answered_at, enqueued_at)) FROM raw.calls WHERE ended_at >= ?",
        [windows_open_from],
    ).fetchall()[0]
    first_day = windows_open_from.date()
    return min(first_day, first_answered.date()) if first_answered else first_day


def plan_backfill(con: duckdb.DuckDBPyConnection, transform_version: str, first_month: date, last_month: date) -> RebuildPlan:
    """Recompute exactly first_month..last_month from the loaded data, and nothing else.

    Extracts loaded since the last build stay pending for the next regular run: the backfill
    keeps the last build's load mark. A warehouse never built, or built with other models or
    policy, can only be rebuilt whole.
    """
    last = _last_build(con)
    if last is None or last[0] != transform_version:
        return RebuildPlan(True, None, _max_load_id(con))
    return RebuildPlan(False, first_month, last[1], month_after(last_month))


def _last_build(con: duckdb.DuckDBPyConnection) -> tuple[str, int] | None:
    """(transform_version, max_load_id) of the last successful build, if any."""
    rows = con.execute("SELECT transform_version, max_load_id FROM audit.builds ORDER BY built_at DESC LIMIT 1").fetchall()
    return rows[0] if rows else None


def _max_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) FROM audit.load_log").fetchall()[0][0]


def earliest_changed_date(con: duckdb.DuckDBPyConnection, after_load_id: int) -> date | None:
    """The earliest file date or business date among deliveries loaded after `after_load_id`."""
    files = con.execute(
        "SELECT extract, file_name, file_date FROM audit.load_log WHERE load_id > ?", [after_load_id]
    ).fetchall()
    if not files:
        return None
    candidates = [file_date for _, _, file_date in files if file_date is not None]
    for extract in EXTRACTS:
        names = [name for name_extract, name, _ in files if name_extract == extract.name]
        if names and extract.business_date:
            (earliest,) = con.execute(
                f"SELECT min(CAST({extract.business_date} AS DATE)) FROM {extract.raw_table} WHERE _file_name IN (SELECT unnest(?))",
                [names],
            ).fetchall()[0]
            if earliest is not None:
                candidates.append(earliest)
    return min(candidates) if candidates else None


def record_build(con: duckdb.DuckDBPyConnection, run_id: str, transform_version: str, plan: RebuildPlan) -> None:
    con.execute(
        "INSERT INTO audit.builds VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, transform_version, plan.recompute_from, plan.full_refresh, plan.max_load_id,
         datetime.now(timezone.utc).replace(tzinfo=None)],
    )
