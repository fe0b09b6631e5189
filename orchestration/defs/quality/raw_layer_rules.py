"""The publication gate's rules on what was loaded: each a query over the raw and audit layers.

Every rule returns one outcome per extract and month it judges (a passing month included, so that
the data-quality history shows what was checked, not only what failed).
"""

from __future__ import annotations

from datetime import date

import duckdb

from ingestion.contract import AGENTS, CALLS, EVALUATIONS, EXTRACTS, SCHEDULES, SESSIONS, SURVEYS, Extract
from orchestration.lib.months import month_after
from orchestration.lib.quality import CheckOutcome

EXAMPLE_ROWS = 5


def _month_sql(extract: Extract) -> str:
    column = f"CAST({extract.business_date} AS DATE)" if extract.business_date else "_file_date"
    return f"CAST(date_trunc('month', {column}) AS DATE)"


def rows_reconcile(con: duckdb.DuckDBPyConnection, extract: Extract) -> list[CheckOutcome]:
    """Rows read = accepted + quarantined, and both equal what the tables hold, for every file."""
    files = con.execute(
        f"""
        WITH held AS (
            SELECT _file_name AS file_name, count(*) AS rows FROM {extract.raw_table} GROUP BY 1
        ),
        quarantined AS (
            SELECT file_name, count(*) AS rows FROM audit.quarantine WHERE extract = ? GROUP BY 1
        )
        SELECT log.file_name, CAST(date_trunc('month', log.file_date) AS DATE) AS month,
               log.rows_read, log.rows_accepted, log.rows_quarantined,
               coalesce(held.rows, 0), coalesce(quarantined.rows, 0)
        FROM audit.load_log AS log
        LEFT JOIN held USING (file_name)
        LEFT JOIN quarantined USING (file_name)
        WHERE log.extract = ? AND log.is_current
        """,
        [extract.name, extract.name],
    ).fetchall()
    by_month: dict[date | None, list[dict]] = {}
    for name, month, read, accepted, quarantined, held, in_quarantine in files:
        lost = read - accepted - quarantined
        problems = by_month.setdefault(month, [])
        if lost or accepted != held or quarantined != in_quarantine:
            problems.append({
                "file": name, "rows_read": read, "rows_accepted": accepted, "rows_quarantined": quarantined,
                "rows_in_raw": held, "rows_in_quarantine": in_quarantine,
            })
    return [
        CheckOutcome(
            "rows_reconcile", extract.raw_table, "blocking", not problems, month,
            observed_value=len(problems),
            details=(
                f"{len(problems)} file(s) whose rows read differ from accepted + quarantined, or from what the tables hold"
                if problems else "rows read = accepted + quarantined for every file"
            ),
            examples=problems[:EXAMPLE_ROWS],
        )
        for month, problems in sorted(by_month.items(), key=lambda item: item[0] or date.min)
    ]


def quarantine_within_limit(con: duckdb.DuckDBPyConnection, extract: Extract, limit_rate: float) -> list[CheckOutcome]:
    """At most `limit_rate` of an extract's rows of a month quarantined."""
    months = con.execute(
        f"""
        WITH accepted AS (
            SELECT {_month_sql(extract)} AS month, count(*) AS rows FROM {extract.raw_table} GROUP BY 1
        ),
        quarantined AS (
            SELECT month, count(*) AS rows FROM audit.quarantine WHERE extract = ? GROUP BY 1
        )
        SELECT month, coalesce(accepted.rows, 0), coalesce(quarantined.rows, 0)
        FROM accepted FULL OUTER JOIN quarantined USING (month)
        ORDER BY month NULLS FIRST
        """,
        [extract.name],
    ).fetchall()
    outcomes = []
    for month, accepted, quarantined in months:
        rate = quarantined / (accepted + quarantined)
        passed = rate <= limit_rate
        examples = [] if passed else _quarantine_examples(con, extract, month)
        outcomes.append(CheckOutcome(
            "quarantine_within_limit", extract.raw_table, "blocking", passed, month,
            observed_value=round(rate, 6),
            details=f"{quarantined:,} of {accepted + quarantined:,} rows quarantined ({rate:.2%}; limit {limit_rate:.0%})",
            examples=examples,
        ))
    return outcomes


def _quarantine_examples(con, extract: Extract, month: date | None) -> list[dict]:
    rows = con.execute(
        """
        SELECT file_name, line_number, column_name, reason FROM audit.quarantine
        WHERE extract = ? AND month IS NOT DISTINCT FROM ?
        ORDER BY file_name, line_number LIMIT ?
        """,
        [extract.name, month, EXAMPLE_ROWS],
    ).fetchall()
    return [{"file": f, "line": line, "column": c, "reason": r} for f, line, c, r in rows]


def _telephony_months(con) -> list[date]:
    """The months the centre worked in: those with calls or sessions loaded."""
    return [
        month
        for (month,) in con.execute(
            """
            SELECT DISTINCT CAST(date_trunc('month', enqueued_at) AS DATE) FROM raw.calls
            UNION
            SELECT DISTINCT CAST(date_trunc('month', login_at) AS DATE) FROM raw.sessions
            ORDER BY 1
            """
        ).fetchall()
    ]


def required_extracts_present(
    con: duckdb.DuckDBPyConnection, months: list[date], shifts_by_month: dict[date, int]
) -> list[CheckOutcome]:
    """Every month worked has its schedules and a roster snapshot dated on or before its last day."""
    snapshot_dates = [
        day for (day,) in con.execute("SELECT DISTINCT _file_date FROM raw.agents WHERE _file_date IS NOT NULL").fetchall()
    ]
    outcomes = []
    for month in months:
        schedules = shifts_by_month.get(month, 0)
        snapshots = sum(day < month_after(month) for day in snapshot_dates)
        outcomes.append(CheckOutcome(
            "required_extract_present", SCHEDULES.raw_table, "blocking", schedules > 0, month, schedules,
            f"{schedules:,} scheduled shifts" if schedules else f"no schedules for {month:%Y-%m}, a month with telephony data",
        ))
        outcomes.append(CheckOutcome(
            "required_extract_present", AGENTS.raw_table, "blocking", snapshots > 0, month, snapshots,
            f"{snapshots} roster snapshot(s) up to the month's end" if snapshots
            else f"no roster snapshot dated on or before the end of {month:%Y-%m}",
        ))
    return outcomes


def _shifts_by_month(con) -> dict[date, int]:
    return dict(
        con.execute("SELECT CAST(date_trunc('month', shift_date) AS DATE), count(*) FROM raw.schedules GROUP BY 1").fetchall()
    )


def daily_files_complete(con: duckdb.DuckDBPyConnection, extract: Extract) -> list[CheckOutcome]:
    """Warning: a day between the first and last delivery of a daily extract with no file."""
    missing = con.execute(
        """
        WITH delivered AS (
            SELECT DISTINCT file_date FROM audit.load_log
            WHERE extract = ? AND is_current AND file_date IS NOT NULL
        ),
        days AS (
            SELECT CAST(unnest(range(min(file_date), max(file_date) + INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS day
            FROM delivered
        )
        SELECT CAST(date_trunc('month', day) AS DATE) AS month,
               list(day ORDER BY day) FILTER (WHERE day NOT IN (SELECT file_date FROM delivered))
        FROM days GROUP BY 1 ORDER BY 1
        """,
        [extract.name],
    ).fetchall()
    return [
        CheckOutcome(
            "daily_files_complete", extract.raw_table, "warning", not days, month, len(days or []),
            f"no file for {len(days)} day(s): {', '.join(f'{d:%Y-%m-%d}' for d in days[:10])}" if days else "a file for every day",
        )
        for month, days in missing
    ]


def agents_on_roster(con: duckdb.DuckDBPyConnection, extract: Extract) -> list[CheckOutcome]:
    """Warning: calls or sessions of agents that no roster snapshot knows."""
    # Each agent of a month once, then looked up: a few thousand lookups instead of one per row.
    months = con.execute(
        f"""
        WITH worked AS (
            SELECT DISTINCT {_month_sql(extract)} AS month, agent_id FROM {extract.raw_table} WHERE agent_id IS NOT NULL
        )
        SELECT month,
               list(agent_id ORDER BY agent_id) FILTER (WHERE agent_id NOT IN (SELECT agent_id FROM raw.agents))
        FROM worked GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    return [
        CheckOutcome(
            "agents_on_roster", extract.raw_table, "warning", not unknown, month, len(unknown or []),
            f"{len(unknown)} agent(s) missing from the roster: {', '.join(unknown[:10])}" if unknown else "every agent is on the roster",
        )
        for month, unknown in months
    ]


def references_known_calls(con: duckdb.DuckDBPyConnection, extract: Extract) -> list[CheckOutcome]:
    """Warning: evaluations or surveys of calls that were never loaded."""
    # One anti join finds the rows whose call is missing; the months' totals are counted apart.
    months = con.execute(
        f"""
        WITH unknown AS (
            SELECT {_month_sql(extract)} AS month, referring.call_id FROM {extract.raw_table} AS referring
            ANTI JOIN {CALLS.raw_table} AS calls ON calls.call_id = referring.call_id
            WHERE referring.call_id IS NOT NULL
        ),
        totals AS (
            SELECT {_month_sql(extract)} AS month, count(*) AS rows FROM {extract.raw_table} GROUP BY 1
        ),
        missing AS (
            SELECT month, count(*) AS rows, list(call_id ORDER BY call_id)[1:5] AS examples FROM unknown GROUP BY 1
        )
        SELECT totals.month, totals.rows, coalesce(missing.rows, 0), missing.examples
        FROM totals LEFT JOIN missing ON missing.month IS NOT DISTINCT FROM totals.month
        ORDER BY totals.month
        """
    ).fetchall()
    return [
        CheckOutcome(
            "references_known_calls", extract.raw_table, "warning", unknown == 0, month, unknown,
            f"{unknown:,} of {rows:,} rows reference unknown calls, e.g. {', '.join(examples or [])}" if unknown
            else "every referenced call is loaded",
        )
        for month, rows, unknown, examples in months
    ]


def next_month_schedules_published(
    con: duckdb.DuckDBPyConnection, months: list[date], shifts_by_month: dict[date, int], due_day: int
) -> list[CheckOutcome]:
    """Warning: the data reaches past the due day of a month and next month has no schedules yet."""
    (data_end,) = con.execute("SELECT max(CAST(enqueued_at AS DATE)) FROM raw.calls").fetchall()[0]
    if data_end is None:
        return []
    outcomes = []
    for month in months:
        if data_end <= month.replace(day=due_day):
            continue
        next_month = month_after(month)
        shifts = shifts_by_month.get(next_month, 0)
        outcomes.append(CheckOutcome(
            "next_month_schedules_published", SCHEDULES.raw_table, "warning", shifts > 0, month, shifts,
            f"schedules for {next_month:%Y-%m} are published" if shifts
            else f"no schedules for {next_month:%Y-%m} after the {due_day}th of {month:%Y-%m}",
        ))
    return outcomes


def raw_layer_outcomes(con: duckdb.DuckDBPyConnection, quarantine_limit: float, schedules_due_day: int) -> list[CheckOutcome]:
    """Every rule of the gate that judges the raw and audit layers."""
    outcomes: list[CheckOutcome] = []
    for extract in EXTRACTS:
        outcomes += rows_reconcile(con, extract)
        outcomes += quarantine_within_limit(con, extract, quarantine_limit)
        if extract.period == "day" and not extract.snapshot:
            outcomes += daily_files_complete(con, extract)
    months_worked, shifts_by_month = _telephony_months(con), _shifts_by_month(con)
    outcomes += required_extracts_present(con, months_worked, shifts_by_month)
    for extract in (CALLS, SESSIONS):
        outcomes += agents_on_roster(con, extract)
    for extract in (EVALUATIONS, SURVEYS):
        outcomes += references_known_calls(con, extract)
    outcomes += next_month_schedules_published(con, months_worked, shifts_by_month, schedules_due_day)
    return outcomes
