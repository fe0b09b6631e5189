"""The committed dashboards bundle is what `superset/build_bundle.py` writes from the current policy."""

from __future__ import annotations

import runpy
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml

from orchestration.lib.dashboards.assets import bundle_zip
from orchestration.lib.dashboards.settings import BUNDLE_DIR, SupersetSettings
from orchestration.lib.settings import SettingsError

build_bundle = runpy.run_path(str(BUNDLE_DIR.parent / "build_bundle.py"))


def test_the_committed_bundle_is_up_to_date_with_the_generator_and_the_policy(tmp_path):
    build_bundle["write_bundle"](tmp_path)
    written = {path.relative_to(tmp_path): path.read_text() for path in tmp_path.rglob("*.yaml")}
    committed = {path.relative_to(BUNDLE_DIR): path.read_text() for path in BUNDLE_DIR.rglob("*.yaml")}
    assert written == committed, "run `uv run python superset/build_bundle.py` and commit superset/bundle"


def test_every_object_keeps_a_fixed_uuid_and_charts_have_a_query_context():
    uuids = []
    for path in BUNDLE_DIR.rglob("*.yaml"):
        content = yaml.safe_load(path.read_text())
        if path.name != "metadata.yaml":
            uuids.append(content["uuid"])
        if path.parent.name == "charts":
            assert content["query_context"], path
    assert len(uuids) == len(set(uuids))


def test_the_zip_points_both_databases_at_this_deployment_read_only_without_file_access(tmp_path):
    settings = SupersetSettings(tmp_path / "warehouse.duckdb", tmp_path / "superset", "secret", "password")
    with zipfile.ZipFile(BytesIO(bundle_zip(settings))) as archive:
        assert len({name.split("/")[0] for name in archive.namelist()}) == 1
        databases = [yaml.safe_load(archive.read(name)) for name in archive.namelist() if "/databases/" in name]
    assert {db["sqlalchemy_uri"] for db in databases} == {f"duckdb:///{tmp_path / 'warehouse.duckdb'}", f"duckdb:///{tmp_path / 'warehouse.quality.duckdb'}"}
    for database in databases:
        connect_args = database["extra"]["engine_params"]["connect_args"]
        assert connect_args == {"read_only": True, "config": {"enable_external_access": False}}
        assert not database["allow_dml"] and not database["allow_file_upload"]


def test_serving_refuses_to_start_without_the_secret_key_or_the_admin_password(monkeypatch):
    monkeypatch.delenv("CCW_SUPERSET_SECRET_KEY", raising=False)
    monkeypatch.setenv("CCW_SUPERSET_ADMIN_PASSWORD", "set")
    with pytest.raises(SettingsError, match="CCW_SUPERSET_SECRET_KEY"):
        SupersetSettings.from_env(Path("warehouse.duckdb"))
    monkeypatch.setenv("CCW_SUPERSET_SECRET_KEY", "set")
    monkeypatch.delenv("CCW_SUPERSET_ADMIN_PASSWORD")
    with pytest.raises(SettingsError, match="CCW_SUPERSET_ADMIN_PASSWORD"):
        SupersetSettings.from_env(Path("warehouse.duckdb"))
