"""STATE_CHANGE events as state intervals: `telephony/states`.

Every LOGIN and STATE_CHANGE event carries a snapshot of the agent after it; what the snapshot
says the agent is doing holds until the agent's next event. HEART_BEAT events change nothing and
are not kept. After a LOGOUT no interval runs until the next LOGIN.

What a snapshot says, through the configured mapping (`mapping.yml`): a voice contact CONNECTED
or on hold makes the agent `on_call` whatever their status reads; a contact that has ENDED but is
still listed is after-contact work, `wrap` (Amazon's own way to measure ACW from this stream); a
MISSED, REJECTED or ERROR contact leaves them unroutable, `busy`, until they clear it; otherwise
(no contact, or one ringing) the agent status they set decides. Consecutive intervals of the same state and reason
are one interval. The last snapshot of an agent has no end yet: it is written once a later export
brings the agent's next event. Times are cut to whole seconds; an interval shorter than a second
is not written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ingestion.connect.clock import LocalClock
from ingestion.connect.mapping import Activity, ConnectMapping
from ingestion.connect.records import VOICE, event_moment
from ingestion.connect.rows import Row
from ingestion.connect.timelines import agent_timelines

# Of an agent's voice contacts, the one that keeps them busiest says what they do.
_CONTACT_STATE_PRIORITY = ("on_call", "wrap")


@dataclass(frozen=True)
class _Interval:
    started: datetime
    ended: datetime
    activity: Activity


def state_rows(events: list[dict], mapping: ConnectMapping, clock: LocalClock) -> list[Row]:
    rows = []
    for timeline in agent_timelines(events, mapping):
        intervals = []
        logged_in = True  # a state change is only published for an agent who is logged in
        for event, next_event in zip(timeline.events, timeline.events[1:]):
            if event["EventType"] in ("LOGIN", "LOGOUT"):
                logged_in = event["EventType"] == "LOGIN"
            activity = snapshot_activity(event.get("CurrentAgentSnapshot") or {}, mapping) if logged_in else None
            if activity is not None:
                intervals.append(_Interval(event_moment(event), event_moment(next_event), activity))
        rows += [_state(timeline.agent_id, interval, clock) for interval in _joined(intervals, clock)]
    return rows


def snapshot_activity(snapshot: dict, mapping: ConnectMapping) -> Activity | None:
    contacts = [c for c in snapshot.get("Contacts") or [] if (c.get("Channel") or VOICE).upper() == VOICE]
    from_contacts = [(mapping.contact_state(c.get("State")), c.get("State")) for c in contacts]
    from_contacts = [(state, name) for state, name in from_contacts if state]
    for busiest in _CONTACT_STATE_PRIORITY:
        if any(state == busiest for state, _ in from_contacts):
            return Activity(busiest, "")
    if from_contacts:
        state, name = from_contacts[0]
        return Activity(state, name)
    return mapping.status_activity((snapshot.get("AgentStatus") or {}).get("Name"))


def _joined(intervals: list[_Interval], clock: LocalClock) -> list[_Interval]:
    joined: list[_Interval] = []
    for interval in intervals:
        last = joined[-1] if joined else None
        if last and last.ended == interval.started and last.activity == interval.activity:
            joined[-1] = replace(last, ended=interval.ended)
        else:
            joined.append(interval)
    return [i for i in joined if clock.local(i.started) < clock.local(i.ended)]


def _state(agent_id: str, interval: _Interval, clock: LocalClock) -> Row:
    values = {
        "agent_id": agent_id,
        "state": interval.activity.state,
        "reason": interval.activity.reason,
        "started_at": clock.wall(interval.started),
        "ended_at": clock.wall(interval.ended),
    }
    return Row(clock.day(interval.started), values, interval.activity.note)
