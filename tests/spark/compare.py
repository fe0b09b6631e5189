"""Rows of one table read from two engines, compared value by value.

DuckDB returns Python dates and timestamps; Spark's Thrift server returns dates as text and
ratios as decimals. Values are brought to one form (dates and times as ISO text, numbers as
floats) and rows are matched by their sorted order; numbers may differ by float rounding only.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-9
# Scores are stored to six decimals: computed in doubles on DuckDB and in decimals on Spark, the
# same number may round to either side of the last place.
LAST_PLACE_OF_SIX_DECIMALS = 1e-6


def normalised(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return _iso_timestamp(value)
    return value


def _iso_timestamp(text: str) -> str:
    """Spark prints `2026-07-01 08:00:00.5`; Python `2026-07-01 08:00:00.500000`: one form for both."""
    if len(text) >= 19 and text[4] == "-" and text[10] == " " and text[13] == ":":
        try:
            return dt.datetime.fromisoformat(text).isoformat(sep=" ")
        except ValueError:
            return text
    return text


def _sort_key(row: tuple) -> tuple:
    # Numbers rounded so that a float difference in the last digit does not reorder rows.
    return tuple((0, "") if value is None else (1, f"{value:.6e}" if isinstance(value, float) else str(value)) for value in row)


def _equal(left, right, six_decimals: bool) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if six_decimals:
            return abs(left - right) <= LAST_PLACE_OF_SIX_DECIMALS * 1.000001
        return math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
    return left == right


def differences(
    columns: list[str],
    expected_rows: list[tuple],
    actual_rows: list[tuple],
    six_decimal_columns: frozenset[str] = frozenset(),
    limit: int = 10,
) -> list[str]:
    """Human-readable differences between two row sets of the same columns (empty when equal);
    `six_decimal_columns` are fixed to six decimals, so may differ by one in the last place."""
    expected = sorted((tuple(normalised(v) for v in row) for row in expected_rows), key=_sort_key)
    actual = sorted((tuple(normalised(v) for v in row) for row in actual_rows), key=_sort_key)
    if len(expected) != len(actual):
        return [f"{len(expected)} rows expected, {len(actual)} found"]
    found = []
    for expected_row, actual_row in zip(expected, actual, strict=True):
        unequal = [
            f"{column}: expected {left!r}, found {right!r}"
            for column, left, right in zip(columns, expected_row, actual_row, strict=True)
            if not _equal(left, right, column in six_decimal_columns)
        ]
        if unequal:
            key = ", ".join(f"{c}={v!r}" for c, v in list(zip(columns, expected_row, strict=True))[:3])
            found.append(f"row ({key}): " + "; ".join(unequal))
            if len(found) == limit:
                break
    return found
