"""The dbt models are partitioned by month, from the first month in the landing folder."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from ingestion.landing import first_delivery_month
from orchestration.defs.transformation.partitions import NoSuchMonth, backfill_tags, monthly_partitions
from orchestration.lib.settings import Settings


def deliver(landing, folder: str, name: str) -> None:
    (landing / folder).mkdir(parents=True, exist_ok=True)
    (landing / folder / name).write_text("header\n")


def settings_for(tmp_path) -> Settings:
    return Settings(landing=tmp_path / "landing", warehouse=tmp_path / "wh.duckdb", timezone="Asia/Shanghai", dagster_home=tmp_path / "dagster")


def test_the_first_month_is_the_earliest_dated_delivery_of_any_extract(tmp_path):
    landing = tmp_path / "landing"
    deliver(landing, "telephony/calls", "calls_2026-03-14.csv")
    deliver(landing, "hr/schedules", "schedules_2026-02.csv")
    deliver(landing, "telephony/calls", "calls_latest.csv")
    assert first_delivery_month(landing) == date(2026, 2, 1)


def test_the_partitions_run_from_the_first_landing_month_to_the_current_month(tmp_path):
    settings = settings_for(tmp_path)
    deliver(settings.landing, "telephony/calls", "calls_2026-03-14.csv")
    keys = monthly_partitions(settings).get_partition_keys()
    this_month = datetime.now(ZoneInfo(settings.timezone)).date().replace(day=1)
    assert keys[0] == "2026-03-01"
    assert keys[-1] == f"{this_month:%Y-%m-%d}"


def test_an_empty_landing_folder_still_has_the_current_month(tmp_path):
    settings = settings_for(tmp_path)
    keys = monthly_partitions(settings).get_partition_keys()
    assert keys == [f"{datetime.now(ZoneInfo(settings.timezone)).date():%Y-%m-01}"]


def test_a_backfill_of_any_range_is_one_dbt_build():
    from orchestration.defs.transformation.assets import ccw_dbt_models

    assert ccw_dbt_models.backfill_policy == dg.BackfillPolicy.single_run()
    assert isinstance(ccw_dbt_models.partitions_def, dg.MonthlyPartitionsDefinition)


def test_a_backfill_names_its_months_and_refuses_months_without_data():
    months = dg.MonthlyPartitionsDefinition(start_date="2026-06-01", end_date="2026-10-01")
    assert backfill_tags(months, date(2026, 7, 1), date(2026, 8, 1)) == {
        "dagster/asset_partition_range_start": "2026-07-01",
        "dagster/asset_partition_range_end": "2026-08-01",
    }
    with pytest.raises(NoSuchMonth, match=r"no such month to backfill: 2026-01 \(months with data: 2026-06 to 2026-09\)"):
        backfill_tags(months, date(2026, 1, 1), date(2026, 7, 1))
