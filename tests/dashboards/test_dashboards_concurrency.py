"""Dashboards keep answering while the pipeline runs and publishes: no chart query is lost to a lock."""

from __future__ import annotations

import os
import subprocess
import sys

from orchestration.lib.settings import REPO_ROOT


def ask_every_chart(client, chart_ids: list[int]) -> list[str]:
    """One round of fresh (uncached) chart queries; the failures, described."""
    failures = []
    for chart_id in chart_ids:
        response = client.session.get(f"{client.base_url}/api/v1/chart/{chart_id}/data/", params={"force": "true"}, timeout=300)
        if response.status_code != 200:
            failures.append(f"chart {chart_id}: HTTP {response.status_code} {response.text[:300]}")
        elif error := response.json()["result"][0].get("error"):
            failures.append(f"chart {chart_id}: {error}")
    return failures


def test_a_pipeline_run_loses_no_chart_query(admin, centre):
    chart_ids = [chart["id"] for chart in admin.list_all("/api/v1/chart/", columns=["id"])]
    published_before = os.stat(centre.warehouse).st_ino
    landing = centre.warehouse.parent / "landing"
    # A re-delivered file (new modification time) makes the run load, build, check and publish.
    (redelivered := next(landing.glob("telephony/calls/*.csv"))).touch()
    run = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--landing", str(landing), "--warehouse", str(centre.warehouse)],
        cwd=REPO_ROOT, env=centre.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    queries, failures = 0, []
    while run.poll() is None:
        failures += ask_every_chart(admin, chart_ids)
        queries += len(chart_ids)
    failures += ask_every_chart(admin, chart_ids)
    queries += len(chart_ids)
    output = run.stdout.read()
    print(f"\n{queries} chart queries during and after a pipeline run, {len(failures)} lost")
    assert run.returncode == 0, output[-3000:]
    assert os.stat(centre.warehouse).st_ino != published_before, f"the run published a new file ({redelivered.name} re-delivered)"
    assert queries > 2 * len(chart_ids)
    assert not failures, "\n".join(failures[:20])
