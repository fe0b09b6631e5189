"""The Connect records behind the telephony files, kept in the landing folder between imports.

A day's files are rewritten from every record that bears on that day, so an import needs the
records earlier imports brought: a transfer's second leg may come in a later export than its first,
and an agent's logout in a later export than their login. They are kept de-duplicated and reduced
to the fields the mapping reads, in `<landing>/.connect/`, one JSON-lines file per UTC day (UTC,
so that the store does not depend on the centre's time zone). The loader never reads it: it only
looks into the extract folders.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from ingestion.connect.records import (
    canonical,
    contact_moment,
    distinct_events,
    event_moment,
    latest_contacts,
)

STORE_FOLDER = ".connect"


@dataclass
class Partitions:
    """Records of one kind, one file per UTC day; changes are staged in memory until committed."""

    folder: Path
    moment_of: Callable[[dict], datetime]
    deduplicated: Callable[[Iterable[dict]], list[dict]]
    staged: dict[date, list[dict]] = field(default_factory=dict)

    def stage(self, records: Iterable[dict]) -> None:
        by_day: dict[date, list[dict]] = defaultdict(list)
        for record in records:
            by_day[self.moment_of(record).date()].append(record)
        for day, new in by_day.items():
            self.staged[day] = self.deduplicated([*self._read(day), *new])

    def load(self, first: date, last: date) -> list[dict]:
        """The records of the UTC days first..last, staged ones included."""
        records = []
        day = first
        while day <= last:
            records += self._read(day)
            day += timedelta(days=1)
        return self.deduplicated(records)

    def commit(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for day, records in sorted(self.staged.items()):
            write_atomically(self._path(day), "".join(canonical(r) + "\n" for r in records).encode("utf-8"))
        self.staged.clear()

    def _read(self, day: date) -> list[dict]:
        if day in self.staged:
            return self.staged[day]
        path = self._path(day)
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]

    def _path(self, day: date) -> Path:
        return self.folder / f"{day:%Y-%m-%d}.jsonl"


class RecordStore:
    def __init__(self, landing: Path):
        self.root = landing / STORE_FOLDER
        self.contacts = Partitions(self.root / "contacts", contact_moment, latest_contacts)
        self.agent_events = Partitions(self.root / "agent_events", event_moment, distinct_events)

    def commit(self) -> None:
        self.contacts.commit()
        self.agent_events.commit()


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one (the hidden name is never loaded)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
