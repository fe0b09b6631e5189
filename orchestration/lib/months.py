"""Calendar months, each named by its first day."""

from __future__ import annotations

from datetime import date


def months_later(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s (before it when `months` is negative)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_after(day: date) -> date:
    """The first day of the month after `day`'s."""
    return months_later(day, 1)


def month_before(day: date) -> date:
    """The first day of the month before `day`'s."""
    return months_later(day, -1)
