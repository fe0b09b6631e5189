"""LOGIN and LOGOUT events as login sessions: `telephony/sessions`.

A session runs from a LOGIN to the agent's next LOGOUT. A session with no LOGOUT yet, or one
followed by another LOGIN first (the logout event never came), is written with an empty logout_at,
as the contract has it for an agent still logged in: the warehouse then ends it with the agent's
last state. A LOGOUT whose LOGIN is not among the records is left out.
"""

from __future__ import annotations

from datetime import datetime

from ingestion.connect.clock import LocalClock
from ingestion.connect.mapping import ConnectMapping
from ingestion.connect.records import event_moment
from ingestion.connect.rows import Row
from ingestion.connect.timelines import agent_timelines


def session_rows(events: list[dict], mapping: ConnectMapping, clock: LocalClock) -> list[Row]:
    rows = []
    for timeline in agent_timelines(events, mapping):
        login: datetime | None = None
        for event in timeline.events:
            if event["EventType"] == "LOGIN":
                if login is not None:
                    rows.append(_session(timeline.agent_id, login, None, clock))
                login = event_moment(event)
            elif event["EventType"] == "LOGOUT" and login is not None:
                rows.append(_session(timeline.agent_id, login, event_moment(event), clock))
                login = None
        if login is not None:
            rows.append(_session(timeline.agent_id, login, None, clock))
    return rows


def _session(agent_id: str, login: datetime, logout: datetime | None, clock: LocalClock) -> Row:
    values = {"agent_id": agent_id, "login_at": clock.wall(login), "logout_at": clock.wall(logout)}
    return Row(clock.day(login), values)
