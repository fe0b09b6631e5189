"""Finding the deliveries of an extract in the landing folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingestion.contract import EXTRACTS, Extract

_DATE_PATTERNS = {
    "day": r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})",
    "month": r"(?P<year>\d{4})-(?P<month>\d{2})",
}


@dataclass(frozen=True)
class Delivery:
    """One file of an extract; `file_date` is None when its name does not follow the contract."""

    extract: Extract
    path: Path
    file_date: date | None

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def month(self) -> date | None:
        return self.file_date.replace(day=1) if self.file_date else None


def expected_name(extract: Extract) -> str:
    stamp = "YYYY-MM-DD" if extract.period == "day" else "YYYY-MM"
    return f"{extract.file_prefix}_{stamp}.csv"


def date_in_name(extract: Extract, file_name: str) -> date | None:
    pattern = rf"{re.escape(extract.file_prefix)}_{_DATE_PATTERNS[extract.period]}\.csv"
    match = re.fullmatch(pattern, file_name, flags=re.IGNORECASE)
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match.groupdict().get("day") or 1))
    except ValueError:
        return None


def find_deliveries(landing: Path, extract: Extract) -> list[Delivery]:
    """Every file in the extract's folder, in delivery order: the date in its name, then its name.

    Files whose name breaks the contract are returned too (with no date, last), so that they are
    recorded as rejected rather than silently ignored.
    """
    folder = landing / extract.folder
    if not folder.is_dir():
        return []
    deliveries = [
        Delivery(extract, path, date_in_name(extract, path.name))
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".")
    ]
    return sorted(deliveries, key=lambda d: (d.file_date is None, d.file_date or date.min, d.file_name))


def first_delivery_month(landing: Path) -> date | None:
    """The month of the earliest dated delivery of any extract, or None for an empty landing folder."""
    months = [d.month for extract in EXTRACTS for d in find_deliveries(landing, extract) if d.month]
    return min(months, default=None)
