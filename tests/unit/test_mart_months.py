"""The mart gate looks at each mart by the date its model is recomputed by, as dbt's manifest says."""

import json
import re

from orchestration.defs.quality.checks import MARTS
from orchestration.defs.transformation.project import dbt_project


def recomputed_by(model: dict) -> str | None:
    """The date column of an incremental model's `recomputed_by`, None for a table rebuilt whole."""
    if model["config"]["materialized"] != "incremental":
        return None
    hooks = " ".join(hook["sql"] for hook in model["config"]["pre-hook"])
    return re.search(r"delete_recomputed_rows\('(\w+)'", hooks).group(1)


def test_each_gated_mart_is_validated_by_the_date_its_model_is_recomputed_by():
    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    models = {node["name"]: node for node in nodes if node["resource_type"] == "model" and node["fqn"][1] == "marts"}

    assert {mart: recomputed_by(models[mart]) for mart in MARTS} == MARTS
