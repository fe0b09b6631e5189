"""The delivery ledger `DIR/deliveries.json`: every version of every month and what became of its e-mail.

It is the reference for "was this sent?"; manifests mirror it. One process at a time holds it (an
exclusive lock on `DIR/.deliveries.lock`), so a schedule and a person running the command at the
same moment cannot both send. Every change is written to disk (atomic rename, fsync) before the
next step, in this order around a send:

    status "sending" (+ Message-ID)  ->  SMTP transaction  ->  status "sent" | "failed"

A version's status:
- produced:   archived, never sent;
- sending:    a send began and its end was never recorded: the process died, or the connection
              broke while the server was taking the message. It may have arrived. Nothing sends it
              again on its own; the command reports it until someone checks HR's mailbox for its
              Message-ID and re-runs with --force (which reuses the Message-ID, so a mail system
              that keeps the first copy can drop the second);
- sent:       the SMTP server accepted the message (recorded only after its 250 reply to DATA);
- failed:     every attempt was refused or could not connect: nothing was delivered, the next run
              tries again;
- superseded: never delivered, and replaced by a later version of the month before it was.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Literal

from orchestration.lib.scorecards.archive import write_json_atomically

LEDGER_FILE = "deliveries.json"
LOCK_FILE = ".deliveries.lock"
Status = Literal["produced", "sending", "sent", "failed", "superseded"]
POSSIBLY_DELIVERED = ("sent", "sending")
UNDELIVERED = ("produced", "failed")


class Ledger:
    def __init__(self, path: Path, content: dict[str, Any]) -> None:
        self.path = path
        self._content = content

    @classmethod
    @contextmanager
    def open(cls, out_dir: Path) -> Iterator[Ledger]:
        """The ledger of an output folder, held exclusively until the block ends."""
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                path = out_dir / LEDGER_FILE
                content = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"months": {}}
                yield cls(path, content)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def versions(self, month: date) -> dict[int, dict[str, Any]]:
        return {int(number): entry for number, entry in self._month(month)["versions"].items()}

    def current(self, month: date) -> int | None:
        return self._month(month)["current"]

    def possibly_delivered(self, month: date) -> int | None:
        """The latest version HR may hold: sent, or in doubt."""
        candidates = [number for number, entry in self.versions(month).items() if entry["status"] in POSSIBLY_DELIVERED]
        return max(candidates, default=None)

    def delivered_months(self) -> list[date]:
        """Months of which HR may hold a version: a correction to them must be restated."""
        months = [date.fromisoformat(f"{month}-01") for month in self._content["months"]]
        return sorted(month for month in months if self.possibly_delivered(month) is not None)

    def entry(self, month: date, version: int) -> dict[str, Any]:
        """The version's record, to be changed in place and then saved."""
        return self._month(month)["versions"][str(version)]

    def add(self, month: date, version: int, entry: dict[str, Any]) -> None:
        self._month(month)["versions"][str(version)] = {"status": "produced", "attempts": [], **entry}

    def make_current(self, month: date, version: int) -> None:
        """The version the month's deliveries are about; earlier undelivered versions are superseded."""
        month_entry = self._month(month)
        month_entry["current"] = version
        for number, entry in self.versions(month).items():
            if number != version and entry["status"] in UNDELIVERED:
                entry["status"] = "superseded"

    def save(self) -> None:
        write_json_atomically(self.path, self._content)

    def _month(self, month: date) -> dict[str, Any]:
        return self._content["months"].setdefault(f"{month:%Y-%m}", {"current": None, "versions": {}})


def delivery_summary(entry: dict[str, Any]) -> dict[str, Any]:
    """What a version's manifest says about its delivery."""
    return {
        "status": entry["status"],
        "kind": entry.get("kind"),
        "message_id": entry.get("message_id"),
        "sent_at": entry.get("sent_at"),
        "recipients": entry.get("recipients", []),
        "attempts": len(entry.get("attempts", [])),
        "last_error": next((a.get("error") for a in reversed(entry.get("attempts", [])) if a.get("error")), None),
    }
