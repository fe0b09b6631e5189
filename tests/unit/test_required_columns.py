"""A column declared required is tested: dbt takes the constraint as documentation only."""

from pathlib import Path

import yaml

MODELS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models"


def _models() -> list[dict]:
    return [model for path in sorted(MODELS_DIR.rglob("*.yml")) for model in yaml.safe_load(path.read_text()).get("models", [])]


def _declares_a_required_column(model: dict) -> bool:
    return any(
        constraint.get("type") == "not_null"
        for column in model.get("columns", [])
        for constraint in column.get("constraints", [])
    )


def _runs_required_columns(model: dict) -> bool:
    return any(
        test == "required_columns" or (isinstance(test, dict) and "required_columns" in test)
        for test in model.get("data_tests", [])
    )


def test_a_model_runs_required_columns_exactly_when_it_declares_a_required_column():
    models = _models()
    declaring = {model["name"] for model in models if _declares_a_required_column(model)}
    testing = {model["name"] for model in models if _runs_required_columns(model)}

    assert declaring, f"no model under {MODELS_DIR} declares a required column: the yml was not read as dbt reads it"
    assert declaring == testing
