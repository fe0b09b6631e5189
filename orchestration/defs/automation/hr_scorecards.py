"""HR's monthly scorecards: at 06:00 local on the 1st, the previous month, once it passed the gate."""

import os
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.lib.scorecards import SmtpSettings, produce_month
from orchestration.lib.settings import Settings


def previous_month(day: date) -> date:
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


@dg.op(config_schema={"month": dg.Field(str, description="The appraised month, YYYY-MM.")})
def monthly_scorecards(context: dg.OpExecutionContext) -> None:
    settings = Settings.from_env()
    year, month = (int(part) for part in context.op_config["month"].split("-"))
    # Without an SMTP server configured the month is still produced and archived, just not sent.
    smtp = SmtpSettings.from_env() if os.environ.get("CCW_SMTP_HOST") else None
    result = produce_month(date(year, month, 1), settings.warehouse, settings.scorecards_dir, smtp=smtp)
    if result.blocked:
        raise dg.Failure(f"{year}-{month:02d} did not pass the publication gate: no scorecards were produced")
    context.log.info(f"{result.agents} scorecards of {year}-{month:02d} in {result.folder}")
    if result.delivery is not None and not result.delivery.ok:
        raise dg.Failure(f"the scorecards of {year}-{month:02d} are in {result.folder}; delivery: {result.delivery.detail}")


@dg.job(description="Produce, archive and e-mail one month's HR scorecards.")
def hr_scorecards_job():
    monthly_scorecards()


def build_monthly_scorecards_schedule(settings: Settings) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="monthly_hr_scorecards",
        job=hr_scorecards_job,
        cron_schedule="0 6 1 * *",
        execution_timezone=settings.timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="06:00 on the 1st, in the centre's time zone: the previous month's scorecards for HR.",
    )
    def monthly_hr_scorecards(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        month = previous_month(context.scheduled_execution_time.date())
        return dg.RunRequest(
            run_key=f"scorecards-{month:%Y-%m}",
            run_config={"ops": {"monthly_scorecards": {"config": {"month": f"{month:%Y-%m}"}}}},
            tags={"month": f"{month:%Y-%m}"},
        )

    return monthly_hr_scorecards
