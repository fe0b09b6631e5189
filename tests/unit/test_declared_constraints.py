"""A declared constraint is tested: dbt takes constraints as documentation only."""

from pathlib import Path

import yaml

MODELS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models"


def _models() -> list[dict]:
    return [model for path in sorted(MODELS_DIR.rglob("*.yml")) for model in yaml.safe_load(path.read_text()).get("models", [])]


def _constraints(model: dict) -> list[dict]:
    return model.get("constraints", []) + [
        constraint for column in model.get("columns", []) for constraint in column.get("constraints", [])
    ]


def _runs_declared_constraints(model: dict) -> bool:
    return any(
        test == "declared_constraints" or (isinstance(test, dict) and "declared_constraints" in test)
        for test in model.get("data_tests", [])
    )


def test_a_model_runs_declared_constraints_exactly_when_it_declares_one():
    models = _models()
    declaring = {model["name"] for model in models if _constraints(model)}
    testing = {model["name"] for model in models if _runs_declared_constraints(model)}

    assert declaring, f"no model under {MODELS_DIR} declares a constraint: the yml was not read as dbt reads it"
    assert declaring == testing


def test_every_declared_constraint_is_one_the_test_enforces():
    kinds = {constraint.get("type") for model in _models() for constraint in _constraints(model)}

    assert kinds == {"not_null", "check"}
    assert all(
        constraint.get("expression") for model in _models() for constraint in _constraints(model) if constraint["type"] == "check"
    )
