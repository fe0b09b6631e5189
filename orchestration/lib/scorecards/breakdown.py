"""A scorecard row laid out by the policy: each category and component with its floor, target and
weights, the weights as the policy states them and as they were applied.

A component without data leaves its weight to the other components of its category, in
proportion to theirs (KPIS.md): of results' 60, with both complaint rates missing, csat_rate's 15
of the 50 that had data counts for 15 / 50 x 60 = 18 points of the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orchestration.lib.policy import SCORE_COMPONENTS, Policy
from orchestration.lib.scorecards.labels import split_list


@dataclass(frozen=True)
class ComponentLine:
    component: str
    value: float | None
    floor: float
    target: float
    points: float | None
    policy_weight: float
    """Out of the total's 100, as the policy file states it."""
    applied_weight: float | None
    """Out of the total's 100, after the weight of missing components was spread; None when missing."""

    @property
    def is_missing(self) -> bool:
        return self.applied_weight is None


@dataclass(frozen=True)
class CategoryLine:
    category: str
    weight: float
    score: float | None
    components: tuple[ComponentLine, ...]


def breakdown(row: Mapping[str, Any], policy: Policy) -> tuple[CategoryLine, ...]:
    missing = set(split_list(row["missing_components"]))
    categories = []
    for category, components in SCORE_COMPONENTS.items():
        settings = policy.get(f"scoring.categories.{category}")
        weights = {name: settings["components"][name]["weight"] for name in components}
        weight_with_data = sum(weight for name, weight in weights.items() if name not in missing)
        lines = tuple(
            ComponentLine(
                component=name,
                value=row[f"{name}_value"],
                floor=settings["components"][name]["floor"],
                target=settings["components"][name]["target"],
                points=row[f"{name}_points"],
                policy_weight=weights[name],
                applied_weight=None if name in missing or not weight_with_data else weights[name] / weight_with_data * settings["weight"],
            )
            for name in components
        )
        categories.append(CategoryLine(category, settings["weight"], row[f"{category}_score"], lines))
    return tuple(categories)
