"""What an import read, left out and wrote, as the command reports it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.connect.exports import EXPORT_SUFFIXES


@dataclass
class StreamRead:
    """One stream of an import: files read, records in them, records kept, heartbeats dropped."""

    files: int = 0
    records: int = 0
    kept: int = 0
    heartbeats: int = 0


@dataclass
class ImportSummary:
    contacts: StreamRead = field(default_factory=StreamRead)
    agent_events: StreamRead = field(default_factory=StreamRead)
    files_left_aside: list[Path] = field(default_factory=list)
    not_call_legs: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    files: list[tuple[str, int, bool]] = field(default_factory=list)
    """Each day file: its path in the landing folder, its rows, whether this import changed it."""

    def report(self) -> list[str]:
        lines = []
        if self.contacts.files:
            lines.append(
                f"read {self.contacts.records} contact records from {_count(self.contacts.files, 'file', 'files')}: "
                f"{self.contacts.kept} contacts, {_count(self.contacts.records - self.contacts.kept, 'copy', 'copies')} delivered again"
            )
        if self.not_call_legs:
            lines.append("not call legs, not written: " + "; ".join(f"{n} {why}" for why, n in sorted(self.not_call_legs.items())))
        if self.agent_events.files:
            repeated = self.agent_events.records - self.agent_events.heartbeats - self.agent_events.kept
            lines.append(
                f"read {self.agent_events.records} agent events from {_count(self.agent_events.files, 'file', 'files')}: "
                f"{self.agent_events.kept} events, {_count(repeated, 'copy', 'copies')} delivered again, "
                f"{_count(self.agent_events.heartbeats, 'heartbeat', 'heartbeats')} ignored"
            )
        if self.files_left_aside:
            lines.append(f"left aside (not {', '.join(EXPORT_SUFFIXES)}): " + ", ".join(str(p) for p in self.files_left_aside))
        lines += [f"note: {note}: {_count(n, 'row', 'rows')}" for note, n in sorted(self.notes.items())]
        lines += [f"{'wrote' if changed else 'unchanged'} {path} ({_count(rows, 'row', 'rows')})" for path, rows, changed in self.files]
        return lines


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
