"""A scorecard row laid out by the policy: the weights as applied when components are missing."""

from __future__ import annotations

import math

import pytest

from orchestration.lib.policy import SCORE_COMPONENTS, load_policy
from orchestration.lib.scorecards.breakdown import breakdown
from orchestration.lib.scorecards.labels import floor_target_text, value_text

POLICY = load_policy()


def row(missing: list[str]) -> dict:
    """A scorecard row with points for every component but the missing ones."""
    values = {"missing_components": ", ".join(missing)}
    for category, components in SCORE_COMPONENTS.items():
        values[f"{category}_score"] = 50.0
        for component in components:
            values[f"{component}_value"] = None if component in missing else 1.0
            values[f"{component}_points"] = None if component in missing else 50.0
    return values


def policy_weight(category: str, component: str | None = None) -> float:
    settings = POLICY.get(f"scoring.categories.{category}")
    return settings["weight"] if component is None else settings["components"][component]["weight"]


def test_with_every_component_the_applied_weights_are_the_policys():
    for category in breakdown(row([]), POLICY):
        for line in category.components:
            assert line.applied_weight == pytest.approx(line.policy_weight)
            assert (line.floor, line.target) == tuple(POLICY.get(f"scoring.categories.{category.category}.components.{line.component}")[k] for k in ("floor", "target"))


def test_a_missing_components_weight_goes_to_the_rest_of_its_category_in_proportion():
    missing = ["complaint_timeliness_rate", "complaint_success_rate"]
    results = breakdown(row(missing), POLICY)[0]
    assert results.category == "results"
    with_data = [line for line in results.components if not line.is_missing]
    assert {line.component for line in results.components if line.is_missing} == set(missing)
    assert math.isclose(sum(line.applied_weight for line in with_data), policy_weight("results"))
    share = policy_weight("results") / sum(policy_weight("results", line.component) for line in with_data)
    for line in with_data:
        assert line.applied_weight == pytest.approx(line.policy_weight * share)


def test_other_categories_keep_their_weights_when_one_misses_a_component():
    categories = {category.category: category for category in breakdown(row(["teamwork"]), POLICY)}
    assert all(line.applied_weight == pytest.approx(line.policy_weight) for line in categories["results"].components)
    assert math.isclose(sum(line.applied_weight for line in categories["ability"].components if not line.is_missing), policy_weight("ability"))


def test_a_category_without_data_applies_no_weight():
    ability = breakdown(row(list(SCORE_COMPONENTS["ability"])), POLICY)[1]
    assert all(line.is_missing and line.applied_weight is None for line in ability.components)


def test_values_are_shown_in_their_units():
    assert value_text("csat_rate", 0.9123) == "91.2%"
    assert value_text("aht_seconds", 306.6) == "307 秒"
    assert value_text("communication", 3.25) == "3.25"
    assert value_text("qa_score", None) == "—"
    assert floor_target_text("aht_seconds", 600, 300) == "600 → 300 秒"
    assert floor_target_text("fcr_rate", 0.5, 0.9) == "50% → 90%"
