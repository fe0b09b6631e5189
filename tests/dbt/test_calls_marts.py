"""The call marts, built by a real `dbt build` on a DuckDB file holding a small month of calls.

Every expected number below can be checked by hand against CALLS. The repeat window is the
policy's 168 hours (7 days) and the service level threshold its 20 seconds; the end of the data
is the latest enqueued_at, 2026-09-02 10:00:00 (call c13).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.contract import EXTRACTS_BY_NAME
from ingestion.schema import create_schemas
from orchestration.lib.policy import load_policy, policy_file

CALL_COLUMNS = (
    "call_id", "parent_call_id", "direction", "queue", "customer_number_hash", "agent_id",
    "enqueued_at", "answered_at", "ended_at", "talk_seconds", "hold_seconds", "wrap_seconds", "outcome",
)

# fmt: off
CALLS = [
    # k1 calls twice within 7 days: c01 is a repeat against a-1; c02 is itself resolved.
    ("c01", None, "inbound", "hotline", "k1", "a-1", "2026-08-03 09:00:00", "2026-08-03 09:00:15", "2026-08-03 09:10:00", 500, 30, 60, "resolved"),
    ("c02", None, "inbound", "hotline", "k1", "a-2", "2026-08-05 14:00:00", "2026-08-05 14:00:20", "2026-08-05 14:08:00", 400, 0, 40, "resolved"),
    # k2: a-1 transfers to a-2, who resolves; the transfer leg c04 is no new offer.
    ("c03", None, "inbound", "hotline", "k2", "a-1", "2026-08-03 10:00:00", "2026-08-03 10:00:21", "2026-08-03 10:05:00", 250, 0, 30, "transferred"),
    ("c04", "c03", "inbound", "hotline", "k2", "a-2", "2026-08-03 10:05:00", "2026-08-03 10:05:10", "2026-08-03 10:15:00", 560, 20, 20, "resolved"),
    # k3: a-1 records the call resolved, then has to call the customer back the next morning.
    ("c05", None, "inbound", "billing", "k3", "a-1", "2026-08-04 11:00:00", "2026-08-04 11:00:05", "2026-08-04 11:04:00", 230, 0, 10, "resolved"),
    ("c06", None, "outbound", "outbound", "k3", "a-1", "2026-08-05 09:00:00", "2026-08-05 09:00:10", "2026-08-05 09:03:00", 170, 0, 20, "resolved"),
    # k4 hangs up in the queue, then reaches a-2, who cannot resolve.
    ("c07", None, "inbound", "hotline", "k4", None, "2026-08-04 12:00:00", None, "2026-08-04 12:01:00", 0, 0, 0, "abandoned"),
    ("c08", None, "inbound", "hotline", "k4", "a-2", "2026-08-04 12:05:00", "2026-08-04 12:05:30", "2026-08-04 12:10:00", 240, 0, 30, "unresolved"),
    # A caller without a number.
    ("c09", None, "inbound", "hotline", None, "a-1", "2026-08-06 08:00:00", "2026-08-06 08:00:10", "2026-08-06 08:05:00", 280, 0, 20, "resolved"),
    # Two calls around midnight at the end of August, both still inside their windows.
    ("c10", None, "inbound", "hotline", "k5", "a-2", "2026-08-31 23:59:40", "2026-08-31 23:59:59", "2026-09-01 00:04:00", 240, 0, 20, "resolved"),
    ("c11", None, "inbound", "hotline", "k6", "a-2", "2026-08-31 23:59:50", "2026-09-01 00:00:00", "2026-09-01 00:05:00", 300, 0, 0, "resolved"),
    # a-1 dials a number nobody picks up.
    ("c12", None, "outbound", "outbound", "k7", "a-1", "2026-08-06 15:00:00", None, "2026-08-06 15:00:30", 0, 0, 0, "no_answer"),
    # The last call of the data: it sets the end of the data.
    ("c13", None, "inbound", "hotline", "k8", None, "2026-09-02 10:00:00", None, "2026-09-02 10:00:40", 0, 0, 0, "abandoned"),
]
# fmt: on

AGENTS = ("a-1", "a-2")
RAW_CALLS = EXTRACTS_BY_NAME["calls"].raw_table
LOADED_AT = dt.datetime(2026, 9, 3, 1, 0)
CALL_MODELS = ("int_calls_classified", "int_calls_fcr", "int_agent_calls_daily", "fct_calls", "fct_queue_daily")
BUILD_SELECTION = ["+fct_calls", "+fct_queue_daily", "+int_agent_calls_daily", "stg_hr__agents"]


def timestamp(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def insert_calls(connection: duckdb.DuckDBPyConnection, calls: list[tuple], file_date: dt.date) -> None:
    lineage = ("_file_name", "_file_date", "_line_number", "_loaded_at")
    columns = ", ".join(CALL_COLUMNS + lineage)
    placeholders = ", ".join("?" for _ in CALL_COLUMNS + lineage)
    for line_number, call in enumerate(calls, start=2):
        row = dict(zip(CALL_COLUMNS, call))
        for column in ("enqueued_at", "answered_at", "ended_at"):
            row[column] = timestamp(row[column])
        values = [*row.values(), f"calls_{file_date}.csv", file_date, line_number, LOADED_AT]
        connection.execute(f"insert into {RAW_CALLS} ({columns}) values ({placeholders})", values)


def insert_agents(connection: duckdb.DuckDBPyConnection) -> None:
    for line_number, agent_id in enumerate(AGENTS, start=2):
        connection.execute(
            "insert into raw.agents (agent_id, name, team, tier, role, hire_date, "
            "_file_name, _file_date, _line_number, _loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [agent_id, f"agent {agent_id}", "team-a", "first_line", "agent", dt.date(2026, 1, 5),
             "agents_2026-09-02.csv", dt.date(2026, 9, 2), line_number, LOADED_AT],
        )


def build_calls(run_dbt, warehouse: Path, **options) -> None:
    # Cautious: tests that also read models outside the call marts are left to the full build.
    run_dbt(["build", "--select", *BUILD_SELECTION, "--indirect-selection", "cautious"], warehouse, **options)


def fetch(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def make_raw_warehouse(directory: Path) -> Path:
    warehouse = directory / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        create_schemas(connection)
        insert_calls(connection, CALLS, dt.date(2026, 9, 2))
        insert_agents(connection)
    return warehouse


@pytest.fixture(scope="module")
def calls_warehouse(tmp_path_factory: pytest.TempPathFactory, run_dbt) -> Path:
    warehouse = make_raw_warehouse(tmp_path_factory.mktemp("calls"))
    build_calls(run_dbt, warehouse)
    return warehouse


def node_statuses(warehouse: Path) -> dict[str, str]:
    """Every node of the last dbt run by its full unique_id: unit tests share their model's name."""
    run_results = json.loads((warehouse.parent / "dbt_target" / "run_results.json").read_text())
    return {result["unique_id"]: result["status"] for result in run_results["results"]}


def test_every_model_data_test_and_unit_test_of_the_call_marts_passes(calls_warehouse: Path) -> None:
    statuses = node_statuses(calls_warehouse)
    unit_tested_models = {node.split(".")[2] for node in statuses if node.startswith("unit_test.ccw.")}

    assert {f"model.ccw.{name}" for name in CALL_MODELS} <= set(statuses)
    assert unit_tested_models == set(CALL_MODELS) - {"fct_calls"}
    assert {node: status for node, status in statuses.items() if status not in ("success", "pass")} == {}


def test_fcr_status_of_each_leg(calls_warehouse: Path) -> None:
    statuses = dict(fetch(calls_warehouse, "select call_id, fcr_status from marts.fct_calls"))

    assert statuses == {
        "c01": "repeat",        # k1 called again 52 h later
        "c02": "resolved",      # the repeat itself: nothing followed it within 7 days
        "c03": "transferred",
        "c04": "resolved",      # the leg that received the transfer, judged on its own
        "c05": "callback",      # a-1 dialled k3 22 h later
        "c06": None,            # outbound
        "c07": None,            # abandoned, never handled
        "c08": "not_resolved",
        "c09": "undecided",     # no customer number
        "c10": "undecided",     # window ends 2026-09-08 00:04, after the end of the data
        "c11": "undecided",
        "c12": None,
        "c13": None,
    }


def test_legs_count_on_the_local_day_and_month_they_were_answered(calls_warehouse: Path) -> None:
    rows = fetch(
        calls_warehouse,
        "select call_id, call_date, month, enqueued_date, is_handled, handle_seconds from marts.fct_calls "
        "where call_id in ('c10', 'c11', 'c12') order by call_id",
    )

    assert rows == [
        ("c10", dt.date(2026, 8, 31), dt.date(2026, 8, 1), dt.date(2026, 8, 31), 1, 260),
        ("c11", dt.date(2026, 9, 1), dt.date(2026, 9, 1), dt.date(2026, 8, 31), 1, 300),
        ("c12", dt.date(2026, 8, 6), dt.date(2026, 8, 1), dt.date(2026, 8, 6), 0, 0),
    ]


def test_fct_calls_keeps_only_the_hashed_customer_number(calls_warehouse: Path) -> None:
    columns = {name for (name,) in fetch(
        calls_warehouse,
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = 'fct_calls'",
    )}

    assert "customer_number_hash" in columns
    assert "customer_number" not in columns
    assert len(fetch(calls_warehouse, "select * from marts.fct_calls")) == len(CALLS)


def test_queue_service_per_queue_and_day_of_enqueue(calls_warehouse: Path) -> None:
    rows = fetch(
        calls_warehouse,
        "select queue, call_date, offered, answered, abandoned, abandon_rate, asa_seconds, service_level "
        "from marts.fct_queue_daily order by queue, call_date",
    )

    assert rows == [
        # c05 answered after 5 s
        ("billing", dt.date(2026, 8, 4), 1, 1, 0, 0.0, 5.0, 1.0),
        # c01 after 15 s (in), c03 after 21 s (out); the transfer leg c04 is not offered
        ("hotline", dt.date(2026, 8, 3), 2, 2, 0, 0.0, 18.0, 0.5),
        # c07 abandoned, c08 after 30 s
        ("hotline", dt.date(2026, 8, 4), 2, 1, 1, 0.5, 30.0, 0.0),
        # c02 after exactly 20 s: within the service level
        ("hotline", dt.date(2026, 8, 5), 1, 1, 0, 0.0, 20.0, 1.0),
        ("hotline", dt.date(2026, 8, 6), 1, 1, 0, 0.0, 10.0, 1.0),
        # c10 after 19 s and c11 after 10 s (answered on 1 September, queued on 31 August)
        ("hotline", dt.date(2026, 8, 31), 2, 2, 0, 0.0, 14.5, 1.0),
        # c13 abandoned: no speed of answer
        ("hotline", dt.date(2026, 9, 2), 1, 0, 1, 1.0, None, 0.0),
    ]


def test_agent_day_totals_and_fcr_counts(calls_warehouse: Path) -> None:
    rows = fetch(
        calls_warehouse,
        "select agent_id, call_date, handled_calls, inbound_handled, outbound_handled, talk_seconds, "
        "hold_seconds, wrap_seconds, handle_seconds, outbound_dialled, outbound_answered, "
        "fcr_resolved_calls, fcr_decidable_calls from intermediate.int_agent_calls_daily order by agent_id, call_date",
    )

    assert rows == [
        # c01 (repeat) and c03 (transferred): both decidable, neither resolved
        ("a-1", dt.date(2026, 8, 3), 2, 2, 0, 750, 30, 90, 870, 0, 0, 0, 2),
        # c05 (callback)
        ("a-1", dt.date(2026, 8, 4), 1, 1, 0, 230, 0, 10, 240, 0, 0, 0, 1),
        # c06, the call-back itself, answered
        ("a-1", dt.date(2026, 8, 5), 1, 0, 1, 170, 0, 20, 190, 1, 1, 0, 0),
        # c09 (no customer number, out of the rate) and c12 (dialled, unanswered)
        ("a-1", dt.date(2026, 8, 6), 1, 1, 0, 280, 0, 20, 300, 1, 0, 0, 0),
        # c04 (resolved transfer leg)
        ("a-2", dt.date(2026, 8, 3), 1, 1, 0, 560, 20, 20, 600, 0, 0, 1, 1),
        # c08 (not resolved)
        ("a-2", dt.date(2026, 8, 4), 1, 1, 0, 240, 0, 30, 270, 0, 0, 0, 1),
        # c02 (resolved although a repeat)
        ("a-2", dt.date(2026, 8, 5), 1, 1, 0, 400, 0, 40, 440, 0, 0, 1, 1),
        # c10 and c11: windows still open
        ("a-2", dt.date(2026, 8, 31), 1, 1, 0, 240, 0, 20, 260, 0, 0, 0, 0),
        ("a-2", dt.date(2026, 9, 1), 1, 1, 0, 300, 0, 0, 300, 0, 0, 0, 0),
    ]


def test_a_later_load_closes_the_open_windows(calls_warehouse: Path, tmp_path: Path, run_dbt) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(calls_warehouse, warehouse)
    # k5 calls again 6 days after c10 ended; the data now ends 2026-09-09 12:00, past both windows.
    # fmt: off
    later_calls = [
        ("c14", None, "inbound", "hotline", "k5", None, "2026-09-07 09:00:00", None, "2026-09-07 09:01:00", 0, 0, 0, "abandoned"),
        ("c15", None, "inbound", "hotline", "k9", None, "2026-09-09 12:00:00", None, "2026-09-09 12:00:30", 0, 0, 0, "abandoned"),
    ]
    # fmt: on
    with duckdb.connect(str(warehouse)) as connection:
        insert_calls(connection, later_calls, dt.date(2026, 9, 9))

    build_calls(run_dbt, warehouse)

    statuses = dict(fetch(warehouse, "select call_id, fcr_status from marts.fct_calls where call_id in ('c10', 'c11')"))
    assert statuses == {"c10": "repeat", "c11": "resolved"}


def test_the_repeat_window_and_service_level_come_from_the_scoring_policy(tmp_path: Path, run_dbt) -> None:
    settings = yaml.safe_load(policy_file().read_text(encoding="utf-8"))
    settings["fcr"]["repeat_window_hours"] = 48
    settings["queue"]["service_level_seconds"] = 15
    shorter = tmp_path / "scoring_policy.yml"
    shorter.write_text(yaml.safe_dump(settings), encoding="utf-8")
    warehouse = make_raw_warehouse(tmp_path)

    build_calls(run_dbt, warehouse, policy=load_policy(shorter))

    statuses = dict(fetch(warehouse, "select call_id, fcr_status from marts.fct_calls where call_id in ('c01', 'c05')"))
    # k1's second call came 52 h 50 min after c01: outside a 48 h window. a-1's call-back to k3 came after 22 h.
    assert statuses == {"c01": "resolved", "c05": "callback"}
    service_level = fetch(
        warehouse,
        "select service_level from marts.fct_queue_daily where queue = 'hotline' and call_date = '2026-08-05'",
    )
    # c02 waited 20 s: beyond a 15 s threshold.
    assert service_level == [(0.0,)]
