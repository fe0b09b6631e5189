"""Writes the data-quality suites of this Great Expectations context (`suites/*.json`).

- `raw_<extract>`, one per extract, derived from the extract contract (`ingestion/contract.py`):
  every stored and lineage column present and typed, required values present, enums, ranges,
  keys unique in their scope, ordered timestamps, customer numbers only as hashes, and each row
  loaded once (file name + line number).
- `marts_<model>`, one per published mart, from the analysts' interface declared in `MARTS` below.

Each expectation's `meta.severity` says what its failure does: `blocking` stops the publication,
`warning` is reported on the data-quality dashboard. A suite's `meta.severity` is the default for an
expectation that says nothing. Integrity (presence, types, enums, ranges, keys, non-empty tables) is
blocking; a share of odd values that a healthy centre can have (`mostly`) is a warning, and its
`notes` say why.

Run after changing the contract or a declaration, and commit the JSON it writes:

    uv run python expectations/generate_suites.py

The pipeline reads only the committed JSON; a test fails while it differs from what this writes.
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from great_expectations.expectations.expectation_configuration import (
    ExpectationConfiguration,
)
from great_expectations.expectations.metadata_types import FailureSeverity

from ingestion.contract import (
    EXTRACTS,
    EXTRACTS_BY_NAME,
    MAX_DURATION_SECONDS,
    Column,
    Extract,
)
from orchestration.lib.policy import SCORE_COMPONENTS

SUITES_DIR = Path(__file__).resolve().parent / "suites"

BLOCKING = "blocking"
WARNING = "warning"
_GX_SEVERITY = {BLOCKING: FailureSeverity.CRITICAL, WARNING: FailureSeverity.WARNING}

# Stable ids: regenerating an unchanged suite writes the same bytes.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "ccw/expectations")

# pandas dtypes of DuckDB columns as the pipeline reads them (`.df()`): a nullable BIGINT becomes
# Int64, DATE and TIMESTAMP datetime64, TIME datetime.time objects. Marts add INTEGER, HUGEINT and
# DECIMAL (int32, float64), so their numbers are checked as numbers, whatever the engine chose.
_DATETIME = ["datetime64[us]", "datetime64[ns]"]
_NUMBER = ["int32", "int64", "Int32Dtype", "Int64Dtype", "float64"]
RAW_TYPE_LISTS = {
    "string": ["str"],
    "enum": ["str"],
    "integer": ["int64", "Int64Dtype"],
    "number": ["float64"],
    "timestamp": _DATETIME,
    "date": _DATETIME,
    "month": _DATETIME,
    "time": ["time"],
    "boolean": ["bool", "BooleanDtype"],
}

RAW_ROW_ID = ("_file_name", "_line_number")
LINEAGE = (
    Column("_file_name", "string", required=True),
    Column("_file_date", "date", required=True),
    Column("_line_number", "integer", required=True, minimum=1),
    Column("_extra", "string"),
    Column("_loaded_at", "timestamp", required=True),
)
_FILE_DATE_PATTERNS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}"}
# The loader's HMAC-SHA256 in hex: a clear phone number can never look like this.
HASH_PATTERN = r"^[0-9a-f]{64}$"


def expectation(type_: str, severity: str = BLOCKING, notes: str | None = None, **kwargs) -> ExpectationConfiguration:
    configuration = ExpectationConfiguration(
        type=type_, kwargs=kwargs, meta={"severity": severity}, notes=notes, severity=_GX_SEVERITY[severity]
    )
    # GX drops an invalid expectation from a suite with a log line only: fail here instead.
    configuration.to_domain_obj()
    return configuration


def suite_json(name: str, meta: dict, expectations: list[ExpectationConfiguration]) -> dict:
    documents = []
    for configuration in expectations:
        document = configuration.to_json_dict()
        identity = json.dumps([name, document["type"], document["kwargs"]], sort_keys=True, default=str)
        document["id"] = str(uuid.uuid5(_ID_NAMESPACE, identity))
        documents.append(document)
    return {
        "name": name,
        "id": str(uuid.uuid5(_ID_NAMESPACE, name)),
        "meta": {"severity": BLOCKING, **meta},
        "notes": None,
        "expectations": documents,
    }


@dataclass(frozen=True)
class Share:
    """A warning: at least `mostly` of the rows are not null, or not in `not_in` when given."""

    column: str
    mostly: float
    why: str
    not_in: tuple[str | int, ...] = ()


def share_expectation(share: Share) -> ExpectationConfiguration:
    if share.not_in:
        return expectation("expect_column_values_to_not_be_in_set", WARNING, share.why, column=share.column,
                           value_set=list(share.not_in), mostly=share.mostly)
    return expectation("expect_column_values_to_not_be_null", WARNING, share.why, column=share.column,
                       mostly=share.mostly)


# --- raw extracts --------------------------------------------------------------------------------


_RATING_COLUMNS = tuple(c.name for c in EXTRACTS_BY_NAME["ratings"].columns if c.type == "number")

# Shares a healthy delivery can have: below them, a number the KPIs need is mostly missing.
RAW_SHARES: dict[str, tuple[Share, ...]] = {
    "calls": (
        Share("customer_number_hash", 0.9, "Withheld numbers happen; a call without one has no FCR."),
    ),
    "sessions": (
        Share("logout_at", 0.95, "Only sessions open at extract time lack a logout."),
    ),
    "agents": (Share("email", 0.9, "Scorecards are e-mailed to agents."),),
    "evaluations": (
        Share("answer_accurate", 0.9, "The denominator of answer_accuracy_rate."),
        Share("fatal_error", 0.9, "A missing flag counts as no fatal error."),
    ),
    "ratings": tuple(
        Share(name, 0.9, "A missing rating gives its weight to the rest of its category.")
        for name in _RATING_COLUMNS
    ),
}

# An empty table means a source system stopped delivering, not a quiet centre. QA extracts
# only warn: the QA team's exports may start later than the ACD's and HR's.
RAW_MUST_HAVE_ROWS = {
    "calls": BLOCKING,
    "sessions": BLOCKING,
    "states": BLOCKING,
    "agents": BLOCKING,
    "schedules": BLOCKING,
    "evaluations": WARNING,
    "surveys": WARNING,
}


def raw_suite(extract: Extract) -> dict:
    meta = {
        "table": extract.raw_table,
        "layer": "raw",
        "row_id_columns": list(RAW_ROW_ID),
        "source": "ingestion/contract.py",
    }
    return suite_json(f"raw_{extract.name}", meta, list(raw_expectations(extract)))


def raw_expectations(extract: Extract) -> Iterator[ExpectationConfiguration]:
    if extract.name in RAW_MUST_HAVE_ROWS:
        yield expectation("expect_table_row_count_to_be_between", RAW_MUST_HAVE_ROWS[extract.name], min_value=1)
    for column in (*extract.stored_columns, *LINEAGE):
        yield from raw_column_expectations(column)
    for share in RAW_SHARES.get(extract.name, ()):
        yield share_expectation(share)
    yield from raw_key_expectations(extract)
    for rule in extract.ordered:
        yield expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A=rule.later,
            column_B=rule.earlier,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
    pattern = rf"(?i)^{extract.file_prefix}_{_FILE_DATE_PATTERNS[extract.period]}\.csv$"
    yield expectation("expect_column_values_to_match_regex", column="_file_name", regex=pattern)
    yield expectation(
        "expect_compound_columns_to_be_unique", notes="A row loaded twice.", column_list=list(RAW_ROW_ID)
    )


def raw_column_expectations(column: Column) -> Iterator[ExpectationConfiguration]:
    name = column.raw_name
    yield expectation("expect_column_to_exist", column=name)
    yield expectation("expect_column_values_to_be_in_type_list", column=name, type_list=RAW_TYPE_LISTS[column.type])
    if column.required:
        yield expectation("expect_column_values_to_not_be_null", column=name)
    if column.values:
        yield expectation("expect_column_values_to_be_in_set", column=name, value_set=list(column.values))
    if column.minimum is not None or column.maximum is not None:
        yield expectation("expect_column_values_to_be_between", column=name, min_value=column.minimum,
                          max_value=column.maximum)
    if column.personal == "hash":
        yield expectation("expect_column_values_to_match_regex", notes="Personal data only as its keyed hash.",
                          column=name, regex=HASH_PATTERN)


def raw_key_expectations(extract: Extract) -> Iterator[ExpectationConfiguration]:
    if extract.key_scope == "centre" and len(extract.key) == 1:
        yield expectation("expect_column_values_to_be_unique", column=extract.key[0])
    elif extract.key_scope == "centre":
        yield expectation("expect_compound_columns_to_be_unique", column_list=list(extract.key))
    elif extract.key_scope == "file":
        yield expectation(
            "expect_compound_columns_to_be_unique",
            notes="Unique within each delivered file; snapshots and re-deliveries repeat it across files.",
            column_list=[*extract.key, "_file_name"],
        )


# --- marts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MartColumn:
    name: str
    kind: str
    """A key of `_KINDS`: the column's type and natural range."""
    required: bool = False
    values: tuple[str, ...] = ()
    maximum: float | None = None
    """A tighter upper bound than its kind's."""


# kind -> (pandas types, minimum, maximum)
_KINDS: dict[str, tuple[list[str], float | None, float | None]] = {
    "text": (["str"], None, None),
    "enum": (["str"], None, None),
    "hash": (["str"], None, None),
    "date": (_DATETIME, None, None),
    "timestamp": (_DATETIME, None, None),
    "time": (["time"], None, None),
    "number": (_NUMBER, None, None),
    "count": (_NUMBER, 0, None),
    "measure": (_NUMBER, 0, None),
    "seconds": (_NUMBER, 0, None),
    "rate": (_NUMBER, 0, 1),
    "score": (_NUMBER, 0, 100),
    "rating": (_NUMBER, 1, 5),
    "positive": (_NUMBER, 1, None),
    "flag": (_NUMBER, 0, 1),
}


@dataclass(frozen=True)
class NotBefore:
    """`later` >= `earlier` (or > when strict) where both are present."""

    later: str
    earlier: str
    strict: bool = False


@dataclass(frozen=True)
class Mart:
    name: str
    key: tuple[str, ...]
    columns: tuple[MartColumn, ...]
    not_before: tuple[NotBefore, ...] = ()
    shares: tuple[Share, ...] = ()


def _req(name: str, kind: str, *values: str, maximum: float | None = None) -> MartColumn:
    return MartColumn(name, kind, required=True, values=values, maximum=maximum)


def _opt(name: str, kind: str, *values: str) -> MartColumn:
    return MartColumn(name, kind, values=values)


FCR_STATUSES = ("resolved", "repeat", "callback", "transferred", "not_resolved", "undecided")
OUTCOMES = ("resolved", "transferred", "callback_required", "unresolved", "abandoned", "no_answer")
GRADES = ("excellent", "good", "pass", "fail")


# Scorecard components that are neither a rate (`_rate`) nor a supervisor's rating (1-5).
_COMPONENT_KINDS = {"qa_score": "score", "aht_seconds": "seconds", "discipline": "measure"}


def _component_kind(component: str) -> str:
    return "rate" if component.endswith("_rate") else _COMPONENT_KINDS.get(component, "rating")


MARTS = (
    Mart(
        name="fct_calls",
        key=("call_id",),
        columns=(
            _req("call_id", "text"),
            _opt("parent_call_id", "text"),
            _req("direction", "enum", "inbound", "outbound"),
            _req("queue", "text"),
            _opt("customer_number_hash", "hash"),
            _opt("agent_id", "text"),
            _req("enqueued_at", "timestamp"),
            _opt("answered_at", "timestamp"),
            _req("ended_at", "timestamp"),
            _req("call_date", "date"),
            _req("month", "date"),
            _req("talk_seconds", "seconds", maximum=MAX_DURATION_SECONDS),
            _req("hold_seconds", "seconds", maximum=MAX_DURATION_SECONDS),
            _req("wrap_seconds", "seconds", maximum=MAX_DURATION_SECONDS),
            _req("handle_seconds", "seconds"),
            _req("outcome", "enum", *OUTCOMES),
            _req("is_handled", "flag"),
            _opt("fcr_status", "enum", *FCR_STATUSES),
        ),
        not_before=(NotBefore("ended_at", "enqueued_at"), NotBefore("call_date", "month")),
        shares=(Share("customer_number_hash", 0.9, "Without a customer number a call's FCR is undecidable."),),
    ),
    Mart(
        name="dim_agent",
        key=("agent_id", "valid_from"),
        columns=(
            _req("agent_id", "text"),
            _req("valid_from", "date"),
            _opt("valid_to", "date"),
            _req("name", "text"),
            _opt("email", "text"),
            _req("team", "text"),
            _req("tier", "enum", "first_line", "second_line"),
            _req("role", "enum", "agent", "team_lead", "qa", "supervisor"),
            _opt("supervisor_id", "text"),
            _req("hire_date", "date"),
            _req("probation_end_date", "date"),
            _opt("termination_date", "date"),
        ),
        not_before=(NotBefore("valid_to", "valid_from", strict=True),),
        shares=(Share("email", 0.9, "Scorecards are e-mailed to agents."),),
    ),
    Mart(
        name="fct_agent_daily",
        key=("agent_id", "work_date"),
        columns=(
            _req("agent_id", "text"),
            _req("work_date", "date"),
            _opt("shift_start", "time"),
            _opt("shift_end", "time"),
            _opt("first_login", "timestamp"),
            _opt("last_logout", "timestamp"),
            _req("day_status", "enum", "present", "absent", "on_leave"),
            _opt("late_minutes", "count"),
            _opt("early_minutes", "count"),
            _req("is_late", "flag"),
            _req("is_early_leave", "flag"),
            _req("handled_calls", "count"),
            _req("handle_seconds", "seconds"),
            _req("available_seconds", "seconds"),
            _req("busy_violations", "count"),
        ),
        not_before=(NotBefore("last_logout", "first_login"),),
        shares=(
            Share("day_status", 0.9, "So many absent days usually means a missing sessions file, not absent agents.",
                  not_in=("absent",)),
        ),
    ),
    Mart(
        name="fct_team_daily_attendance",
        key=("team", "work_date"),
        columns=(
            _req("team", "text"),
            _req("work_date", "date"),
            _req("agents_scheduled", "positive"),
            _req("agents_present", "count"),
            _req("attendance_rate", "rate"),
        ),
        not_before=(NotBefore("agents_scheduled", "agents_present"),),
    ),
    Mart(
        name="fct_queue_daily",
        key=("queue", "call_date"),
        columns=(
            _req("queue", "text"),
            _req("call_date", "date"),
            _req("offered", "count"),
            _req("answered", "count"),
            _req("abandoned", "count"),
            _opt("abandon_rate", "rate"),
            _opt("asa_seconds", "seconds"),
            _opt("service_level", "rate"),
        ),
        not_before=(NotBefore("offered", "answered"), NotBefore("offered", "abandoned")),
    ),
    Mart(
        name="fct_agent_monthly",
        key=("agent_id", "month"),
        columns=(
            _req("agent_id", "text"),
            _req("month", "date"),
            _req("team", "text"),
            *(_req(name, "count") for name in ("handled_calls", "inbound_handled", "outbound_handled")),
            *(_opt(name, "seconds") for name in ("aht_seconds", "avg_talk_seconds", "avg_wrap_seconds")),
            _opt("calls_per_hour", "measure"),
            _opt("fcr_rate", "rate"),
            _opt("occupancy_rate", "rate"),
            _req("busy_violations", "count"),
            *(_req(name, "count") for name in (
                "scheduled_days", "present_days", "leave_days", "absent_days", "late_days", "early_leave_days",
            )),
            _opt("attendance_rate", "rate"),
            _req("qa_evaluations", "count"),
            _opt("qa_score", "score"),
            _opt("answer_accuracy_rate", "rate"),
            _req("fatal_errors", "count"),
            _opt("csat_rate", "rate"),
            _req("complaints_handled", "count"),
            _opt("complaint_timeliness_rate", "rate"),
            _opt("complaint_success_rate", "rate"),
            _req("complaints_received", "count"),
        ),
        not_before=(
            NotBefore("handled_calls", "inbound_handled"),
            NotBefore("handled_calls", "outbound_handled"),
            NotBefore("scheduled_days", "present_days"),
            NotBefore("present_days", "late_days"),
        ),
    ),
    Mart(
        name="fct_agent_scorecard",
        key=("agent_id", "month"),
        columns=(
            _req("agent_id", "text"),
            _req("month", "date"),
            _req("team", "text"),
            *(
                column
                for components in SCORE_COMPONENTS.values()
                for component in components
                for column in (_opt(f"{component}_value", _component_kind(component)),
                               _opt(f"{component}_points", "score"))
            ),
            _req("missing_components", "text"),
            *(_opt(f"{category}_score", "score") for category in SCORE_COMPONENTS),
            _opt("total_score", "score"),
            _opt("grade", "enum", *GRADES),
            _opt("rank_in_team", "positive"),
            _opt("rank_in_centre", "positive"),
            _req("is_on_probation", "flag"),
            _req("review_flags", "text"),
            _req("policy_version", "text"),
        ),
        shares=(
            Share("total_score", 0.9, "A row without a total (a category without data) has no grade nor rank."),
        ),
    ),
    Mart(
        name="fct_qa_coverage_weekly",
        key=("agent_id", "week_start"),
        columns=(
            _req("agent_id", "text"),
            _req("week_start", "date"),
            _req("iso_year", "number"),
            _req("iso_week", "positive", maximum=53),
            _req("evaluations", "count"),
            _req("qa_coverage_ok", "flag"),
        ),
        shares=(
            Share("qa_coverage_ok", 1.0, "Weeks below the policy's quality.weekly_minimum_evaluations.", not_in=(0,)),
        ),
    ),
)


def mart_suite(mart: Mart) -> dict:
    meta = {
        "table": f"marts.{mart.name}",
        "layer": "marts",
        "row_id_columns": list(mart.key),
        "source": "the marts' interface declared in expectations/generate_suites.py",
    }
    return suite_json(f"marts_{mart.name}", meta, list(mart_expectations(mart)))


def mart_expectations(mart: Mart) -> Iterator[ExpectationConfiguration]:
    yield expectation("expect_table_row_count_to_be_between", min_value=1)
    for column in mart.columns:
        yield from mart_column_expectations(column)
    if len(mart.key) == 1:
        yield expectation("expect_column_values_to_be_unique", column=mart.key[0])
    else:
        yield expectation("expect_compound_columns_to_be_unique", column_list=list(mart.key))
    for rule in mart.not_before:
        yield expectation(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A=rule.later,
            column_B=rule.earlier,
            or_equal=not rule.strict,
            ignore_row_if="either_value_is_missing",
        )
    for share in mart.shares:
        yield share_expectation(share)


def mart_column_expectations(column: MartColumn) -> Iterator[ExpectationConfiguration]:
    type_list, minimum, maximum = _KINDS[column.kind]
    if column.maximum is not None:
        maximum = column.maximum
    yield expectation("expect_column_to_exist", column=column.name)
    yield expectation("expect_column_values_to_be_in_type_list", column=column.name, type_list=type_list)
    if column.required:
        yield expectation("expect_column_values_to_not_be_null", column=column.name)
    if column.values:
        yield expectation("expect_column_values_to_be_in_set", column=column.name, value_set=list(column.values))
    if column.kind == "hash":
        yield expectation("expect_column_values_to_match_regex", notes="Personal data only as its keyed hash.",
                          column=column.name, regex=HASH_PATTERN)
    if minimum is not None or maximum is not None:
        yield expectation("expect_column_values_to_be_between", column=column.name, min_value=minimum,
                          max_value=maximum)


# --- writing -------------------------------------------------------------------------------------


def all_suites() -> dict[str, dict]:
    suites = [raw_suite(extract) for extract in EXTRACTS] + [mart_suite(mart) for mart in MARTS]
    return {suite["name"]: suite for suite in suites}


def suite_file_text(suite: dict) -> str:
    return json.dumps(suite, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_suites(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    suites = all_suites()
    for stale in folder.glob("*.json"):
        if stale.stem not in suites:
            stale.unlink()
    written = []
    for name, suite in suites.items():
        path = folder / f"{name}.json"
        path.write_text(suite_file_text(suite), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SUITES_DIR, help="folder to write (default: the committed suites)")
    folder = parser.parse_args().out
    written = write_suites(folder)
    print(f"{len(written)} suites written to {folder}")


if __name__ == "__main__":
    main()
