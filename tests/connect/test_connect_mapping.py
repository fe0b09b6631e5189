"""The centre's configuration: status names, agent ids and the outcome attribute."""

from __future__ import annotations

import pytest
from recorded_exports import CENTRE_MAPPING, CONTACT, LI_NA_ARN, read_rows, run_import

from ingestion.connect import ConnectImportError, load_mapping


def all_calls(landing) -> dict[str, dict[str, str]]:
    return {row["call_id"]: row for day in ("2026-08-03", "2026-08-04") for row in read_rows(landing, "calls", day)}


def test_an_agent_is_known_by_the_id_the_mapping_gives_their_arn(exports, landing):
    run_import(landing, ctr=exports.ctr, agent_events=exports.agent_events, mapping=CENTRE_MAPPING)

    calls = all_calls(landing)
    sessions = read_rows(landing, "sessions", "2026-08-03")
    night_states = read_rows(landing, "states", "2026-08-04")

    assert calls[CONTACT["over_midnight"]]["agent_id"] == "A002"
    assert calls[CONTACT["after_midnight"]]["agent_id"] == "A002"
    assert [s["agent_id"] for s in sessions] == ["A001", "A003", "A002"]
    assert {s["agent_id"] for s in night_states} == {"A002"}
    # Agents the mapping does not name keep their Connect username.
    assert calls[CONTACT["answered"]]["agent_id"] == "A001"


def test_a_custom_status_the_centre_maps_is_written_as_its_state(exports, landing):
    summary = run_import(landing, agent_events=exports.agent_events, mapping=CENTRE_MAPPING)

    coaching = [r for r in read_rows(landing, "states", "2026-08-04") if r["reason"] == "Coaching"]

    assert [(r["state"], r["started_at"], r["ended_at"]) for r in coaching] == [("training", "2026-08-04 00:35:30", "2026-08-04 01:00:00")]
    assert not summary.notes


def test_an_overlay_adds_to_the_defaults_and_replaces_what_it_names(tmp_path):
    overlay = tmp_path / "centre.yml"
    overlay.write_text("agent_statuses:\n  LUNCH: meeting\n  Offline: null\nagent_ids:\n  5d0e7a4b-9f55-4a3e-8d0e-3f9c2a1b7e22: A002\n")

    mapping = load_mapping(overlay)

    assert mapping.status_activity("Lunch").state == "meeting"
    assert mapping.status_activity("示忙").state == "busy"
    assert mapping.status_activity("Offline") is None
    # The id at the end of the ARN names the agent as well as the whole ARN.
    assert mapping.agent_id(LI_NA_ARN, "li.na") == "A002"


def test_the_outcome_attribute_and_its_words_are_configuration(exports, landing, tmp_path):
    overlay = tmp_path / "centre.yml"
    overlay.write_text("outcome_attribute: greetingPlayed\noutcome_values:\n  'true': unresolved\n")

    run_import(landing, ctr=exports.ctr, mapping=overlay)
    calls = all_calls(landing)

    assert calls[CONTACT["answered"]]["outcome"] == "unresolved"
    # The `outcome` attribute is no longer the one read.
    assert calls[CONTACT["redelivered"]]["outcome"] == "unresolved"
    # What the records prove still comes first.
    assert calls[CONTACT["abandoned"]]["outcome"] == "abandoned"
    assert calls[CONTACT["transferred"]]["outcome"] == "transferred"
    assert calls[CONTACT["dial_unanswered"]]["outcome"] == "no_answer"


def test_an_attribute_that_holds_no_outcome_is_reported(exports, landing, tmp_path):
    overlay = tmp_path / "centre.yml"
    overlay.write_text("outcome_attribute: greetingPlayed\n")

    summary = run_import(landing, ctr=exports.ctr, mapping=overlay)
    resolved = [row for row in all_calls(landing).values() if row["outcome"] == "resolved"]

    assert CONTACT["answered"] in {row["call_id"] for row in resolved}
    assert summary.notes == {"contact attribute greetingPlayed='true' is not an outcome (written as resolved)": len(resolved)}


def test_a_mapping_to_a_state_the_contract_does_not_know_is_refused(tmp_path):
    overlay = tmp_path / "centre.yml"
    overlay.write_text("agent_statuses:\n  Lunch: lunch\n")

    with pytest.raises(ConnectImportError, match=r"centre\.yml: agent_statuses 'lunch' maps to 'lunch', not one of available, on_call"):
        load_mapping(overlay)


def test_a_misspelt_setting_is_refused(tmp_path):
    overlay = tmp_path / "centre.yml"
    overlay.write_text("agent_status:\n  Lunch: break\n")

    with pytest.raises(ConnectImportError, match="unknown setting agent_status"):
        load_mapping(overlay)
