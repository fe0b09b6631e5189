"""Months as Dagster partitions of the dbt models, so that a backfill is picked as a range in the UI.

The partitions run from the first month in the landing folder to the current month (its days so
far count too). Every run of the models covers a range of months, as one dbt build
(`BackfillPolicy.single_run`): Dagster ties each dbt test's result to the months it checked.

- A backfill (from the UI, or `ccw backfill`) recomputes exactly the months of its range.
- A regular run (`ccw run`, the sensor, the daily schedule) covers every month and is tagged to
  recompute only what the newly loaded extracts change.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg

from ingestion.landing import first_delivery_month
from orchestration.lib.settings import Settings

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
RECOMPUTE_TAG = "ccw/recompute"
RECOMPUTE_CHANGED = "changed"


class NoSuchMonth(ValueError):
    pass


def monthly_partitions(settings: Settings) -> dg.MonthlyPartitionsDefinition:
    first = first_delivery_month(settings.landing) or datetime.now(ZoneInfo(settings.timezone)).date().replace(day=1)
    return dg.MonthlyPartitionsDefinition(start_date=f"{first:%Y-%m-%d}", timezone=settings.timezone, end_offset=1)


def regular_run_tags(partitions: dg.PartitionsDefinition) -> dict[str, str]:
    keys = partitions.get_partition_keys()
    return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1], RECOMPUTE_TAG: RECOMPUTE_CHANGED}


def backfill_tags(partitions: dg.PartitionsDefinition, first_month: date, last_month: date) -> dict[str, str]:
    """The tags of the single run that a backfill of first_month..last_month launches."""
    keys = partitions.get_partition_keys()
    wanted = [f"{month:%Y-%m-%d}" for month in (first_month, last_month)]
    outside = [key[:7] for key in wanted if key not in keys]
    if outside:
        raise NoSuchMonth(f"no such month to backfill: {', '.join(outside)} (months with data: {keys[0][:7]} to {keys[-1][:7]})")
    return {RANGE_START_TAG: wanted[0], RANGE_END_TAG: wanted[1]}


def backfill_months(context: dg.AssetExecutionContext) -> tuple[date, date] | None:
    """The first and last month a backfill recomputes; None for a regular run."""
    if context.run.tags.get(RECOMPUTE_TAG) == RECOMPUTE_CHANGED or not context.has_partition_key_range:
        return None
    keys = context.partition_key_range
    return date.fromisoformat(keys.start), date.fromisoformat(keys.end)
