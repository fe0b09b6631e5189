"""The scoring policy: one reviewed YAML file that feeds dbt (as vars) and Python alike.

It is validated as a whole when loaded, so a broken policy stops the pipeline before any number is
computed with it, and it is stamped with a label (declared version + hash of the file's bytes)
that changes whenever the file does, even when nobody bumps the version.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

POLICY_FILE_ENV = "CCW_POLICY_FILE"
DEFAULT_POLICY_FILE = Path(__file__).resolve().parents[2] / "policy" / "scoring_policy.yml"

COMPLAINT_CHANNELS = ("phone", "online", "email", "letter")
GRADES_BEST_FIRST = ("excellent", "good", "pass")
CATEGORY_WEIGHTS_TOTAL = 100
SCORE_COMPONENTS = {
    "results": (
        "csat_rate",
        "qa_score",
        "fcr_rate",
        "answer_accuracy_rate",
        "complaint_timeliness_rate",
        "complaint_success_rate",
        "aht_seconds",
    ),
    "ability": ("communication", "problem_solving", "learning", "teamwork"),
    "attitude": ("discipline", "responsibility", "service_attitude"),
}

# Windows, limits and thresholds: a zero or negative value would silently disable a rule.
POSITIVE_NUMBERS = (
    "attendance.absence_threshold_minutes",
    "acd.busy_limit_minutes",
    "fcr.repeat_window_hours",
    "queue.service_level_seconds",
    "quality.weekly_minimum_evaluations",
    "quality.csat_satisfied_min_score",
    "scoring.discipline.start_points",
    "scoring.review_flags.complaints_in_month",
    "scoring.review_flags.complaints_in_12_months",
    "scoring.review_flags.discipline_incidents_in_month",
    "publication.schedules_due_day",
    *(f"complaints.time_limit_hours.{channel}" for channel in COMPLAINT_CHANNELS),
)
NON_NEGATIVE_NUMBERS = (
    "attendance.expected_login_lead_minutes",
    "scoring.discipline.per_late_day",
    "scoring.discipline.per_early_leave_day",
    "scoring.discipline.per_absent_day",
    "scoring.discipline.per_busy_violation",
)
RATES = (
    "queue.service_level_target",
    "publication.quarantine_limit_rate",
)
BOOLEANS = ("scoring.review_flags.flag_fatal_errors",)

# Weights are compared as floats: 0.1 + 0.2 is not exactly 0.3.
WEIGHT_TOLERANCE = 1e-6


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the file and every offending key."""


@dataclass(frozen=True)
class Policy:
    settings: Mapping[str, Any]
    """The whole file as a read-only nested mapping."""
    version: str
    """The version the reviewers declared in the file."""
    content_hash: str
    """The first 12 hex characters of the sha256 of the file's bytes."""
    source: Path

    @property
    def version_label(self) -> str:
        return f"{self.version}+{self.content_hash}"

    def get(self, dotted_path: str) -> Any:
        """A value by dotted path, as the dbt macro `policy('fcr.repeat_window_hours')` reads it."""
        found, value = _lookup(self.settings, dotted_path)
        if not found:
            raise PolicyError(f"{self.source}: the scoring policy has no key '{dotted_path}'")
        return value


def policy_file() -> Path:
    """The policy file in use: CCW_POLICY_FILE when set, else the repository's policy file."""
    override = os.environ.get(POLICY_FILE_ENV)
    return Path(override) if override else DEFAULT_POLICY_FILE


def load_policy(path: Path | None = None) -> Policy:
    source = Path(path) if path is not None else policy_file()
    try:
        content = source.read_bytes()
    except OSError as error:
        raise PolicyError(f"{source}: cannot read the scoring policy ({error.strerror})") from error
    try:
        settings = yaml.safe_load(content)
    except yaml.YAMLError as error:
        raise PolicyError(f"{source}: the scoring policy is not valid YAML ({error})") from error
    if not isinstance(settings, dict):
        raise PolicyError(f"{source}: the scoring policy must be a mapping of sections")

    problems = list(_problems(settings))
    if problems:
        raise PolicyError(f"{source}: invalid scoring policy:\n" + "\n".join(f"- {p}" for p in problems))
    return Policy(
        settings=_freeze(settings),
        version=settings["version"],
        content_hash=hashlib.sha256(content).hexdigest()[:12],
        source=source,
    )


def dbt_vars(policy: Policy) -> dict[str, Any]:
    """The `--vars` for dbt: the policy as the var `policy`, with its version label inside."""
    return {"policy": {**_thaw(policy.settings), "version_label": policy.version_label}}


def _problems(settings: Mapping[str, Any]) -> Iterator[str]:
    version = settings.get("version")
    if not isinstance(version, str) or not version.strip():
        yield "version: must be a quoted, non-empty string (e.g. \"2026.1\")"

    for path in POSITIVE_NUMBERS:
        yield from _check_number(settings, path, lambda n: n > 0, "must be greater than 0")
    for path in NON_NEGATIVE_NUMBERS:
        yield from _check_number(settings, path, lambda n: n >= 0, "must not be negative")
    for path in RATES:
        yield from _check_number(settings, path, _is_rate, "is a rate: must be within [0, 1]")
    for path in BOOLEANS:
        found, value = _lookup(settings, path)
        if not found:
            yield f"{path}: missing"
        elif not isinstance(value, bool):
            yield f"{path}: must be true or false, not {value!r}"

    yield from _grade_problems(settings)
    yield from _weight_problems(settings)


def _grade_problems(settings: Mapping[str, Any]) -> Iterator[str]:
    bands = []
    for grade in GRADES_BEST_FIRST:
        path = f"scoring.grades.{grade}"
        problems = list(_check_number(settings, path, lambda n: 0 <= n <= 100, "must be within [0, 100]"))
        yield from problems
        if not problems:
            bands.append((grade, _lookup(settings, path)[1]))
    if len(bands) == len(GRADES_BEST_FIRST):
        for (better, better_min), (worse, worse_min) in zip(bands, bands[1:]):
            if not better_min > worse_min:
                yield f"scoring.grades: {better} ({better_min}) must be greater than {worse} ({worse_min})"


def _weight_problems(settings: Mapping[str, Any]) -> Iterator[str]:
    category_weights = []
    for category, components in SCORE_COMPONENTS.items():
        category_path = f"scoring.categories.{category}"
        weight_problems = list(
            _check_number(settings, f"{category_path}.weight", lambda n: n > 0, "must be greater than 0")
        )
        yield from weight_problems
        category_weight = None if weight_problems else _lookup(settings, f"{category_path}.weight")[1]
        if category_weight is not None:
            category_weights.append(category_weight)

        component_weights = []
        for component in components:
            component_path = f"{category_path}.components.{component}"
            # A `_rate` component is scored on a fraction: a floor of 60 means 60%, written wrong.
            problems = list(_component_problems(settings, component_path, is_rate=component.endswith("_rate")))
            yield from problems
            if not problems:
                component_weights.append(_lookup(settings, f"{component_path}.weight")[1])

        complete = len(component_weights) == len(components)
        if complete and category_weight is not None and not _adds_up(component_weights, category_weight):
            yield (
                f"{category_path}.components: weights add up to {_number_text(sum(component_weights))}, "
                f"not the category weight {_number_text(category_weight)}"
            )

    if len(category_weights) == len(SCORE_COMPONENTS) and not _adds_up(category_weights, CATEGORY_WEIGHTS_TOTAL):
        yield (
            f"scoring.categories: category weights add up to {_number_text(sum(category_weights))}, "
            f"not {CATEGORY_WEIGHTS_TOTAL}"
        )


def _component_problems(settings: Mapping[str, Any], path: str, is_rate: bool) -> Iterator[str]:
    found, component = _lookup(settings, path)
    if not found or not isinstance(component, Mapping):
        yield f"{path}: missing (needs weight, floor and target)"
        return
    yield from _check_number(settings, f"{path}.weight", lambda n: n >= 0, "must not be negative")
    bounds = []
    for bound in ("floor", "target"):
        if is_rate:
            problems = list(_check_number(settings, f"{path}.{bound}", _is_rate, "is a rate: must be within [0, 1]"))
        else:
            problems = list(_check_number(settings, f"{path}.{bound}"))
        yield from problems
        if not problems:
            bounds.append(component[bound])
    if len(bounds) == 2 and bounds[0] == bounds[1]:
        yield f"{path}: floor and target are both {_number_text(bounds[0])}; points need floor != target"


def _check_number(
    settings: Mapping[str, Any],
    path: str,
    is_valid: Callable[[float], bool] | None = None,
    requirement: str = "",
) -> Iterator[str]:
    found, value = _lookup(settings, path)
    if not found:
        yield f"{path}: missing"
    elif not _is_number(value):
        yield f"{path}: must be a number, not {value!r}"
    elif is_valid is not None and not is_valid(value):
        yield f"{path}: {requirement} (is {_number_text(value)})"


def _lookup(settings: Mapping[str, Any], dotted_path: str) -> tuple[bool, Any]:
    node: Any = settings
    for key in dotted_path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _is_number(value: Any) -> bool:
    # YAML `true` is a bool, and bool is an int in Python: a weight of `true` is a typo, not 1.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_rate(value: float) -> bool:
    return 0 <= value <= 1


def _adds_up(parts: list[float], total: float) -> bool:
    return math.isclose(sum(parts), total, rel_tol=0, abs_tol=WEIGHT_TOLERANCE)


def _number_text(value: float) -> str:
    return f"{value:g}"


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value
