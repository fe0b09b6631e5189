"""Stage (e): dashboard chart queries on the published marts, p50 and p95 over the charts.

A stage on the published warehouse takes its path and returns its JSON entry. Timing the
dashboards' chart queries through a provisioned Superset is not part of the benchmark yet: the
stage says it was not measured rather than report a figure for queries it did not run.
"""

from __future__ import annotations

from pathlib import Path


def chart_queries(published: Path) -> dict:
    return {"measured": False, "reason": "the dashboards' chart queries are not benchmarked yet"}


STAGES_ON_PUBLISHED = {"chart_queries": chart_queries}
"""Stages measured on the warehouse the benchmark published last, by name in the results."""
