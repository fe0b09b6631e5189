"""The publication gate as Dagster asset checks: blocking ones stop everything downstream.

Two steps judge the working warehouse: one after loading (the raw and audit layers: rules of the
gate, and a Great Expectations suite per extract on the loads it has not passed yet), one after
dbt (a suite per mart on the months it has not passed since they were last rebuilt, and the weekly
QA coverage). dbt's own tests are checks of the dbt assets.
Every outcome is also recorded in `audit.dq_results`, which is what `ccw run` and the data-quality
dashboard read.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.contract import EXTRACTS, Extract
from ingestion.schema import create_schemas
from orchestration.defs.quality.raw_layer_rules import raw_layer_outcomes
from orchestration.defs.transformation.project import policy
from orchestration.lib.expectations import (
    ExpectationFailure,
    SuiteOutcome,
    build_data_docs,
    read_for_suite,
    suite_digest,
    suite_name_for,
    validate_read,
    validate_table,
)
from orchestration.lib.forked import Forked
from orchestration.lib.quality import CheckOutcome, record
from orchestration.lib.validated_loads import loads_condition, mark_validated, pending_loads
from orchestration.lib.validated_months import mark_validated_months, months_condition, pending_months
from orchestration.lib.warehouse import WAREHOUSE_POOL, WarehouseResource

MARTS: dict[str, str | None] = {
    "fct_calls": "call_date",
    "dim_agent": None,
    "fct_agent_daily": "work_date",
    "fct_team_daily_attendance": "work_date",
    "fct_queue_daily": "call_date",
    "fct_agent_monthly": "month",
    "fct_agent_scorecard": "month",
    "fct_qa_coverage_weekly": "week_end",
}
"""Each mart and the date its model is `recomputed_by`; None for a table rebuilt whole every run."""
EXPECTATIONS = "expectations"
SAMPLE_ROWS = 200_000
"""Larger tables are validated on a repeatable sample: GX holds a table in memory, and keys, ranges
and references over the whole table are already proven by the loader and by dbt's SQL tests."""

# (check, severity) of each raw table; every raw table also gets its expectation suite.
RAW_CHECKS: dict[str, list[tuple[str, str]]] = {
    extract.name: [("rows_reconcile", "blocking"), ("quarantine_within_limit", "blocking")]
    + ([("daily_files_complete", "warning")] if extract.period == "day" and not extract.snapshot else [])
    + ([("required_extract_present", "blocking")] if extract.required_for_month else [])
    + ([("agents_on_roster", "warning")] if extract.name in ("calls", "sessions") else [])
    + ([("references_known_calls", "warning")] if extract.name in ("evaluations", "surveys") else [])
    + ([("next_month_schedules_published", "warning")] if extract.name == "schedules" else [])
    + [(EXPECTATIONS, "blocking")]
    for extract in EXTRACTS
}
MART_CHECKS: dict[str, list[tuple[str, str]]] = {
    mart: [(EXPECTATIONS, "blocking")] + ([("qa_weekly_coverage", "warning")] if mart == "fct_qa_coverage_weekly" else [])
    for mart in MARTS
}


def _specs(schema: str, checks: dict[str, list[tuple[str, str]]]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(name, asset=dg.AssetKey([schema, table]), blocking=severity == "blocking")
        for table, table_checks in checks.items()
        for name, severity in table_checks
    ]


RAW_SPECS = _specs("raw", RAW_CHECKS)
MART_SPECS = _specs("marts", MART_CHECKS)


@dg.multi_asset_check(specs=RAW_SPECS, pool=WAREHOUSE_POOL, description="The gate's rules on what was loaded.")
def raw_layer_gate(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[dg.AssetCheckResult]:
    with warehouse.connect() as con:
        # The checks may run on their own (from Dagster's UI) on a warehouse older than an audit table.
        create_schemas(con)
        # The rules are DuckDB's work, the suites mostly Python's: side by side, on a connection
        # each, one waits less for the other. The rules' connection closes once they are done.
        with con.cursor() as rules_con, ThreadPoolExecutor(max_workers=1) as pool:
            rules = pool.submit(
                raw_layer_outcomes,
                rules_con, policy.get("publication.quarantine_limit_rate"), policy.get("publication.schedules_due_day"),
            )
            expectations = [raw_expectation_outcome(con, extract, warehouse, context.run.run_id) for extract in EXTRACTS]
            outcomes = rules.result() + expectations
        record(con, context.run.run_id, outcomes)
        warehouse.publish_quality(con)
    yield from check_results(RAW_SPECS, outcomes)


@dg.multi_asset_check(specs=MART_SPECS, pool=WAREHOUSE_POOL, description="The gate's rules on the marts.")
def marts_gate(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[dg.AssetCheckResult]:
    quality_dir = Path(warehouse.quality_dir)
    with ThreadPoolExecutor(max_workers=1) as pool, warehouse.connect() as con:
        create_schemas(con)
        outcomes = mart_expectation_outcomes(con, warehouse, context.run.run_id)
        outcomes += qa_weekly_coverage(con, policy.get("quality.weekly_minimum_evaluations"))
        # Every result is written: the Data Docs (Python's work) are built while DuckDB records the
        # outcomes, copies the audit tables and checkpoints.
        docs = pool.submit(build_data_docs, results_dir=quality_dir / "results", docs_dir=quality_dir / "docs")
        record(con, context.run.run_id, outcomes)
        warehouse.publish_quality(con)
    context.log.info(f"Great Expectations Data Docs: {docs.result()}")
    yield from check_results(MART_SPECS, outcomes)


def raw_expectation_outcome(
    con: duckdb.DuckDBPyConnection, extract: Extract, warehouse: WarehouseResource, run_id: str
) -> CheckOutcome:
    """The extract's suite on the rows of the loads it has not passed yet (see `validated_loads`)."""
    table = extract.raw_table
    digest = suite_digest(suite_name_for(table))
    loads = pending_loads(con, extract.name, digest)
    if not loads:
        why = "no rows loaded since the suite passed every load"
        return _nothing_pending(con, table, why) or expectation_outcome(con, table, warehouse)
    outcome = expectation_outcome(
        con, table, warehouse,
        where=loads_condition(extract.name, loads), rows_described=f"of {len(loads)} load(s) not validated before",
    )
    if not outcome.blocks:
        mark_validated(con, extract.name, loads, digest, run_id)
    return outcome


@dataclass(frozen=True)
class SuiteRun:
    """A table's suite on some of its rows, planned on the warehouse's connection."""

    table: str
    rows: str
    """What is validated: the table, or a view of the rows to validate."""
    count: int
    """The rows to validate, before any sampling."""
    rows_described: str

    @property
    def suite_name(self) -> str:
        return suite_name_for(self.table)

    def outcome(self, validated: SuiteOutcome) -> CheckOutcome:
        failures = validated.blocking_failures or validated.warning_failures
        sampled = f"sampled of {self.count:,}" if self.count > SAMPLE_ROWS else ""
        scope = " ".join(filter(None, [f"{validated.row_count:,} rows", sampled, self.rows_described]))
        return CheckOutcome(
            EXPECTATIONS,
            self.table,
            "blocking" if validated.blocking_failures else "warning",
            passed=not failures,
            observed_value=len(failures),
            details=(
                f"{len(failures)} expectation(s) failed on {scope}: " + "; ".join(_describe(f) for f in failures[:5])
                if failures else f"{validated.evaluated} expectations met on {scope}"
            ),
            examples=[_example(f) for f in failures[:5]],
        )


@dataclass(frozen=True)
class MartRun:
    run: SuiteRun
    months: list[date] | None
    """The months judged, marked once they pass; None for a table rebuilt whole every run."""
    digest: str


def mart_expectation_outcomes(con: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, run_id: str) -> list[CheckOutcome]:
    """Each mart's suite on the months it has not passed since a build last recomputed them."""
    planned = {mart: _plan_mart(con, mart) for mart in MARTS}
    runs = {mart: plan.run for mart, plan in planned.items() if isinstance(plan, MartRun)}
    validated = _validate_side_by_side(con, runs, warehouse)
    outcomes = []
    for mart, plan in planned.items():
        if isinstance(plan, MartRun):
            outcome = plan.run.outcome(validated[mart])
            if plan.months and not outcome.blocks:
                mark_validated_months(con, mart, plan.months, plan.digest, run_id)
            plan = outcome
        outcomes.append(plan)
    return outcomes


def _plan_mart(con: duckdb.DuckDBPyConnection, mart: str) -> MartRun | CheckOutcome:
    table, date_column = f"marts.{mart}", MARTS[mart]
    digest = suite_digest(suite_name_for(table))
    if date_column is None:
        return MartRun(plan_suite_run(con, table), None, digest)
    months = pending_months(con, mart, date_column, digest)
    if not months:
        why = "no month rebuilt since the suite passed every month"
        return _nothing_pending(con, table, why) or MartRun(plan_suite_run(con, table), None, digest)
    described = f"{months[0]:%Y-%m}" if len(months) == 1 else f"{months[0]:%Y-%m} to {months[-1]:%Y-%m}"
    run = plan_suite_run(
        con, table, where=months_condition(date_column, months), rows_described=f"of {len(months)} month(s) rebuilt ({described})"
    )
    return MartRun(run, months, digest)


def _validate_side_by_side(
    con: duckdb.DuckDBPyConnection, runs: dict[str, SuiteRun], warehouse: WarehouseResource
) -> dict[str, SuiteOutcome]:
    """The suites on two cores: Python validates one table at a time, and a daily run waits for it.

    The table with the most rows is read and validated in this process, while a child forked once
    the others are read validates them (the child never touches the connection).
    """
    if not runs:
        return {}
    largest = max(runs, key=lambda key: runs[key].count)
    others = [key for key in runs if key != largest]
    dirs = _quality_dirs(warehouse)
    reads = [read_for_suite(con, runs[key].rows, runs[key].suite_name, **dirs) for key in others]
    elsewhere = Forked(validate_read, reads) if reads else None
    validated = {largest: validate_table(con, runs[largest].rows, runs[largest].suite_name, **dirs)}
    if elsewhere:
        validated.update(zip(others, elsewhere.results()))
    return validated


def _nothing_pending(con: duckdb.DuckDBPyConnection, table: str, why: str) -> CheckOutcome | None:
    """Passed when no rows wait for the suite; None for an empty table, which is validated as it is
    (its row-count expectation is what reports it)."""
    (held,) = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
    if not held:
        return None
    return CheckOutcome(EXPECTATIONS, table, "blocking", passed=True, observed_value=0, details=f"{why} ({held:,} rows)")


def expectation_outcome(
    con: duckdb.DuckDBPyConnection,
    table: str,
    warehouse: WarehouseResource,
    *,
    where: str | None = None,
    rows_described: str = "",
) -> CheckOutcome:
    """The table's Great Expectations suite on its rows (those matching `where`), sampled when many."""
    run = plan_suite_run(con, table, where=where, rows_described=rows_described)
    return run.outcome(validate_table(con, run.rows, run.suite_name, **_quality_dirs(warehouse)))


def plan_suite_run(con: duckdb.DuckDBPyConnection, table: str, *, where: str | None = None, rows_described: str = "") -> SuiteRun:
    (count,) = con.execute(f"SELECT count(*) FROM {table} WHERE {where or 'true'}").fetchall()[0]
    whole = count <= SAMPLE_ROWS and where is None
    rows = table if whole else _rows_to_validate(con, table, suite_name_for(table), where or "true", count)
    return SuiteRun(table, rows, count, rows_described)


def _quality_dirs(warehouse: WarehouseResource) -> dict[str, Path]:
    return {"results_dir": Path(warehouse.quality_dir) / "results", "docs_dir": Path(warehouse.quality_dir) / "docs"}


def _rows_to_validate(con: duckdb.DuckDBPyConnection, table: str, suite_name: str, where: str, count: int) -> str:
    """A view of the table's rows matching `where`, or of a repeatable sample of them when many.

    The sample draws row ids, then reads only the rows drawn: a reservoir of whole rows would carry
    every column of every row through the sampler (7 s against 1.2 s on 15 million calls).
    """
    rows = f"SELECT * FROM {table} WHERE {where}"
    if count > SAMPLE_ROWS:
        # The sample is taken of a subquery: DuckDB samples a FROM clause before applying WHERE.
        rows = (
            f"SELECT * FROM {table} AS validated SEMI JOIN ("
            f"SELECT sampled_rowid FROM (SELECT rowid AS sampled_rowid FROM {table} WHERE {where}) "
            f"USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (42)) AS sampled ON validated.rowid = sampled.sampled_rowid"
        )
    view = f"validated_{suite_name}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {rows}")
    return view


def _describe(failure: ExpectationFailure) -> str:
    column = f" on {failure.column}" if failure.column else ""
    count = f" ({failure.unexpected_count:,} unexpected)" if failure.unexpected_count else ""
    return f"{failure.expectation}{column}{count}"


def _example(failure: ExpectationFailure) -> dict:
    return {
        "expectation": failure.expectation,
        "column": failure.column,
        "observed": failure.observed_value,
        "unexpected_values": list(failure.unexpected_values),
    }


def qa_weekly_coverage(con: duckdb.DuckDBPyConnection, minimum: int) -> list[CheckOutcome]:
    """Warning: agent-weeks with fewer evaluations than the regulation's weekly minimum."""
    months = con.execute(
        """
        SELECT CAST(date_trunc('month', week_start) AS DATE) AS month, count(*) AS agent_weeks,
               count(*) FILTER (WHERE qa_coverage_ok = 0) AS short,
               list(agent_id || ' ' || CAST(week_start AS VARCHAR) ORDER BY agent_id, week_start)
                   FILTER (WHERE qa_coverage_ok = 0)[1:5]
        FROM marts.fct_qa_coverage_weekly GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    return [
        CheckOutcome(
            "qa_weekly_coverage", "marts.fct_qa_coverage_weekly", "warning", short == 0, month, short,
            f"{short} of {weeks} agent-weeks below {minimum} evaluations, e.g. {', '.join(examples or [])}"
            if short else f"every agent-week has at least {minimum} evaluations",
        )
        for month, weeks, short, examples in months
    ]


def check_results(specs: Iterable[dg.AssetCheckSpec], outcomes: list[CheckOutcome]) -> Iterator[dg.AssetCheckResult]:
    """One result per spec: failed if any month of it failed, with the failures as metadata."""
    by_check: dict[tuple[str, str], list[CheckOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_check[(outcome.asset, outcome.check_name)].append(outcome)
    for spec in specs:
        judged = by_check.get((".".join(spec.asset_key.path), spec.name), [])
        failed = [o for o in judged if not o.passed]
        yield dg.AssetCheckResult(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=not failed,
            # A blocking check whose failures are all warnings (e.g. soft expectations) warns.
            severity=dg.AssetCheckSeverity.ERROR if any(o.blocks for o in failed) else dg.AssetCheckSeverity.WARN,
            metadata={
                "months_judged": len(judged),
                "months_failed": ", ".join(f"{o.month:%Y-%m}" if o.month else "-" for o in failed),
                "failures": dg.MetadataValue.md("\n".join(f"- {o.describe()}" for o in failed[:20]) or "none"),
                "examples": dg.MetadataValue.json([e for o in failed[:5] for e in o.examples]),
            },
        )
