"""The environment becomes settings: DuckDB's memory limit."""

from pathlib import Path

import pytest

from orchestration.lib.settings import (
    DEFAULT_DUCKDB_MEMORY_LIMIT,
    Settings,
    SettingsError,
    dbt_environment,
)


def test_duckdb_memory_limit_defaults_to_a_fixed_size(monkeypatch):
    monkeypatch.delenv("CCW_DUCKDB_MEMORY_LIMIT", raising=False)
    assert Settings.from_env().duckdb_memory_limit == DEFAULT_DUCKDB_MEMORY_LIMIT


def test_duckdb_memory_limit_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CCW_DUCKDB_MEMORY_LIMIT", "1500MB")
    assert Settings.from_env().duckdb_memory_limit == "1500MB"


def test_a_memory_limit_that_is_not_a_size_is_refused_at_start_up(monkeypatch):
    monkeypatch.setenv("CCW_DUCKDB_MEMORY_LIMIT", "lots")
    with pytest.raises(SettingsError, match="CCW_DUCKDB_MEMORY_LIMIT"):
        Settings.from_env()


def test_dbt_builds_with_the_same_limit_and_spills_beside_the_warehouse():
    environment = dbt_environment(Path("/srv/ccw/warehouse.working.duckdb"), "2GB")
    assert environment == {
        "CCW_DBT_WAREHOUSE": "/srv/ccw/warehouse.working.duckdb",
        "CCW_DBT_MEMORY_LIMIT": "2GB",
        "CCW_DBT_TEMP_DIRECTORY": "/srv/ccw/warehouse.working.duckdb.spill",
    }


def test_the_pipeline_writes_the_warehouse_within_the_memory_limit(tmp_path):
    from orchestration.lib.warehouse import WarehouseResource

    warehouse = WarehouseResource(
        published_path=str(tmp_path / "warehouse.duckdb"),
        working_path=str(tmp_path / "warehouse.working.duckdb"),
        quality_dir=str(tmp_path / "data_quality"),
        memory_limit="1GB",
    )
    with warehouse.connect() as con:
        limit, spill = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    assert limit in ("1.0 GiB", "953.6 MiB", "1GB", "1.0 GB")
    assert spill == str(tmp_path / "warehouse.working.duckdb.spill")
