"""Amazon Connect exports shaped like the examples in Amazon's documentation, and how tests import them.

`records/` holds one day (2026-08-03, Asia/Shanghai) of a small centre, as Kinesis Data Firehose
delivers it:

- `ctr/contacts-1.jsonl` (one record per line), `ctr/contacts-2.json` (a JSON array) and
  `ctr/contacts-3.json` (records back to back, no separator; the `exports` fixture gzips it):
  an answered call, a transfer, a queue transfer, an abandoned call, a callback requested in the
  queue and the callback, two outbound dials (one unanswered), a contact delivered twice (its later
  copy first), a call spanning midnight, one after midnight, a chat and a call that ended in the IVR.
- `agent_events/events-1.jsonl` and `events-2.json`: A001's day shift with a call, hold,
  after-contact work, lunch, 示忙 and an outbound dial; li.na's night shift across midnight with a
  custom "Coaching" status; A003 still logged in; two heartbeats and one event delivered twice.
- `mapping.yml`: a centre's overlay of the default mapping.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ingestion.connect import import_exports, load_mapping
from ingestion.contract import EXTRACTS_BY_NAME

RECORDS = Path(__file__).parent / "records"
CENTRE_MAPPING = RECORDS / "mapping.yml"
TIMEZONE = "Asia/Shanghai"

CONTACT = {
    name: f"00000000-0000-4000-8000-00000000{number:04d}"
    for name, number in [
        ("answered", 101), ("transferred", 201), ("transfer_leg", 202), ("queue_left", 301), ("queue_leg", 302),
        ("abandoned", 401), ("callback_requested", 501), ("callback", 502), ("dial_unanswered", 601),
        ("dial_answered", 701), ("redelivered", 801), ("over_midnight", 901), ("chat", 1001), ("ivr_only", 1101),
        ("after_midnight", 1201),
    ]
}
LI_NA_ARN = (
    "arn:aws:connect:ap-northeast-1:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111"
    "/agent/5d0e7a4b-9f55-4a3e-8d0e-3f9c2a1b7e22"
)


@dataclass(frozen=True)
class Exports:
    ctr: Path
    agent_events: Path

    @property
    def ctr_files(self) -> list[Path]:
        return sorted(self.ctr.iterdir())

    @property
    def agent_event_files(self) -> list[Path]:
        return sorted(self.agent_events.iterdir())


def run_import(landing: Path, *, ctr: Path | None = None, agent_events: Path | None = None, mapping: Path | None = None, timezone: str = TIMEZONE):
    return import_exports(landing, ctr=ctr, agent_events=agent_events, timezone=timezone, mapping=load_mapping(mapping))


def day_file(landing: Path, extract: str, day: str) -> Path:
    extract_ = EXTRACTS_BY_NAME[extract]
    return landing / extract_.folder / f"{extract_.file_prefix}_{day}.csv"


def read_rows(landing: Path, extract: str, day: str) -> list[dict[str, str]]:
    with open(day_file(landing, extract, day), newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def landing_files(landing: Path) -> dict[str, bytes]:
    """Every file of the telephony extracts, by its path in the landing folder."""
    return {str(p.relative_to(landing)): p.read_bytes() for p in sorted((landing / "telephony").rglob("*.csv"))}
