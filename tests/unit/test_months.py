"""Month arithmetic, across year ends and both ways."""

from datetime import date

from orchestration.lib.months import month_after, month_before, months_later


def test_months_later_counts_whole_months_across_year_ends_both_ways():
    assert months_later(date(2025, 11, 17), 2) == date(2026, 1, 1)
    assert months_later(date(2026, 1, 31), -1) == date(2025, 12, 1)
    assert months_later(date(2026, 3, 1), -27) == date(2023, 12, 1)
    assert months_later(date(2026, 3, 9), 0) == date(2026, 3, 1)


def test_the_month_after_and_before_a_day_are_those_of_its_month():
    assert month_after(date(2025, 12, 31)) == date(2026, 1, 1)
    assert month_after(date(2026, 1, 31)) == date(2026, 2, 1)
    assert month_before(date(2026, 1, 1)) == date(2025, 12, 1)
    assert month_before(date(2026, 3, 15)) == date(2026, 2, 1)
