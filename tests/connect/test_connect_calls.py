"""Contact trace records become call legs exactly per the extract contract."""

from __future__ import annotations

from collections import Counter

import pytest
from recorded_exports import CONTACT, day_file, read_rows, run_import

from ingestion.contract import CALLS


@pytest.fixture
def imported(exports, landing):
    summary = run_import(landing, ctr=exports.ctr)
    calls = {row["call_id"]: row for day in ("2026-08-03", "2026-08-04") for row in read_rows(landing, "calls", day)}
    return summary, calls, landing


def leg(calls, name: str) -> dict[str, str]:
    return calls[CONTACT[name]]


def test_an_answered_call_keeps_its_queue_agent_times_and_durations(imported):
    _, calls, _ = imported

    assert leg(calls, "answered") == {
        "call_id": CONTACT["answered"],
        "parent_call_id": "",
        "direction": "inbound",
        "queue": "Billing",
        "customer_number": "+8613800138000",
        "agent_id": "A001",
        "enqueued_at": "2026-08-03 09:00:42",
        "answered_at": "2026-08-03 09:00:49",
        "ended_at": "2026-08-03 09:05:22",
        "talk_seconds": "263",
        "hold_seconds": "10",
        "wrap_seconds": "32",
        "outcome": "resolved",
    }


def test_the_day_files_have_the_contract_header_in_contract_order(imported):
    _, _, landing = imported

    header = day_file(landing, "calls", "2026-08-03").read_text(encoding="utf-8").splitlines()[0]

    assert header == ",".join(column.name for column in CALLS.columns)


def test_a_transferred_call_and_the_leg_it_passed_to(imported):
    _, calls, _ = imported
    first, second = leg(calls, "transferred"), leg(calls, "transfer_leg")

    assert (first["outcome"], first["agent_id"], first["talk_seconds"]) == ("transferred", "A001", "220")
    assert second["parent_call_id"] == CONTACT["transferred"]
    assert (second["direction"], second["queue"], second["agent_id"]) == ("inbound", "Technical", "A003")
    assert (second["enqueued_at"], second["answered_at"]) == ("2026-08-03 10:04:05", "2026-08-03 10:04:30")
    # The agent recorded the second leg's outcome in the contact attribute `outcome`.
    assert second["outcome"] == "unresolved"


def test_a_caller_moved_to_another_queue_was_transferred_not_abandoned(imported):
    _, calls, _ = imported
    left, joined = leg(calls, "queue_left"), leg(calls, "queue_leg")

    assert (left["outcome"], left["agent_id"], left["answered_at"], left["talk_seconds"]) == ("transferred", "", "", "0")
    assert (joined["parent_call_id"], joined["direction"], joined["outcome"]) == (CONTACT["queue_left"], "inbound", "resolved")


def test_a_call_enqueued_and_never_connected_to_an_agent_is_abandoned(imported):
    _, calls, _ = imported
    abandoned = leg(calls, "abandoned")

    assert abandoned["agent_id"] == "" and abandoned["answered_at"] == ""
    assert (abandoned["enqueued_at"], abandoned["ended_at"]) == ("2026-08-03 12:10:15", "2026-08-03 12:11:45")
    assert (abandoned["talk_seconds"], abandoned["hold_seconds"], abandoned["wrap_seconds"]) == ("0", "0", "0")
    assert abandoned["outcome"] == "abandoned"


def test_a_callback_is_an_outbound_leg_of_the_call_that_asked_for_it(imported):
    _, calls, _ = imported
    asked, called_back = leg(calls, "callback_requested"), leg(calls, "callback")

    assert (asked["direction"], asked["outcome"], asked["agent_id"]) == ("inbound", "callback_required", "")
    assert called_back["parent_call_id"] == CONTACT["callback_requested"]
    assert (called_back["direction"], called_back["queue"], called_back["agent_id"]) == ("outbound", "投诉专席", "A003")
    # Enqueued when the customer asked to be called back, answered when they picked up.
    assert (called_back["enqueued_at"], called_back["answered_at"]) == ("2026-08-03 13:02:00", "2026-08-03 13:20:15")
    assert (called_back["talk_seconds"], called_back["outcome"]) == ("360", "resolved")


def test_an_outbound_dial_the_customer_never_answered_is_no_answer(imported):
    _, calls, _ = imported
    unanswered, answered = leg(calls, "dial_unanswered"), leg(calls, "dial_answered")

    assert (unanswered["direction"], unanswered["agent_id"], unanswered["enqueued_at"]) == ("outbound", "A001", "2026-08-03 14:00:00")
    assert (unanswered["answered_at"], unanswered["talk_seconds"], unanswered["wrap_seconds"]) == ("", "0", "10")
    assert unanswered["outcome"] == "no_answer"
    assert (answered["answered_at"], answered["talk_seconds"], answered["outcome"]) == ("2026-08-03 14:05:12", "240", "resolved")


def test_a_contact_delivered_twice_is_one_leg_from_its_latest_copy(imported):
    summary, calls, landing = imported
    ids = [row["call_id"] for row in read_rows(landing, "calls", "2026-08-03")]

    assert ids.count(CONTACT["redelivered"]) == 1
    # The later copy was read first: it wins on LastUpdateTimestamp, not on reading order.
    assert leg(calls, "redelivered")["wrap_seconds"] == "95"
    # Its attribute says 需回电, a configured word for callback_required.
    assert leg(calls, "redelivered")["outcome"] == "callback_required"
    assert (summary.contacts.records, summary.contacts.kept) == (16, 15)


def test_a_call_across_midnight_belongs_to_the_day_it_was_enqueued(imported):
    _, _, landing = imported
    first_day = {row["call_id"]: row for row in read_rows(landing, "calls", "2026-08-03")}
    second_day = [row["call_id"] for row in read_rows(landing, "calls", "2026-08-04")]

    assert first_day[CONTACT["over_midnight"]]["ended_at"] == "2026-08-04 00:10:00"
    assert first_day[CONTACT["over_midnight"]]["agent_id"] == "li.na"
    assert second_day == [CONTACT["after_midnight"]]


def test_contacts_that_are_not_call_legs_are_counted_not_written(imported):
    summary, calls, _ = imported

    assert CONTACT["chat"] not in calls and CONTACT["ivr_only"] not in calls
    assert summary.not_call_legs == Counter(
        {"chat contact, not a call": 1, "never queued nor connected to an agent (ended in the IVR)": 1}
    )
    assert len(calls) == len(CONTACT) - 2


def test_timestamps_are_written_in_the_configured_time_zone(exports, landing):
    run_import(landing, ctr=exports.ctr, timezone="UTC")

    utc_day = {row["call_id"]: row for row in read_rows(landing, "calls", "2026-08-03")}

    assert utc_day[CONTACT["answered"]]["enqueued_at"] == "2026-08-03 01:00:42"
    # 00:30 in Shanghai on the 4th is 16:30 UTC on the 3rd: the same day's file.
    assert utc_day[CONTACT["after_midnight"]]["enqueued_at"] == "2026-08-03 16:30:00"
    assert not day_file(landing, "calls", "2026-08-04").exists()
