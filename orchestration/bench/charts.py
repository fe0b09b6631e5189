"""Stage (e): the dashboards' chart queries on the published marts, p50 and p95 over the charts.

Superset is provisioned from the committed bundle on the published warehouse, as `ccw serve` does,
in a throwaway home with a throwaway secret key. Every chart of every dashboard is asked for its
data with `force=true`, so that each answer is a query on DuckDB and never Superset's cache: one
warm-up round (a worker's first query opens the warehouse), then the measured rounds. A time is
the whole request as a dashboard makes it: HTTP, Superset's query building, DuckDB, serialisation.
"""

from __future__ import annotations

import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from orchestration.lib.dashboards import (
    SupersetClient,
    SupersetError,
    SupersetSettings,
    serving,
)
from orchestration.lib.dashboards.settings import ADMIN
from orchestration.lib.ports import free_port

MEASURED_ROUNDS = 5


def chart_queries(published: Path, progress: Callable[[str], None]) -> dict:
    """The stage's JSON entry; `measured` is false, with the reason, when Superset or a chart failed."""
    try:
        return _measure(published, progress)
    except SupersetError as error:
        return {"measured": False, "reason": str(error)}


def _measure(published: Path, progress: Callable[[str], None]) -> dict:
    published = published.resolve()
    settings = SupersetSettings(
        warehouse=published,
        home=published.parent / "superset",
        secret_key=secrets.token_urlsafe(32),
        admin_password=secrets.token_urlsafe(16),
    )
    with serving(settings, free_port(), say=progress) as url:
        client = SupersetClient(url, ADMIN, settings.admin_password)
        charts = _dashboard_charts(client)
        progress(f"chart queries: {len(charts)} charts, a warm-up round and {MEASURED_ROUNDS} measured rounds")
        _one_round(client, charts)
        timings = [_one_round(client, charts) for _ in range(MEASURED_ROUNDS)]
    by_chart = {name: statistics.median(round_[name] for round_ in timings) for name in charts}
    every_query = sorted(ms for round_ in timings for ms in round_.values())
    return {
        "measured": True,
        "charts": len(charts),
        "queries": len(every_query),
        "p50_ms": round(_percentile(every_query, 50), 1),
        "p95_ms": round(_percentile(every_query, 95), 1),
        "max_ms": round(every_query[-1], 1),
        "slowest_charts_median_ms": {name: round(ms, 1) for name, ms in sorted(by_chart.items(), key=lambda kv: -kv[1])[:5]},
    }


def _dashboard_charts(client: SupersetClient) -> dict[str, int]:
    """Every chart placed on a dashboard, by `dashboard / chart` name."""
    charts = {}
    for dashboard in client.list_all("/api/v1/dashboard/", columns=["id", "dashboard_title"]):
        for chart in client.get(f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]:
            charts[f"{dashboard['dashboard_title']} / {chart['slice_name']}"] = chart["id"]
    return charts


def _one_round(client: SupersetClient, charts: dict[str, int]) -> dict[str, float]:
    """Each chart's data asked once, uncached; milliseconds by chart. A failed query stops the stage."""
    timings = {}
    for name, chart_id in charts.items():
        started = time.perf_counter()
        (result,) = client.get(f"/api/v1/chart/{chart_id}/data/", params={"force": "true"})["result"]
        timings[name] = (time.perf_counter() - started) * 1000
        if result.get("error"):
            raise SupersetError(f"chart {name!r} failed: {result['error']}")
    return timings


def _percentile(sorted_values: list[float], percent: int) -> float:
    """Nearest-rank percentile: a value that was measured, not one interpolated between two."""
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[rank - 1]
