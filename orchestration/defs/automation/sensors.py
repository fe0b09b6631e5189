"""Sensors: run the pipeline when extracts land, and import Amazon Connect exports when they arrive."""

import os
from pathlib import Path

import dagster as dg

from ingestion.connect import import_exports, load_mapping
from orchestration.defs.automation.watching import folder_fingerprint
from orchestration.defs.transformation.partitions import regular_run_tags
from orchestration.lib.settings import Settings

LANDING_SUFFIXES = (".csv",)
CONNECT_SUFFIXES = (".json", ".jsonl", ".gz")


def build_landing_sensor(job, settings: Settings, partitions: dg.PartitionsDefinition) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_sensor",
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Runs the pipeline when files are added to or re-delivered in {settings.landing}.",
    )
    def landing_sensor(context: dg.SensorEvaluationContext):
        fingerprint = folder_fingerprint(settings.landing, LANDING_SUFFIXES)
        if fingerprint is None or fingerprint == context.cursor:
            return dg.SkipReason("no new or re-delivered extract")
        context.update_cursor(fingerprint)
        # The run key makes a fingerprint run once, even if the cursor update were lost.
        return dg.RunRequest(run_key=f"landing-{fingerprint[:16]}", tags=regular_run_tags(partitions))

    return landing_sensor


@dg.op(description="Import the Amazon Connect exports into the landing folder's telephony extracts.")
def import_connect_exports(context: dg.OpExecutionContext) -> None:
    settings = Settings.from_env()
    exports = Path(os.environ["CCW_CONNECT_EXPORTS"])
    mapping_file = os.environ.get("CCW_CONNECT_MAPPING")
    summary = import_exports(
        settings.landing,
        ctr=_existing(exports / "ctr"),
        agent_events=_existing(exports / "agent_events"),
        timezone=settings.timezone,
        mapping=load_mapping(Path(mapping_file) if mapping_file else None),
    )
    for line in summary.report():
        context.log.info(line)


@dg.job(description="Turn new Amazon Connect exports into landing files; the landing sensor takes it from there.")
def connect_import_job():
    import_connect_exports()


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


@dg.sensor(
    job=connect_import_job,
    minimum_interval_seconds=60,
    description="Imports Amazon Connect exports (CCW_CONNECT_EXPORTS/ctr and /agent_events) when new ones arrive.",
)
def connect_exports_sensor(context: dg.SensorEvaluationContext):
    folder = os.environ.get("CCW_CONNECT_EXPORTS")
    if not folder:
        return dg.SkipReason("CCW_CONNECT_EXPORTS is not set: no Amazon Connect exports to watch")
    fingerprint = folder_fingerprint(Path(folder), CONNECT_SUFFIXES)
    if fingerprint is None or fingerprint == context.cursor:
        return dg.SkipReason("no new Amazon Connect export")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=f"connect-{fingerprint[:16]}")
