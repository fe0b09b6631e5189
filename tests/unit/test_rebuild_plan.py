"""The first day a run recomputes: every call whose first-call resolution the new extracts can change."""

from datetime import date

import duckdb
import pytest

from ingestion.schema import create_schemas
from orchestration.defs.transformation.rebuild import RebuildPlan, first_day_to_recompute

WEEK_IN_HOURS = 168


@pytest.fixture
def con():
    connection = duckdb.connect()
    create_schemas(connection)
    yield connection
    connection.close()


def add_call(con, call_id: str, enqueued_at: str, answered_at: str | None, ended_at: str) -> None:
    con.execute(
        "INSERT INTO raw.calls (call_id, direction, queue, enqueued_at, answered_at, ended_at, outcome, "
        "_file_name, _line_number, _loaded_at) VALUES (?, 'inbound', 'q1', ?, ?, ?, 'resolved', 'calls.csv', 1, now())",
        [call_id, enqueued_at, answered_at, ended_at],
    )


def test_a_corrected_past_day_reaches_back_a_window_from_the_call_before_it(con):
    add_call(con, "before", "2026-08-09 12:00:00", "2026-08-09 12:00:10", "2026-08-09 12:05:00")
    add_call(con, "corrected", "2026-08-10 09:00:00", "2026-08-10 09:00:10", "2026-08-10 09:05:00")
    add_call(con, "later", "2026-08-14 17:23:00", "2026-08-14 17:23:10", "2026-08-14 17:30:00")
    assert first_day_to_recompute(con, date(2026, 8, 10), WEEK_IN_HOURS) == date(2026, 8, 2)


def test_the_window_reaches_back_from_the_last_call_when_the_data_ended_before_the_new_day(con):
    # Calls whose window ends after Friday's last call were undecided; the new data decides them.
    add_call(con, "friday", "2026-08-14 17:23:00", "2026-08-14 17:23:10", "2026-08-14 17:30:00")
    assert first_day_to_recompute(con, date(2026, 8, 17), WEEK_IN_HOURS) == date(2026, 8, 7)
    assert first_day_to_recompute(con, date(2026, 8, 15), WEEK_IN_HOURS) == date(2026, 8, 7)


def test_a_call_answered_before_the_window_opens_and_ended_after_counts_from_its_own_day(con):
    add_call(con, "last", "2026-08-15 00:30:00", "2026-08-15 00:30:10", "2026-08-15 00:35:00")
    assert first_day_to_recompute(con, date(2026, 8, 16), WEEK_IN_HOURS) == date(2026, 8, 8)
    # Still on the line when the window opened, at 00:30 on 8 August.
    add_call(con, "long", "2026-08-07 23:00:00", "2026-08-07 23:05:00", "2026-08-08 01:00:00")
    assert first_day_to_recompute(con, date(2026, 8, 16), WEEK_IN_HOURS) == date(2026, 8, 7)


def test_new_calls_do_not_move_the_end_of_the_data_the_last_build_saw(con):
    add_call(con, "old", "2026-08-10 12:00:00", "2026-08-10 12:00:10", "2026-08-10 12:05:00")
    add_call(con, "new", "2026-08-20 12:00:00", "2026-08-20 12:00:10", "2026-08-20 12:05:00")
    assert first_day_to_recompute(con, date(2026, 8, 20), WEEK_IN_HOURS) == date(2026, 8, 3)


def test_a_shorter_repeat_window_still_reaches_back_a_week(con):
    add_call(con, "last", "2026-08-14 17:23:00", "2026-08-14 17:23:10", "2026-08-14 17:30:00")
    assert first_day_to_recompute(con, date(2026, 8, 15), 24) == date(2026, 8, 7)
    assert first_day_to_recompute(con, date(2026, 8, 15), 10 * 24) == date(2026, 8, 4)


def test_the_models_kept_by_day_and_by_month_get_their_own_bound():
    plan = RebuildPlan(False, date(2026, 8, 1), 7, recompute_from_day=date(2026, 8, 7))
    assert plan.dbt_environment() == {
        "CCW_RECOMPUTE_FROM": "2026-08-01", "CCW_RECOMPUTE_FROM_DAY": "2026-08-07", "CCW_RECOMPUTE_UNTIL": "",
    }
    backfill = RebuildPlan(False, date(2026, 7, 1), 7, recompute_until=date(2026, 8, 1))
    assert backfill.dbt_environment()["CCW_RECOMPUTE_FROM_DAY"] == "2026-07-01"
    assert RebuildPlan(True, None, 7).dbt_environment()["CCW_RECOMPUTE_FROM_DAY"] == ""

