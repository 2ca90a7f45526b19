"""Fault cases of the command line, each over real subprocesses and a real DuckDB file.

Every case asserts the exit code, the one line the user reads, and that the data is intact.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.cli import _first_failure
from arena_pipeline.defs.resources import WarehouseResource
from arena_pipeline.warehouse.event_storage import PG_URL_ENV, psycopg2_url
from tests.cli_fixtures import (
    CLI,
    ENDLESS_QUERY,
    HANG_GUARD_SECONDS,
    cli_command,
    cli_env,
    fingerprint,
    run_cli,
    start_cli,
    tree,
    wait_until_locked,
)


def runs(root, env: dict[str, str] | None = None) -> list:
    """The runs of root's DAGSTER_HOME; `env` is the `dagster_storage` fixture's (its dagster.yaml
    reads ARENA_DAGSTER_PG_URL from the environment, with psycopg2 named as the CLI does)."""
    home = root / "dagster_home"
    if not home.exists():
        return []
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, psycopg2_url(value) if name == PG_URL_ENV else value)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            return instance.get_runs()


def holder_pattern(pid: int, command_start: str) -> str:
    """What the messages say about the process holding the database."""
    return rf"in use by PID {pid} \({re.escape(command_start)}.*\)"


def stop_with_ctrl_c(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=HANG_GUARD_SECONDS)
    return process.returncode, stderr


def test_writer_and_reader_beside_a_long_sql_query(workspace):
    db = workspace / "arena.duckdb"
    before = fingerprint(db)
    query = start_cli(workspace, "sql", "--timeout", "600", ENDLESS_QUERY)
    try:
        wait_until_locked(db, query)

        # A writer waits --lock-wait seconds, saying so once, then stops with one line naming
        # the query's process; no Dagster run is created.
        writer = run_cli(workspace, "--lock-wait", "1", "update")
        assert writer.returncode == 75
        lines = writer.stderr.splitlines()
        assert len(lines) == 2, writer.stderr
        assert re.fullmatch(rf"arena-pipeline: waiting up to 1 s for the database {re.escape(str(db))}, "
                            + holder_pattern(query.pid, "arena-pipeline --source"), lines[0])
        assert re.fullmatch(rf"arena-pipeline: the database {re.escape(str(db))} is "
                            + holder_pattern(query.pid, "arena-pipeline --source")
                            + r"; gave up after 1 s \(--lock-wait\)", lines[1])
        assert "sql --timeout 600" in lines[1]
        assert runs(workspace) == []

        # Another reader shares the file with the query: it answers at once.
        reader = run_cli(workspace, "sql", "--format", "csv", "select count(*) as n from snapshots")
        assert (reader.returncode, reader.stdout, reader.stderr) == (0, "n\n7\n", "")
    finally:
        code, stderr = stop_with_ctrl_c(query)
    # Ctrl-C stops the query cleanly: one line, exit 130, and the file is free again.
    assert (code, stderr) == (130, "arena-pipeline: sql: interrupted (Ctrl-C)\n")
    duckdb.connect(str(db)).close()
    assert fingerprint(db) == before


def test_ctrl_c_stops_every_kind_of_query_cleanly(workspace):
    db = workspace / "arena.duckdb"
    for query in (ENDLESS_QUERY,
                  "select sum(a.i * b.i) from range(1000000) a(i), range(1000000) b(i)",
                  "select i, random() as r from range(1000000000) t(i) order by r"):
        process = start_cli(workspace, "sql", "--timeout", "600", "--memory-limit", "4GB", query)
        wait_until_locked(db, process)
        time.sleep(0.5)  # let it get into the heavy part
        assert stop_with_ctrl_c(process) == (130, "arena-pipeline: sql: interrupted (Ctrl-C)\n")
        duckdb.connect(str(db)).close()


def test_readers_wait_for_a_writer_then_say_so_in_one_line(workspace):
    db = workspace / "arena.duckdb"
    before = fingerprint(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "c.execute('begin'); time.sleep(600)", str(db)],
    )
    try:
        wait_until_locked(db, holder)
        for args in (("sql", "select 1"), ("report",)):
            result = run_cli(workspace, "--lock-wait", "0", *args)
            assert result.returncode == 75, result.stderr
            assert re.fullmatch(rf"arena-pipeline: the database {re.escape(str(db))} is "
                                + holder_pattern(holder.pid, "python -c 'import duckdb")
                                + r"; gave up after 0 s \(--lock-wait\)\n", result.stderr)
        assert not (workspace / "reports").exists()

        # Inside a Dagster run the same wait ends the step with the same one line.
        resource = WarehouseResource(database=str(db), lock_wait_seconds=0.2)
        with pytest.raises(dg.Failure) as failure, resource.get_connection():
            pass
        assert re.fullmatch(rf"the database {re.escape(str(db))} is "
                            + holder_pattern(holder.pid, "python -c")
                            + r"; gave up after 0.2 s \(--lock-wait\)", failure.value.description)

        # ... and the CLI's last line names the step and that line.
        @dg.asset
        def touch(duckdb: WarehouseResource) -> None:
            with duckdb.get_connection():
                pass

        result = dg.materialize([touch], resources={"duckdb": resource}, raise_on_error=False)
        assert not result.success
        assert re.fullmatch(rf" at touch: the database {re.escape(str(db))} is "
                            + holder_pattern(holder.pid, "python -c")
                            + r"; gave up after 0.2 s \(--lock-wait\)", _first_failure(result))
    finally:
        holder.kill()
        holder.wait()
    assert fingerprint(db) == before


def test_a_step_holds_the_database_only_while_it_runs(tmp_path):
    """The file is held exactly while a step holds its slot of the writer pool: within the step's
    block, not between steps (another run's step may take it there, see the pool test below)."""
    db = tmp_path / "arena.duckdb"
    resource = WarehouseResource(database=str(db), lock_wait_seconds=0.2)
    other_process = [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()", str(db)]

    @dg.asset
    def first(duckdb: WarehouseResource) -> None:
        with duckdb.get_connection() as conn:
            conn.execute("create table seen (step varchar)")
            conn.execute("insert into seen values ('first')")
            held = subprocess.run(other_process, capture_output=True, text=True)
            assert "Could not set lock" in held.stderr

    @dg.asset(deps=[first])
    def second(duckdb: WarehouseResource) -> None:
        # Between the steps the file is free, with the first step's writes in it.
        free = subprocess.run(other_process, capture_output=True, text=True)
        assert free.returncode == 0, free.stderr
        with duckdb.get_connection() as conn:
            conn.execute("insert into seen select 'second' from seen where step = 'first'")

    assert dg.materialize([first, second], resources={"duckdb": resource}).success
    rows = subprocess.run([sys.executable, "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1])"
                           ".execute('select step from seen order by step').fetchall())", str(db)],
                          capture_output=True, text=True, check=True)
    assert rows.stdout.strip() == "[('first',), ('second',)]"


def test_sql_timeout_memory_limit_and_sandbox(workspace):
    db = workspace / "arena.duckdb"
    before = fingerprint(db)
    beside = sorted(os.listdir(workspace))
    cases = [
        (["--timeout", "1", ENDLESS_QUERY], 1, "arena-pipeline: sql: stopped after 1 s (--timeout)"),
        (["--memory-limit", "64MB", "select list(i) from range(100000000) t(i)"], 1,
         "arena-pipeline: sql: Out of Memory Error: "),
        (["--timeout", "99999", "select 1"], 2, "argument --timeout: '99999' is outside 0 .. 3600 seconds"),
        (["--memory-limit", "1PB", "select 1"], 2, "argument --memory-limit: '1PB' is not a memory size"),
        (["--memory-limit", "100TB", "select 1"], 2, "is outside 16MiB .. "),
        (["delete from snapshots"], 1, "arena-pipeline: sql: Invalid Input Error: Cannot execute "
                                       'statement of type "DELETE" on database "arena" which is '
                                       "attached in read-only mode!"),
        (["set memory_limit = '20GB'"], 1, "arena-pipeline: sql: Invalid Input Error: Cannot "
                                           "change configuration option"),
        ([f"copy snapshots to '{workspace}/out.csv'"], 1, "arena-pipeline: sql: Permission Error: "),
        (["selec 1"], 1, 'arena-pipeline: sql: Parser Error: syntax error at or near "selec"'),
    ]
    for args, code, message in cases:
        result = run_cli(workspace, "sql", *args)
        assert result.returncode == code, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        if code == 1:
            assert len(result.stderr.splitlines()) == 1, result.stderr
    assert fingerprint(db) == before
    # Nothing was written beside the database (no spill folder, no WAL, no output file).
    assert sorted(os.listdir(workspace)) == beside


def test_read_only_commands_check_only_what_they_use(workspace):
    # Settings that would stop a writer (no such source, a Dagster home under a file) do not
    # concern `sql` and `report`.
    args = ["--source", "/no/such/folder", "--dagster-home", "/etc/hostname/sub"]
    result = run_cli(workspace, *args, "sql", "--format", "csv", "select count(*) as n from snapshots")
    assert (result.returncode, result.stdout) == (0, "n\n7\n"), result.stderr
    result = run_cli(workspace, *args, "report")
    assert result.returncode == 0, result.stderr
    result = run_cli(workspace, *args, "update")
    assert result.returncode == 2
    assert result.stderr == ("arena-pipeline: ARENA_SOURCE '/no/such/folder': no such folder "
                             "(/no/such/folder)\n")


def test_dates_after_today_are_refused_before_any_work(workspace):
    db = workspace / "arena.duckdb"
    before = fingerprint(db)
    today = dt_today()
    for args, option in ((["backfill", "--end", "2999-01-01"], "--end"),
                         (["backfill", "--start", "2999-01-01"], "--start"),
                         (["report", "--date", "2999-01-01"], "--date")):
        result = run_cli(workspace, *args)
        assert result.returncode == 2
        assert result.stderr == (f"arena-pipeline: {option} 2999-01-01 is after today "
                                 f"({today}, UTC)\n")
    assert fingerprint(db) == before
    assert runs(workspace) == [] and not (workspace / "reports").exists()


@pytest.mark.parametrize("args, env, expected", [
    (["--source", "http://[::1", "update"], {},
     "ARENA_SOURCE 'http://[::1': not a usable URL (Invalid IPv6 URL)"),
    (["--source", "http://127.0.0.1:99999/x", "update"], {},
     "ARENA_SOURCE 'http://127.0.0.1:99999/x': not a usable URL (Port out of range 0-65535)"),
    (["--dataset-source", "https://huggingface.co:abc/x", "dataset"], {},
     "ARENA_DATASET_SOURCE 'https://huggingface.co:abc/x': not a usable URL (Port could not be cast to "
     "integer value as 'abc')"),
    (["report"], {"ARENA_SITE_URL": "http://[::1"}, "ARENA_SITE_URL 'http://[::1': not a usable URL (Invalid IPv6 URL)"),
    (["update"], {PG_URL_ENV: "postgresql://arena:secret@[::1/dagster"},
     "ARENA_DAGSTER_PG_URL 'postgresql://arena:***@[::1/dagster': not a usable URL (Invalid IPv6 URL)"),
    (["update"], {"ARENA_STALE_DATA_DAYS": "abc"}, "ARENA_STALE_DATA_DAYS must be a whole number of days >= 1, got 'abc'"),
    (["report"], {"ARENA_STALE_DATA_DAYS": "²"}, "ARENA_STALE_DATA_DAYS must be a whole number of days >= 1, got '²'"),
])
def test_a_setting_python_cannot_take_apart_is_refused_before_any_work(workspace, args, env, expected):
    """A URL urlparse cannot split (an unclosed '[', a port that is no port) and a stale-data limit
    that is not a number: before, a ValueError ('stopped by an unexpected error', exit 1) or, for
    the limit, a run that ingested and then failed at its checks. Now a bad setting like any other:
    one line, exit 2, nothing written, no run (and no password shown)."""
    db = workspace / "arena.duckdb"
    before = fingerprint(db)
    result = run_cli(workspace, *args, env=env)
    assert (result.returncode, result.stderr) == (2, f"arena-pipeline: {expected}\n")
    assert "secret" not in result.stderr
    assert fingerprint(db) == before
    assert runs(workspace) == [] and not (workspace / "reports").exists()


def dt_today():
    import datetime as dt

    return dt.datetime.now(dt.UTC).date()


def test_a_report_for_an_older_day_goes_to_its_own_folder(workspace):
    reports = workspace / "reports"
    assert run_cli(workspace, "report", "--now", "2025-07-29T12:00:00+00:00").returncode == 0
    live = tree(reports)
    assert "leaderboard_zh_vision.md" in live and "trends/2025-07-28.md" in live

    result = run_cli(workspace, "report", "--date", "2025-07-26", "--now", "2025-07-29T12:00:00+00:00")
    assert result.returncode == 0, result.stderr
    assert f"in {reports / 'as-of' / '2025-07-26'} (" in result.stdout
    after = tree(reports)
    assert {k: v for k, v in after.items() if not k.startswith("as-of/")} == live
    as_of = {k.removeprefix("as-of/2025-07-26/") for k in after if k.startswith("as-of/")}
    assert "leaderboard_zh.md" in as_of and "leaderboard_zh_vision.md" not in as_of
    assert "trends/2025-07-27.md" not in as_of

    # --reports-dir says where, as it is: the older pages go there and the newer ones go away.
    result = run_cli(workspace, "--reports-dir", str(reports), "report", "--date", "2025-07-26")
    assert result.returncode == 0, result.stderr
    files = tree(reports)
    assert "leaderboard_zh_vision.md" not in files and "trends/2025-07-28.md" not in files
    assert "trends/vision/weekly.md" not in files
    assert any(k.startswith("as-of/2025-07-26/") for k in files)  # not a page of this build


@pytest.mark.slow
def test_killed_run_is_marked_failed_on_the_next_start(workspace, dagster_storage):
    """On Dagster's SQLite files and on PostgreSQL (the `dagster_storage` fixture)."""
    db = workspace / "arena.duckdb"
    backfill = start_cli(workspace, "backfill", "--start", "2024-07-07", "--end", "2025-07-28",
                         env=dagster_storage)
    try:
        # The run's first progress line says it has started. (Polling the run storage instead
        # would race the CLI creating it.)
        for line in backfill.stdout:
            if re.match(r"\d\d:\d\d:\d\d leaderboard_entries: ", line):
                break
        else:
            raise AssertionError(f"the backfill ended before its run started: {backfill.wait()}")
    finally:
        backfill.kill()
        backfill.wait()
    [killed] = runs(workspace, dagster_storage)
    assert killed.status == dg.DagsterRunStatus.STARTED

    result = run_cli(workspace, "backfill", "--start", "2025-07-28", "--end", "2025-07-28",
                     env=dagster_storage)
    assert result.returncode == 0, result.stderr
    # Its pool slot is given back too, or this run would wait for it for ever.
    assert (f"arena-pipeline: run {killed.run_id} was left STARTED by process {backfill.pid}, "
            "which is gone; marked failed\n"
            f"arena-pipeline: freed the pool slots held by run {killed.run_id}, which has ended\n"
            ) in result.stderr
    statuses = {run.run_id: run.status for run in runs(workspace, dagster_storage)}
    assert statuses.pop(killed.run_id) == dg.DagsterRunStatus.FAILURE
    assert list(statuses.values()) == [dg.DagsterRunStatus.SUCCESS]
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("select count(*) from snapshots where snapshot_date = '2025-07-28'"
                            ).fetchone() == (3,)


def test_a_live_run_is_left_alone(tmp_path):
    from arena_pipeline.warehouse.stale_runs import RUN_PID_TAG, fail_runs_whose_process_is_gone

    gone = subprocess.Popen(["true"])
    gone.wait()
    job = dg.Definitions(assets=[dg.asset(name="a")(lambda: None)],
                         jobs=[dg.define_asset_job("j")]).resolve_job_def("j")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        dead = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                           tags={RUN_PID_TAG: str(gone.pid)})
        alive = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                            tags={RUN_PID_TAG: str(os.getpid())})
        lines = fail_runs_whose_process_is_gone(instance)
        assert lines == [f"run {dead.run_id} was left STARTED by process {gone.pid}, which is "
                         "gone; marked failed"]
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED


def _processes_in_group(pgid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return found


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
def test_dev_runs_dagster_with_this_python_and_ctrl_c_stops_all_of_it(workspace):
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dev = start_cli(workspace, "dev", "--port", str(port))
    try:
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while True:
            assert dev.poll() is None and time.monotonic() < deadline, dev.communicate()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5) as answer:
                    assert "dagster_webserver_version" in answer.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        [dagster] = _children(dev.pid)
        cmdline = Path(f"/proc/{dagster}/cmdline").read_bytes().split(b"\0")
        # The CLI's own interpreter (python or python3 of the same venv: one binary).
        assert Path(cmdline[0].decode()).resolve() == Path(sys.executable).resolve()
        assert cmdline[1:4] == [b"-m", b"dagster", b"dev"]
        assert os.getpgid(dagster) == dagster  # its own process group
        assert len(_processes_in_group(dagster)) >= 3  # dagster dev, webserver, daemon, code server
    finally:
        code, _ = stop_with_ctrl_c(dev)
    assert code == 130
    assert _processes_in_group(dagster) == []


def _another_programs_database(path: Path) -> None:
    with duckdb.connect(str(path)) as conn:  # a table name of ours, other columns
        conn.execute("create table snapshots (id integer, payload varchar)")
        conn.execute("insert into snapshots values (1, 'theirs')")


def _cut_short(path: Path) -> None:
    """Our database without its last blocks of data: DuckDB still opens it (the catalog survived)
    and would write into it."""
    content = path.read_bytes()
    with duckdb.connect(str(path), read_only=True) as conn:
        block_size = conn.execute("select block_size from pragma_database_size()").fetchone()[0]
    path.write_bytes(content[: len(content) - 8 * block_size])


def _damaged_block(path: Path) -> None:
    """Our database with bytes overwritten inside the block that holds arena_pipeline_meta: DuckDB
    opens it and fails the block's checksum when it reads it (before: 'stopped by an unexpected
    error: Error: Corrupt database file …', exit 1, or for `sql` the same as a query's error)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        block_size = conn.execute("select block_size from pragma_database_size()").fetchone()[0]
        block, offset = conn.execute("select block_id, block_offset from pragma_storage_info('arena_pipeline_meta') "
                                     "where block_id >= 0 limit 1").fetchone()
    with path.open("r+b") as file:
        file.seek(3 * 4096 + block * block_size + 8 + offset)  # past the three header blocks and its checksum
        file.write(bytes(64))


NOT_OURS = {
    "fifo": (lambda path: os.mkfifo(path), "ARENA_DB '{db}' is a FIFO, not a DuckDB file; refused, nothing written"),
    "random_bytes": (lambda path: path.write_bytes(bytes(range(256)) * 400),
                     "ARENA_DB '{db}' is not a DuckDB database (it starts with b'\\x00\\x01\\x02\\x03\\x04\\x05"
                     "\\x06\\x07\\x08\\t\\n\\x0b'); refused, nothing written"),
    "another_programs_duckdb": (_another_programs_database,
                                "{db} is not a database of arena_pipeline (its tables: snapshots); refused, "
                                "nothing written. Point ARENA_DB at another file"),
    "cut_short": (_cut_short, "{db} is damaged: its data reaches block "),
    "damaged_block": (_damaged_block, "{db} is damaged (Corrupt database file: computed checksum "),
}


@pytest.mark.parametrize("name", list(NOT_OURS))
def test_a_file_that_is_not_our_database_is_refused_before_anything_is_written(workspace, name):
    """Every command, before any work: one line naming the file, exit 2, the file's bytes as they
    were (a FIFO would hang DuckDB's open for ever: it is never opened), no Dagster run."""
    make, expected = NOT_OURS[name]
    db = workspace / "arena.duckdb"
    if name not in ("cut_short", "damaged_block"):
        db.unlink()
    make(db)
    before = None if name == "fifo" else db.read_bytes()
    for args in (["update"], ["dataset"], ["sql", "select 1"], ["report"]):
        result = run_cli(workspace, *args)
        assert result.returncode == 2, (args, result.stderr)
        line = result.stderr.strip()
        assert "\n" not in line and line.startswith("arena-pipeline: " + expected.format(db=db)), (args, line)
        if before is not None:
            assert db.read_bytes() == before
    assert not Path(f"{db}.wal").exists() and runs(workspace) == []


def _stamp(db: Path, version: str) -> None:
    with duckdb.connect(str(db)) as conn:
        conn.execute("update arena_pipeline_meta set value = ? where key = 'schema_version'", [version])


def test_a_newer_database_is_refused_and_an_older_one_is_migrated(workspace):
    from arena_pipeline.warehouse.schema import SCHEMA_VERSION

    db = workspace / "arena.duckdb"
    with duckdb.connect(str(db), read_only=True) as conn:  # the backfill stamped it
        assert dict(conn.execute("select * from arena_pipeline_meta where key <> 'analytics_mark'").fetchall()) == {
            "schema_version": str(SCHEMA_VERSION), "written_by": "arena_pipeline 0.1.0"}
    _stamp(db, str(SCHEMA_VERSION + 1))
    before = db.read_bytes()
    for args in (["update"], ["sql", "select 1"], ["report"]):
        result = run_cli(workspace, *args)
        assert (result.returncode, result.stderr) == (2, (
            f"arena-pipeline: {db} was written by a newer arena_pipeline (database schema {SCHEMA_VERSION + 1}, "
            f"this version knows up to {SCHEMA_VERSION}); refused, nothing written. Upgrade arena_pipeline, or "
            "point ARENA_DB at another file\n")), args
    assert db.read_bytes() == before and runs(workspace) == []
    # A database of a version from before the stamp: migrated (stamped) by the next writer.
    with duckdb.connect(str(db)) as conn:
        conn.execute("drop table arena_pipeline_meta")
    result = run_cli(workspace, "backfill", "--start", "2025-07-28", "--end", "2025-07-28")
    assert result.returncode == 0, result.stderr[-3000:]
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("select value from arena_pipeline_meta where key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)


def test_a_database_an_older_version_wrote_to_after_this_one_recovers(workspace):
    """An older version knows nothing of the stamp: it writes to the database anyway and recreates
    the analytics tables with its own columns (here: those of the release before board columns,
    what c8de05d does; with that commit, the next `update` failed at analytics_checks). The next
    run sees other tables than its last refresh left, computes every board anew, and `report`
    works again."""
    db = workspace / "arena.duckdb"
    with duckdb.connect(str(db), read_only=True) as conn:
        versions = conn.execute("select count(*), max(snapshot_date) from data_versions").fetchone()
    with duckdb.connect(str(db)) as conn:
        for table in ("data_versions", "model_versions", "rank_movements", "model_events"):
            conn.execute(f"create or replace table {table} as "  # noqa: S608
                         f"select * exclude (source, category, style_control) from {table}")
    result = run_cli(workspace, "backfill", "--start", "2025-07-28", "--end", "2025-07-28")
    assert result.returncode == 0, result.stderr[-3000:]
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("select count(*), max(snapshot_date) from data_versions").fetchone() == versions
        assert conn.execute("select count(*) from duckdb_columns() where table_name = 'model_events' "
                            "and column_name = 'source'").fetchone() == (1,)
    result = run_cli(workspace, "report")
    assert result.returncode == 0, result.stderr


HOSTILE_NAME = "Evil\x00\x1b[2J\x1b]0;pwned\x07\u202eelif.exe\uffff\x9b31m\u2066-model"
# What XML 1.0, a Markdown table or a terminal cannot take, and bidi controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def test_a_hostile_model_name_reaches_no_page_feed_chart_or_terminal_raw(tmp_path):
    """A release whose leader is named with NUL, terminal escape sequences, BEL, a bidi
    override, U+FFFF and a C1 control: pages, charts and feeds are well-formed and hold none of
    them (controls dropped, the bidi override and U+FFFF shown as U+FFFD); `sql` prints the name
    with visible escapes in a table and as valid JSON."""
    import json
    import shutil
    import xml.etree.ElementTree as ET

    from tests.conftest import RELEASES

    source = tmp_path / "releases"
    for tag in ("2025.07.26", "2025.07.27", "2025.07.28"):
        shutil.copytree(RELEASES / tag, source / tag)
    text = source / "2025.07.28" / "lmarena_text.csv"
    text.write_bytes(text.read_bytes().replace(b"Gemini-2.5-Pro", HOSTILE_NAME.encode(), 1))
    command = [str(CLI), "--source", str(source), "--db", str(tmp_path / "arena.duckdb"),
               "--dagster-home", str(tmp_path / "dagster_home")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_") and k != "DAGSTER_HOME"}
    env |= {"ARENA_REPORTS_DIR": str(tmp_path / "reports"), "ARENA_DATASET_SOURCE": "off"}
    result = subprocess.run([*command, "backfill", "--start", "2025-07-26", "--end", "2025-07-28"],
                            capture_output=True, text=True, env=env, timeout=HANG_GUARD_SECONDS)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = {path: path.read_text(encoding="utf-8") for path in (tmp_path / "reports").rglob("*") if path.is_file()}
    shown = "Evil[2J]0;pwned\ufffdelif.exe\ufffd31m\ufffd-model"
    assert sum(1 for text in pages.values() if shown in text or "Evil\\[2J\\]0;pwned" in text) >= 3
    for path, text in pages.items():
        assert not FORBIDDEN.search(text), (path, FORBIDDEN.search(text))
        if path.suffix in (".atom", ".svg"):
            ET.fromstring(text.encode())  # well-formed
        if path.suffix == ".json":
            json.loads(text)
    kinds = {path.suffix for path, text in pages.items() if "pwned" in text}
    assert kinds >= {".md", ".svg", ".atom", ".json"}, kinds
    query = "select model, 'nan'::double as nan, 'inf'::double as inf from leaderboard_entries where model like 'Evil%'"
    table = subprocess.run([*command, "sql", query], capture_output=True, text=True, env=env)
    assert table.returncode == 0 and "\x1b" not in table.stdout and "\u202e" not in table.stdout
    assert "Evil\\x00\\x1b[2J\\x1b]0;pwned\\x07\\u202eelif.exe\uffff" in table.stdout
    as_json = subprocess.run([*command, "sql", "--format", "json", query], capture_output=True, text=True, env=env)
    assert json.loads(as_json.stdout) == [{"model": HOSTILE_NAME, "nan": None, "inf": None}]
    interval = subprocess.run([*command, "sql", "select interval '100000000 years' as span"],
                              capture_output=True, text=True, env=env)
    assert (interval.returncode, interval.stderr) == (1, (
        "arena-pipeline: sql: a value of the result cannot be converted for printing (Python int too large to "
        "convert to C int); columns: span INTERVAL. Cast the column to varchar, e.g. cast(x as varchar)\n"))


def test_memory_limit_bounds_the_whole_sql_command(workspace):
    """--memory-limit 64MB: 3 million rows of 100 characters (about 750 MB as Python rows, 330 MB
    of CSV) stream through to the end; a single 2 GB value, which DuckDB builds whatever its own
    limit, ends in one line instead of taking the machine's memory."""
    command = " ".join(f"'{part}'" for part in cli_command(workspace, "sql", "--format", "csv", "--memory-limit", "64MB"))
    streamed = subprocess.run(f"{command} \"select range as i, repeat('x', 100) as s from range(3000000)\" | wc -l",
                              shell=True, capture_output=True, text=True, env=cli_env(workspace),
                              timeout=HANG_GUARD_SECONDS)
    assert (streamed.stdout.strip(), streamed.stderr) == ("3000001", "")
    huge = run_cli(workspace, "sql", "--memory-limit", "64MB", "select repeat('x', 2000000000) as s")
    assert huge.returncode == 1
    assert re.fullmatch(r"arena-pipeline: sql: Out of Memory Error: [^\n]*\n", huge.stderr), huge.stderr


def test_sql_refuses_an_empty_query_and_several_statements_in_one_line(workspace):
    for query in ("", " ", ";", "-- x"):
        result = run_cli(workspace, "sql", query)
        assert (result.returncode, result.stdout) == (2, ""), (query, result.stderr)
        assert result.stderr == ("arena-pipeline: sql: the query is empty (no SQL statement, only "
                                 "blanks, semicolons or comments)\n"), query
    # DuckDB would run both and print the last result only: refused, nothing run.
    result = run_cli(workspace, "sql", "select 1; select 2")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("arena-pipeline: sql: one statement at a time: the query has 2; run each "
                             "with its own `arena-pipeline sql`\n")
    # A trailing semicolon or comment is still one statement.
    result = run_cli(workspace, "sql", "--format", "csv", "select 7 as n; -- the answer")
    assert (result.returncode, result.stdout, result.stderr) == (0, "n\n7\n", "")


def test_sql_into_a_pipe_closed_early_ends_quietly(workspace):
    # `| head -1` closes the pipe after the first line: no BrokenPipeError, exit 0, in every format.
    for output_format in ("table", "csv", "json"):
        command = " ".join(f"'{part}'" for part in cli_command(
            workspace, "sql", "--format", output_format, "--max-rows", "0", "select * from range(200000)"))
        result = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1"],
                                capture_output=True, text=True, env=cli_env(workspace),
                                timeout=HANG_GUARD_SECONDS)
        assert (result.returncode, result.stderr) == (0, ""), (output_format, result.stderr)
        assert len(result.stdout.splitlines()) == 1


def _blocked_at_the_pool(instance, run_id: str) -> bool:
    return any("blocked by limit for pool" in (entry.message or "") for entry in instance.all_logs(run_id))


def test_two_writers_on_one_instance_queue_at_the_pool_not_at_the_file(workspace):
    """`update` + `update` + `dataset` on one DAGSTER_HOME: their steps take turns at the writer
    pool, each holding the file only within its step, so none waits at the DuckDB file (with
    --lock-wait 1, one that did would fail within a second) and all three succeed."""
    from arena_pipeline.cli import _prepare_dagster_home
    from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
    from arena_pipeline.settings import load_settings
    from arena_pipeline.warehouse.stale_runs import RUN_PID_TAG
    from tests.dataset_fixtures import SUBSET_TYPES, write_dataset

    write_dataset(workspace / "dataset")
    home = workspace / "dagster_home"
    _prepare_dagster_home(load_settings({"ARENA_SOURCE": str(workspace), "ARENA_DB": str(workspace / "arena.duckdb"),
                                         "DAGSTER_HOME": str(home)}))
    job = dg.Definitions(assets=[dg.asset(name="holder")(lambda: None)],
                         jobs=[dg.define_asset_job("hold")]).resolve_job_def("hold")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        # A run of this test process holds the pool's one slot, so that the three commands
        # are all under way, each at its first step, before any of them gets the slot.
        holder = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                             tags={RUN_PID_TAG: str(os.getpid())})
        instance.event_log_storage.set_concurrency_slots(DUCKDB_WRITER_POOL, 1)  # dagster.yaml's limit
        assert instance.event_log_storage.claim_concurrency_slot(DUCKDB_WRITER_POOL, holder.run_id,
                                                                 "holder").is_claimed
        commands = [start_cli(workspace, "--lock-wait", "1", "update"),
                    start_cli(workspace, "--lock-wait", "1", "update"),
                    start_cli(workspace, "--lock-wait", "1", "--dataset-source", str(workspace / "dataset"),
                              "dataset", env={"ARENA_DATASET_SUBSETS": ",".join(SUBSET_TYPES)})]
        try:
            deadline = time.monotonic() + HANG_GUARD_SECONDS
            while True:
                assert time.monotonic() < deadline and all(c.poll() is None for c in commands), \
                    [c.communicate() for c in commands if c.poll() is not None]
                waiting = [run for run in instance.get_runs() if run.run_id != holder.run_id]
                if len(waiting) == 3 and all(_blocked_at_the_pool(instance, run.run_id) for run in waiting):
                    break
                time.sleep(0.3)
        finally:
            instance.event_log_storage.free_concurrency_slots_for_run(holder.run_id)
            instance.report_run_failed(holder, "the test let go of the pool")
        outcomes = [(c.wait(timeout=HANG_GUARD_SECONDS), c.stdout.read(), c.stderr.read()) for c in commands]
        for code, stdout, stderr in outcomes:
            assert code == 0, stdout + stderr
            assert "in use by" not in stdout + stderr
        statuses = {run.job_name: run.status for run in instance.get_runs() if run.run_id != holder.run_id}
        assert [run.status for run in instance.get_runs() if run.run_id != holder.run_id] == \
            [dg.DagsterRunStatus.SUCCESS] * 3, statuses


def test_an_unexpected_error_is_one_line_naming_a_file_with_the_traceback(workspace):
    """What the pipeline cannot foresee (a folder where a page should be) still ends in one line
    and exit 1; the traceback is in the file the line names, and the database is as it was. (A
    dagster.yaml Dagster cannot load, a damaged runs.db and a full disk have lines of their own:
    tests/test_storage_faults.py.)"""
    db = workspace / "arena.duckdb"
    before = db.read_bytes()
    (workspace / "reports" / "leaderboard_zh.md").mkdir(parents=True)
    result = run_cli(workspace, "report")
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("arena-pipeline: stopped by an unexpected error: IsADirectoryError: "), line
    traceback_file = Path(line.rsplit("(the traceback is in ", 1)[1].removesuffix(")"))
    assert traceback_file.read_text().startswith("Traceback (most recent call last)")
    traceback_file.unlink()
    assert db.read_bytes() == before


@pytest.mark.parametrize("now", ["9999-12-31T23:59:59+00:00", "9999-12-31", "0001-01-01T00:00:00+14:00"])
def test_report_now_at_the_calendars_edge_is_a_bad_argument(workspace, now):
    result = run_cli(workspace, "report", "--now", now)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"arena-pipeline [GLOBAL OPTIONS] report: error: argument --now: '{now}' is too close to the edge of the calendar "
        "(years 1 and 9999)")
    assert not (workspace / "reports").exists()
