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

The files are in SQLite's write-ahead-log mode, as Dagster creates them, where `synchronous=NORMAL`
waits for the disk at each checkpoint of the log instead of at each commit: a crashed process loses
nothing, a power cut may lose the last events of a run, and the file stays whole either way.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log import SqliteEventLogStorage
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

    def has_table(self, table_name: str) -> bool:
        # Without the storage's lock, as the stock answer: it is also asked while a connection is held.
        if table_name not in self._tables_found and super().has_table(table_name):
            self._tables_found.add(table_name)
        return table_name in self._tables_found

    def _close_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        # The run files are deleted: no connection may outlive them, nor a table found in them.
        self._close_all()
        self._tables_found.clear()
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()


def _commit_without_waiting_for_the_disk(dbapi_connection, _connection_record) -> None:
    # Only the log's mode makes NORMAL safe from corruption: it is asked for, not assumed.
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
