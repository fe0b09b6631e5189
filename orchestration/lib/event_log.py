"""Dagster's SQLite event log, keeping its database connections open.

The stock storage builds an engine and opens a connection for every event it stores, and for a
run of the dbt models that is thousands of events (each model and each test, for each month of the
run, planned and then done): with SQLAlchemy compiling each statement again for every new engine,
and SQLite checkpointing its journal whenever the last connection closes, they took about a
quarter of a run with nothing new to load. Here each database file keeps one engine and one open
connection, used under the storage's own lock as before, so the same statements reach the same
files, only cheaper. Which tables the index holds is asked before every asset check event is
stored, and the stock answer builds an engine and opens the index each time: a table found is
remembered until the storage is wiped.

With `DAGSTER_EVENT_BATCH_SIZE` set (`ccw` sets it: `settings.EVENT_BATCH_SIZE`), Dagster hands
over a run's planned assets and checks, and an output's materializations of the months of a range,
as batches, which the stock SQLite storage stores one by one all the same. A regular run plans and
materializes every model for every month of the partitions: 1,752 of the 2,293 events of the
benchmark's daily run. Here a batch takes one transaction per file and leaves the same rows.

The files are in SQLite's write-ahead-log mode, as Dagster creates them, where `synchronous=NORMAL`
waits for the disk at each checkpoint of the log instead of at each commit: a crashed process loses
nothing, a power cut may lose the last events of a run, and the file stays whole either way.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from dagster._core.events import ASSET_EVENTS, DagsterEventType
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable, SqlEventLogStorageTable
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

OPEN_DATABASES = 8
"""The index and the latest runs' files: a process writes one run at a time, the web UI reads a few."""


class SqliteEventLogKeepingConnections(SqliteEventLogStorage):
    """Configured in `dagster.yaml` as `event_log_storage`, with the same `base_dir` as the stock one."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        # Before the stock initialisation, which already connects when it creates the index.
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        self._asset_key_index_columns_found = False
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> SqliteEventLogKeepingConnections:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine_for(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine_for(self, shard: str) -> Engine:
        if shard in self._engines:
            self._engines.move_to_end(shard)
            return self._engines[shard]
        # One connection kept, handed from thread to thread only under the storage's lock; creating
        # the schema opens a few more for a moment.
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=4,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        event.listen(engine, "connect", _commit_without_waiting_for_the_disk)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        if len(self._engines) > OPEN_DATABASES:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        # The rows `store_event` writes for each event, in one transaction per file. Dagster only
        # batches a run's asset events and planned checks; anything else is stored one by one.
        if (
            len({event.run_id for event in events}) != 1
            or not all(_batched_as_stored(event) for event in events)
            or not self.supports_asset_checks  # the stock storage raises that a migration is due
        ):
            return super().store_event_batch(events)
        rows = [self._event_to_row(event) for event in events]
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(SqlEventLogStorageTable.insert(), rows)
        with self.index_transaction() as conn:
            ids = [conn.execute(SqlEventLogStorageTable.insert().values(**row)).inserted_primary_key[0] for row in rows]
            assets = [(event, id_) for event, id_ in zip(events, ids) if event.dagster_event_type in ASSET_EVENTS]
            self._store_asset_event_tags(conn, [event for event, _ in assets], [event_id for _, event_id in assets])
            # In turn, each event would overwrite the columns its kind sets in its asset's row: the
            # last event of each asset and kind, in their order, leave the row as all of them would.
            latest = {
                (event.get_dagster_event().asset_key, event.dagster_event_type): (index, event, event_id)
                for index, (event, event_id) in enumerate(assets)
            }
            for _, event, event_id in sorted(latest.values(), key=itemgetter(0)):
                self._store_asset_event(conn, event, event_id)
            planned_checks = [
                execution
                for event, row, event_id in zip(events, rows, ids)
                if event.dagster_event_type == DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED
                for execution in self._planned_check_executions(event, row["event"], event_id)
            ]
            if planned_checks:
                conn.execute(AssetCheckExecutionsTable.insert(), planned_checks)

    def _planned_check_executions(self, event: EventLogEntry, serialized: str, event_id: int) -> list[dict]:
        """The rows of `_store_asset_check_evaluation_planned`, with the event serialized once, not
        once for each month of the run's range."""
        planned = event.get_dagster_event().event_specific_data
        partitions = planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
        return [
            dict(
                asset_key=planned.asset_key.to_string(),
                check_name=planned.check_name,
                partition=partition,
                run_id=event.run_id,
                execution_status=AssetCheckExecutionRecordStatus.PLANNED.value,
                evaluation_event=serialized,
                evaluation_event_timestamp=self._event_insert_timestamp(event),
                evaluation_event_storage_id=event_id,
            )
            for partition in partitions
        ]

    def has_table(self, table_name: str) -> bool:
        # Without the storage's lock, as the stock answer: it is also asked while a connection is held.
        if table_name not in self._tables_found and super().has_table(table_name):
            self._tables_found.add(table_name)
        return table_name in self._tables_found

    def _has_asset_key_index_cols_on_connection(self, conn: Connection) -> bool:
        # Asked, as `has_table`, before every asset event is stored; columns found stay until a wipe.
        if not self._asset_key_index_columns_found:
            self._asset_key_index_columns_found = super()._has_asset_key_index_cols_on_connection(conn)
        return self._asset_key_index_columns_found

    def _close_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        # The run files are deleted: no connection may outlive them, nor a table found in them.
        self._close_all()
        self._tables_found.clear()
        self._asset_key_index_columns_found = False
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()


def _batched_as_stored(event: EventLogEntry) -> bool:
    """An event of a kind Dagster batches: an asset's event or a planned check."""
    return event.is_dagster_event and (
        event.dagster_event_type in ASSET_EVENTS or event.dagster_event_type == DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED
    )


def _commit_without_waiting_for_the_disk(dbapi_connection, _connection_record) -> None:
    # Only the log's mode makes NORMAL safe from corruption: it is asked for, not assumed.
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
