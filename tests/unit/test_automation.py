"""The sensors and the daily schedule, evaluated by Dagster against real folders."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.automation.hr_scorecards import build_monthly_scorecards_schedule, previous_month
from orchestration.defs.automation.schedules import build_daily_schedule
from orchestration.defs.automation.sensors import build_landing_sensor, connect_exports_sensor
from orchestration.defs.automation.watching import folder_fingerprint
from orchestration.lib.settings import Settings

JOB = dg.define_asset_job("ccw_pipeline")
MONTHS = dg.MonthlyPartitionsDefinition(start_date="2026-06-01", end_offset=1)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(landing=tmp_path / "landing", warehouse=tmp_path / "wh.duckdb", timezone="Asia/Shanghai", dagster_home=tmp_path / "dagster")


def deliver(settings: Settings, name: str, content: str) -> None:
    folder = settings.landing / "telephony" / "calls"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(content)


def tick(sensor: dg.SensorDefinition, cursor: str | None):
    with dg.instance_for_test() as instance:
        return sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_the_landing_sensor_requests_a_run_for_new_files_and_only_once(settings):
    sensor = build_landing_sensor(JOB, settings, MONTHS)
    assert tick(sensor, None).skip_message
    deliver(settings, "calls_2026-08-03.csv", "call_id\n")
    first = tick(sensor, None)
    assert len(first.run_requests) == 1
    assert tick(sensor, first.cursor).skip_message == "no new or re-delivered extract"


def test_a_regular_run_covers_every_month_and_recomputes_what_changed(settings):
    sensor = build_landing_sensor(JOB, settings, MONTHS)
    deliver(settings, "calls_2026-08-03.csv", "call_id\n")
    tags = tick(sensor, None).run_requests[0].tags
    assert tags["dagster/asset_partition_range_start"] == "2026-06-01"
    assert tags["dagster/asset_partition_range_end"] == MONTHS.get_partition_keys()[-1]
    assert tags["ccw/recompute"] == "changed"


def test_a_redelivered_file_triggers_a_new_run(settings):
    sensor = build_landing_sensor(JOB, settings, MONTHS)
    deliver(settings, "calls_2026-08-03.csv", "call_id\n")
    first = tick(sensor, None)
    deliver(settings, "calls_2026-08-03.csv", "call_id\nc1\n")
    second = tick(sensor, first.cursor)
    assert len(second.run_requests) == 1
    assert second.run_requests[0].run_key != first.run_requests[0].run_key


def test_hidden_files_and_other_suffixes_do_not_count(settings):
    deliver(settings, "calls_2026-08-03.csv", "call_id\n")
    before = folder_fingerprint(settings.landing, (".csv",))
    (settings.landing / ".ccw-sample").write_text("sample")
    (settings.landing / "telephony" / "calls" / "notes.txt").write_text("not an extract")
    assert folder_fingerprint(settings.landing, (".csv",)) == before


def test_the_connect_sensor_waits_for_its_folder_to_be_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("CCW_CONNECT_EXPORTS", raising=False)
    assert "CCW_CONNECT_EXPORTS is not set" in tick(connect_exports_sensor, None).skip_message
    exports = tmp_path / "exports" / "ctr"
    exports.mkdir(parents=True)
    (exports / "part-0001.json").write_text("{}")
    monkeypatch.setenv("CCW_CONNECT_EXPORTS", str(tmp_path / "exports"))
    assert len(tick(connect_exports_sensor, None).run_requests) == 1


def test_the_daily_schedule_runs_the_pipeline_at_night_in_the_centres_time_zone(settings):
    schedule = build_daily_schedule(JOB, settings, MONTHS)
    assert schedule.cron_schedule == "30 3 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "ccw_pipeline"
    with dg.instance_for_test() as instance:
        request = schedule.evaluate_tick(dg.build_schedule_context(instance=instance)).run_requests[0]
    assert request.tags["ccw/recompute"] == "changed"


def test_the_monthly_scorecards_run_at_six_on_the_first_for_the_previous_month(settings):
    schedule = build_monthly_scorecards_schedule(settings)
    assert schedule.cron_schedule == "0 6 1 * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    first_of_january = datetime(2027, 1, 1, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with dg.instance_for_test() as instance:
        data = schedule.evaluate_tick(dg.build_schedule_context(instance=instance, scheduled_execution_time=first_of_january))
    [request] = data.run_requests
    assert request.run_config == {"ops": {"monthly_scorecards": {"config": {"month": "2026-12"}}}}
    assert request.run_key == "scorecards-2026-12"


def test_the_previous_month_of_march_is_february():
    assert previous_month(date(2026, 3, 1)) == date(2026, 2, 1)
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
