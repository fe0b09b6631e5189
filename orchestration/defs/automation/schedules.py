"""Schedules, in the centre's time zone."""

import os

import dagster as dg

from orchestration.defs.transformation.partitions import regular_run_tags
from orchestration.lib.settings import Settings

DAILY_RUN_CRON = "30 3 * * *"
"""03:30 local by default: after the ACD's nightly export; CCW_DAILY_RUN_CRON overrides it."""


def build_daily_schedule(job, settings: Settings, partitions: dg.PartitionsDefinition) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="daily_pipeline",
        job=job,
        cron_schedule=os.environ.get("CCW_DAILY_RUN_CRON", DAILY_RUN_CRON),
        execution_timezone=settings.timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Loads the night's extracts, rebuilds the months they change, checks and publishes.",
    )
    def daily_pipeline(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags=regular_run_tags(partitions))

    return daily_pipeline
