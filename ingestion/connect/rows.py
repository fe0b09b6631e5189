"""A derived row of an extract, with the local day whose file holds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Row:
    day: date
    """The local day of the row's business date (enqueued_at, login_at, started_at)."""
    values: dict[str, str]
    note: str | None = None
    """Something the import's report should name about this row, e.g. an unmapped status."""
