"""Running one pipeline command as a user would, timed, with its peak memory and its stages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.bench.memory import TreeSampler

STAGE_OF_STEP = {
    "ccw_dbt_models": "dbt",
    "raw_layer_gate": "checks",
    "marts_gate": "checks",
    "published_warehouse": "publish",
    "hr_scorecards_restated": "publish",
}
"""Dagster steps by stage; every `raw__<extract>` step is ingest."""
STAGES = ("ingest", "dbt", "checks", "publish")


@dataclass
class Measured:
    name: str
    command: list[str]
    seconds: float
    exit_code: int
    peak_memory_bytes: int
    """Resident memory of the command and every process it started, summed, at its highest."""
    largest_process_bytes: int
    """The peak of the largest single process (the kernel's maximum resident set)."""
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per stage: seconds (summed over its steps) and peak memory while it ran."""
    log: str = ""

    def as_json(self) -> dict:
        return {
            "seconds": round(self.seconds, 1),
            "exit_code": self.exit_code,
            "peak_memory_mb": round(self.peak_memory_bytes / 2**20),
            "largest_process_mb": round(self.largest_process_bytes / 2**20),
            "stages": self.stages,
            # Starting the process, loading the definitions, and Dagster's own work between steps.
            "outside_steps_seconds": round(self.seconds - sum(stage["seconds"] for stage in self.stages.values()), 1),
            "command": " ".join(self.command),
            "log": self.log,
        }


def run_measured(name: str, arguments: list[str], env: dict[str, str], log: Path, dagster_home: Path | None) -> Measured:
    """Run `python -m <arguments>` to completion, sampling its memory; stages from its Dagster run."""
    command = [sys.executable, "-m", *arguments]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as output:
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        with TreeSampler(process.pid) as sampler:
            # wait4 gives the child's own resource usage, its largest resident set included.
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    measured = Measured(
        name, command, seconds, process.returncode, sampler.peak(), usage.ru_maxrss * 1024, log=str(log)
    )
    if dagster_home:
        measured.stages = _stages_of_latest_run(dagster_home, sampler)
    return measured


def _stages_of_latest_run(dagster_home: Path, sampler: TreeSampler) -> dict[str, dict[str, float]]:
    """Each stage's time (its steps' durations summed) and peak memory, from the run's step events."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        steps = instance.get_run_step_stats(runs[0].run_id)
    stages: dict[str, dict[str, float]] = {}
    for step in steps:
        if step.start_time is None or step.end_time is None:
            continue
        stage = "ingest" if step.step_key.startswith("raw__") else STAGE_OF_STEP.get(step.step_key, "other")
        entry = stages.setdefault(stage, {"seconds": 0.0, "peak_memory_mb": 0})
        entry["seconds"] = round(entry["seconds"] + step.end_time - step.start_time, 1)
        peak_mb = round(sampler.peak(step.start_time, step.end_time) / 2**20)
        entry["peak_memory_mb"] = max(entry["peak_memory_mb"], peak_mb)
    return dict(sorted(stages.items(), key=lambda item: STAGES.index(item[0]) if item[0] in STAGES else len(STAGES)))
