"""Contact trace records as call legs: `telephony/calls`.

One row per voice contact that reached a queue or an agent. Each Connect contact is one leg: a
transfer or a callback is a new contact whose PreviousContactId is the leg it continues, which
becomes `parent_call_id`.

- direction: INBOUND, TRANSFER, QUEUE_TRANSFER and WEBRTC_API (a call from the web or an app) are
  `inbound`: a transferred leg reaches its agent as an incoming call and, having a parent, is never
  counted as a new offer. OUTBOUND, CALLBACK (the centre calls the customer back) and API (a call
  started through StartOutboundVoiceContact) are `outbound`. Other methods (MONITOR,
  EXTERNAL_OUTBOUND to a third party, and the chat, task and e-mail ones) are not call legs.
- enqueued_at: inbound, Queue.EnqueueTimestamp (InitiationTimestamp when it never queued, like a
  transfer straight to an agent); outbound, InitiationTimestamp: when the agent began dialling, or
  for a callback when the customer asked for it, so that answered_at - enqueued_at is how long the
  customer waited to be called back.
- answered_at: inbound, Agent.ConnectedToAgentTimestamp; outbound, when the customer answered
  (ConnectedToSystemTimestamp, or the agent's connection when that came later, as for a callback).
- talk, hold, wrap: Agent.AgentInteractionDuration, CustomerHoldDuration, AfterContactWorkDuration;
  talk and hold are 0 for a leg nobody answered, wrap is kept (the agent may log a failed dial).
- Not written: voice contacts that were never enqueued and never reached an agent (they ended in
  the IVR: Amazon counts a contact as abandoned only once it was enqueued), outbound contacts no
  agent was connected to (automated dialling), and contacts with no DisconnectTimestamp yet. The
  import's report counts them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ingestion.connect.clock import LocalClock, parse_utc
from ingestion.connect.mapping import ConnectMapping
from ingestion.connect.outcome import call_outcome
from ingestion.connect.records import VOICE
from ingestion.connect.rows import Row

INBOUND_METHODS = frozenset({"INBOUND", "TRANSFER", "QUEUE_TRANSFER", "WEBRTC_API"})
OUTBOUND_METHODS = frozenset({"OUTBOUND", "CALLBACK", "API"})


def direction_of(contact: dict) -> str | None:
    method = contact.get("InitiationMethod")
    if method in INBOUND_METHODS:
        return "inbound"
    if method in OUTBOUND_METHODS:
        return "outbound"
    return None


def not_a_call_leg(contact: dict) -> str | None:
    """Why a contact is not written as a call leg, or None when it is one."""
    # Records from before Connect took chats have no Channel: they are calls.
    channel = (contact.get("Channel") or VOICE).upper()
    if channel != VOICE:
        return f"{channel.lower()} contact, not a call"
    direction = direction_of(contact)
    if direction is None:
        return f"initiation method {contact.get('InitiationMethod')}, not a call leg"
    if not contact.get("DisconnectTimestamp"):
        return "not disconnected yet (no DisconnectTimestamp)"
    connected = (contact.get("Agent") or {}).get("ConnectedToAgentTimestamp")
    enqueued = (contact.get("Queue") or {}).get("EnqueueTimestamp")
    if direction == "inbound" and not connected and not enqueued:
        return "never queued nor connected to an agent (ended in the IVR)"
    if direction == "outbound" and not connected:
        return "outbound contact never connected to an agent (automated dialling)"
    return None


def call_rows(contacts: list[dict], mapping: ConnectMapping, clock: LocalClock) -> list[Row]:
    """Every call leg of the contacts (one record per ContactId); relations are looked up among them."""
    following: dict[str, list[dict]] = defaultdict(list)
    for contact in contacts:
        if contact.get("PreviousContactId"):
            following[contact["PreviousContactId"]].append(contact)
    return [
        _call_row(contact, following.get(contact["ContactId"], []), mapping, clock)
        for contact in contacts
        if not_a_call_leg(contact) is None
    ]


def _call_row(contact: dict, following: list[dict], mapping: ConnectMapping, clock: LocalClock) -> Row:
    direction = direction_of(contact)
    agent = contact.get("Agent") or {}
    queue = contact.get("Queue") or {}
    initiated = parse_utc(contact["InitiationTimestamp"])
    enqueued = (parse_utc(queue.get("EnqueueTimestamp")) if direction == "inbound" else None) or initiated
    connected = parse_utc(agent.get("ConnectedToAgentTimestamp"))
    answered = _answered_at(direction, connected, parse_utc(contact.get("ConnectedToSystemTimestamp")))
    recorded, note = mapping.attribute_outcome(contact.get("Attributes"))
    outcome = call_outcome(contact, direction=direction, answered=answered is not None, following=following, recorded=recorded)
    values = {
        "call_id": contact["ContactId"],
        "parent_call_id": contact.get("PreviousContactId") or "",
        "direction": direction,
        "queue": queue.get("Name") or mapping.unnamed_queue,
        "customer_number": (contact.get("CustomerEndpoint") or {}).get("Address") or "",
        "agent_id": mapping.agent_id(agent.get("ARN"), agent.get("Username")) if connected else "",
        "enqueued_at": clock.wall(enqueued),
        "answered_at": clock.wall(answered),
        "ended_at": clock.wall(parse_utc(contact["DisconnectTimestamp"])),
        "talk_seconds": _seconds(agent.get("AgentInteractionDuration")) if answered else "0",
        "hold_seconds": _seconds(agent.get("CustomerHoldDuration")) if answered else "0",
        "wrap_seconds": _seconds(agent.get("AfterContactWorkDuration")),
        "outcome": outcome,
    }
    return Row(clock.day(enqueued), values, note if recorded is None and outcome == "resolved" else None)


def _answered_at(direction: str, connected: datetime | None, customer_connected: datetime | None) -> datetime | None:
    if connected is None:
        return None
    if direction == "inbound":
        return connected
    # Outbound, the agent is connected from the first ring: the call is answered when the customer is.
    return max(connected, customer_connected) if customer_connected else None


def _seconds(value) -> str:
    return str(int(value)) if value is not None else "0"
