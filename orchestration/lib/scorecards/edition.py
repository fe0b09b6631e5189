"""Which production of a month's scorecards an output belongs to: every file of a version says it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Edition:
    month: date
    version: int
    """1 for the first production of the month; each change of its numbers makes the next."""
    generated_at: datetime
    """UTC."""
    publication_run_id: str
    """The pipeline run that published the warehouse the numbers were read from."""
    policy_version: str
    restates: int | None = None
    """The version delivered to HR that this one replaces, when it is a restatement."""
    restated_delivered_at: str | None = None

    @property
    def is_restatement(self) -> bool:
        return self.restates is not None

    @property
    def file_stem(self) -> str:
        """scorecards_2026-08, or scorecards_2026-08_v2 for a later version."""
        return f"scorecards_{self.month:%Y-%m}" + (f"_v{self.version}" if self.version > 1 else "")
