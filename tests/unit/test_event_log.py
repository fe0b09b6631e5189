"""Dagster's event log keeps its connections open, and still records and serves every run."""

from __future__ import annotations

from collections import Counter

import dagster as dg
import pytest
from dagster import DagsterInstance
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME
from dagster._serdes import deserialize_value

from orchestration.lib import event_log
from orchestration.lib.event_log import SqliteEventLogKeepingConnections
from orchestration.lib.settings import _POOLS_AND_TELEMETRY, EVENT_BATCH_SIZE, Settings, dagster_config, prepare_environment

months = dg.StaticPartitionsDefinition(["2025-01", "2025-02", "2025-03"])


@dg.asset(partitions_def=months, check_specs=[dg.AssetCheckSpec("positive", asset="calls")])
def calls(context):
    return dg.MaterializeResult(
        metadata={"months": len(context.partition_keys)}, check_results=[dg.AssetCheckResult(check_name="positive", passed=True)]
    )


@dg.asset(partitions_def=months, deps=[calls], check_specs=[dg.AssetCheckSpec("complete", asset="unfinished")])
def unfinished(context):
    raise RuntimeError("stopped before its check")


def materialize_every_month(instance: DagsterInstance, *also: dg.AssetsDefinition) -> dg.ExecuteInJobResult:
    return dg.materialize(
        [calls, *also], instance=instance, raise_on_error=False, tags={"dagster/asset_partition_range_start": "2025-01", "dagster/asset_partition_range_end": "2025-03"}
    )


@pytest.fixture
def home(tmp_path, monkeypatch):
    # prepare_environment sets these for the process: restored after the test.
    for name in ("DAGSTER_HOME", "CCW_DBT_WAREHOUSE", "CCW_DBT_MEMORY_LIMIT", "CCW_DBT_TEMP_DIRECTORY"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", str(EVENT_BATCH_SIZE))
    settings = Settings(landing=tmp_path / "landing", warehouse=tmp_path / "wh.duckdb", timezone="Asia/Shanghai", dagster_home=tmp_path / "dagster")
    return prepare_environment(settings)


def test_a_run_is_recorded_through_open_connections_and_read_back_by_another_instance(home) -> None:
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, SqliteEventLogKeepingConnections)
        result = materialize_every_month(instance)
        assert result.success

    with DagsterInstance.from_config(str(home)) as reader:
        runs = reader.get_runs()
        assert [run.run_id for run in runs] == [result.run_id]
        materialized = reader.fetch_materializations(dg.AssetKey("calls"), limit=10).records
        assert sorted(record.partition_key for record in materialized) == ["2025-01", "2025-02", "2025-03"]
        assert reader.get_latest_materialization_event(dg.AssetKey("calls")).run_id == result.run_id
        check = reader.event_log_storage.get_latest_asset_check_execution_by_key([dg.AssetCheckKey(dg.AssetKey("calls"), "positive")])
        assert [execution.run_id for execution in check.values()] == [result.run_id]


def test_a_batch_of_events_leaves_the_rows_that_storing_them_one_by_one_leaves(tmp_path, monkeypatch) -> None:
    batches = []
    stock_store_event_batch = SqliteEventLogKeepingConnections.store_event_batch

    def recording_store_event_batch(storage, events):
        batches.append(len(events))
        stock_store_event_batch(storage, events)

    monkeypatch.setattr(SqliteEventLogKeepingConnections, "store_event_batch", recording_store_event_batch)
    stored = {}
    for batch_size in ("0", "1000"):
        monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", batch_size)
        settings = Settings(landing=tmp_path / "landing", warehouse=tmp_path / "wh.duckdb", timezone="Asia/Shanghai", dagster_home=tmp_path / batch_size)
        with DagsterInstance.from_config(str(prepare_environment(settings))) as instance:
            materialize_every_month(instance, unfinished)
            # A second run: the assets' rows exist and are updated.
            run_id = materialize_every_month(instance, unfinished).run_id
            stored[batch_size] = _rows_of(instance, run_id)

    # Per run, one batch of the planned events and one of the three months materialized.
    assert batches == [8, 3, 8, 3]
    assert stored["1000"] == stored["0"]
    [(asset, last_run, month, materialized_by), unfinished_asset] = stored["1000"]["asset_keys"]
    assert (asset, last_run, materialized_by) == ("calls", "this run", "this run") and month in months.get_partition_keys()
    assert unfinished_asset == ("unfinished", "this run", None, None)
    assert stored["1000"]["checks"] == Counter({("calls", "positive", None, "SUCCEEDED"): 2, ("unfinished", "complete", None, "PLANNED"): 2})


def _rows_of(instance: DagsterInstance, run_id: str) -> dict:
    """What a run left in its own file and in the index, by kind, without the storage's ids."""
    storage = instance.event_log_storage
    with storage.run_connection(run_id) as conn:
        run_events = Counter(conn.exec_driver_sql("SELECT dagster_event_type, asset_key, partition, step_key FROM event_logs").fetchall())
    with storage.index_connection() as conn:
        index_events = Counter(conn.exec_driver_sql("SELECT run_id = ?, dagster_event_type, asset_key, partition FROM event_logs", (run_id,)).fetchall())
        asset_keys = sorted(
            (key.strip('[]"'), _this_run(last_run, run_id), *_materialization(last_materialization, run_id))
            for key, last_run, last_materialization in conn.exec_driver_sql("SELECT asset_key, last_run_id, last_materialization FROM asset_keys")
        )
        checks = Counter(
            (key.strip('[]"'), name, partition, status)
            for key, name, partition, status in conn.exec_driver_sql(
                "SELECT asset_key, check_name, partition, execution_status FROM asset_check_executions"
            )
        )
        tags = Counter(conn.exec_driver_sql("SELECT asset_key, key FROM asset_event_tags").fetchall())
    return {"run": run_events, "index": index_events, "asset_keys": asset_keys, "checks": checks, "tags": tags}


def _this_run(run_id: str, this_run_id: str) -> str:
    return "this run" if run_id == this_run_id else run_id


def _materialization(serialized: str | None, run_id: str) -> tuple[str | None, str | None]:
    """The month and run of an asset's last materialization."""
    if serialized is None:
        return None, None
    record = deserialize_value(serialized)
    return record.partition_key, _this_run(record.run_id, run_id)


def test_commits_wait_for_the_disk_only_at_checkpoints_of_the_write_ahead_log(home) -> None:
    with DagsterInstance.from_config(str(home)) as instance:
        run_id = materialize_every_month(instance).run_id
        storage = instance.event_log_storage
        for shard in (run_id, INDEX_SHARD_NAME):
            with storage._connect(shard) as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                # 1 is NORMAL; SQLite's default is 2, FULL.
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1


def test_only_the_latest_databases_stay_open_and_a_wipe_starts_afresh(home, monkeypatch) -> None:
    monkeypatch.setattr(event_log, "OPEN_DATABASES", 3)
    with DagsterInstance.from_config(str(home)) as instance:
        run_ids = [materialize_every_month(instance).run_id for _ in range(4)]
        storage = instance.event_log_storage
        assert len(storage._engines) == 3
        assert run_ids[-1] in storage._engines and run_ids[0] not in storage._engines
        # A run whose database was closed is opened again when it is read.
        assert len(instance.all_logs(run_ids[0])) > 0

        instance.wipe()
        assert instance.get_runs() == []
        assert materialize_every_month(instance).success
        assert len(instance.get_runs()) == 1


def test_the_index_is_inspected_once_per_table_until_a_wipe(home, monkeypatch) -> None:
    inspected = []
    stock_has_table = SqliteEventLogStorage.has_table

    def counting_has_table(storage, table_name):
        inspected.append(table_name)
        return stock_has_table(storage, table_name)

    monkeypatch.setattr(SqliteEventLogStorage, "has_table", counting_has_table)
    with DagsterInstance.from_config(str(home)) as instance:
        for _ in range(2):
            assert materialize_every_month(instance).success
        # Asked before each of the runs' asset check events; the index inspected once.
        assert inspected.count("asset_check_executions") == 1
        assert not instance.event_log_storage.has_table("no_such_table")
        assert not instance.event_log_storage.has_table("no_such_table")
        assert inspected.count("no_such_table") == 2

        instance.wipe()
        assert materialize_every_month(instance).success
        assert inspected.count("asset_check_executions") == 2


def test_dagster_yaml_is_written_when_missing_or_as_ccw_wrote_it_and_kept_when_edited(home) -> None:
    config = home / "dagster.yaml"
    assert config.read_text() == dagster_config(home)

    config.write_text(_POOLS_AND_TELEMETRY)
    prepare_environment(Settings.from_env())
    assert config.read_text() == dagster_config(home)

    # A home moved elsewhere: its file names the runs folder of the old place.
    config.write_text(dagster_config(home.parent / "moved from here" / "dagster"))
    prepare_environment(Settings.from_env())
    assert config.read_text() == dagster_config(home)

    edited = _POOLS_AND_TELEMETRY + "run_monitoring:\n  enabled: true\n"
    config.write_text(edited)
    prepare_environment(Settings.from_env())
    assert config.read_text() == edited
