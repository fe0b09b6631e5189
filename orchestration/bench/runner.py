"""The benchmark's scenarios, in the order a centre lives them, and where their results go.

(a) a full build from empty, of every delivery but the last day's; (d) the baseline script on the
same files, checked equal to the marts (a) published; (b) the daily run once the last day's files
arrive; (c) a backfill of one month; (e) the dashboards' chart queries on the warehouse published last.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from orchestration.bench.baseline import compare_with_marts
from orchestration.bench.centre import (
    Centre,
    CentreParameters,
    cached_centre,
    link_landing,
)
from orchestration.bench.charts import chart_queries
from orchestration.bench.measured import STAGES, Measured, run_measured
from orchestration.lib.months import months_later

TARGETS = {
    "full_build_seconds": 300,
    "full_build_over_baseline": 3,
    "peak_memory_mb": 4096,
    "daily_run_seconds": 30,
    "backfill_month_seconds": 60,
    "chart_p95_ms": 300,
}


def run_benchmark(
    parameters: CentreParameters, cache: Path, work: Path, memory_limit: str, progress: Callable[[str], None]
) -> dict:
    centre = cached_centre(cache, parameters, progress)
    shutil.rmtree(work, ignore_errors=True)
    landing, warehouse, dagster_home = work / "landing", work / "warehouse.duckdb", work / "dagster"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "CCW_DUCKDB_MEMORY_LIMIT": memory_limit,
        "CCW_LANDING_DIR": str(landing),
        "CCW_WAREHOUSE": str(warehouse),
    }
    last_day = centre.last_day
    backfill_month = months_later(parameters.start, parameters.months // 2)

    def pipeline(name: str, *arguments: str) -> Measured:
        progress(f"{name}: ccw {' '.join(arguments)}")
        measured = run_measured(name, ["orchestration.cli", *arguments], env, work / "logs" / f"{name}.log", dagster_home)
        progress(f"{name}: {measured.seconds:.1f} s, exit code {measured.exit_code}, peak {measured.peak_memory_bytes / 2**20:,.0f} MB")
        return measured

    link_landing(centre, landing, before=last_day)
    full = pipeline("full_build", "run", "--landing", str(landing), "--warehouse", str(warehouse))
    progress("baseline: the KPIs by one DuckDB script from the same landing files")
    baseline_file = work / "baseline.duckdb"
    baseline = run_measured(
        "baseline", ["orchestration.bench.baseline", str(landing), str(baseline_file), memory_limit], env, work / "logs" / "baseline.log", None
    )
    progress(f"baseline: {baseline.seconds:.1f} s, exit code {baseline.exit_code}")
    agreement = compare_with_marts(baseline_file, warehouse) if baseline.exit_code == 0 and full.exit_code == 0 else None
    link_landing(centre, landing, on=last_day)
    daily = pipeline("daily_run", "run", "--landing", str(landing), "--warehouse", str(warehouse))
    month = f"{backfill_month:%Y-%m}"
    backfill = pipeline("backfill_month", "backfill", "--from", month, "--to", month, "--warehouse", str(warehouse))
    progress("chart queries: Superset on the published warehouse")
    charts = chart_queries(warehouse, progress)
    return _results(parameters, centre, memory_limit, full, daily, backfill, baseline, agreement, charts, last_day, month)


def _results(parameters, centre: Centre, memory_limit, full, daily, backfill, baseline, agreement, charts, last_day, month) -> dict:
    runs = {"full_build": full, "daily_run": daily, "backfill_month": backfill}
    ratio = full.seconds / baseline.seconds if baseline.seconds else None
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "centre": {
            "agents": parameters.agents,
            "teams": parameters.teams,
            "months": parameters.months,
            "start": parameters.start.isoformat(),
            "seed": parameters.seed,
            "rows": centre.rows,
            "landing_bytes": sum(f.stat().st_size for f in centre.landing.rglob("*.csv")),
            "generation_seconds": round(centre.generated_seconds, 1),
            "generation_reused": centre.reused,
        },
        "duckdb_memory_limit": memory_limit,
        "scenarios": {
            "full_build": full.as_json() | {"description": f"from empty: every delivery before {last_day}"},
            "daily_run": daily.as_json() | {"description": f"after the files of {last_day} arrive"},
            "backfill_month": backfill.as_json() | {"description": f"ccw backfill --from {month} --to {month}"},
        },
        "baseline": baseline.as_json() | {"script": "orchestration/bench/baseline_kpis.sql", "agrees_with_marts": agreement},
        "full_build_over_baseline": round(ratio, 2) if ratio else None,
        "chart_queries": charts,
        "targets": TARGETS,
        "all_runs_succeeded": all(run.exit_code == 0 for run in (*runs.values(), baseline)),
    }


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "load_average_at_end": [round(value, 1) for value in os.getloadavg()],
        "python": platform.python_version(),
    }


def table(results: dict) -> str:
    """The results as the Markdown table of the README."""
    header = ["run", "time", *STAGES, "start-up and between steps", "peak memory"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, run in results["scenarios"].items():
        stages = " | ".join(f"{run['stages'][s]['seconds']:.1f} s" if s in run["stages"] else "-" for s in STAGES)
        rows.append(
            f"| {name.replace('_', ' ')} | {run['seconds']:.1f} s | {stages} | {run['outside_steps_seconds']:.1f} s "
            f"| {run['peak_memory_mb']:,} MB |"
        )
    baseline = results["baseline"]
    rows.append(
        f"| baseline script | {baseline['seconds']:.1f} s | " + " | ".join("-" for _ in STAGES) + f" | - | {baseline['peak_memory_mb']:,} MB |"
    )
    return "\n".join(rows)


def write(results: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
