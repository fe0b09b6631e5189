"""HR's monthly scorecards: at 06:00 local on the 1st, the previous month, once it passed the gate;
and, after every publication, a restatement of any delivered month whose numbers changed."""

import os
from datetime import date

import dagster as dg
import duckdb

from orchestration.defs.publication.assets import published_warehouse
from orchestration.lib.scorecards import SmtpSettings, produce_month
from orchestration.lib.scorecards.ledger import Ledger
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


@dg.asset(
    key=["hr_scorecards_restated"],
    group_name="publication",
    deps=[published_warehouse],
    description="Re-issues HR's delivered scorecards of every recomputed month whose numbers changed (a restatement).",
)
def hr_scorecards_restated(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = Settings.from_env()
    with Ledger.open(settings.scorecards_dir) as ledger:
        delivered = ledger.delivered_months()
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        recomputed_from = con.execute(
            "SELECT CASE WHEN full_refresh THEN DATE '0001-01-01' ELSE recompute_from END FROM audit.builds ORDER BY built_at DESC LIMIT 1"
        ).fetchall()
    since = recomputed_from[0][0] if recomputed_from else None
    smtp = SmtpSettings.from_env() if os.environ.get("CCW_SMTP_HOST") else None
    restated = []
    for month in (m for m in delivered if since is not None and m >= since):
        result = produce_month(month, settings.warehouse, settings.scorecards_dir, smtp=smtp)
        if result.restates:
            restated.append(f"{month:%Y-%m}")
            context.log.info(f"{month:%Y-%m}: restated version {result.restates} with {len(result.changes)} change(s)")
    return dg.MaterializeResult(metadata={"delivered_months_checked": len(delivered), "restated": ", ".join(restated) or "none"})
