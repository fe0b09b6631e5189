"""The scoring policy file alone decides the scores: the same raw layer, the same dbt project, two
policy files that differ in one number, two different scorecards.

One agent, one day in August 2026, present on time (discipline 100): one evaluation scoring 81
with an accurate answer (accuracy 100 points), every supervisor rating 3 (50 points). No calls,
surveys or complaints, so results is QA (weight 15) and accuracy (weight 5) alone; ability is 50
and attitude (5x100 + 2.5x50 + 2.5x50) / 10 = 75.

- default policy, qa_score 60 -> 95: 60 points; results (15x60 + 5x100) / 20 = 70;
  total 0.6 x 70 + 0.3 x 50 + 0.1 x 75 = 64.5.
- qa_score target lowered to 85: (81 - 60) / (85 - 60) = 84 points; results (15x84 + 5x100) / 20 = 88;
  total 0.6 x 88 + 15 + 7.5 = 75.3.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from raw_rows import load_raw_files

from orchestration.lib.policy import DEFAULT_POLICY_FILE, Policy, dbt_vars, load_policy

BUILD = ["build", "--select", "+fct_agent_scorecard", "--indirect-selection", "cautious"]
LOADED_AT = dt.datetime(2026, 8, 2, 2, 0, 0)
AUGUST_THIRD = dt.date(2026, 8, 3)

RAW_FILES: dict[str, dict[str, list[dict]]] = {
    "agents": {
        "agents_2026-08-01.csv": [{
            "agent_id": "a1", "name": "Agent a1", "team": "north", "tier": "first_line", "role": "agent",
            "supervisor_id": "s1", "hire_date": dt.date(2026, 1, 5), "probation_end_date": dt.date(2026, 4, 5),
            "termination_date": None, "email": "a1@example.com",
        }],
    },
    "schedules": {
        "schedules_2026-08.csv": [
            {"agent_id": "a1", "shift_date": AUGUST_THIRD, "shift_start": dt.time(8, 30), "shift_end": dt.time(17, 35)},
        ],
    },
    "sessions": {
        "sessions_2026-08-03.csv": [
            {"agent_id": "a1", "login_at": dt.datetime(2026, 8, 3, 8, 25), "logout_at": dt.datetime(2026, 8, 3, 17, 40)},
        ],
    },
    "evaluations": {
        "evaluations_2026-08-03.csv": [{
            "evaluation_id": "e1", "call_id": "c1", "agent_id": "a1", "evaluator_id": "q1",
            "evaluated_at": dt.datetime(2026, 8, 3, 16, 0), "mode": "recorded", "score": 81.0,
            "answer_accurate": True, "fatal_error": False,
        }],
    },
    "ratings": {
        "ratings_2026-08.csv": [{
            "agent_id": "a1", "month": dt.date(2026, 8, 1), "rater_id": "s1", "communication": 3.0,
            "problem_solving": 3.0, "learning": 3.0, "teamwork": 3.0, "responsibility": 3.0, "service_attitude": 3.0,
        }],
    },
}


def load_raw_layer(warehouse: Path) -> None:
    # Every file of this small centre counts as delivered on the 1st of August.
    load_raw_files(warehouse, RAW_FILES, LOADED_AT, file_date=lambda _name: dt.date(2026, 8, 1))


def policy_with_lower_qa_target(directory: Path) -> Policy:
    settings = yaml.safe_load(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))
    settings["scoring"]["categories"]["results"]["components"]["qa_score"]["target"] = 85
    modified = directory / "scoring_policy.yml"
    modified.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_policy(modified)


def scorecard_row(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(
            "select qa_score_points, results_score, total_score, answer_accuracy_rate_points, "
            "missing_components, policy_version from marts.fct_agent_scorecard"
        )
        columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(columns, rows[0]))


def build_scorecard(raw_layer: Path, directory: Path, run_dbt, policy: Policy) -> dict:
    """Build a copy of the raw layer, so both policies start from the very same file."""
    warehouse = directory / "warehouse.duckdb"
    shutil.copyfile(raw_layer, warehouse)
    run_dbt(BUILD, warehouse, policy=policy)
    return scorecard_row(warehouse)


@pytest.fixture(scope="module")
def raw_layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("raw_layer") / "raw_layer.duckdb"
    load_raw_layer(warehouse)
    return warehouse


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Policy]:
    return {"default": load_policy(), "lower_qa_target": policy_with_lower_qa_target(tmp_path_factory.mktemp("policy"))}


@pytest.fixture(scope="module")
def scorecards(
    tmp_path_factory: pytest.TempPathFactory, run_dbt, raw_layer: Path, policies: dict[str, Policy]
) -> dict[str, dict]:
    return {
        name: build_scorecard(raw_layer, tmp_path_factory.mktemp(name), run_dbt, policy)
        for name, policy in policies.items()
    }


def test_the_two_policy_files_differ_only_in_the_qa_target(policies: dict[str, Policy]) -> None:
    default, changed = (dbt_vars(policies[name])["policy"] for name in ("default", "lower_qa_target"))
    qa_targets = []
    for settings in (default, changed):
        del settings["version_label"]
        qa_targets.append(settings["scoring"]["categories"]["results"]["components"]["qa_score"].pop("target"))

    assert qa_targets == [95, 85]
    assert default == changed


def test_a_lower_qa_target_raises_the_qa_points_and_the_total(scorecards: dict[str, dict]) -> None:
    default, changed = scorecards["default"], scorecards["lower_qa_target"]

    assert (default["qa_score_points"], default["results_score"], default["total_score"]) == (60, 70, Decimal("64.5"))
    assert (changed["qa_score_points"], changed["results_score"], changed["total_score"]) == (84, 88, Decimal("75.3"))


def test_components_the_change_does_not_touch_score_the_same(scorecards: dict[str, dict]) -> None:
    default, changed = scorecards["default"], scorecards["lower_qa_target"]

    assert default["answer_accuracy_rate_points"] == changed["answer_accuracy_rate_points"] == 100
    assert default["missing_components"] == changed["missing_components"]


def test_each_scorecard_carries_the_version_of_the_policy_file_it_was_built_with(
    scorecards: dict[str, dict], policies: dict[str, Policy]
) -> None:
    assert {name: row["policy_version"] for name, row in scorecards.items()} == {
        name: policy.version_label for name, policy in policies.items()
    }
    assert policies["default"].version_label != policies["lower_qa_target"].version_label
