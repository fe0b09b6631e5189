"""Calendar months, each named by its first day."""

from __future__ import annotations

from datetime import date, timedelta


def month_before(day: date) -> date:
    """The first day of the month before `day`'s."""
    return (day - timedelta(days=1)).replace(day=1)


def month_after(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
