"""Check outcomes reach audit.dq_results whole, in one statement however many there are."""

from __future__ import annotations

import json
from datetime import date

import duckdb

from ingestion.schema import create_schemas
from orchestration.lib.quality import CheckOutcome, record


def test_every_field_of_every_outcome_is_recorded(tmp_path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_schemas(con)
    outcomes = [
        CheckOutcome("rows_reconcile", "raw.calls", "blocking", True, date(2025, 12, 1), 0, "rows read = accepted + quarantined"),
        CheckOutcome("qa_weekly_coverage", "marts.fct_qa_coverage_weekly", "warning", False, None, 0.25, "1 of 4 agent-weeks, 张三",
                     [{"agent_id": "10002", "week_start": date(2025, 12, 1)}]),
        *(CheckOutcome(f"not_null_{i}", "marts.fct_calls", "blocking", True) for i in range(500)),
    ]

    record(con, "run-1", outcomes)
    record(con, None, outcomes[:1])
    record(con, "run-2", [])

    rows = con.execute(
        "SELECT run_id, check_name, asset, month, severity, passed, observed_value, details FROM audit.dq_results ORDER BY rowid"
    ).fetchall()
    assert len(rows) == len(outcomes) + 1
    assert rows[0] == ("run-1", "rows_reconcile", "raw.calls", date(2025, 12, 1), "blocking", True, "0",
                       json.dumps({"message": "rows read = accepted + quarantined", "examples": []}))
    run_id, check, asset, month, severity, passed, observed, details = rows[1]
    assert (run_id, check, asset, month, severity, passed, observed) == (
        "run-1", "qa_weekly_coverage", "marts.fct_qa_coverage_weekly", None, "warning", False, "0.25"
    )
    assert json.loads(details) == {"message": "1 of 4 agent-weeks, 张三", "examples": [{"agent_id": "10002", "week_start": "2025-12-01"}]}
    assert rows[2][6] is None
    assert rows[-1][:2] == (None, "rows_reconcile")
    (stamps,) = con.execute("SELECT count(DISTINCT checked_at) FROM audit.dq_results WHERE run_id = 'run-1'").fetchall()[0]
    assert stamps == 1
