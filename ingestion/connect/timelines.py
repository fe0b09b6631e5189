"""An agent's events in the order they happened, under the agent_id the extracts use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ingestion.connect.mapping import ConnectMapping
from ingestion.connect.records import event_moment

# Events of the same millisecond: a login opens before anything else happens, a logout closes after.
_ORDER_IN_SAME_MOMENT = {"LOGIN": 0, "STATE_CHANGE": 1, "LOGOUT": 2}


@dataclass(frozen=True)
class AgentTimeline:
    agent_id: str
    events: list[dict]


def agent_timelines(events: list[dict], mapping: ConnectMapping) -> list[AgentTimeline]:
    by_agent: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        by_agent[event["AgentARN"]].append(event)
    timelines = []
    for arn, agent_events in sorted(by_agent.items()):
        agent_events.sort(key=lambda e: (event_moment(e), _ORDER_IN_SAME_MOMENT.get(e["EventType"], 1), e["EventId"]))
        # A logout may come without a snapshot: the agent's username is the latest one seen.
        usernames = [_username(e) for e in agent_events if _username(e)]
        timelines.append(AgentTimeline(mapping.agent_id(arn, usernames[-1] if usernames else None), agent_events))
    return timelines


def _username(event: dict) -> str | None:
    return ((event.get("CurrentAgentSnapshot") or {}).get("Configuration") or {}).get("Username")
