"""The agent event stream becomes login sessions and state intervals."""

from __future__ import annotations

import json

import pytest
from recorded_exports import read_rows, run_import


@pytest.fixture
def imported(exports, landing):
    summary = run_import(landing, agent_events=exports.agent_events)
    return summary, landing


def intervals(landing, day: str, agent_id: str) -> list[tuple[str, str, str, str]]:
    return [
        (row["state"], row["reason"], row["started_at"][11:], row["ended_at"][11:])
        for row in read_rows(landing, "states", day)
        if row["agent_id"] == agent_id
    ]


def test_a_day_shift_becomes_the_states_the_agent_went_through(imported):
    _, landing = imported

    assert intervals(landing, "2026-08-03", "A001") == [
        ("busy", "Offline", "08:55:00", "08:56:10"),
        # Ringing (CONNECTING) leaves the agent available; connected or on hold they are on a call.
        ("available", "", "08:56:10", "09:00:49"),
        ("on_call", "", "09:00:49", "09:05:22"),
        # The ended contact is still listed: after-contact work, until the agent clears it.
        ("wrap", "", "09:05:22", "09:05:54"),
        ("available", "", "09:05:54", "11:30:00"),
        ("break", "Lunch", "11:30:00", "12:30:00"),
        ("busy", "示忙", "12:30:00", "12:40:00"),
        ("available", "", "12:40:00", "14:00:00"),
        ("on_call", "", "14:00:00", "14:00:40"),
        ("wrap", "", "14:00:40", "14:00:50"),
        ("available", "", "14:00:50", "17:35:00"),
        ("busy", "Offline", "17:35:00", "17:36:00"),
    ]


def test_states_go_to_the_day_they_started_in_across_midnight(imported):
    _, landing = imported

    evening = read_rows(landing, "states", "2026-08-03")
    night = read_rows(landing, "states", "2026-08-04")

    assert [(r["state"], r["started_at"], r["ended_at"]) for r in evening if r["agent_id"] == "li.na"][-1] == (
        "on_call",
        "2026-08-03 23:59:30",
        "2026-08-04 00:10:00",
    )
    assert intervals(landing, "2026-08-04", "li.na") == [
        ("wrap", "", "00:10:00", "00:10:40"),
        ("available", "", "00:10:40", "00:30:20"),
        ("on_call", "", "00:30:20", "00:35:00"),
        ("wrap", "", "00:35:00", "00:35:30"),
        ("busy", "Coaching", "00:35:30", "01:00:00"),
        ("available", "", "01:00:00", "01:59:00"),
        ("busy", "Offline", "01:59:00", "02:00:00"),
    ]
    assert {r["agent_id"] for r in night} == {"li.na"}


def test_the_state_an_agent_is_still_in_is_not_written_until_it_ends(imported):
    _, landing = imported

    # A003 turned Available at 09:58:20 and nothing has happened since: that interval has no end yet.
    assert intervals(landing, "2026-08-03", "A003") == [("busy", "Offline", "09:58:00", "09:58:20")]


def test_logins_and_logouts_become_sessions_open_while_still_logged_in(imported):
    _, landing = imported

    assert read_rows(landing, "sessions", "2026-08-03") == [
        {"agent_id": "A001", "login_at": "2026-08-03 08:55:00", "logout_at": "2026-08-03 17:36:00"},
        {"agent_id": "A003", "login_at": "2026-08-03 09:58:00", "logout_at": ""},
        {"agent_id": "li.na", "login_at": "2026-08-03 21:58:00", "logout_at": "2026-08-04 02:00:00"},
    ]


def test_heartbeats_and_repeated_events_are_counted_and_left_out(imported):
    summary, _ = imported

    assert summary.agent_events.records == 33
    assert summary.agent_events.heartbeats == 2
    assert summary.agent_events.kept == 30


def test_a_status_missing_from_the_mapping_is_written_as_busy_and_reported(imported):
    summary, _ = imported

    assert summary.notes == {"agent status 'Coaching' is not in the mapping (written as busy)": 1}
    assert "note: agent status 'Coaching' is not in the mapping (written as busy): 1 row" in summary.report()


def test_an_event_after_logout_opens_no_interval(tmp_path, landing, exports):
    events = json.loads((exports.agent_events / "events-2.json").read_text())
    logout = next(e for e in events if e["EventType"] == "LOGOUT" and e["CurrentAgentSnapshot"]["Configuration"]["Username"] == "A001")
    # The status is set to Offline after the logout, and the agent logs in again the next morning.
    after = json.loads(json.dumps(logout))
    after.update(EventType="STATE_CHANGE", EventId="after-logout", EventTimestamp="2026-08-03T09:37:00.000Z")
    next_morning = json.loads(json.dumps(logout))
    next_morning.update(EventType="LOGIN", EventId="next-login", EventTimestamp="2026-08-04T00:50:00.000Z")
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps([after, next_morning]))

    run_import(landing, agent_events=exports.agent_events)
    run_import(landing, agent_events=extra)

    assert intervals(landing, "2026-08-03", "A001")[-1] == ("busy", "Offline", "17:35:00", "17:36:00")
