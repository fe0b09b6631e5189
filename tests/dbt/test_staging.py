"""The staging layer, built by a real `dbt build` on a DuckDB file loaded with raw rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import EXTRACTS, EXTRACTS_BY_NAME, Extract
from ingestion.schema import create_schemas

# What each contract type becomes once staging has cast it with dbt's cross-database types.
STAGED_TYPES = {
    "string": "VARCHAR",
    "enum": "VARCHAR",
    "integer": "BIGINT",
    "number": "DECIMAL(28,6)",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "month": "DATE",
    "time": "TIME",
    "boolean": "BOOLEAN",
}
STAGED_LINEAGE = {"source_file_name": "VARCHAR", "source_file_date": "DATE", "source_line_number": "BIGINT"}

# Cautious: tests of later layers that also reference staging (relationships) wait for their layer.
BUILD_STAGING = ["build", "--select", "staging", "--indirect-selection", "cautious"]

AUGUST_FIRST = dt.date(2026, 8, 1)
MORNING = dt.datetime(2026, 8, 1, 9, 0, 0)

# One valid raw row per extract, by raw column name.
RAW_ROWS = {
    "calls": {
        "call_id": "c-1", "parent_call_id": None, "direction": "inbound", "queue": "hotline",
        "customer_number_hash": "9f2c", "agent_id": "a-1", "enqueued_at": MORNING,
        "answered_at": MORNING + dt.timedelta(seconds=12), "ended_at": MORNING + dt.timedelta(minutes=6),
        "talk_seconds": 300, "hold_seconds": 20, "wrap_seconds": 40, "outcome": "resolved",
    },
    "sessions": {"agent_id": "a-1", "login_at": MORNING - dt.timedelta(minutes=40), "logout_at": None},
    "states": {
        "agent_id": "a-1", "state": "busy", "reason": "示忙", "started_at": MORNING,
        "ended_at": MORNING + dt.timedelta(minutes=3),
    },
    "agents": {
        "agent_id": "a-1", "name": "张伟", "team": "team-a", "tier": "first_line", "role": "agent",
        "supervisor_id": "s-1", "hire_date": dt.date(2026, 3, 2), "probation_end_date": dt.date(2026, 6, 2),
        "termination_date": None, "email": "zhang.wei@example.com",
    },
    "schedules": {
        "agent_id": "a-1", "shift_date": AUGUST_FIRST, "shift_start": dt.time(8, 30), "shift_end": dt.time(17, 35),
    },
    "leave": {
        "leave_id": "l-1", "agent_id": "a-1", "leave_type": "sick", "start_date": AUGUST_FIRST,
        "end_date": AUGUST_FIRST + dt.timedelta(days=1), "approved": True,
    },
    "ratings": {
        "agent_id": "a-1", "month": AUGUST_FIRST, "rater_id": "s-1", "communication": 4.5,
        "problem_solving": 4.0, "learning": 3.5, "teamwork": 5.0, "responsibility": 4.0, "service_attitude": None,
    },
    "evaluations": {
        "evaluation_id": "e-1", "call_id": "c-1", "agent_id": "a-1", "evaluator_id": "q-1",
        "evaluated_at": MORNING + dt.timedelta(hours=2), "mode": "recorded", "score": 87.5,
        "answer_accurate": True, "fatal_error": False,
    },
    "complaints": {
        "complaint_id": "p-1", "received_at": MORNING, "channel": "online", "customer_number_hash": "9f2c",
        "call_id": "c-1", "subject_agent_id": "a-1", "handler_agent_id": "a-2", "category": "billing",
        "due_at": None, "first_response_at": MORNING + dt.timedelta(hours=1), "resolved_at": None,
        "resolution": "open",
    },
    "surveys": {
        "survey_id": "v-1", "call_id": "c-1", "agent_id": "a-1", "responded_at": MORNING + dt.timedelta(minutes=10),
        "score": 5,
    },
}


def file_name(extract: Extract, file_date: dt.date = AUGUST_FIRST) -> str:
    date_text = file_date.isoformat() if extract.period == "day" else file_date.strftime("%Y-%m")
    return f"{extract.file_prefix}_{date_text}.csv"


def insert_raw_row(
    connection: duckdb.DuckDBPyConnection, extract: Extract, row: dict, line_number: int = 2, file_date: dt.date = AUGUST_FIRST
) -> None:
    lineage = {
        "_file_name": file_name(extract, file_date),
        "_file_date": file_date,
        "_line_number": line_number,
        "_extra": json.dumps({"unknown_column": "kept in raw only"}),
        "_loaded_at": dt.datetime(2026, 8, 2, 1, 0, 0),
    }
    values = {**row, **lineage}
    columns = ", ".join(values)
    placeholders = ", ".join("?" for _ in values)
    connection.execute(f"insert into {extract.raw_table} ({columns}) values ({placeholders})", list(values.values()))


def staged_value(value):
    """A value as staging returns it: measures come back as fixed-point decimals."""
    return Decimal(str(value)) if isinstance(value, float) else value


def staging_model(extract: Extract) -> str:
    return f"staging.stg_{extract.system}__{extract.name}"


def failures_of(test_name: str, warehouse: Path, run_dbt, command: list[str] = BUILD_STAGING, **bounds: str) -> int:
    """The failing rows of the data test named `test_name...` after dbt's `command` with these bounds."""
    run_dbt(command, warehouse, extra_vars=bounds, check=False)
    run_results = json.loads((warehouse.parent / "dbt_target" / "run_results.json").read_text())
    [result] = [r for r in run_results["results"] if r["unique_id"].startswith(f"test.ccw.{test_name}")]
    return result["failures"]


@pytest.fixture(scope="module")
def staged_warehouse(tmp_path_factory: pytest.TempPathFactory, run_dbt) -> Path:
    warehouse = tmp_path_factory.mktemp("staging") / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        create_schemas(connection)
        for name, row in RAW_ROWS.items():
            insert_raw_row(connection, EXTRACTS_BY_NAME[name], row)
    run_dbt(BUILD_STAGING, warehouse)
    return warehouse


def test_every_extract_has_a_sample_row() -> None:
    assert set(RAW_ROWS) == {extract.name for extract in EXTRACTS}


@pytest.mark.parametrize("extract", EXTRACTS, ids=lambda extract: extract.name)
def test_staging_model_has_the_contract_columns_then_the_lineage_with_their_types(
    staged_warehouse: Path, extract: Extract
) -> None:
    expected = [(c.raw_name, STAGED_TYPES[c.type]) for c in extract.stored_columns] + list(STAGED_LINEAGE.items())
    schema, table = staging_model(extract).split(".")
    with duckdb.connect(str(staged_warehouse), read_only=True) as connection:
        columns = connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    assert columns == expected


@pytest.mark.parametrize("extract", EXTRACTS, ids=lambda extract: extract.name)
def test_staging_model_returns_the_raw_row_with_its_renamed_lineage(staged_warehouse: Path, extract: Extract) -> None:
    raw_row = RAW_ROWS[extract.name]
    expected = [staged_value(raw_row[c.raw_name]) for c in extract.stored_columns]
    expected += [file_name(extract), AUGUST_FIRST, 2]
    with duckdb.connect(str(staged_warehouse), read_only=True) as connection:
        rows = connection.execute(f"select * from {staging_model(extract)}").fetchall()
    assert rows == [tuple(expected)]


def test_staging_models_are_views_in_the_staging_schema(staged_warehouse: Path) -> None:
    with duckdb.connect(str(staged_warehouse), read_only=True) as connection:
        views = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'staging' and table_type = 'VIEW'"
        ).fetchall()
    assert sorted(name for (name,) in views) == sorted(staging_model(e).split(".")[1] for e in EXTRACTS)


def test_staging_tests_catch_rows_that_break_keys_ranges_and_orderings(
    raw_warehouse: Path, run_dbt, dbt_results
) -> None:
    broken_rows = {
        "calls": [RAW_ROWS["calls"], {**RAW_ROWS["calls"], "ended_at": MORNING - dt.timedelta(minutes=1)}],
        "schedules": [RAW_ROWS["schedules"], RAW_ROWS["schedules"]],
        "surveys": [{**RAW_ROWS["surveys"], "score": 7}],
        "states": [{**RAW_ROWS["states"], "state": "lunch"}],
    }
    with duckdb.connect(str(raw_warehouse)) as connection:
        for name, rows in broken_rows.items():
            for line_number, row in enumerate(rows, start=2):
                insert_raw_row(connection, EXTRACTS_BY_NAME[name], row, line_number)

    finished = run_dbt(BUILD_STAGING, raw_warehouse, check=False)

    assert finished.returncode == 1
    failed = {node for node, status in dbt_results(raw_warehouse).items() if status == "fail"}
    assert failed == {
        "unique_stg_telephony__calls_call_id",
        "declared_constraints_stg_telephony__calls_",
        "unique_combination_of_columns_stg_hr__schedules_agent_id__shift_date",
        "declared_constraints_stg_qa__surveys_",
        "declared_constraints_stg_telephony__states_",
    }


def test_declared_constraints_fail_on_a_row_breaking_any_of_them_and_name_what_it_breaks(
    raw_warehouse: Path, run_dbt, dbt_results
) -> None:
    broken_agent = {**RAW_ROWS["agents"], "name": None, "team": None, "role": "manager"}
    with duckdb.connect(str(raw_warehouse)) as connection:
        insert_raw_row(connection, EXTRACTS_BY_NAME["agents"], broken_agent, 2)
        insert_raw_row(connection, EXTRACTS_BY_NAME["agents"], {**RAW_ROWS["agents"], "agent_id": "a-2"}, 3)
        insert_raw_row(connection, EXTRACTS_BY_NAME["calls"], {**RAW_ROWS["calls"], "queue": None}, 2)
        insert_raw_row(
            connection, EXTRACTS_BY_NAME["calls"],
            {**RAW_ROWS["calls"], "call_id": "c-2", "ended_at": MORNING - dt.timedelta(minutes=1)}, 3,
        )

    finished = run_dbt([*BUILD_STAGING, "--store-failures"], raw_warehouse, check=False)

    assert finished.returncode == 1
    failed = {node for node, status in dbt_results(raw_warehouse).items() if status == "fail"}
    # dbt names a model-level test without arguments after its model, with a trailing underscore.
    assert failed == {"declared_constraints_stg_hr__agents_", "declared_constraints_stg_telephony__calls_"}
    with duckdb.connect(str(raw_warehouse)) as connection:
        failing_agents = connection.execute(
            "select agent_id, broken_constraints from dbt_test__audit.declared_constraints_stg_hr__agents_"
        ).fetchall()
        failing_calls = connection.execute(
            "select call_id, broken_constraints from dbt_test__audit.declared_constraints_stg_telephony__calls_"
            " order by call_id"
        ).fetchall()
    assert failing_agents == [("a-1", "name; team; role in ('agent', 'team_lead', 'qa', 'supervisor')")]
    assert failing_calls == [("c-1", "queue"), ("c-2", "ended_at >= enqueued_at")]


def test_an_incremental_build_looks_for_the_keys_of_the_recomputed_rows_in_the_whole_table(
    raw_warehouse: Path, run_dbt
) -> None:
    """c-1 comes again in a September file; c-2 twice in August, which the build before passed.
    A backfill of July alone looks at none of them."""
    calls = EXTRACTS_BY_NAME["calls"]
    september = dt.date(2026, 9, 1)
    with duckdb.connect(str(raw_warehouse)) as connection:
        for line_number, call_id in enumerate(["c-1", "c-2", "c-2"], start=2):
            insert_raw_row(connection, calls, {**RAW_ROWS["calls"], "call_id": call_id}, line_number)
        insert_raw_row(connection, calls, {**RAW_ROWS["calls"], "call_id": "c-1"}, file_date=september)

    def failures_of_the_key_test(**bounds: str) -> int:
        return failures_of("unique_stg_telephony__calls_call_id.", raw_warehouse, run_dbt, **bounds)

    assert failures_of_the_key_test(recompute_from=september.isoformat()) == 1
    assert failures_of_the_key_test() == 2
    assert failures_of_the_key_test(recompute_from="2026-10-01") == 0
    assert failures_of_the_key_test(recompute_from="2026-07-01", recompute_until="2026-08-01") == 0


def test_an_incremental_build_judges_the_declared_constraints_of_the_recomputed_days_only(
    raw_warehouse: Path, run_dbt
) -> None:
    """A state of 1 August ends before it starts: the builds that recompute that day find it, one
    that recomputes from 2 August on does not read it (the build that wrote it did)."""
    states = EXTRACTS_BY_NAME["states"]
    backwards = {**RAW_ROWS["states"], "ended_at": RAW_ROWS["states"]["started_at"] - dt.timedelta(minutes=1)}
    with duckdb.connect(str(raw_warehouse)) as connection:
        insert_raw_row(connection, states, backwards, line_number=2)
        insert_raw_row(connection, states, RAW_ROWS["states"], line_number=2, file_date=dt.date(2026, 8, 2))

    def failures_of_the_constraints_test(**bounds: str) -> int:
        return failures_of("declared_constraints_stg_telephony__states_.", raw_warehouse, run_dbt, **bounds)

    assert failures_of_the_constraints_test() == 1
    assert failures_of_the_constraints_test(recompute_from="2026-08-01", recompute_from_day="2026-08-01") == 1
    assert failures_of_the_constraints_test(recompute_from="2026-08-01", recompute_from_day="2026-08-02") == 0


def test_a_leg_counted_on_a_recomputed_day_is_judged_whether_answered_that_day_or_never(
    raw_warehouse: Path, run_dbt
) -> None:
    """The legs' view bounds its tests by the answer and queue times besides the call date: a leg
    queued before midnight and answered after it, and one never answered, both count on 2 August,
    and the builds recomputing that day judge both; a leg of 1 August only the full build."""
    calls = EXTRACTS_BY_NAME["calls"]
    sideways = {**RAW_ROWS["calls"], "direction": "sideways"}
    august_second = dt.datetime(2026, 8, 2)
    legs = [
        {**sideways, "call_id": "before-midnight", "enqueued_at": august_second - dt.timedelta(seconds=10),
         "answered_at": august_second + dt.timedelta(seconds=5), "ended_at": august_second + dt.timedelta(minutes=5)},
        {**sideways, "call_id": "never-answered", "enqueued_at": august_second + dt.timedelta(hours=10),
         "answered_at": None, "ended_at": august_second + dt.timedelta(hours=10, seconds=30), "talk_seconds": 0,
         "hold_seconds": 0, "wrap_seconds": 0, "outcome": "abandoned"},
    ]
    with duckdb.connect(str(raw_warehouse)) as connection:
        insert_raw_row(connection, calls, {**sideways, "call_id": "first-of-august"}, line_number=2)
        for line_number, leg in enumerate(legs, start=2):
            insert_raw_row(connection, calls, leg, line_number, file_date=august_second.date())

    run_dbt(["run", "--select", "+int_calls_classified"], raw_warehouse)

    def failures_of_the_constraints_test(**bounds: str) -> int:
        test = "declared_constraints_int_calls_classified_"
        return failures_of(f"{test}.", raw_warehouse, run_dbt, ["test", "--select", test], **bounds)

    assert failures_of_the_constraints_test() == 3
    assert failures_of_the_constraints_test(recompute_from="2026-08-01", recompute_from_day="2026-08-02") == 2
    assert failures_of_the_constraints_test(recompute_from="2026-08-01", recompute_from_day="2026-08-03") == 0


def test_a_line_of_a_file_held_twice_is_found_by_an_incremental_build_of_the_files_month(
    raw_warehouse: Path, run_dbt
) -> None:
    """A state's key is its file and line: a build that recomputes the file's month finds the line
    held twice, and one that recomputes only later months does not look at that file."""
    states = EXTRACTS_BY_NAME["states"]
    with duckdb.connect(str(raw_warehouse)) as connection:
        for _ in range(2):
            insert_raw_row(connection, states, RAW_ROWS["states"], line_number=5)
        insert_raw_row(connection, states, RAW_ROWS["states"], line_number=5, file_date=dt.date(2026, 9, 1))

    def failures_of_the_key_test(**bounds: str) -> int:
        key_test = "unique_combination_of_columns_stg_telephony__states_source_file_name__"
        return failures_of(key_test, raw_warehouse, run_dbt, **bounds)

    assert failures_of_the_key_test() == 1
    assert failures_of_the_key_test(recompute_from="2026-08-01") == 1
    assert failures_of_the_key_test(recompute_from="2026-09-01") == 0
    assert failures_of_the_key_test(recompute_from="2026-07-01", recompute_until="2026-08-01") == 0


def test_bounds_in_the_environment_recompute_the_same_rows_and_keep_dbts_parse_of_the_project(
    raw_warehouse: Path, run_dbt
) -> None:
    """As `ccw` passes them: the project parsed once (with the policy's vars) serves builds of any bounds."""
    calls = EXTRACTS_BY_NAME["calls"]
    with duckdb.connect(str(raw_warehouse)) as connection:
        insert_raw_row(connection, calls, {**RAW_ROWS["calls"], "call_id": "c-1"}, 2)
        insert_raw_row(connection, calls, {**RAW_ROWS["calls"], "call_id": "c-1"}, file_date=dt.date(2026, 9, 1))
    run_dbt(["parse"], raw_warehouse)

    for bounds, failures in (({"CCW_RECOMPUTE_FROM": "2026-09-01"}, 1), ({"CCW_RECOMPUTE_FROM": "2026-10-01"}, 0),
                             ({"CCW_RECOMPUTE_FROM": "2026-07-01", "CCW_RECOMPUTE_UNTIL": "2026-09-01"}, 1)):
        finished = run_dbt(BUILD_STAGING, raw_warehouse, extra_environment=bounds, check=False)
        run_results = json.loads((raw_warehouse.parent / "dbt_target" / "run_results.json").read_text())
        [result] = [r for r in run_results["results"] if r["unique_id"].startswith("test.ccw.unique_stg_telephony__calls_call_id.")]

        assert result["failures"] == failures, bounds
        assert "Unable to do partial parsing" not in finished.stdout, bounds


def test_docs_generate_succeeds_on_the_staged_warehouse(staged_warehouse: Path, run_dbt) -> None:
    finished = run_dbt(["docs", "generate"], staged_warehouse)

    catalog = json.loads((staged_warehouse.parent / "dbt_target" / "catalog.json").read_text())
    assert finished.returncode == 0
    assert {f"model.ccw.stg_{e.system}__{e.name}" for e in EXTRACTS} <= set(catalog["nodes"])
