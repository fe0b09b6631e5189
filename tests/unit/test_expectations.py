"""The Great Expectations gate: committed suites, run on real DuckDB tables, blocking or warning."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from great_expectations.execution_engine import pandas_execution_engine

from ingestion.contract import EXTRACTS
from ingestion.pii import hash_number
from ingestion.schema import create_schemas
from orchestration.lib.expectations import (
    BLOCKING,
    CONTEXT_DIR,
    WARNING,
    ExpectationFailure,
    SuiteOutcome,
    UnknownSuite,
    build_data_docs,
    load_suite,
    suite_name_for,
    suite_names,
    validate_table,
)

REPOSITORY = Path(__file__).resolve().parents[2]
SUITES_DIR = CONTEXT_DIR / "suites"
PUBLISHED_MARTS = (
    "fct_calls",
    "dim_agent",
    "fct_agent_daily",
    "fct_team_daily_attendance",
    "fct_queue_daily",
    "fct_agent_monthly",
    "fct_agent_scorecard",
    "fct_qa_coverage_weekly",
)
HASH_KEY = b"test-key"
FIRST_CALL_AT = datetime(2026, 8, 3, 9, 0)


@pytest.fixture
def dq_dirs(tmp_path: Path) -> dict[str, Path]:
    return {"results_dir": tmp_path / "dq_results", "docs_dir": tmp_path / "dq_docs"}


@pytest.fixture
def warehouse(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_schemas(con)
    con.execute("CREATE SCHEMA marts")
    yield con
    con.close()


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    for row in rows:
        columns = ", ".join(row)
        con.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))


def raw_call(line: int, **changes) -> dict:
    """A valid raw.calls row: an inbound call answered after 10 s, line `line` of the day's file."""
    enqueued_at = FIRST_CALL_AT + timedelta(minutes=line)
    row = {
        "call_id": f"C{line:06d}",
        "parent_call_id": None,
        "direction": "inbound",
        "queue": "billing",
        "customer_number_hash": hash_number(HASH_KEY, f"1380000{line:04d}"),
        "agent_id": "10001",
        "enqueued_at": enqueued_at,
        "answered_at": enqueued_at + timedelta(seconds=10),
        "ended_at": enqueued_at + timedelta(seconds=200),
        "talk_seconds": 150,
        "hold_seconds": 10,
        "wrap_seconds": 30,
        "outcome": "resolved",
        "_file_name": "calls_2026-08-03.csv",
        "_file_date": date(2026, 8, 3),
        "_line_number": line,
        "_extra": None,
        "_loaded_at": datetime(2026, 8, 4, 1, 0),
    }
    return {**row, **changes}


def create_queue_daily(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    con.execute(
        """
        CREATE TABLE marts.fct_queue_daily (
            queue VARCHAR, call_date DATE, offered BIGINT, answered HUGEINT, abandoned HUGEINT,
            abandon_rate DOUBLE, asa_seconds DOUBLE, service_level DOUBLE
        )
        """
    )
    insert(con, "marts.fct_queue_daily", rows)


def queue_day(queue: str, call_date: date, **changes) -> dict:
    row = {
        "queue": queue,
        "call_date": call_date,
        "offered": 100,
        "answered": 90,
        "abandoned": 10,
        "abandon_rate": 0.1,
        "asa_seconds": 12.5,
        "service_level": 0.85,
    }
    return {**row, **changes}


def create_qa_coverage_weekly(con: duckdb.DuckDBPyConnection, evaluations_by_agent: dict[str, int]) -> None:
    con.execute(
        """
        CREATE TABLE marts.fct_qa_coverage_weekly (
            agent_id VARCHAR, week_start DATE, week_end DATE, iso_year INTEGER, iso_week INTEGER,
            team VARCHAR, handled_calls HUGEINT, evaluations HUGEINT, qa_coverage_ok INTEGER
        )
        """
    )
    insert(
        con,
        "marts.fct_qa_coverage_weekly",
        [
            {
                "agent_id": agent_id,
                "week_start": date(2026, 8, 3),
                "week_end": date(2026, 8, 9),
                "iso_year": 2026,
                "iso_week": 32,
                "team": "t1",
                "handled_calls": 120,
                "evaluations": evaluations,
                "qa_coverage_ok": int(evaluations >= 2),
            }
            for agent_id, evaluations in evaluations_by_agent.items()
        ],
    )


def failure_on(failures: tuple[ExpectationFailure, ...], expectation: str, column: str) -> ExpectationFailure:
    found = [f for f in failures if f.expectation == expectation and f.column == column]
    assert found, f"no {expectation} failure on {column} among {[f.message for f in failures]}"
    return found[0]


def git_status(*arguments: str) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", *arguments],
        cwd=REPOSITORY, capture_output=True, text=True, check=True,
    ).stdout


def repository_state() -> tuple[str, str, dict[str, str]]:
    """git's view of the repository, of the GX context with its ignored files, and the context's bytes."""
    digests = {
        str(path.relative_to(CONTEXT_DIR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(CONTEXT_DIR.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    return git_status(), git_status("--ignored", "--", "expectations"), digests


# --- the committed suites ------------------------------------------------------------------------


def test_every_extract_and_every_published_mart_has_a_suite() -> None:
    expected = {f"raw_{extract.name}" for extract in EXTRACTS} | {f"marts_{mart}" for mart in PUBLISHED_MARTS}

    assert expected <= set(suite_names())
    assert {suite_name_for(extract.raw_table) for extract in EXTRACTS} <= set(suite_names())


@pytest.mark.parametrize("suite_file", sorted(SUITES_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_every_committed_suite_loads_with_all_its_expectations_and_a_severity_each(suite_file: Path) -> None:
    committed = json.loads(suite_file.read_text(encoding="utf-8"))

    suite = load_suite(suite_file.stem)

    # GX drops an expectation it cannot build with a log line only: every one must survive.
    assert len(suite.expectations) == len(committed["expectations"]) > 0
    assert suite.meta["severity"] == BLOCKING
    assert suite.meta["table"] == suite_file.stem.replace("_", ".", 1)
    for expectation in suite.expectations:
        severity = expectation.meta["severity"]
        assert severity in (BLOCKING, WARNING)
        assert expectation.severity.value == {BLOCKING: "critical", WARNING: "warning"}[severity]


def test_the_committed_suites_are_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(CONTEXT_DIR / "generate_suites.py"), "--out", str(tmp_path)],
        cwd=REPOSITORY, check=True, capture_output=True,
    )

    generated = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.json")}
    committed = {path.name: path.read_text(encoding="utf-8") for path in SUITES_DIR.glob("*.json")}
    assert generated.keys() == committed.keys()
    stale = [name for name in generated if generated[name] != committed[name]]
    assert not stale, f"regenerate with `uv run python expectations/generate_suites.py`: {stale}"


def test_soft_share_rules_are_warnings_and_integrity_rules_block() -> None:
    calls = load_suite("raw_calls")
    by_rule = {(e.expectation_type, e.configuration.kwargs.get("column")): e for e in calls.expectations}

    withheld_numbers = by_rule[("expect_column_values_to_not_be_null", "customer_number_hash")]
    assert withheld_numbers.meta["severity"] == WARNING
    assert withheld_numbers.configuration.kwargs["mostly"] == 0.9
    for rule in (
        ("expect_column_values_to_be_unique", "call_id"),
        ("expect_column_values_to_be_in_set", "direction"),
        ("expect_column_values_to_be_between", "talk_seconds"),
        ("expect_column_values_to_not_be_null", "call_id"),
    ):
        assert by_rule[rule].meta["severity"] == BLOCKING


# --- raw extracts --------------------------------------------------------------------------------


def test_a_raw_extract_of_valid_rows_passes_its_suite(warehouse, dq_dirs) -> None:
    insert(warehouse, "raw.calls", [raw_call(line) for line in range(2, 12)])

    outcome = validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    assert outcome == SuiteOutcome(
        suite_name="raw_calls",
        table="raw.calls",
        success=True,
        blocking_failures=(),
        warning_failures=(),
        evaluated=len(load_suite("raw_calls").expectations),
        row_count=10,
    )


def test_a_validation_never_hashes_the_frame_it_judges(warehouse, dq_dirs, monkeypatch: pytest.MonkeyPatch) -> None:
    """GX's batch fingerprint hashes every value; it is skipped, and the suite judges the rows as before."""

    def refuse(frame):
        raise AssertionError(f"a frame of {len(frame)} rows was hashed")

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    rows = [raw_call(line) for line in range(2, 12)]
    rows[3] = raw_call(5, call_id=rows[2]["call_id"])
    insert(warehouse, "raw.calls", rows)

    outcome = validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    duplicate = failure_on(outcome.blocking_failures, "expect_column_values_to_be_unique", "call_id")
    assert duplicate.unexpected_count == 2


def test_a_duplicate_key_and_an_unknown_enum_block_naming_column_values_and_rows(warehouse, dq_dirs) -> None:
    rows = [raw_call(line) for line in range(2, 12)]
    rows[3] = raw_call(5, call_id=rows[2]["call_id"])
    rows[6] = raw_call(8, direction="sideways")
    insert(warehouse, "raw.calls", rows)

    outcome = validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    assert not outcome.success
    duplicate = failure_on(outcome.blocking_failures, "expect_column_values_to_be_unique", "call_id")
    assert duplicate.severity == BLOCKING
    assert duplicate.unexpected_count == 2
    assert set(duplicate.unexpected_values) == {rows[2]["call_id"]}
    assert {row["_line_number"] for row in duplicate.unexpected_rows} == {4, 5}
    assert {row["_file_name"] for row in duplicate.unexpected_rows} == {"calls_2026-08-03.csv"}
    unknown = failure_on(outcome.blocking_failures, "expect_column_values_to_be_in_set", "direction")
    assert unknown.unexpected_values == ("sideways",)
    assert unknown.unexpected_rows == ({"_file_name": "calls_2026-08-03.csv", "_line_number": 8},)
    assert unknown.arguments["value_set"] == ["inbound", "outbound"]
    assert "direction" in unknown.message and "sideways" in unknown.message
    assert outcome.warning_failures == ()
    # Plain data: it can travel as JSON (e.g. as check metadata).
    json.dumps(dataclasses.asdict(outcome))


def test_a_clear_phone_number_in_raw_blocks(warehouse, dq_dirs) -> None:
    insert(warehouse, "raw.calls", [raw_call(2), raw_call(3, customer_number_hash="13800000003")])

    outcome = validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    leak = failure_on(outcome.blocking_failures, "expect_column_values_to_match_regex", "customer_number_hash")
    assert leak.unexpected_values == ("13800000003",)


def test_an_empty_extract_that_must_have_rows_blocks(warehouse, dq_dirs) -> None:
    outcome = validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    assert not outcome.success
    empty = failure_on(outcome.blocking_failures, "expect_table_row_count_to_be_between", None)
    assert empty.observed_value == 0
    assert len(outcome.blocking_failures) == 1


def test_a_soft_share_below_its_threshold_is_a_warning_not_a_blocking_failure(warehouse, dq_dirs) -> None:
    insert(warehouse, "raw.calls", [raw_call(line, customer_number_hash=None) if line % 2 else raw_call(line)
                                    for line in range(2, 12)])

    outcome = validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    assert outcome.success
    assert outcome.blocking_failures == ()
    withheld = failure_on(outcome.warning_failures, "expect_column_values_to_not_be_null", "customer_number_hash")
    assert withheld.severity == WARNING
    assert withheld.unexpected_count == 5
    assert {row["_line_number"] for row in withheld.unexpected_rows} == {3, 5, 7, 9, 11}
    assert withheld.unexpected_values == ()
    assert withheld.notes


# --- marts ---------------------------------------------------------------------------------------


def test_a_mart_of_valid_rows_passes_its_suite(warehouse, dq_dirs) -> None:
    create_queue_daily(warehouse, [queue_day("billing", date(2026, 8, 3)), queue_day("billing", date(2026, 8, 4))])

    outcome = validate_table(warehouse, "marts.fct_queue_daily", "marts_fct_queue_daily", **dq_dirs)

    assert outcome.success
    assert outcome.blocking_failures == outcome.warning_failures == ()
    assert outcome.evaluated == len(load_suite("marts_fct_queue_daily").expectations)


def test_a_rate_out_of_range_and_a_duplicate_mart_key_block(warehouse, dq_dirs) -> None:
    create_queue_daily(
        warehouse,
        [
            queue_day("billing", date(2026, 8, 3)),
            queue_day("billing", date(2026, 8, 4), abandon_rate=1.5),
            queue_day("repair", date(2026, 8, 4)),
            queue_day("repair", date(2026, 8, 4)),
        ],
    )

    outcome = validate_table(warehouse, "marts.fct_queue_daily", "marts_fct_queue_daily", **dq_dirs)

    assert not outcome.success
    rate = failure_on(outcome.blocking_failures, "expect_column_values_to_be_between", "abandon_rate")
    assert rate.unexpected_values == (1.5,)
    assert rate.arguments == {"min_value": 0, "max_value": 1}
    assert rate.unexpected_rows == ({"queue": "billing", "call_date": "2026-08-04"},)
    key = failure_on(outcome.blocking_failures, "expect_compound_columns_to_be_unique", "queue, call_date")
    assert key.unexpected_count == 2
    assert all(value["queue"] == "repair" for value in key.unexpected_values)


def test_a_missing_mart_column_blocks(warehouse, dq_dirs) -> None:
    create_queue_daily(warehouse, [queue_day("billing", date(2026, 8, 3))])
    warehouse.execute("ALTER TABLE marts.fct_queue_daily DROP COLUMN service_level")

    outcome = validate_table(warehouse, "marts.fct_queue_daily", "marts_fct_queue_daily", **dq_dirs)

    assert not outcome.success
    assert failure_on(outcome.blocking_failures, "expect_column_to_exist", "service_level")


def test_weeks_below_the_qa_coverage_minimum_are_warnings_naming_the_agents(warehouse, dq_dirs) -> None:
    create_qa_coverage_weekly(warehouse, {"10001": 3, "10002": 1, "10003": 2})

    outcome = validate_table(warehouse, "marts.fct_qa_coverage_weekly", "marts_fct_qa_coverage_weekly", **dq_dirs)

    assert outcome.success
    (coverage,) = outcome.warning_failures
    assert coverage.column == "qa_coverage_ok"
    assert coverage.unexpected_rows == ({"agent_id": "10002", "week_start": "2026-08-03"},)


def test_an_unknown_suite_is_refused(warehouse, dq_dirs) -> None:
    with pytest.raises(UnknownSuite, match="marts_fct_nothing"):
        validate_table(warehouse, "raw.calls", "marts_fct_nothing", **dq_dirs)


# --- what a run leaves behind --------------------------------------------------------------------


def test_data_docs_show_the_latest_result_of_each_suite(warehouse, dq_dirs) -> None:
    insert(warehouse, "raw.calls", [raw_call(2)])
    create_queue_daily(warehouse, [queue_day("billing", date(2026, 8, 3))])
    validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)
    validate_table(warehouse, "raw.calls", "raw_calls", **dq_dirs)

    validate_table(warehouse, "marts.fct_queue_daily", "marts_fct_queue_daily", build_docs=True, **dq_dirs)

    results = dq_dirs["results_dir"]
    assert sorted(path.relative_to(results).parts[0] for path in results.rglob("*.json")) == [
        "marts_fct_queue_daily",
        "raw_calls",
    ]
    index = build_data_docs(**dq_dirs)
    assert index == dq_dirs["docs_dir"] / "index.html"
    pages = index.read_text(encoding="utf-8")
    assert "raw_calls" in pages and "marts_fct_queue_daily" in pages
    assert len(list((dq_dirs["docs_dir"] / "validations" / "raw_calls").rglob("*.html"))) == 1


def test_a_run_changes_no_file_of_the_repository(warehouse, dq_dirs) -> None:
    insert(warehouse, "raw.calls", [raw_call(2), raw_call(3, direction="sideways")])
    before = repository_state()

    validate_table(warehouse, "raw.calls", "raw_calls", build_docs=True, **dq_dirs)
    build_data_docs(**dq_dirs)
    load_suite("raw_calls")

    assert repository_state() == before
