"""The baseline: the core KPIs by one hand-written DuckDB script straight from the landing files,
and its agreement with the marts the pipeline published.

Run as `python -m orchestration.bench.baseline LANDING OUT` so that its time and memory are measured
like the pipeline's own commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

BASELINE_SQL = Path(__file__).with_name("baseline_kpis.sql")

COUNTS = (
    "handled_calls", "fcr_resolved_calls", "fcr_decidable_calls", "scheduled_days", "present_days", "leave_days",
    "absent_days", "handle_seconds", "available_seconds",
)
"""Whole numbers; an agent-month missing on one side counts 0."""
MEASURES = ("aht_seconds", "fcr_rate", "occupancy_rate")
"""Ratios: NULL when their denominator is 0."""
TOLERANCE = 1e-9
"""Relative: the same sums, added in another order."""


def compute_baseline(landing: Path, out_file: Path, memory_limit: str) -> None:
    """Leave `baseline_kpis` in `out_file`, a new DuckDB file, under the pipeline's memory limit."""
    from orchestration.lib.policy import load_policy
    from orchestration.lib.settings import Settings, spill_dir_of

    policy = load_policy()
    out_file.unlink(missing_ok=True)
    config = {"memory_limit": memory_limit, "temp_directory": str(spill_dir_of(out_file))}
    with duckdb.connect(str(out_file), config=config) as con:
        variables = {
            "landing": str(landing.resolve()),
            "tz": Settings.from_env().timezone,
            "repeat_window_hours": policy.get("fcr.repeat_window_hours"),
            "absence_threshold_minutes": policy.get("attendance.absence_threshold_minutes"),
        }
        for name, value in variables.items():
            con.execute(f"SET VARIABLE {name} = ?", [value])
        con.execute(BASELINE_SQL.read_text())


def compare_with_marts(baseline_file: Path, warehouse: Path) -> dict:
    """Every agent-month of either side, KPI by KPI: counts equal, measures equal within TOLERANCE."""
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS baseline (READ_ONLY)", [str(baseline_file)])
        con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(warehouse)])
        columns = ", ".join(f"b.{c} AS b_{c}, m.{c} AS m_{c}" for c in COUNTS + MEASURES)
        con.execute(
            f"""
            CREATE TEMP TABLE paired AS
            SELECT coalesce(b.agent_id, m.agent_id) AS agent_id, coalesce(b.month, m.month) AS month, {columns}
            FROM baseline.baseline_kpis AS b
            FULL JOIN warehouse.marts.fct_agent_monthly AS m ON b.agent_id = m.agent_id AND b.month = m.month
            """
        )
        (agent_months,) = con.execute("SELECT count(*) FROM paired").fetchone()
        differences = {}
        for column in COUNTS:
            differing = f"coalesce(b_{column}, 0) != coalesce(m_{column}, 0)"
            differences[column] = _differences(con, column, differing)
        for column in MEASURES:
            differing = (
                f"(b_{column} IS NULL) != (m_{column} IS NULL) "
                f"OR abs(b_{column} - m_{column}) > {TOLERANCE} * greatest(1, abs(m_{column}))"
            )
            differences[column] = _differences(con, column, differing)
    mismatched = {column: found for column, found in differences.items() if found["agent_months"]}
    return {"agent_months": agent_months, "kpis_compared": list(COUNTS + MEASURES), "equal": not mismatched, "mismatches": mismatched}


def _differences(con: duckdb.DuckDBPyConnection, column: str, differing: str) -> dict:
    (count,) = con.execute(f"SELECT count(*) FROM paired WHERE {differing}").fetchone()
    examples = con.execute(
        f"SELECT agent_id, month::VARCHAR, b_{column}, m_{column} FROM paired WHERE {differing} ORDER BY ALL LIMIT 5"
    ).fetchall()
    return {
        "agent_months": count,
        "examples": [{"agent_id": a, "month": m, "baseline": _plain(b), "marts": _plain(v)} for a, m, b, v in examples],
    }


def _plain(value):
    return value if value is None or isinstance(value, (int, str)) else float(value)


if __name__ == "__main__":
    landing_dir, out, limit = sys.argv[1:4]
    compute_baseline(Path(landing_dir), Path(out), limit)
