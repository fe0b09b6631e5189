"""Days and wall-clock seconds: the generator's single notion of time.

A day is an integer count of days since 1970-01-01 and an instant is integer seconds since then,
both on the centre's local wall clock, so that whole days of events are plain numpy arithmetic.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

DAY = 86_400
HOUR = 3_600
MINUTE = 60
NOT_SET = -1
"""An absent instant (a call never answered, a complaint not yet closed)."""

_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def to_date(day: int) -> date:
    return _EPOCH + timedelta(days=int(day))


def date_number(day: int) -> int:
    """The day as the number yyyymmdd, the stem of the day's record ids."""
    return int(to_date(day).strftime("%Y%m%d"))


def weekday(days: np.ndarray | int) -> np.ndarray | int:
    """Monday is 0; day 0 (1970-01-01) was a Thursday."""
    return (np.asarray(days) + 3) % 7


def is_working_day(days: np.ndarray | int) -> np.ndarray | bool:
    return weekday(days) < 5


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_days(first: date) -> np.ndarray:
    """Every calendar day of the month starting on `first`."""
    start = day_number(first)
    return np.arange(start, day_number(add_months(first, 1)), dtype=np.int64)


def at(days: np.ndarray | int, seconds_of_day: np.ndarray | float) -> np.ndarray:
    return np.asarray(days, dtype=np.int64) * DAY + np.asarray(seconds_of_day).astype(np.int64)


def clock(hours: int, minutes: int = 0) -> int:
    """Seconds since midnight."""
    return hours * HOUR + minutes * MINUTE


def next_working_morning(days: np.ndarray) -> np.ndarray:
    """The first working day after each day."""
    following = np.asarray(days, dtype=np.int64) + 1
    return following + np.select([weekday(following) == 5, weekday(following) == 6], [2, 1], 0)


def within_office_hours(instants: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move instants outside office hours (09:00-18:00 on working days) into the next opening hours."""
    instants = np.asarray(instants, dtype=np.int64)
    days, seconds = np.divmod(instants, DAY)
    working = is_working_day(days)
    before_opening = working & (seconds < clock(9))
    after_closing = ~working | (seconds >= clock(18))
    target_day = np.where(before_opening, days, next_working_morning(days))
    morning = at(target_day, clock(9) + rng.integers(0, 3 * HOUR, size=len(instants)))
    return np.where(before_opening | after_closing, morning, instants)


def timestamps(instants: np.ndarray) -> pa.Array:
    """An arrow timestamp column, null where the instant is not set; CSV renders it YYYY-MM-DD HH:MM:SS."""
    instants = np.asarray(instants, dtype=np.int64)
    return pa.array(instants.astype("datetime64[s]"), mask=instants == NOT_SET)


def dates(days: np.ndarray) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    return pa.array(days.astype("datetime64[D]"), mask=days == NOT_SET)


def day_stamp(day: int) -> str:
    return to_date(day).isoformat()


def month_stamp(first: date) -> str:
    return first.strftime("%Y-%m")
