"""Sending a month's current version to HR exactly once (the ledger module tells the states).

A failed attempt is retried a few times with a growing pause; the ledger records every attempt and
says "sent" only after the server accepted the message. What is already sent, or may have been,
is not sent again unless asked (`force`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import make_msgid
from pathlib import Path
from typing import Literal

from orchestration.lib.scorecards import archive
from orchestration.lib.scorecards.ledger import Ledger, delivery_summary
from orchestration.lib.scorecards.mail import (
    DeliveryFailed,
    DeliveryInDoubt,
    SmtpSettings,
    transmit,
)
from orchestration.lib.scorecards.message import compose

Outcome = Literal["sent", "already_sent", "in_doubt", "failed"]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    first_pause_seconds: float = 2.0
    """Doubled after each failed attempt."""


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class DeliveryReport:
    outcome: Outcome
    version: int
    kind: str
    message_id: str | None
    detail: str
    errors: tuple[str, ...] = field(default_factory=tuple)
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome in ("sent", "already_sent")


def deliver(
    ledger: Ledger,
    out_dir: Path,
    month: date,
    smtp: SmtpSettings,
    *,
    force: bool = False,
    retry: RetryPolicy = DEFAULT_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    version = ledger.current(month)
    if version is None:
        raise archive.ArchiveError(f"{month:%Y-%m} has no archived version to send")
    entry = ledger.entry(month, version)
    folder = archive.version_folder(out_dir, month, version)
    kind = entry["kind"]
    if entry["status"] == "sent" and not force:
        return DeliveryReport("already_sent", version, kind, entry.get("message_id"), f"already sent on {entry['sent_at']}: nothing sent (--force sends it again)")
    if entry["status"] == "sending" and not force:
        return DeliveryReport("in_doubt", version, kind, entry.get("message_id"), _in_doubt_text(entry))
    problems = archive.verify(folder)
    if problems:
        raise archive.ArchiveError(f"{folder} no longer matches its manifest: " + "; ".join(problems))

    # A send that may have arrived keeps its Message-ID, so that a mail system can drop a second
    # copy; a deliberate second send of a delivered message gets its own, or it could be dropped.
    message_id = entry["message_id"] if entry["status"] == "sending" and entry.get("message_id") else make_msgid(domain="ccw.scorecards")
    manifest = archive.read_manifest(folder)
    message = compose(manifest, archive.read_rows(folder), folder, smtp.sender, smtp.recipients, message_id)
    entry["message_id"] = message_id
    errors = []
    for attempt in range(1, retry.attempts + 1):
        if attempt > 1:
            sleep(retry.first_pause_seconds * 2 ** (attempt - 2))
        record = {"attempt_at": _now(), "server": smtp.server, "message_id": message_id}
        entry["attempts"].append(record)
        entry["status"] = "sending"
        _save(ledger, folder, entry)
        try:
            refused = transmit(message, smtp)
        except DeliveryFailed as error:
            errors.append(str(error))
            record.update(result="failed", error=str(error))
            entry["status"] = "failed"
            _save(ledger, folder, entry)
            continue
        except DeliveryInDoubt as error:
            errors.append(str(error))
            record.update(result="in doubt", error=str(error))
            _save(ledger, folder, entry)
            return DeliveryReport("in_doubt", version, kind, message_id, _in_doubt_text(entry), tuple(errors))
        record.update(result="accepted", refused=refused)
        entry.update(status="sent", sent_at=record["attempt_at"], recipients=[r for r in smtp.recipients if r not in refused], refused=refused)
        _save(ledger, folder, entry)
        return DeliveryReport("sent", version, kind, message_id, f"sent to {', '.join(entry['recipients'])} via {smtp.server}", tuple(errors), refused)
    return DeliveryReport(
        "failed", version, kind, message_id,
        f"not sent after {retry.attempts} attempt(s); the next run tries again", tuple(errors),
    )


def _save(ledger: Ledger, folder: Path, entry: dict) -> None:
    ledger.save()
    archive.record_delivery(folder, delivery_summary(entry))


def _in_doubt_text(entry: dict) -> str:
    started = entry["attempts"][-1]["attempt_at"] if entry.get("attempts") else "an earlier run"
    return (
        f"DELIVERY IN DOUBT: a send started {started} (Message-ID {entry.get('message_id')}) never recorded its end;"
        " it may have reached HR. Nothing was sent again. Check HR's mailbox for that Message-ID;"
        " if it is not there, re-run with --force to send it."
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
