"""`ccw`'s process loads the same pipeline without dbt-core as with it, and can still parse the project."""

import json
import subprocess
import sys

import pytest

from orchestration.lib.without_dbt_core import keep_dbt_core_out

DESCRIBE_DEFINITIONS = """
import json, sys
if sys.argv[1] == "without":
    from orchestration.lib.without_dbt_core import keep_dbt_core_out
    keep_dbt_core_out()
from orchestration.definitions import defs
graph = defs.resolve_asset_graph()
job = defs.resolve_job_def("ccw_pipeline")
print(json.dumps({
    "dbt_core_imported": "dbt" in sys.modules,
    "assets": sorted(
        [key.to_user_string(), sorted(parent.to_user_string() for parent in graph.get(key).parent_keys)]
        for key in graph.get_all_asset_keys()
    ),
    "checks": sorted(f"{key.asset_key.to_user_string()}:{key.name}:{graph.get_check_spec(key).blocking}" for key in graph.asset_check_keys),
    "job_steps": sorted(node.name for node in job.nodes_in_topological_order),
    "partitions": job.partitions_def.get_partition_keys()[:3],
}))
"""

PARSE_WITHOUT_DBT_CORE = """
import sys
from pathlib import Path
from orchestration.lib.without_dbt_core import keep_dbt_core_out
keep_dbt_core_out()
from orchestration.defs.transformation import project
own_project = project.dbt_project_with_target(Path(sys.argv[1]))
project.prepare_manifest(own_project)
print("dbt" in sys.modules)
"""


def _python(code: str, *arguments: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_definitions_are_the_same_without_dbt_core():
    with_dbt_core = json.loads(_python(DESCRIBE_DEFINITIONS, "with"))
    without = json.loads(_python(DESCRIBE_DEFINITIONS, "without"))

    assert with_dbt_core["dbt_core_imported"] and not without["dbt_core_imported"]
    assert len(without["assets"]) > 40 and len(without["checks"]) > 100
    for part in ("assets", "checks", "job_steps", "partitions"):
        assert without[part] == with_dbt_core[part], part


def test_the_project_is_parsed_without_dbt_core_in_the_process(tmp_path):
    # Its own target folder: the manifest is parsed there from scratch.
    assert _python(PARSE_WITHOUT_DBT_CORE, str(tmp_path / "target")) == "False"

    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert any(node.startswith("model.ccw.fct_agent_scorecard") for node in manifest["nodes"])


def test_dbt_core_imported_already_cannot_be_kept_out(monkeypatch):
    monkeypatch.setitem(sys.modules, "dbt", object())

    with pytest.raises(RuntimeError, match="imported before"):
        keep_dbt_core_out()
