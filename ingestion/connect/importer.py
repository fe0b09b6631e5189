"""One import: Connect exports in, the telephony day files they bear on out.

1. Read every record of the exports and check it; heartbeats are dropped.
2. Stage the records in the record store, de-duplicated with what earlier imports kept there.
3. Find the local days the new records bear on: each record's own day and the days either side
   (the first leg of a transfer, a call enqueued after midnight, a session or state a new event
   ends).
4. For each run of consecutive such days, derive the rows again from the store's records of those
   days and of two more days either side, and keep the rows of the run's days: every file written
   holds the merged content of all imports so far, whichever export brought which record.
5. Check that no file written would replace one another system delivered, then commit the store
   and write the files whose content changed.

Nothing is written when any step fails; the same exports imported again give the same files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from ingestion.connect.agent_states import state_rows
from ingestion.connect.calls import call_rows, not_a_call_leg
from ingestion.connect.clock import LocalClock
from ingestion.connect.errors import ConnectImportError
from ingestion.connect.exports import (
    EXPORT_SUFFIXES,
    ExportRecord,
    export_files,
    read_export,
)
from ingestion.connect.landing_files import LandingWriter
from ingestion.connect.mapping import ConnectMapping, load_mapping
from ingestion.connect.records import (
    HEART_BEAT,
    agent_event,
    contact_moment,
    contact_record,
    distinct_events,
    event_moment,
    latest_contacts,
)
from ingestion.connect.sessions import session_rows
from ingestion.connect.store import RecordStore
from ingestion.connect.summary import ImportSummary, StreamRead
from ingestion.contract import CALLS, SESSIONS, STATES

WINDOW_MARGIN = timedelta(days=2)
"""Records read either side of the days written: a local day spans up to three UTC days of the
store, and a leg, session or state is completed by records up to a day after it starts."""
RUN_DAYS = 7
"""Days derived together: a backfill of months never holds more than a few days of records."""


def import_exports(
    landing: Path,
    *,
    ctr: Path | None = None,
    agent_events: Path | None = None,
    timezone: str = "Asia/Shanghai",
    mapping: ConnectMapping | None = None,
) -> ImportSummary:
    """Import contact trace records and/or agent events into the landing folder's telephony extracts."""
    if ctr is None and agent_events is None:
        raise ConnectImportError("nothing to import: give contact trace records, agent events or both")
    clock = LocalClock(timezone)
    mapping = mapping or load_mapping()
    summary = ImportSummary()
    store = RecordStore(landing)
    writer = LandingWriter(landing, store.root)
    day_files = []
    if ctr is not None:
        records = _read(ctr, contact_record, summary.contacts, summary)
        contacts = latest_contacts(records)
        summary.contacts.kept = len(contacts)
        summary.not_call_legs.update(why for why in map(not_a_call_leg, contacts) if why)
        store.contacts.stage(contacts)
        for first, last in _runs(_days_around(map(contact_moment, contacts), clock)):
            window = store.contacts.load(first - WINDOW_MARGIN, last + WINDOW_MARGIN)
            day_files += writer.day_files(CALLS, first, last, call_rows(window, mapping, clock))
    if agent_events is not None:
        records = _read(agent_events, agent_event, summary.agent_events, summary)
        events = distinct_events(r for r in records if r["EventType"] != HEART_BEAT)
        summary.agent_events.heartbeats = sum(r["EventType"] == HEART_BEAT for r in records)
        summary.agent_events.kept = len(events)
        store.agent_events.stage(events)
        for first, last in _runs(_days_around(map(event_moment, events), clock)):
            window = store.agent_events.load(first - WINDOW_MARGIN, last + WINDOW_MARGIN)
            day_files += writer.day_files(SESSIONS, first, last, session_rows(window, mapping, clock))
            day_files += writer.day_files(STATES, first, last, state_rows(window, mapping, clock))
    writer.check(day_files)
    store.commit()
    for file, changed in writer.write(day_files):
        summary.files.append((file.relative_path, len(file.rows), changed))
        summary.notes.update(row.note for row in file.rows if row.note)
    return summary


def _read(path: Path, checked: Callable[[ExportRecord], dict], read: StreamRead, summary: ImportSummary) -> list[dict]:
    files, left_aside = export_files(path)
    if not files:
        raise ConnectImportError(f"{path}: no export files ({', '.join(EXPORT_SUFFIXES)}, or Firehose's names without one)")
    summary.files_left_aside += left_aside
    records = [checked(found) for file in files for found in read_export(file)]
    read.files += len(files)
    read.records += len(records)
    return records


def _days_around(moments: Iterable[datetime], clock: LocalClock) -> set[date]:
    return {clock.day(moment) + timedelta(days=shift) for moment in moments for shift in (-1, 0, 1)}


def _runs(days: set[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs of at most RUN_DAYS days."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1) and (day - runs[-1][0]).days < RUN_DAYS:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
