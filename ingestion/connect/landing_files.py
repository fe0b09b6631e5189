"""The day files of the telephony extracts, written only over files this import wrote before.

A landing folder is shared with other source systems. Before replacing a day file, the import
checks that the file is still exactly what it wrote last time (its checksums are kept beside the
record store, in `written.json`): a file another system delivered, or one edited by hand, is never
overwritten; the import stops and says so.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ingestion.connect.errors import ConnectImportError
from ingestion.connect.rows import Row
from ingestion.connect.store import write_atomically
from ingestion.contract import Extract

MANIFEST = "written.json"
# Rows in a file follow time, so that a day's file reads like the day; ties in a fixed order.
_ORDER = {
    "calls": ("enqueued_at", "call_id"),
    "sessions": ("login_at", "agent_id", "logout_at"),
    "states": ("started_at", "agent_id", "ended_at", "state", "reason"),
}


@dataclass(frozen=True)
class DayFile:
    extract: Extract
    day: date
    rows: list[Row]
    content: bytes

    @property
    def relative_path(self) -> str:
        return f"{self.extract.folder}/{self.extract.file_prefix}_{self.day:%Y-%m-%d}.csv"


def day_file_content(extract: Extract, rows: Iterable[Row]) -> bytes:
    names = [column.name for column in extract.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([row.values[name] for name in names] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LandingWriter:
    def __init__(self, landing: Path, store_root: Path):
        self.landing = landing
        self.manifest_path = store_root / MANIFEST
        self.written: dict[str, str] = json.loads(self.manifest_path.read_text()) if self.manifest_path.exists() else {}

    def day_files(self, extract: Extract, first: date, last: date, rows: list[Row]) -> list[DayFile]:
        """The files of the local days first..last from every row of those days.

        A day this import wrote before that no longer has any row gets a header-only file, which
        replaces the earlier delivery when loaded.
        """
        by_day: dict[date, list[Row]] = defaultdict(list)
        for row in rows:
            if first <= row.day <= last:
                by_day[row.day].append(row)
        files = []
        day = first
        while day <= last:
            day_rows = sorted(by_day.get(day, []), key=lambda r: tuple(r.values[c] for c in _ORDER[extract.name]))
            file = DayFile(extract, day, day_rows, day_file_content(extract, day_rows))
            if day_rows or file.relative_path in self.written:
                files.append(file)
            day += timedelta(days=1)
        return files

    def check(self, files: list[DayFile]) -> None:
        for file in files:
            path = self.landing / file.relative_path
            if not path.exists():
                continue
            current = path.read_bytes()
            if current != file.content and self.written.get(file.relative_path) != _checksum(current):
                raise ConnectImportError(
                    f"{path} was not written by import-connect, or was changed since: it is not "
                    "overwritten. Move it out of the landing folder (or restore the record store "
                    f"{self.manifest_path.parent} it was written from) and import again."
                )

    def write(self, files: list[DayFile]) -> list[tuple[DayFile, bool]]:
        """Writes the files that changed; returns each file with whether it was (re)written."""
        outcome = []
        for file in files:
            path = self.landing / file.relative_path
            changed = not path.exists() or path.read_bytes() != file.content
            if changed:
                write_atomically(path, file.content)
            self.written[file.relative_path] = _checksum(file.content)
            outcome.append((file, changed))
        write_atomically(self.manifest_path, (json.dumps(self.written, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        return outcome
