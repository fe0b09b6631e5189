"""The fields of Connect's records that the extracts are made from, checked on the way in.

A contact record also carries recordings, routing profiles, hierarchy groups and more; an agent
event carries the agent's whole configuration twice. Only what the mapping reads is kept, in
Connect's own shape, so that fresh and stored records are read by the same code.

Both streams are delivered at least once. Amazon's rule for contact records: the copy with the
highest `LastUpdateTimestamp` of a `ContactId` is the contact. An agent event is identified by its
`EventId`. When two copies tie, the one that sorts last as JSON is kept, so that the result never
depends on the order in which files were read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from ingestion.connect.clock import parse_utc
from ingestion.connect.errors import ConnectImportError
from ingestion.connect.exports import ExportRecord

KEEP = object()
"""In a shape: keep the value as it is."""

CONTACT_SHAPE = {
    "ContactId": KEEP,
    "PreviousContactId": KEEP,
    "NextContactId": KEEP,
    "Channel": KEEP,
    "InitiationMethod": KEEP,
    "InitiationTimestamp": KEEP,
    "ConnectedToSystemTimestamp": KEEP,
    "DisconnectTimestamp": KEEP,
    "LastUpdateTimestamp": KEEP,
    "TransferCompletedTimestamp": KEEP,
    "TransferredToEndpoint": {"Address": KEEP},
    "CustomerEndpoint": {"Address": KEEP},
    # Kept whole: which attribute carries the outcome is configuration, and may change.
    "Attributes": KEEP,
    "Queue": {"ARN": KEEP, "Name": KEEP, "EnqueueTimestamp": KEEP},
    "Agent": {
        "ARN": KEEP,
        "Username": KEEP,
        "ConnectedToAgentTimestamp": KEEP,
        "AgentInteractionDuration": KEEP,
        "CustomerHoldDuration": KEEP,
        "AfterContactWorkDuration": KEEP,
    },
}
CONTACT_TIMESTAMPS = (
    ("InitiationTimestamp",),
    ("LastUpdateTimestamp",),
    ("ConnectedToSystemTimestamp",),
    ("DisconnectTimestamp",),
    ("Queue", "EnqueueTimestamp"),
    ("Agent", "ConnectedToAgentTimestamp"),
)

EVENT_SHAPE = {
    "EventId": KEEP,
    "EventType": KEEP,
    "EventTimestamp": KEEP,
    "AgentARN": KEEP,
    "CurrentAgentSnapshot": {
        "AgentStatus": {"Name": KEEP},
        "Configuration": {"Username": KEEP},
        "Contacts": [{"ContactId": KEEP, "Channel": KEEP, "State": KEEP}],
    },
}
HEART_BEAT = "HEART_BEAT"
VOICE = "VOICE"


def canonical(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def contact_record(found: ExportRecord) -> dict:
    record = _project(found.record, CONTACT_SHAPE) or {}
    for field, hint in (("ContactId", "is it a contact trace record?"), ("InitiationTimestamp", ""), ("LastUpdateTimestamp", "")):
        if not isinstance(record.get(field), str):
            raise ConnectImportError(f"{found.source}: no {field}" + (f": {hint}" if hint else ""))
    for path in CONTACT_TIMESTAMPS:
        _check_timestamp(record, path, found.source)
    return record


def agent_event(found: ExportRecord) -> dict:
    record = _project(found.record, EVENT_SHAPE) or {}
    for field, hint in (("EventType", "is it an agent event?"), ("EventId", ""), ("AgentARN", ""), ("EventTimestamp", "")):
        if not isinstance(record.get(field), str):
            raise ConnectImportError(f"{found.source}: no {field}" + (f": {hint}" if hint else ""))
    _check_timestamp(record, ("EventTimestamp",), found.source)
    return record


def contact_moment(record: dict) -> datetime:
    return parse_utc(record["InitiationTimestamp"])


def event_moment(record: dict) -> datetime:
    return parse_utc(record["EventTimestamp"])


def latest_contacts(records: Iterable[dict]) -> list[dict]:
    """One record per ContactId, the most recently updated, in ContactId order."""
    latest: dict[str, dict] = {}
    for record in records:
        current = latest.get(record["ContactId"])
        if current is None or _contact_version(record) > _contact_version(current):
            latest[record["ContactId"]] = record
    return [latest[key] for key in sorted(latest)]


def distinct_events(records: Iterable[dict]) -> list[dict]:
    """One record per EventId, in the order the events happened."""
    distinct: dict[str, dict] = {}
    for record in records:
        current = distinct.get(record["EventId"])
        if current is None or canonical(record) > canonical(current):
            distinct[record["EventId"]] = record
    return sorted(distinct.values(), key=lambda r: (event_moment(r), r["EventId"]))


def _contact_version(record: dict) -> tuple[datetime, str]:
    return parse_utc(record["LastUpdateTimestamp"]), canonical(record)


def _project(value, shape):
    if shape is KEEP:
        return value
    if isinstance(shape, list):
        if not isinstance(value, list):
            return None
        return [item for item in (_project(element, shape[0]) for element in value) if item is not None]
    if not isinstance(value, dict):
        return None
    kept = {key: _project(value.get(key), inner) for key, inner in shape.items()}
    return {key: item for key, item in kept.items() if item is not None}


def _check_timestamp(record: dict, path: tuple[str, ...], source: str) -> None:
    value = record
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return
    try:
        parse_utc(value)
    except (TypeError, ValueError) as error:
        raise ConnectImportError(f"{source}: {'.'.join(path)} {value!r} is not an ISO 8601 timestamp") from error
