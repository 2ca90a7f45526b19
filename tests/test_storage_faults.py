"""The files underneath the pipeline failing: a real full disk at the database, the reports
folder and DAGSTER_HOME (a size-limited tmpfs, tests/full_disk.py), a folder name that is not
UTF-8, a dagster.yaml Dagster cannot load, a damaged runs.db.

Each case runs the command as a subprocess on a real DuckDB file and a real Dagster home and
asserts the exit code, the one line on the terminal (no traceback), that the earlier data and
pages are intact, and that doing what the line says recovers.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest

from arena_pipeline.cli import DAGSTER_CONCURRENCY
from arena_pipeline.warehouse.event_storage import PG_URL_ENV
from tests.cli_fixtures import HANG_GUARD_SECONDS, fingerprint, run_cli, start_cli, tree
from tests.full_disk import fill, small_disk

NEW_DAY = "2025-07-29"  # the day after the workspace's last one: a run that writes


def only_line(result) -> str:
    """The command's one line on stderr; nothing on either stream looks like a traceback."""
    assert "Traceback" not in result.stdout + result.stderr
    assert "Logging error" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def traceback_file(line: str, marker: str = "(the traceback is in ") -> Path:
    path = Path(line.rsplit(marker, 1)[1].split(")")[0])
    assert path.read_text().strip(), path
    return path


def runs(home: Path) -> list[dg.DagsterRun]:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return instance.get_runs()


def test_a_full_disk_at_the_database_keeps_its_data_and_says_where(workspace):
    with small_disk(workspace / "disk", "16m") as disk:
        db = disk / "arena.duckdb"
        shutil.copyfile(workspace / "arena.duckdb", db)
        before = fingerprint(db)
        filler = fill(disk)
        result = run_cli(workspace, "--db", str(db), "backfill", "--start", NEW_DAY, "--end", NEW_DAY)
        assert result.returncode == 1, result.stderr
        line = only_line(result)
        assert line.startswith("arena-pipeline: run "), line
        assert f" failed at leaderboard_entries: the disk holding {disk} (ARENA_DB) is full (No space left " \
               "on device); the database keeps what it held before the write that failed (a failed write " \
               "is undone). Free some space there and run the command again. Full log: " in line, line
        assert Path(line.rsplit("Full log: ", 1)[1]).read_text().count("No space left on device")
        assert fingerprint(db) == before
        filler.unlink()
        result = run_cli(workspace, "--db", str(db), "backfill", "--start", NEW_DAY, "--end", NEW_DAY)
        assert result.returncode == 0, result.stderr
        assert fingerprint(db)[2][0] == before[2][0] + 3  # the day's three arenas


def test_a_full_disk_at_the_reports_folder_keeps_every_page_whole(workspace):
    reports = workspace / "reports"  # ARENA_REPORTS_DIR of run_cli
    with small_disk(reports, "2m"):
        assert run_cli(workspace, "report", "--now", "2025-08-01").returncode == 0
        pages = tree(reports)
        assert len(pages) > 30
        filler = fill(reports)
        result = run_cli(workspace, "report", "--now", "2025-08-02")
        assert result.returncode == 1, result.stderr
        line = only_line(result)
        assert line.startswith(f"arena-pipeline: stopped: the disk holding {reports} (ARENA_REPORTS_DIR) is full "
                               "(No space left on device); every page is whole, in its earlier or its new "
                               "version (a page is replaced whole or not at all). Free some space there and "
                               "run the command again (the traceback is in "), line
        traceback_file(line).unlink()
        assert {k: v for k, v in tree(reports).items() if k != filler.name} == pages  # no .tmp left either

        # In a run: the day loads, the pages stay as they were, the line says so.
        result = run_cli(workspace, "backfill", "--start", NEW_DAY, "--end", NEW_DAY)
        assert result.returncode == 1, result.stderr
        line = only_line(result)
        assert f"the disk holding {reports} (ARENA_REPORTS_DIR) is full (No space left on device); every page " \
               "is whole" in line and f"Full log: {workspace / 'dagster_home' / 'logs'}" in line, line
        assert "1 loaded (364 rows)" in result.stdout
        assert {k: v for k, v in tree(reports).items() if k != filler.name} == pages
        filler.unlink()
        assert run_cli(workspace, "report", "--now", "2025-08-02").returncode == 0
        assert tree(reports) != pages


@pytest.mark.parametrize("room", [0, 256 * 1024], ids=["full", "nearly_full"])
def test_a_full_disk_at_dagster_home_ends_in_one_line_and_keeps_the_runs(workspace, room):
    """Full, Dagster cannot open its run history; nearly full, the run starts and its events no
    longer fit. Either way one line (Dagster's own "storing event batch" lines included), and
    once there is room again the next command succeeds beside the earlier run."""
    home = workspace / "dagster_home"  # DAGSTER_HOME of run_cli
    db = workspace / "arena.duckdb"
    days = ("backfill", "--start", "2025-07-27", "--end", "2025-07-28")
    with small_disk(home, "8m"):
        assert run_cli(workspace, *days).returncode == 0
        [earlier] = runs(home)
        before = fingerprint(db)
        filler = fill(home, leave=room)
        result = run_cli(workspace, *days)
        assert result.returncode == 1, result.stderr
        line = only_line(result)
        assert f"the disk holding {home} (DAGSTER_HOME) is full " in line, line
        assert "the database and the pages keep what was written before; Dagster's record of this command " \
               "may be incomplete. Free some space there and run the command again" in line, line
        detail = Path(line.rsplit("(the traceback is in " if "(the traceback" in line else "Full log: ", 1)[1]
                      .removesuffix(")"))
        assert detail.read_text().strip() and not detail.is_relative_to(home)
        assert fingerprint(db) == before  # the same days again: the same rows, whatever got written
        filler.unlink()
        result = run_cli(workspace, *days)
        assert result.returncode == 0, result.stderr
        listed = {run.run_id: run.status for run in runs(home)}
        assert listed.pop(earlier.run_id) == dg.DagsterRunStatus.SUCCESS
        # The new run, and the one the full disk stopped (marked failed once its process was gone).
        assert sorted(status.value for status in listed.values()) in (["SUCCESS"], ["FAILURE", "SUCCESS"]), listed


NOT_UTF8 = os.fsdecode(b"caf\xe9")  # Latin-1's "café": byte 0xe9 alone is not UTF-8


@pytest.mark.parametrize("setting", ["--db", "--reports-dir", "--dagster-home"])
def test_a_folder_name_that_is_not_utf8_is_refused_in_one_line(workspace, setting):
    """DuckDB cannot open such a path (std::bad_cast) and Dagster cannot write it into its files:
    every command that uses the setting refuses it before anything is written, naming the bytes."""
    folder = workspace / NOT_UTF8
    target = folder / ("arena.duckdb" if setting == "--db" else "x")
    commands = {"--db": [["update"], ["report"], ["sql", "select 1"]],
                "--reports-dir": [["update"], ["report"]], "--dagster-home": [["update"]]}[setting]
    before = fingerprint(workspace / "arena.duckdb")
    for command in commands:
        result = run_cli(workspace, setting, str(target), *command)
        assert result.returncode == 2, (command, result.stderr)
        name = {"--db": "ARENA_DB", "--reports-dir": "ARENA_REPORTS_DIR", "--dagster-home": "DAGSTER_HOME"}[setting]
        shown = os.fsencode(target).decode("utf-8", "backslashreplace")
        assert only_line(result) == (f"arena-pipeline: {name} '{shown}': the name 'caf\\xe9' is not valid UTF-8, "
                                     "which DuckDB and Dagster cannot use; rename it or choose another path")
    assert not folder.exists() and fingerprint(workspace / "arena.duckdb") == before


@pytest.mark.parametrize("yaml, problem", [
    ("run_storage:\n  module: nope\n  class: Nope\n",
     "names a class Python cannot load, nope.Nope (Couldn't import module nope)"),
    ("run_storage:\n  module: os\n  class: Nope\n",
     "names a class Python cannot load, os.Nope (Couldn't find class Nope in module)"),
    ("run_storage: [\n  module: x\n", "not valid YAML at line 3, column 12 (expected ',' or ']', but got ':')"),
])
def test_a_dagster_yaml_dagster_cannot_load_is_named_with_what_to_do(workspace, yaml, problem):
    home = workspace / "dagster_home"
    home.mkdir()
    config = home / "dagster.yaml"
    yaml += DAGSTER_CONCURRENCY  # edited by hand, the pool kept (else the command adds it)
    config.write_text(yaml)
    before = fingerprint(workspace / "arena.duckdb")
    result = run_cli(workspace, "update")
    assert result.returncode == 2, result.stderr
    assert only_line(result) == (f"arena-pipeline: {config} {problem}: fix it, or move it aside (mv '{config}' "
                                 f"'{config}.bad') and the command writes its own")
    assert config.read_text() == yaml and fingerprint(workspace / "arena.duckdb") == before
    config.rename(f"{config}.bad")
    assert run_cli(workspace, "update").returncode == 0


@pytest.mark.parametrize("make, problem", [
    (lambda config: config.write_bytes(b"\xff\xfe" + DAGSTER_CONCURRENCY.encode()),
     "is not UTF-8 text (byte 0xff at offset 0): fix it, or"),
    (lambda config: config.mkdir(), "is not a file:"),
    (lambda config: config.symlink_to(config.parent / "gone.yaml"), "is not a file:"),
])
def test_a_dagster_yaml_python_cannot_read_is_named_with_what_to_do(workspace, make, problem):
    """Not UTF-8 text, a folder or a dangling link where dagster.yaml should be: before, the command
    read it itself and stopped by an unexpected UnicodeDecodeError / IsADirectoryError (exit 1)."""
    home = workspace / "dagster_home"
    home.mkdir()
    config = home / "dagster.yaml"
    make(config)
    before = fingerprint(workspace / "arena.duckdb")
    for command in (["update"], ["dataset"]):
        result = run_cli(workspace, *command)
        assert result.returncode == 2, result.stderr
        assert only_line(result) == (f"arena-pipeline: {config} {problem} move it aside (mv '{config}' "
                                     f"'{config}.bad') and the command writes its own")
    assert fingerprint(workspace / "arena.duckdb") == before and not (home / "history").exists()
    config.rename(f"{config}.bad")
    assert run_cli(workspace, "update").returncode == 0


def test_a_damaged_runs_db_is_named_with_what_to_do(workspace):
    home = workspace / "dagster_home"
    db = workspace / "arena.duckdb"
    assert run_cli(workspace, "update").returncode == 0
    runs_db = home / "history" / "runs.db"
    runs_db.write_bytes(bytes(range(256)) * 64)
    before, pages = fingerprint(db), tree(workspace / "reports")
    result = run_cli(workspace, "update")
    assert result.returncode == 1, result.stderr
    line = only_line(result)
    assert line.startswith(f"arena-pipeline: Dagster's run history is damaged: {runs_db} is not an SQLite "
                           "database (it starts with b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07'). The database "
                           f"and the pages are untouched. Move it aside (mv '{runs_db}' '{runs_db}.damaged') and "
                           "run the command again: Dagster starts that file anew (what it recorded no longer "
                           "shows in the UI) (the traceback is in "), line
    traceback_file(line).unlink()
    assert fingerprint(db) == before and tree(workspace / "reports") == pages
    runs_db.rename(f"{runs_db}.damaged")
    assert run_cli(workspace, "update").returncode == 0


def _new_postgres_home(workspace: Path, postgres_server) -> dict[str, str]:
    if postgres_server is None:
        from tests.postgres_server import unavailable_reason

        pytest.skip(f"Dagster on PostgreSQL: {unavailable_reason()}")
    return {PG_URL_ENV: postgres_server.create_database(f"dagster_{uuid.uuid4().hex[:12]}")}


RACING_PROCESS = """
import sys, time
import dagster as dg
from arena_pipeline.warehouse.pool_limits import ensure_pool_limit_rows
with dg.DagsterInstance.get() as instance:
    instance.get_runs(limit=1)  # tables made before the race (as the CLI's first command does)
    time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
    ensure_pool_limit_rows(instance, [f"pool_{i}" for i in range(20)])
"""


def test_two_processes_creating_the_pool_rows_at_once_both_succeed(workspace, postgres_server):
    """What the CLI does before each run, by two processes at the same instant for 20 new pools on
    PostgreSQL: both end well, each pool has one row at dagster.yaml's default and one slot.
    (Dagster's own initialize_concurrency_limit_to_default fails the loser of each race.)"""
    from arena_pipeline.cli import _prepare_dagster_home
    from arena_pipeline.settings import load_settings

    env = _new_postgres_home(workspace, postgres_server)
    home = workspace / "dagster_home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PG_URL_ENV, env[PG_URL_ENV])
        _prepare_dagster_home(load_settings({"ARENA_SOURCE": str(workspace), "ARENA_DB": str(workspace / "arena.duckdb"),
                                             "DAGSTER_HOME": str(home)}))
        process_env = dict(os.environ)  # with the psycopg2 URL and DAGSTER_HOME the CLI sets
    start = time.time() + 8  # both are past their imports by then
    processes = [subprocess.Popen([sys.executable, "-c", RACING_PROCESS, str(start)], env=process_env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(process.wait(timeout=HANG_GUARD_SECONDS), process.stderr.read()) for process in processes]
    assert [code for code, _ in outcomes] == [0, 0], [err[-1500:] for _, err in outcomes]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PG_URL_ENV, process_env[PG_URL_ENV])
        with dg.DagsterInstance.from_config(str(home)) as instance:
            limits = {limit.name: limit for limit in instance.event_log_storage.get_pool_limits()}
            for i in range(20):
                assert limits[f"pool_{i}"].limit == 1 and limits[f"pool_{i}"].from_default
                assert instance.event_log_storage.get_concurrency_info(f"pool_{i}").slot_count == 1


def test_the_first_two_commands_on_a_new_postgres_instance_both_succeed(workspace, postgres_server):
    """Two `update`s started together on a new instance (a new PostgreSQL database, a new
    DAGSTER_HOME): both succeed, one after the other at the writer pool."""
    env = _new_postgres_home(workspace, postgres_server)
    commands = [start_cli(workspace, "update", env=env) for _ in range(2)]
    outcomes = [(command.wait(timeout=HANG_GUARD_SECONDS), command.stderr.read()) for command in commands]
    assert [code for code, _ in outcomes] == [0, 0], outcomes


def test_dagster_home_keeps_the_log_files_of_the_newest_runs(workspace):
    """DAGSTER_HOME/logs holds the newest KEPT_RUN_LOGS runs' logs, this run's included; older
    ones go as a run starts, files of other names stay."""
    from arena_pipeline.defs.loggers import KEPT_RUN_LOGS

    logs = workspace / "dagster_home" / "logs"
    logs.mkdir(parents=True)
    earlier = []
    for i in range(KEPT_RUN_LOGS + 5):  # oldest first
        path = logs / f"{uuid.UUID(int=i)}.log"
        path.write_text("an earlier run\n")
        os.utime(path, (time.time() - 10_000 + i,) * 2)
        earlier.append(path.name)
    (logs / "notes.txt").write_text("mine\n")
    result = run_cli(workspace, "update")
    assert result.returncode == 0, result.stderr
    run_id = result.stdout.strip().splitlines()[-1].split()[1]
    assert sorted(path.name for path in logs.glob("*.log")) == sorted(earlier[6:] + [f"{run_id}.log"])
    assert (logs / f"{run_id}.log").read_text().count("RUN_SUCCESS") and (logs / "notes.txt").exists()
