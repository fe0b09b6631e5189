"""Importing again, and importing exports as they arrive: every day file holds all that is known."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from recorded_exports import (
    CONTACT,
    RECORDS,
    day_file,
    landing_files,
    read_rows,
    run_import,
)

from ingestion.connect import ConnectImportError
from ingestion.connect.exports import read_export


def import_all(landing, exports):
    return run_import(landing, ctr=exports.ctr, agent_events=exports.agent_events)


def exported(path: Path) -> list[dict]:
    return [found.record for found in read_export(path)]


def test_importing_the_same_exports_again_gives_identical_files(exports, landing, tmp_path):
    import_all(landing, exports)
    first = landing_files(landing)

    again = import_all(landing, exports)

    assert landing_files(landing) == first
    assert {changed for _, _, changed in again.files} == {False}
    # And a landing folder built from scratch holds the very same bytes.
    fresh = tmp_path / "fresh"
    import_all(fresh, exports)
    assert landing_files(fresh) == first


@pytest.mark.parametrize("order", [1, -1], ids=["in delivery order", "in reverse order"])
def test_exports_imported_one_at_a_time_merge_into_the_files_of_one_import(exports, landing, tmp_path, order):
    all_at_once = tmp_path / "all_at_once"
    import_all(all_at_once, exports)

    for ctr in exports.ctr_files[::order]:
        run_import(landing, ctr=ctr)
    for agent_events in exports.agent_event_files[::order]:
        run_import(landing, agent_events=agent_events)

    assert landing_files(landing) == landing_files(all_at_once)


def write_contacts(folder: Path, names: list[str], source: str) -> Path:
    """An export holding only the named contacts of a recorded file."""
    records = [r for r in exported(RECORDS / "ctr" / source) if r["ContactId"] in {CONTACT[n] for n in names}]
    path = folder / f"{'-'.join(names)}.json"
    path.write_text(json.dumps(records, ensure_ascii=False))
    return path


def test_a_later_export_completes_a_call_an_earlier_one_wrote(landing, tmp_path):
    run_import(landing, ctr=write_contacts(tmp_path, ["callback_requested", "abandoned"], "contacts-2.json"))
    before = {r["call_id"]: r["outcome"] for r in read_rows(landing, "calls", "2026-08-03")}

    run_import(landing, ctr=write_contacts(tmp_path, ["callback"], "contacts-2.json"))
    after = {r["call_id"]: r["outcome"] for r in read_rows(landing, "calls", "2026-08-03")}

    # At first only the call's NextContactId told that a leg continued it; then the callback came.
    assert before == {CONTACT["abandoned"]: "abandoned", CONTACT["callback_requested"]: "transferred"}
    assert after == {**before, CONTACT["callback_requested"]: "callback_required", CONTACT["callback"]: "resolved"}


def test_an_older_copy_imported_later_does_not_replace_the_newer_one(landing, tmp_path):
    run_import(landing, ctr=write_contacts(tmp_path, ["redelivered"], "contacts-1.jsonl"))
    newer = read_rows(landing, "calls", "2026-08-03")

    older = tmp_path / "older"
    older.mkdir()
    run_import(landing, ctr=write_contacts(older, ["redelivered"], "contacts-2.json"))

    assert read_rows(landing, "calls", "2026-08-03") == newer
    assert newer[0]["wrap_seconds"] == "95"


def test_a_session_left_open_by_one_export_is_closed_by_the_next(exports, landing):
    first, second = exports.agent_event_files

    run_import(landing, agent_events=first)
    opened = read_rows(landing, "sessions", "2026-08-03")
    run_import(landing, agent_events=second)
    closed = read_rows(landing, "sessions", "2026-08-03")

    assert [(s["agent_id"], s["logout_at"]) for s in opened] == [("A001", ""), ("A003", ""), ("li.na", "")]
    assert [(s["agent_id"], s["logout_at"]) for s in closed] == [
        ("A001", "2026-08-03 17:36:00"),
        ("A003", ""),
        ("li.na", "2026-08-04 02:00:00"),
    ]


def test_a_day_file_another_system_delivered_is_never_overwritten(exports, landing):
    delivered = day_file(landing, "calls", "2026-08-03")
    delivered.parent.mkdir(parents=True)
    delivered.write_text("call_id,parent_call_id\nacd-1,\n")

    with pytest.raises(ConnectImportError, match=r"calls_2026-08-03\.csv was not written by import-connect"):
        import_all(landing, exports)

    assert delivered.read_text() == "call_id,parent_call_id\nacd-1,\n"
    assert sorted(p.name for p in landing.rglob("*") if p.is_file()) == ["calls_2026-08-03.csv"]


def test_a_day_file_edited_since_the_import_wrote_it_is_not_overwritten(exports, landing):
    import_all(landing, exports)
    edited = day_file(landing, "states", "2026-08-04")
    edited.write_text(edited.read_text().replace("Coaching", "coaching"))

    with pytest.raises(ConnectImportError, match=r"states_2026-08-04\.csv was not written by import-connect, or was changed since"):
        import_all(landing, exports)


def test_the_record_store_is_outside_every_extract_folder(exports, landing):
    import_all(landing, exports)

    store = landing / ".connect"
    kept = [json.loads(line) for path in sorted((store / "contacts").glob("*.jsonl")) for line in path.read_text().splitlines()]

    assert len(kept) == len(CONTACT)
    assert not any(p.suffix != ".csv" for p in (landing / "telephony").rglob("*") if p.is_file())
    # Only the fields the mapping reads are kept: recordings and routing profiles are not.
    assert not any("Recording" in record or "RoutingProfile" in (record.get("Agent") or {}) for record in kept)


IDS = ("ContactId", "PreviousContactId", "NextContactId", "InitialContactId", "EventId")


def shifted(value, days: int):
    """A record as if it happened `days` later: its timestamps moved, its ids made its own."""
    if isinstance(value, list):
        return [shifted(item, days) for item in value]
    if not isinstance(value, dict):
        return value
    moved = {}
    for key, item in value.items():
        if key.endswith("Timestamp") and isinstance(item, str):
            moment = datetime.fromisoformat(item) + timedelta(days=days)
            moved[key] = moment.isoformat(timespec="milliseconds" if "." in item else "seconds").replace("+00:00", "Z")
        elif key in IDS and isinstance(item, str):
            moved[key] = f"{item}+{days}"
        else:
            moved[key] = shifted(item, days)
    return moved


def test_a_backfill_of_many_days_gives_the_files_of_daily_imports(exports, landing, tmp_path):
    contacts = [r for path in exports.ctr_files for r in exported(path)]
    events = [r for path in exports.agent_event_files for r in exported(path)]
    daily = tmp_path / "daily"
    daily.mkdir()
    for days in range(10):
        (daily / f"ctr-{days}.json").write_text(json.dumps(shifted(contacts, days), ensure_ascii=False))
        (daily / f"events-{days}.json").write_text(json.dumps(shifted(events, days), ensure_ascii=False))
    backfill = tmp_path / "backfill"
    backfill.mkdir()
    (backfill / "ctr.json").write_text(json.dumps([shifted(r, d) for d in range(10) for r in contacts], ensure_ascii=False))
    (backfill / "events.json").write_text(json.dumps([shifted(r, d) for d in range(10) for r in events], ensure_ascii=False))

    run_import(landing, ctr=backfill / "ctr.json", agent_events=backfill / "events.json")
    one_day_at_a_time = tmp_path / "one_day_at_a_time"
    for days in (3, 0, 9, 1, 2, 8, 4, 7, 5, 6):
        run_import(one_day_at_a_time, ctr=daily / f"ctr-{days}.json", agent_events=daily / f"events-{days}.json")

    assert landing_files(landing) == landing_files(one_day_at_a_time)
    calls = [row for path in sorted((landing / "telephony" / "calls").glob("*.csv")) for row in read_rows(landing, "calls", path.stem[6:])]
    assert len(calls) == 10 * (len(CONTACT) - 2)
