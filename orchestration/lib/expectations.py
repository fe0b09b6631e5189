"""The Great Expectations part of the publication gate: a warehouse table against its committed suite.

The suites are JSON files of the repository's GX context (`expectations/suites/`), loaded through
that context's configuration. Everything else a validation needs stays out of the repository: the
pandas datasource and its whole-dataframe batch live in memory, and validation results and Data
Docs go to gitignored folders under `data/`. GX has no DuckDB dialect, so the table is read from
DuckDB into a pandas DataFrame.

Each expectation's `meta.severity` (else its suite's) says whether its failure blocks publication
(`blocking`) or is reported only (`warning`).
"""

from __future__ import annotations

import copy
import hashlib
import math
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import numpy as np
import pandas as pd
import yaml
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)
from great_expectations.datasource.fluent.interfaces import Batch
from great_expectations.execution_engine import pandas_execution_engine

from orchestration.lib import expectation_kwargs
from orchestration.lib.settings import DATA_DIR, REPO_ROOT

CONTEXT_DIR = REPO_ROOT / "expectations"
DQ_RESULTS_DIR = DATA_DIR / "data_quality" / "results"
"""The latest validation result of each suite (GX JSON), from which the Data Docs are built."""
DQ_DOCS_DIR = DATA_DIR / "data_quality" / "docs"
"""GX Data Docs: open `index.html`."""

BLOCKING = "blocking"
WARNING = "warning"
EXAMPLES = 5
"""Unexpected values and rows kept per failed expectation."""

_DATASOURCE = "warehouse"
_IN_MEMORY = {"class_name": "InMemoryStoreBackend"}
# The arguments through which an expectation names the column(s) it checks.
_COLUMN_ARGUMENTS = ("column", "column_list", "column_A", "column_B")

# GX fingerprints a batch under this many bytes by hashing every value of its frame, twice a
# validation (0.6 s for a 200,000-row sample of the calls): a batch marker nothing reads, since the
# gate records which loads or months each suite judged.
pandas_execution_engine.HASH_THRESHOLD = 0
expectation_kwargs.install()


class UnknownSuite(LookupError):
    pass


@dataclass(frozen=True)
class ExpectationFailure:
    expectation: str
    """The expectation type, e.g. `expect_column_values_to_be_between`."""
    column: str | None
    """The column checked; columns joined with ', ' for keys and pairs; None for table checks."""
    severity: str
    arguments: dict[str, Any]
    """The expectation's other arguments, e.g. {'min_value': 0, 'max_value': 1}."""
    observed_value: Any
    """For checks on the whole table or column (row count, type, missing column); else None."""
    unexpected_count: int | None
    unexpected_percent: float | None
    unexpected_values: tuple[Any, ...]
    """A few of the values that broke it."""
    unexpected_rows: tuple[dict[str, Any], ...]
    """Where a few of them are: the suite's row id columns (file and line in raw, the key in marts)."""
    error: str | None
    """Why the expectation could not be evaluated (e.g. its column is missing)."""
    notes: str | None

    @property
    def message(self) -> str:
        """One line for people: the rule, then what broke it."""
        arguments = ", ".join(f"{key}={value}" for key, value in self.arguments.items())
        rule = f"{self.expectation}({', '.join(filter(None, [self.column, arguments]))})"
        findings = []
        if self.error:
            findings.append(f"error: {self.error}")
        if self.unexpected_count:
            findings.append(f"{self.unexpected_count} unexpected ({self.unexpected_percent:.3g}%)")
        if self.unexpected_values:
            findings.append("e.g. " + ", ".join(repr(value) for value in self.unexpected_values))
        if self.unexpected_rows:
            findings.append("rows " + "; ".join(_row_text(row) for row in self.unexpected_rows))
        if self.observed_value is not None:
            findings.append(f"observed {self.observed_value!r}")
        return f"{rule}: {'; '.join(findings)}" if findings else rule


@dataclass(frozen=True)
class SuiteOutcome:
    suite_name: str
    table: str
    success: bool
    """No blocking expectation failed: the table may be published (warnings may remain)."""
    blocking_failures: tuple[ExpectationFailure, ...]
    warning_failures: tuple[ExpectationFailure, ...]
    evaluated: int
    """Expectations evaluated."""
    row_count: int


def suite_name_for(table: str) -> str:
    """The suite of a warehouse table: `raw.calls` -> `raw_calls`, `marts.fct_calls` -> `marts_fct_calls`."""
    return table.replace(".", "_")


def suite_names() -> list[str]:
    """Every committed suite, by name."""
    return sorted(path.stem for path in _suites_dir().glob("*.json"))


def suite_digest(suite_name: str) -> str:
    """The sha256 of a committed suite's file: it changes with any of its expectations."""
    _check_known(suite_name)
    return hashlib.sha256((_suites_dir() / f"{suite_name}.json").read_bytes()).hexdigest()


def load_suite(suite_name: str) -> gx.ExpectationSuite:
    """A committed suite as the gate runs it."""
    _check_known(suite_name)
    return _context().suites.get(suite_name)


def validate_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    suite_name: str,
    *,
    build_docs: bool = False,
    results_dir: Path = DQ_RESULTS_DIR,
    docs_dir: Path = DQ_DOCS_DIR,
) -> SuiteOutcome:
    """Validate `table` (e.g. `marts.fct_calls`) with the committed suite `suite_name`.

    The result replaces the suite's previous one in `results_dir`; with `build_docs`, the Data Docs
    in `docs_dir` are rebuilt from the latest result of every suite (in a run that validates many
    tables at once, call `build_data_docs` once at the end instead). A missing table raises DuckDB's
    CatalogException; a missing column is a blocking failure.
    """
    return validate_read(read_for_suite(con, table, suite_name, results_dir=results_dir, docs_dir=docs_dir), build_docs=build_docs)


@dataclass(frozen=True)
class SuiteRead:
    """A table's rows read for a suite, with the suite in the context that stores its result.

    `validate_read` needs no database: a child forked after the read can validate it.
    """

    table: str
    suite_name: str
    frame: pd.DataFrame
    context: EphemeralDataContext
    suite: gx.ExpectationSuite
    results_dir: Path
    docs_dir: Path


def read_for_suite(
    con: duckdb.DuckDBPyConnection, table: str, suite_name: str, *, results_dir: Path = DQ_RESULTS_DIR, docs_dir: Path = DQ_DOCS_DIR
) -> SuiteRead:
    """The columns of `table` that the suite `suite_name` looks at (GX copies the frame often)."""
    _check_known(suite_name)
    context = _context(results_dir, docs_dir)
    suite = context.suites.get(suite_name)
    frame = _read(con, table, {*_checked_columns(suite), *suite.meta.get("row_id_columns", [])})
    return SuiteRead(table, suite_name, frame, context, suite, results_dir, docs_dir)


def validate_read(read: SuiteRead, *, build_docs: bool = False) -> SuiteOutcome:
    """`validate_table`'s validation, of the rows `read_for_suite` read."""
    table, suite_name, frame, context, suite = read.table, read.suite_name, read.frame, read.context, read.suite
    row_id_columns = [column for column in suite.meta.get("row_id_columns", []) if column in frame.columns]

    batch = (
        context.data_sources.add_pandas(_DATASOURCE)
        .add_dataframe_asset(table)
        .add_batch_definition_whole_dataframe("whole table")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    # The batch validates the suite itself: a checkpoint would first compare its validation
    # definition and the suite with their stored copies, expectation by expectation, every run.
    result = batch.validate(suite, result_format={"result_format": "BASIC", "partial_unexpected_count": EXAMPLES})
    if row_id_columns:
        _locate_unexpected_rows(batch, suite_name, result, row_id_columns)
    result_key = _store(context, suite_name, result)
    _keep_only(context, suite_name, result_key, read.results_dir)
    if build_docs:
        _rebuild_docs(context, read.docs_dir)
    return _outcome(suite_name, table, suite.meta.get("severity", BLOCKING), result, row_id_columns, len(frame))


def _locate_unexpected_rows(
    batch: Batch, suite_name: str, result: ExpectationSuiteValidationResult, row_id_columns: Sequence[str]
) -> None:
    """The failed expectations validated again, naming the rows of their first unexpected values.

    Finding those rows costs a suite about a third of its time (3.9 s against 2.9 s for the calls'
    suite on 200,000 legs): only the expectations that failed pay it, and their results replace
    the first ones.
    """
    failed = [index for index, check in enumerate(result.results) if not check.success]
    if not failed:
        return
    # Copies: an expectation of the suite cannot belong to a second one.
    expectations = [copy.copy(result.results[index].expectation_config.to_domain_obj()) for index in failed]
    again = gx.ExpectationSuite(name=f"{suite_name} failures", expectations=expectations)
    located = batch.validate(
        again,
        result_format={
            "result_format": "SUMMARY",
            "partial_unexpected_count": EXAMPLES,
            "unexpected_index_column_names": list(row_id_columns),
        },
    )
    for index, check in zip(failed, located.results):
        result.results[index] = check


def build_data_docs(*, results_dir: Path = DQ_RESULTS_DIR, docs_dir: Path = DQ_DOCS_DIR) -> Path:
    """Rebuild the Data Docs in `docs_dir` from the latest result of every suite; returns index.html."""
    return _rebuild_docs(_context(results_dir, docs_dir), docs_dir)


def _check_known(suite_name: str) -> None:
    if suite_name not in suite_names():
        raise UnknownSuite(f"no suite {suite_name!r} in {_suites_dir()}; known: {', '.join(suite_names())}")


def _read(con: duckdb.DuckDBPyConnection, table: str, columns: set[str]) -> pd.DataFrame:
    """The table's columns the suite looks at: GX copies the frame often, other columns only cost."""
    relation = con.table(table)
    kept = [column for column in relation.columns if column in columns] or relation.columns
    return relation.select(*(duckdb.ColumnExpression(column) for column in kept)).df()


def _checked_columns(suite: gx.ExpectationSuite) -> set[str]:
    # An expectation builds its configuration anew on every access: once per expectation.
    return {
        name
        for kwargs in (expectation.configuration.kwargs for expectation in suite.expectations)
        for argument in _COLUMN_ARGUMENTS
        for name in _names(kwargs.get(argument))
    }


def _names(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _suites_dir() -> Path:
    return CONTEXT_DIR / _committed_config()["stores"]["expectations_store"]["store_backend"]["base_directory"]


def _committed_config() -> dict:
    return yaml.safe_load((CONTEXT_DIR / "great_expectations.yml").read_text(encoding="utf-8"))


def _context(results_dir: Path | None = None, docs_dir: Path | None = None) -> EphemeralDataContext:
    """The committed context's configuration, with everything a run writes moved out of the repository.

    Without `results_dir` results stay in memory; without `docs_dir` there are no Data Docs.
    """
    config = _committed_config()
    stores = config["stores"]
    stores["expectations_store"]["store_backend"]["base_directory"] = str(_suites_dir())
    stores["validation_results_store"]["store_backend"] = _folder(results_dir) if results_dir else _IN_MEMORY
    stores["validation_definition_store"]["store_backend"] = _IN_MEMORY
    stores["checkpoint_store"]["store_backend"] = _IN_MEMORY
    if docs_dir:
        for site in config["data_docs_sites"].values():
            site["store_backend"] = _folder(docs_dir)
    else:
        config["data_docs_sites"] = {}
    config.pop("config_variables_file_path", None)
    config["analytics_enabled"] = False
    return gx.get_context(project_config=config, mode="ephemeral")


def _folder(path: Path) -> dict:
    return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(path).resolve())}


def _store(
    context: EphemeralDataContext, suite_name: str, result: ExpectationSuiteValidationResult
) -> ValidationResultIdentifier:
    """The result kept in the results store, stamped with its run as a checkpoint would."""
    run_id = RunIdentifier(run_time=datetime.now(timezone.utc))
    result.meta["run_id"] = run_id
    result.meta["validation_time"] = run_id.run_time
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_name),
        run_id=run_id,
        batch_identifier=result.batch_id,
    )
    context.validation_results_store.set(key, result)
    return key


def _keep_only(
    context: EphemeralDataContext, suite_name: str, latest: ValidationResultIdentifier, results_dir: Path
) -> None:
    """The Data Docs show the latest result of each suite: earlier ones of this suite are dropped."""
    store = context.validation_results_store
    for key in store.list_keys():
        if key.expectation_suite_identifier.name == suite_name and key != latest:
            store.remove_key(key)
    # The store leaves the folders of removed results behind.
    for folder in sorted((results_dir / suite_name).rglob("*"), key=lambda path: len(path.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _rebuild_docs(context: EphemeralDataContext, docs_dir: Path) -> Path:
    # Pages of dropped results would linger next to the new ones: the site is rebuilt from scratch.
    if (docs_dir / "index.html").exists():
        shutil.rmtree(docs_dir)
    context.build_data_docs()
    return docs_dir / "index.html"


def _outcome(
    suite_name: str,
    table: str,
    suite_severity: str,
    result: ExpectationSuiteValidationResult,
    row_id_columns: Sequence[str],
    row_count: int,
) -> SuiteOutcome:
    failures = [_failure(check, suite_severity, row_id_columns) for check in result.results if not check.success]
    blocking = tuple(failure for failure in failures if failure.severity != WARNING)
    return SuiteOutcome(
        suite_name=suite_name,
        table=table,
        success=not blocking,
        blocking_failures=blocking,
        warning_failures=tuple(failure for failure in failures if failure.severity == WARNING),
        evaluated=int(result.statistics["evaluated_expectations"]),
        row_count=row_count,
    )


def _failure(
    check: ExpectationValidationResult, suite_severity: str, row_id_columns: Sequence[str]
) -> ExpectationFailure:
    config = check.expectation_config
    kwargs = dict(config.kwargs)
    column = ", ".join(name for argument in _COLUMN_ARGUMENTS for name in _names(kwargs.get(argument))) or None
    details = check.result or {}
    notes = config.notes
    return ExpectationFailure(
        expectation=config.type,
        column=column,
        severity=(config.meta or {}).get("severity", suite_severity),
        arguments=_plain({k: v for k, v in kwargs.items() if k not in (*_COLUMN_ARGUMENTS, "batch_id")}),
        observed_value=_plain(details.get("observed_value")),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        # A missing value is its own example (not-null checks): only values that are there are kept.
        unexpected_values=tuple(v for v in _plain(details.get("partial_unexpected_list") or []) if v is not None),
        unexpected_rows=tuple(_row_ids(details.get("partial_unexpected_index_list") or [], row_id_columns)),
        error=_error(check.exception_info),
        notes=" ".join(notes) if isinstance(notes, list) else notes,
    )


def _row_ids(index_list: list, row_id_columns: Sequence[str]) -> list[dict[str, Any]]:
    rows = [entry for entry in index_list[:EXAMPLES] if isinstance(entry, Mapping)]
    return [{column: _plain(row.get(column)) for column in row_id_columns} for row in rows]


def _error(exception_info: Mapping | None) -> str | None:
    """GX reports an exception flat, or per metric that failed: the first message either way."""
    if not exception_info:
        return None
    if "raised_exception" in exception_info:
        return exception_info.get("exception_message") if exception_info["raised_exception"] else None
    messages = [info.get("exception_message") for info in exception_info.values() if isinstance(info, Mapping)]
    return next((message for message in messages if message), None)


def _plain(value: Any) -> Any:
    """Plain Python data (JSON-friendly) from what GX and pandas hand back."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime) and value == datetime.combine(value.date(), time()):
        # DuckDB DATEs reach pandas as timestamps at midnight.
        return value.date().isoformat()
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _row_text(row: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in row.items())
