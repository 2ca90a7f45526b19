"""The batching event log (and pooled run storage) store exactly what Dagster's stock SQLite
storages store.

Both instances are real SQLite instances in a temporary DAGSTER_HOME configured by a
`dagster.yaml`, and run the same single-run backfill of a partitioned asset over a range.
"""

import datetime as dt
import sqlite3

import dagster as dg
import pytest

from arena_pipeline.defs.partitions import daily_partitions, range_tags
from arena_pipeline.warehouse.event_storage import (
    EVENT_BATCH_SIZE,
    SQLITE_FILES,
    BatchingSqliteEventLogStorage,
    PooledSqliteRunStorage,
    create_wal_files,
    dagster_yaml,
)

FIRST = dt.date(2024, 7, 7)
DAYS = 12


@dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run())
def upstream_days(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"days": len(context.partition_keys)})


@dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run(),
          deps=[upstream_days])
def downstream_days(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    if context.run.tags.get("fail") == "yes":
        raise dg.Failure("failing on purpose")
    return dg.MaterializeResult()


JOB = dg.Definitions(assets=[upstream_days, downstream_days],
                     executor=dg.in_process_executor).resolve_implicit_global_asset_job_def()


def _run(home, batching: bool, monkeypatch, fail: bool = False):
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text(dagster_yaml(home) if batching else "telemetry:\n  enabled: false\n")
    if batching:  # as the CLI prepares a new home
        create_wal_files(home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    if batching:
        monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    else:
        monkeypatch.delenv("DAGSTER_EVENT_BATCH_SIZE", raising=False)
    instance = dg.DagsterInstance.from_config(str(home))
    tags = {**range_tags(FIRST, FIRST + dt.timedelta(days=DAYS - 1)), "fail": "yes" if fail else "no"}
    result = JOB.execute_in_process(instance=instance, tags=tags, raise_on_error=False)
    return instance, result


def _stored(instance: dg.DagsterInstance, run_id: str) -> dict:
    """What the UI reads: per-partition events in the index, the run's log, asset rows."""
    index = {}
    for key in (dg.AssetKey("upstream_days"), dg.AssetKey("downstream_days")):
        planned = instance.get_event_records(
            dg.EventRecordsFilter(dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, asset_key=key))
        done = instance.fetch_materializations(key, limit=1000).records
        for event_type, records in (("ASSET_MATERIALIZATION_PLANNED", planned), ("ASSET_MATERIALIZATION", done)):
            index[(event_type, key.to_user_string())] = sorted(
                r.event_log_entry.dagster_event.partition for r in records)
    run_log = sorted(
        (entry.dagster_event.event_type_value, entry.dagster_event.partition or "")
        for entry in instance.all_logs(run_id) if entry.is_dagster_event)
    assets = {}
    for key in (dg.AssetKey("upstream_days"), dg.AssetKey("downstream_days")):
        record = instance.get_asset_records([key])
        last = record[0].asset_entry.last_materialization if record else None
        assets[key.to_user_string()] = (
            sorted(instance.get_materialized_partitions(key)),
            last.dagster_event.partition if last else None,
            record[0].asset_entry.last_run_id == run_id if record else None,
        )
    record = instance.get_run_record_by_id(run_id)
    runs = (record.dagster_run.status, record.dagster_run.tags.get("fail"), len(instance.get_runs()))
    return {"index": index, "run_log": run_log, "assets": assets, "runs": runs}


@pytest.mark.parametrize("fail", [False, True], ids=["success", "failed_step"])
def test_batching_storage_records_what_the_stock_storage_records(tmp_path, monkeypatch, fail):
    stock, stock_result = _run(tmp_path / "stock", batching=False, monkeypatch=monkeypatch, fail=fail)
    batching, batching_result = _run(tmp_path / "batching", batching=True, monkeypatch=monkeypatch, fail=fail)
    try:
        assert isinstance(batching.event_log_storage, BatchingSqliteEventLogStorage)
        assert isinstance(batching.run_storage, PooledSqliteRunStorage)
        assert stock_result.success is batching_result.success is (not fail)
        expected = _stored(stock, stock_result.run_id)
        got = _stored(batching, batching_result.run_id)
        assert got == expected
        days = [(FIRST + dt.timedelta(days=i)).isoformat() for i in range(DAYS)]
        # Per-partition history is kept: one planned and one materialization event per day.
        assert got["index"][("ASSET_MATERIALIZATION_PLANNED", "upstream_days")] == days
        assert got["index"][("ASSET_MATERIALIZATION", "upstream_days")] == days
        assert got["assets"]["upstream_days"][:2] == (days, days[-1])
        assert got["index"][("ASSET_MATERIALIZATION", "downstream_days")] == ([] if fail else days)
    finally:
        stock.dispose()
        batching.dispose()


class RecordingStorage(BatchingSqliteEventLogStorage):
    """The batching storage, noting the size of each batch it is handed (sizes are per class:
    each test run builds its own instance)."""

    batches: list[int] = []

    def store_event_batch(self, events):
        RecordingStorage.batches.append(len(events))
        super().store_event_batch(events)


def test_events_reach_the_storage_in_batches(tmp_path, monkeypatch):
    """Dagster hands per-partition events over in batches only when DAGSTER_EVENT_BATCH_SIZE is
    set, and only to a storage named in dagster.yaml: both are what the CLI sets up."""
    home = tmp_path / "home"
    home.mkdir()
    RecordingStorage.batches = []
    config = dagster_yaml(home).replace(
        "module: arena_pipeline.warehouse.event_storage\n  class: BatchingSqliteEventLogStorage",
        f"module: {__name__}\n  class: RecordingStorage")
    assert "RecordingStorage" in config
    (home / "dagster.yaml").write_text(config)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = JOB.execute_in_process(instance=instance, tags=range_tags(FIRST, FIRST + dt.timedelta(days=DAYS - 1)))
    assert result.success
    # Planned events of both assets at run creation, then each asset's materializations.
    assert sorted(RecordingStorage.batches) == [DAYS, DAYS, 2 * DAYS]


def test_many_threads_share_the_kept_connections(tmp_path, monkeypatch):
    """`dagster dev`'s daemon and webserver use the storages from many threads at once; no
    thread may find its connection closed by another (the error a per-thread pool gave)."""
    import threading

    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(dagster_yaml(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = dg.DagsterInstance.from_config(str(home))
    errors = []

    def work(n: int) -> None:
        try:
            for _ in range(20):
                instance.get_runs(limit=1)
                instance.event_log_storage.get_asset_keys()
        except Exception as exc:  # any failure in any thread fails the test below
            errors.append(f"thread {n}: {exc!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    instance.dispose()
    assert errors == []


def test_a_new_home_gets_empty_wal_files_that_dagster_then_fills(tmp_path, monkeypatch):
    home = tmp_path / "home"

    def inspect(path):
        connection = sqlite3.connect(path)
        try:
            mode = connection.execute("pragma journal_mode").fetchone()[0]
            tables = {name for (name,) in connection.execute("select name from sqlite_master where type = 'table'")}
        finally:
            connection.close()
        return mode, tables

    create_wal_files(home)
    assert {relative: inspect(home / relative) for relative in SQLITE_FILES} == {
        relative: ("wal", set()) for relative in SQLITE_FILES}
    # A file that exists (an older home) is left as it is.
    older = tmp_path / "older"
    (older / "schedules").mkdir(parents=True)
    connection = sqlite3.connect(older / "schedules" / "schedules.db")
    connection.execute("create table kept (x int)")
    connection.close()
    create_wal_files(older)
    assert inspect(older / "schedules" / "schedules.db") == ("delete", {"kept"})
    assert inspect(older / "history" / "runs.db") == ("wal", set())

    instance, result = _run(home, True, monkeypatch)
    assert result.success
    assert [run.run_id for run in instance.get_runs()] == [result.run_id]
    assert "runs" in inspect(home / "history" / "runs.db")[1]
    assert "event_logs" in inspect(home / "history" / "runs" / "index.db")[1]
    # The index was initialized by Dagster itself, secondary indexes marked as built (the
    # writer pool's concurrency slots need them).
    assert instance.event_log_storage.has_secondary_index("asset_key_table")
