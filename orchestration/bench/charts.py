"""Stage (e): dashboard chart queries on the published marts, p50 and p95 over the charts.

A stage on the published warehouse takes its path and returns its JSON entry. This project ships no
dashboards yet, so the stage says it was not measured rather than timing queries nobody runs.
"""

from __future__ import annotations

from pathlib import Path


def chart_queries(published: Path) -> dict:
    return {"measured": False, "reason": "no Superset dashboards in this project to query"}


STAGES_ON_PUBLISHED = {"chart_queries": chart_queries}
"""Stages measured on the warehouse the benchmark published last, by name in the results."""
