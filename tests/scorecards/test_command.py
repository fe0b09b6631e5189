"""`ccw scorecards` as an operator meets it: read-only on the warehouse, clear about what it refuses."""

from __future__ import annotations

import os

import duckdb
import yaml
from scorecards_support import MONTH, REPO_ROOT, output_of, scorecards


def test_the_warehouse_is_only_read(warehouse, tmp_path):
    """A reader holds the file, as a dashboard does: a writer could not open it, the command can."""
    before = warehouse.read_bytes()
    with duckdb.connect(str(warehouse), read_only=True):
        result = scorecards(warehouse, tmp_path / "scorecards")
    assert result.returncode == 0, output_of(result)
    assert "not sent (use --send to e-mail HR)" in result.stdout
    assert warehouse.read_bytes() == before


def test_numbers_computed_with_another_policy_are_refused(warehouse, tmp_path):
    settings = yaml.safe_load((REPO_ROOT / "policy" / "scoring_policy.yml").read_text(encoding="utf-8"))
    settings["scoring"]["categories"]["results"]["components"]["qa_score"]["target"] = 90
    policy = tmp_path / "scoring_policy.yml"
    policy.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "scorecards"

    result = scorecards(warehouse, out, env={**os.environ, "CCW_POLICY_FILE": str(policy)})
    assert result.returncode == 1, output_of(result)
    assert "were computed with policy" in result.stderr and "CCW_POLICY_FILE" in result.stderr
    assert not (out / MONTH).exists()


def test_force_without_send_is_refused(warehouse, tmp_path):
    result = scorecards(warehouse, tmp_path / "scorecards", "--force")
    assert result.returncode == 1
    assert "--force only applies to --send" in result.stderr


def test_a_missing_warehouse_is_named(tmp_path):
    result = scorecards(tmp_path / "nowhere.duckdb", tmp_path / "scorecards")
    assert result.returncode == 1
    assert "nowhere.duckdb does not exist" in result.stderr
