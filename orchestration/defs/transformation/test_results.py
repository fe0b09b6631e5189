"""dbt's test results as check outcomes of the gate."""

from collections.abc import Mapping
from typing import Any

from orchestration.lib.quality import CheckOutcome

_PASSED = {"pass", "success"}
# A test skipped because a model upstream failed judged nothing: that model's own failure is recorded.
_NOT_RUN = {"skipped"}


def dbt_test_outcomes(run_results: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[CheckOutcome]:
    """One outcome per data test and unit test: error-severity tests block, warn-severity ones warn."""
    nodes = manifest.get("nodes", {}) | manifest.get("unit_tests", {})
    outcomes = []
    for result in run_results.get("results", []):
        node = nodes.get(result["unique_id"], {})
        if node.get("resource_type") not in ("test", "unit_test") or result["status"] in _NOT_RUN:
            continue
        severity = "warning" if str(node.get("config", {}).get("severity", "error")).lower() == "warn" else "blocking"
        outcomes.append(CheckOutcome(
            check_name=node.get("name", result["unique_id"]),
            asset=_tested_model(node, manifest),
            severity=severity,
            passed=result["status"] in _PASSED,
            observed_value=result.get("failures"),
            details=result.get("message") or result["status"],
        ))
    return outcomes


def _tested_model(node: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """`schema.model` of the model (or source table) a test guards."""
    attached = node.get("attached_node") or next(iter(node.get("depends_on", {}).get("nodes", [])), None)
    if node.get("resource_type") == "unit_test":
        attached = f"model.{node.get('package_name', 'ccw')}.{node.get('model')}"
    target = manifest.get("nodes", {}).get(attached) or manifest.get("sources", {}).get(attached) or {}
    if not target:
        return attached or "unknown"
    return f"{target.get('schema')}.{target.get('alias') or target.get('identifier') or target.get('name')}"
