"""The Dagster tests that depend on where Dagster keeps its runs, events and schedules, each run
on the default SQLite files and on a real PostgreSQL server (ARENA_DAGSTER_PG_URL, the
`dagster_storage` fixture; skipped, with the reason, where no server can run): a backfill and an
update through the CLI, the pool holding three concurrent runs to one writer, the housekeeping
sensor's tick. The run killed with SIGKILL is in tests/test_cli_faults.py, the webserver, daemon
and code location as three processes in tests/test_dagster_processes.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

from arena_pipeline.cli import _prepare_dagster_home, main
from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.defs.sensors import pool_housekeeping
from arena_pipeline.settings import load_settings
from arena_pipeline.warehouse.event_storage import (
    PG_URL_ENV,
    BatchingSqliteEventLogStorage,
    PooledSqliteRunStorage,
)
from tests.cli_fixtures import HANG_GUARD_SECONDS
from tests.conftest import RELEASES


@pytest.fixture
def home(tmp_path, monkeypatch, dagster_storage):
    """The CLI's settings in tmp_path, on the storage of `dagster_storage` (environment only)."""
    paths = {"ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(tmp_path / "arena.duckdb"),
             "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
             "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    for name, value in (paths | dagster_storage).items():
        monkeypatch.setenv(name, value)  # the CLI exports them; monkeypatch restores them
    if not dagster_storage:
        monkeypatch.delenv(PG_URL_ENV, raising=False)
    return tmp_path / "dagster_home"


def _on_postgres(instance: dg.DagsterInstance) -> bool:
    storages = (type(instance.run_storage), type(instance.event_log_storage))
    if storages == (PostgresRunStorage, PostgresEventLogStorage):
        return True
    assert storages == (PooledSqliteRunStorage, BatchingSqliteEventLogStorage)
    return False


def test_backfill_then_update(home, dagster_storage):
    assert main(["backfill", "--start", "2025-07-26", "--end", "2025-07-28"]) == 0
    assert main(["update"]) == 0  # the local source's newest day (2025-09-02) and the two before

    config = (home / "dagster.yaml").read_text()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert _on_postgres(instance) is bool(dagster_storage)
        runs = instance.get_runs()
        assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
        # Per-day history, as the UI reads it: one materialization per partition and run.
        days = sorted(instance.get_materialized_partitions(dg.AssetKey("leaderboard_entries")))
        assert days == ["2025-07-26", "2025-07-27", "2025-07-28", "2025-08-31", "2025-09-01", "2025-09-02"]
        assert len(instance.fetch_materializations(dg.AssetKey("leaderboard_entries"), limit=100).records) == 6
    if dagster_storage:
        url = dagster_storage[PG_URL_ENV]
        password = url.split(":")[2].split("@")[0]
        assert password not in config and f"env: {PG_URL_ENV}" in config
        assert not (home / "history").exists()  # no SQLite run storage beside it
        import psycopg2

        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute("select count(*) from runs")
            assert cursor.fetchone() == (2,)
    with duckdb.connect(str(home.parent / "arena.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(distinct snapshot_date) from snapshots").fetchone() == (6,)


def test_the_pool_holds_three_concurrent_runs_to_one_writer(home, dagster_storage):
    """Three processes start a run at once (tests/pool_runs.py), each with two steps in the
    DuckDB pool that write the real file: the slots the storage hands out let one step at a time
    write; the others wait ("blocked by limit for pool"), then succeed.

    (Three concurrent `refresh` runs through the CLI failed when this was written (2026-12-07),
    whatever the storage: a run keeps the file open between its steps, so another run's step
    waits on the file while holding the slot; issue 18.5 is about that.)"""
    settings = load_settings()
    _prepare_dagster_home(settings)  # the CLI's dagster.yaml: every pool limited to one
    with dg.DagsterInstance.get() as instance:
        # As a new instance's first run does (README "Running it for a team", step 3): the
        # storage's tables and the pool's limit row exist before the three runs race. On
        # PostgreSQL, runs that insert that row at the same moment fail (Dagster 1.13.27 catches
        # the duplicate key and carries on in the transaction PostgreSQL has aborted).
        assert instance.event_log_storage.initialize_concurrency_limit_to_default(DUCKDB_WRITER_POOL)
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    runs = [subprocess.Popen([sys.executable, "-m", "tests.pool_runs", str(settings.db_path)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=HANG_GUARD_SECONDS) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err[-2000:] for _, err in outputs]
    steps = sorted((json.loads(line) for out, _ in outputs for line in out.splitlines()),
                   key=lambda step: step["start"])
    assert len(steps) == 6 and len({step["run_id"] for step in steps}) == 3
    for before, after in zip(steps, steps[1:], strict=False):
        assert before["end"] <= after["start"], (before, after)  # one writer at a time
    with dg.DagsterInstance.get() as instance:
        assert _on_postgres(instance) is bool(dagster_storage)
        waited = {record.run_id for step in steps for record in instance.all_logs(step["run_id"])
                  if "blocked by limit for pool" in (record.message or "")}
        assert waited, "no run waited for the pool"
        assert instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL).active_slot_count == 0
    with duckdb.connect(str(settings.db_path), read_only=True) as conn:
        assert conn.execute("select count(*), count(distinct run_id) from writes").fetchone() == (6, 3)


def test_the_housekeeping_sensor_tick_gives_back_a_killed_runs_slot(home, dagster_storage):
    """The sensor the daemon ticks every minute, against the CLI's instance: a run whose process
    is gone is marked failed and its DuckDB slot freed."""
    from arena_pipeline.warehouse.stale_runs import RUN_PID_TAG

    settings = load_settings()
    _prepare_dagster_home(settings)
    gone = subprocess.Popen(["true"])
    gone.wait()
    job = dg.Definitions(assets=[dg.asset(name="a")(lambda: None)],
                         jobs=[dg.define_asset_job("j")]).resolve_job_def("j")
    with dg.DagsterInstance.get() as instance:
        assert _on_postgres(instance) is bool(dagster_storage)
        storage = instance.event_log_storage
        storage.set_concurrency_slots(DUCKDB_WRITER_POOL, 1)
        killed = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                             tags={RUN_PID_TAG: str(gone.pid)})
        assert storage.claim_concurrency_slot(DUCKDB_WRITER_POOL, killed.run_id, "step").is_claimed
        result = pool_housekeeping(dg.build_sensor_context(instance=instance))
        assert f"run {killed.run_id} was left STARTED by process {gone.pid}" in result.skip_message
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
        assert storage.get_concurrency_info(DUCKDB_WRITER_POOL).active_slot_count == 0
        assert isinstance(pool_housekeeping(dg.build_sensor_context(instance=instance)), dg.SkipReason)


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path, monkeypatch, capsys):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(PG_URL_ENV, f"postgresql://arena:s3cret-pw@127.0.0.1:{port}/dagster")
    code = main(["--source", str(RELEASES), "--db", str(tmp_path / "a.duckdb"),
                 "--dagster-home", str(tmp_path / "home"), "update"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("arena-pipeline: Dagster's PostgreSQL storage (ARENA_DAGSTER_PG_URL) is not "
                          f"reachable: connection to server at \"127.0.0.1\", port {port} failed")
    assert len(err.splitlines()) == 1 and "s3cret" not in err
    assert not (tmp_path / "a.duckdb").exists()


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://u:pw@h/db", "must start with postgresql://"),
    ("postgresql://u:pw@h", "needs a host and a database"),
])
def test_a_bad_url_is_refused_without_its_password(tmp_path, monkeypatch, capsys, url, message):
    monkeypatch.setenv(PG_URL_ENV, url)
    assert main(["--source", str(RELEASES), "--dagster-home", str(tmp_path), "update"]) == 2
    err = capsys.readouterr().err
    assert message in err and ":pw@" not in err and ":***@" in err


def test_the_cli_switches_the_dagster_yaml_it_wrote_and_keeps_a_hand_edited_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ARENA_SOURCE", str(RELEASES))
    monkeypatch.delenv(PG_URL_ENV, raising=False)
    config = tmp_path / "home" / "dagster.yaml"
    _prepare_dagster_home(load_settings())
    assert "BatchingSqliteEventLogStorage" in config.read_text()

    # Switching profiles rewrites the file the CLI wrote (no server needed to write it: the
    # reachability check comes after, and fails here with one line).
    monkeypatch.setenv(PG_URL_ENV, "postgresql://u:pw@127.0.0.1:1/dagster")
    with pytest.raises(Exception, match="not reachable"):
        _prepare_dagster_home(load_settings())
    assert f"env: {PG_URL_ENV}" in config.read_text() and "pw" not in config.read_text()
    monkeypatch.delenv(PG_URL_ENV)
    _prepare_dagster_home(load_settings())
    assert "BatchingSqliteEventLogStorage" in config.read_text()

    config.write_text(config.read_text() + "run_monitoring:\n  enabled: true\n")  # by hand
    monkeypatch.setenv(PG_URL_ENV, "postgresql://u:pw@127.0.0.1:1/dagster")
    assert main(["update"]) == 2
    assert "run_monitoring" in config.read_text()
    monkeypatch.delenv(PG_URL_ENV)
    _prepare_dagster_home(load_settings())
    assert "run_monitoring" in config.read_text()  # kept
