"""A month's scorecards from the published warehouse to HR: gate, archive, deliver.

1. The warehouse is opened read-only and the month judged by the publication gate (gate.py); a
   blocked month produces nothing.
2. The month's rows are compared with the month's current archived version. The same numbers
   reuse it. Different numbers make a new version `vN+1`; when HR may already hold an earlier
   version (sent, or in doubt), the new one is a restatement of it: marked so on every file, with
   the changes per agent. Numbers back to what HR holds make that version current again.
3. With `send`, the current version is e-mailed unless it already was (delivery.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from orchestration.lib.policy import Policy, load_policy
from orchestration.lib.scorecards import archive
from orchestration.lib.scorecards.changes import (
    HEADLINE,
    AgentChange,
    compare,
    fingerprint,
)
from orchestration.lib.scorecards.data import MonthScorecards, read_month
from orchestration.lib.scorecards.delivery import (
    DEFAULT_RETRY,
    DeliveryReport,
    RetryPolicy,
    deliver,
)
from orchestration.lib.scorecards.edition import Edition
from orchestration.lib.scorecards.gate import GateVerdict, judge_month
from orchestration.lib.scorecards.ledger import Ledger, delivery_summary
from orchestration.lib.scorecards.mail import SmtpSettings
from orchestration.lib.scorecards.pdf import write_scorecard_pdf
from orchestration.lib.scorecards.workbook import write_csv, write_workbook


class ScorecardsError(RuntimeError):
    """The scorecards cannot be produced; the message says why and what to do."""


@dataclass(frozen=True)
class MonthResult:
    month: date
    verdict: GateVerdict
    version: int | None = None
    folder: Path | None = None
    is_new_version: bool = False
    restates: int | None = None
    changes: tuple[AgentChange, ...] = ()
    agents: int = 0
    delivery: DeliveryReport | None = None

    @property
    def blocked(self) -> bool:
        return not self.verdict.passed


@dataclass(frozen=True)
class _Placement:
    version: int
    is_new: bool
    restates: int | None = None
    restated_delivered_at: str | None = None
    changes: tuple[AgentChange, ...] = field(default_factory=tuple)


def produce_month(
    month: date,
    warehouse: Path,
    out_dir: Path,
    *,
    smtp: SmtpSettings | None = None,
    force: bool = False,
    policy: Policy | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> MonthResult:
    """Produce (and with `smtp`, deliver) the month's scorecards into `out_dir/YYYY-MM/vN/`."""
    if not warehouse.is_file():
        raise ScorecardsError(f"{warehouse} does not exist: give the published warehouse (`ccw run --warehouse`)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        verdict = judge_month(con, month)
        if not verdict.passed:
            return MonthResult(month, verdict)
        cards = read_month(con, month)
    if not cards.rows:
        raise ScorecardsError(f"{warehouse} has no scorecard for {month:%Y-%m}: no agent was appraised that month")
    policy = policy or load_policy()
    _check_policy(cards, policy)

    out_dir = out_dir.resolve()
    with Ledger.open(out_dir) as ledger:
        placement = _place(ledger, out_dir, month, cards)
        folder = archive.version_folder(out_dir, month, placement.version)
        if placement.is_new:
            edition = Edition(
                month=month,
                version=placement.version,
                generated_at=datetime.now(UTC).replace(microsecond=0),
                publication_run_id=verdict.run_id,
                policy_version=policy.version_label,
                restates=placement.restates,
                restated_delivered_at=placement.restated_delivered_at,
            )
            _archive(folder, cards, policy, edition, placement.changes, warehouse.resolve())
            ledger.add(month, placement.version, {
                "folder": folder.relative_to(out_dir).as_posix(),
                "created_at": edition.generated_at.isoformat(),
                "fingerprint": fingerprint(cards.rows),
                "restates": placement.restates,
                "kind": "restatement" if placement.restates else "scorecards",
                "message_id": None,
            })
        ledger.make_current(month, placement.version)
        ledger.save()
        for number in ledger.versions(month):
            # Brings every manifest up to date after an interruption between ledger and manifest.
            version_folder = archive.version_folder(out_dir, month, number)
            if version_folder.is_dir():
                archive.record_delivery(version_folder, delivery_summary(ledger.entry(month, number)))
        delivery = deliver(ledger, out_dir, month, smtp, force=force, retry=retry) if smtp else None
    return MonthResult(
        month, verdict, placement.version, folder, placement.is_new, placement.restates, placement.changes, len(cards.rows), delivery,
    )


def _check_policy(cards: MonthScorecards, policy: Policy) -> None:
    """The targets and weights printed must be those the numbers were computed with."""
    if cards.policy_versions != {policy.version_label}:
        raise ScorecardsError(
            f"the scorecards of {cards.month:%Y-%m} were computed with policy {', '.join(sorted(cards.policy_versions))},"
            f" the policy file {policy.source} is {policy.version_label}: rebuild the warehouse with `ccw run`,"
            " or point CCW_POLICY_FILE at the policy file the warehouse was built with"
        )


def _place(ledger: Ledger, out_dir: Path, month: date, cards: MonthScorecards) -> _Placement:
    """Which version the month's numbers are: the current one, the one HR holds, or a new one."""
    current = ledger.current(month)
    if current is not None and not compare(_archived_rows(out_dir, month, current), cards.rows):
        return _Placement(current, is_new=False)
    held = ledger.possibly_delivered(month)
    held_rows = _archived_rows(out_dir, month, held) if held is not None else None
    if held is not None and not compare(held_rows, cards.rows):
        return _Placement(held, is_new=False)
    # A folder left by a production that never reached the ledger keeps its number.
    number = max([*ledger.versions(month), *archive.versions_on_disk(out_dir, month)], default=0) + 1
    if held is None:
        return _Placement(number, is_new=True)
    entry = ledger.entry(month, held)
    delivered_at = entry.get("sent_at") or f"unconfirmed: a send started {entry['attempts'][-1]['attempt_at']} was never recorded"
    return _Placement(number, True, held, delivered_at, tuple(compare(held_rows, cards.rows)))


def _archived_rows(out_dir: Path, month: date, version: int) -> list[dict[str, Any]]:
    folder = archive.version_folder(out_dir, month, version)
    if not (folder / archive.ROWS_FILE).is_file():
        raise archive.ArchiveError(f"{folder} is in the delivery ledger but no longer in the archive: restore it from a backup")
    return archive.read_rows(folder)


def _archive(folder: Path, cards: MonthScorecards, policy: Policy, edition: Edition, changes: tuple[AgentChange, ...], warehouse: Path) -> None:
    def produce(target: Path) -> None:
        pdf_folder = target / archive.PDF_FOLDER
        pdf_folder.mkdir()
        for row in cards.rows:
            write_scorecard_pdf(pdf_folder / f"scorecard_{edition.month:%Y-%m}_{row['agent_id']}.pdf", row, cards, policy, edition)
        write_workbook(target / f"{edition.file_stem}.xlsx", cards, policy, edition, changes)
        write_csv(target / f"{edition.file_stem}.csv", cards, edition)
        archive.write_rows(target, list(cards.rows))

    archive.write_version(folder, produce, {
        "month": f"{edition.month:%Y-%m}",
        "version": edition.version,
        "file_stem": edition.file_stem,
        "archive_folder": str(folder),
        "generated_at": edition.generated_at.isoformat(),
        "publication_run_id": edition.publication_run_id,
        "warehouse": str(warehouse),
        "policy_version": edition.policy_version,
        "fingerprint": fingerprint(cards.rows),
        "agents": len(cards.rows),
        "scoreable_agents": cards.scored_in_centre,
        "restates": edition.restates,
        "restated_delivered_at": edition.restated_delivered_at,
        "changes": [_change_summary(change) for change in changes],
        "delivery": {"status": "produced"},
    })


def _change_summary(change: AgentChange) -> dict[str, Any]:
    def headline(row: Any) -> dict[str, Any] | None:
        return {name: row[name] for name in HEADLINE} if row else None

    return {
        "agent_id": change.agent_id,
        "agent_name": change.agent_name,
        "team": change.team,
        "kind": change.kind,
        "before": headline(change.before),
        "after": headline(change.after),
        "fields": list(change.fields),
    }
