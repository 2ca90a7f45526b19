"""Dagster's SQLite event log, writing a batch of events in one transaction per database.

A single-run backfill of N daily partitions records, per partitioned asset, N
`ASSET_MATERIALIZATION_PLANNED` events when the run is created and N `ASSET_MATERIALIZATION`
events when the step ends. Dagster hands such events to `store_event_batch` when
`DAGSTER_EVENT_BATCH_SIZE` is set, but the stock SQLite storage stores them one by one: each
event opens two connections (run shard, then index.db), checks the schema and commits, ~7-10 ms
an event whatever it says. This subclass keeps the same databases and rows and writes a batch
with one transaction on the run shard and one on the index, so per-partition history stays (the
UI shows every day's materialization) at a fraction of the cost.

The CLI's `dagster.yaml` selects it (see `dagster_yaml`); `dagster dev` reads the same file.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.runs import SqliteRunStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.pool import QueuePool

# Dagster batches events only when this is set; it is the largest batch it hands over at once.
EVENT_BATCH_SIZE = "1000"


class BatchingSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage with a real `store_event_batch`; everything else is inherited."""

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "BatchingSqliteEventLogStorage":
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sqlalchemy.Connection]:
        """The stock _connect, with one engine per database file kept for the process (stock:
        one engine built and disposed per event) whose pool keeps its connection open (stock:
        closed after each event, and closing the last connection of a WAL database checkpoints
        and fsyncs it), and `synchronous = NORMAL`: in WAL mode (which Dagster sets) a commit
        waits for no fsync; an OS crash or power cut can lose the last events, never corrupt the
        file. Every event outside a batch (step starts, logs, check results) pays this: ~100 in
        a daily run."""
        with self._db_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = self._engines[shard] = _kept_open_engine(self.conn_string_for_shard(shard))
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        super().dispose()
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    @property
    def _engines(self) -> dict:
        if "_engines_by_shard" not in self.__dict__:
            self.__dict__["_engines_by_shard"] = {}
        return self.__dict__["_engines_by_shard"]

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        if not events:
            return
        run_ids = {event.run_id for event in events}
        if len(run_ids) > 1:  # Dagster batches one run's events; anything else goes the slow way
            for event in events:
                self.store_event(event)
            return
        statements = [self.prepare_insert_event(event) for event in events]
        with self.run_connection(run_ids.pop()) as conn:
            for statement in statements:
                conn.execute(statement)

        indexed = [(event, statement) for event, statement in zip(events, statements, strict=True)
                   if event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS]
        if indexed:
            # As SqliteEventLogStorage.store_event does per event: the event is mirrored in the
            # cross-run index, with its tags, and the asset's row points at the newest event.
            # Only the newest event per asset updates the asset row (what the last store_event
            # of the loop would have left there), so the schema is inspected once per asset.
            with self.index_transaction() as conn:
                event_ids = [conn.execute(statement).inserted_primary_key[0] for _, statement in indexed]
                self._store_asset_event_tags(conn, [event for event, _ in indexed], event_ids)
                newest_by_asset = {event.dagster_event.asset_key: (event, event_id)
                                   for (event, _), event_id in zip(indexed, event_ids, strict=True)}
                for event, event_id in newest_by_asset.values():
                    self._store_asset_event(conn, event, event_id)

        for event, statement in zip(events, statements, strict=True):
            if event.is_dagster_event and event.dagster_event_type in ASSET_CHECK_EVENTS:
                with self.index_connection() as conn:
                    event_id = conn.execute(statement).inserted_primary_key[0]
                self.store_asset_check_event(event, event_id)


class PooledSqliteRunStorage(SqliteRunStorage):
    """Dagster's SQLite run storage (runs.db) with its connection kept open and `synchronous =
    NORMAL`, for the reasons given in BatchingSqliteEventLogStorage._connect (~50 connections
    a daily run)."""

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "PooledSqliteRunStorage":
        return cls.from_local(inst_data=inst_data, **config_value)

    @contextmanager
    def connect(self) -> Iterator[sqlalchemy.Connection]:
        if "_kept_engine" not in self.__dict__:
            self.__dict__["_kept_engine"] = _kept_open_engine(self._conn_string)
        with self.__dict__["_kept_engine"].connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        super().dispose()
        engine = self.__dict__.pop("_kept_engine", None)
        if engine is not None:
            engine.dispose()


def _kept_open_engine(conn_string: str) -> sqlalchemy.Engine:
    """Open connections kept in a pool and reused; commits without fsync (WAL, NORMAL).

    A QueuePool lends each connection to one thread at a time. (A SingletonThreadPool, one
    connection per thread, closes other threads' connections once more threads than its size
    use it: `dagster dev`'s daemon then failed with "Cannot operate on a closed database".)
    """
    engine = create_engine(conn_string, poolclass=QueuePool, pool_size=5, max_overflow=20,
                           connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                                         "check_same_thread": False})
    sqlalchemy.event.listen(engine, "connect", _relaxed_sync)
    return engine


def _relaxed_sync(dbapi_connection, _record) -> None:
    # WAL from the first connection (Dagster switches a new file to WAL only after creating its
    # tables, each CREATE then committing with a rollback journal and its fsyncs: every run's
    # new shard file paid that).
    dbapi_connection.execute("pragma journal_mode = wal")
    dbapi_connection.execute("pragma synchronous = normal")


# SQLite files of the layout dagster_yaml describes (relative to DAGSTER_HOME) that Dagster
# initializes by their alembic revision, so an empty file is a new one. Not the event log's
# index.db: an index.db that exists is taken as initialized, and its first-time steps (marking
# the secondary indexes, concurrency slots among them, as built) would be skipped.
SQLITE_FILES = ("history/runs.db", "schedules/schedules.db")


def create_wal_files(home: Path) -> None:
    """Create the instance's SQLite files that do not exist yet, empty and in WAL mode (which a
    file keeps). Dagster creates its tables with a rollback journal and switches to WAL only
    afterwards: a new home's first command paid dozens of DDL commits with two or three fsyncs
    each."""
    for relative in SQLITE_FILES:
        path = home / relative
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        try:
            connection.execute("pragma journal_mode = wal")
        finally:
            connection.close()


def dagster_yaml(home: Path) -> str:
    """The instance configuration the CLI writes: the stock SQLite layout under `home`, with
    the batching event log, and no telemetry."""
    return (
        "telemetry:\n  enabled: false\n"
        f"run_storage:\n  module: {__name__}\n  class: {PooledSqliteRunStorage.__name__}\n"
        f"  config:\n    base_dir: {home / 'history'}\n"
        f"event_log_storage:\n  module: {__name__}\n  class: {BatchingSqliteEventLogStorage.__name__}\n"
        f"  config:\n    base_dir: {home / 'history' / 'runs'}\n"
        "schedule_storage:\n  module: dagster._core.storage.schedules\n  class: SqliteScheduleStorage\n"
        f"  config:\n    base_dir: {home / 'schedules'}\n"
    )


# The setting that selects PostgreSQL; dagster.yaml names it, so the URL (and its password) is
# read from the environment by every process that opens the instance and never written down.
PG_URL_ENV = "ARENA_DAGSTER_PG_URL"


def psycopg2_url(url: str) -> str:
    """The URL with psycopg2 named as its driver. SQLAlchemy 2.1 reads a bare postgresql:// as
    psycopg 3, which dagster-postgres 0.29.27 cannot use (its NOTIFY statement fails to parse
    there); psycopg2 is the driver it depends on."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg2://{rest}" if scheme in ("postgresql", "postgres") else url


def postgres_dagster_yaml() -> str:
    """The instance configuration with run, event log and schedule storage in PostgreSQL
    (dagster-postgres' stock storages: it batches materializations itself and has no per-file
    connection cost, so neither subclass above is needed), and no telemetry."""
    return (
        "telemetry:\n  enabled: false\n"
        f"storage:\n  postgres:\n    postgres_url:\n      env: {PG_URL_ENV}\n"
    )
