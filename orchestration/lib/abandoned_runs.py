"""Runs whose `ccw` process died without ending them, and the warehouse pool slot they still hold.

A run started by `ccw` executes inside the `ccw` process. If that process is killed (or the
machine stops), Dagster never hears the run end: it stays "started" and keeps its slot of the
`warehouse` pool, whose limit is 1, so every later run would wait for that slot forever. Each run
is tagged with the host and process that execute it; before a new run starts, a run whose process
is gone is marked failed and its slots freed.
"""

from __future__ import annotations

import os
import socket

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.lib.processes import process_alive

HOST_TAG = "ccw/host"
PROCESS_TAG = "ccw/pid"
_UNFINISHED = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def run_tags() -> dict[str, str]:
    """Tags of a run executed by this process."""
    return {HOST_TAG: socket.gethostname(), PROCESS_TAG: str(os.getpid())}


def release_abandoned_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed the unfinished runs of this host whose process is gone, free their slots; their ids."""
    runs = instance.get_runs(filters=RunsFilter(statuses=_UNFINISHED, tags={HOST_TAG: socket.gethostname()}))
    released = []
    for run in runs:
        pid = run.tags.get(PROCESS_TAG, "")
        if not pid.isdigit() or process_alive(int(pid)):
            continue
        instance.report_run_failed(run, message=f"the ccw process {pid} executing this run ended without finishing it")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released

