"""A run left unfinished by a killed `ccw` process gives its warehouse slot back; a live one keeps it."""

from __future__ import annotations

import subprocess

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

from orchestration.lib.abandoned_runs import release_abandoned_runs, run_tags


def started_run(instance: DagsterInstance, run_id: str, tags: dict[str, str]) -> DagsterRun:
    run = instance.add_run(DagsterRun(job_name="ccw_pipeline", run_id=run_id, status=DagsterRunStatus.STARTED, tags=tags))
    instance.event_log_storage.claim_concurrency_slot("warehouse", run_id, "raw__calls")
    return run


def test_the_run_of_a_process_that_is_gone_is_failed_and_frees_its_slot_while_a_live_one_keeps_it(tmp_path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots("warehouse", 2)
        started_run(instance, "killed-run", {**run_tags(), "ccw/pid": str(gone.pid)})
        started_run(instance, "live-run", run_tags())

        released = release_abandoned_runs(instance)

        assert released == ["killed-run"]
        assert instance.get_run_by_id("killed-run").status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id("live-run").status == DagsterRunStatus.STARTED
        assert instance.event_log_storage.get_concurrency_info("warehouse").active_run_ids == {"live-run"}
        assert release_abandoned_runs(instance) == []
