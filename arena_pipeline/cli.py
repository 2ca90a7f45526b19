"""The `arena-pipeline` command: backfill, update, dataset, report, sql, dev.

`backfill` and `update` run the project's Dagster job against the instance in DAGSTER_HOME, so
their runs show in the UI exactly like scheduled ones. `report` and `sql` only read the
database and import neither Dagster nor pandas, so they start fast.

Exit codes: 0 done; 1 failed (the message says what); 2 bad arguments or settings; 75 the
database stayed locked by another process for --lock-wait seconds; 130 interrupted.
"""

import argparse
import contextlib
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

from arena_pipeline.settings import DATASET_OFF, DEFAULTS, Settings, SettingsError, load_settings

# Every pool limited to one step at a time: the DuckDB writers (defs/pools.py
# DUCKDB_WRITER_POOL) of a schedule tick, a UI launch and a CLI run then wait for each other
# inside Dagster instead of failing on DuckDB's file lock.
DAGSTER_CONCURRENCY = "concurrency:\n  pools:\n    default_limit: 1\n"
# No "Join the Dagster community" dialog greeting each new UI (and each new DAGSTER_HOME).
DAGSTER_NO_NUX = "nux:\n  enabled: false\n"
# What earlier versions wrote; such a file is replaced by the current configuration.
OLD_DAGSTER_YAML = "telemetry:\n  enabled: false\n"
EXIT_LOCKED = 75  # sysexits.h EX_TEMPFAIL: try again later
EXIT_INTERRUPTED = 130
# The code location `arena-pipeline dev` and workspace.yaml load (named after the module).
CODE_LOCATION = "arena_pipeline.definitions"
# What a step fails with when Ctrl-C arrives while it runs.
INTERRUPT_ERRORS = {"DagsterExecutionInterruptedError", "KeyboardInterrupt"}
# What DuckDB's Python client raises instead when Ctrl-C arrives during a statement (a long write,
# fetching a result): a RuntimeError with this message.
DUCKDB_INTERRUPTED = "Query interrupted"
# A source's circuit breaker says this when its host gave no usable answer.
OFFLINE_MARK = "Offline or upstream down?"
OFFLINE_HINT = ("arena-pipeline: offline? Both sources can be local copies: ARENA_SOURCE=../shared/"
                "arena-history/releases (the CSV releases) and ARENA_DATASET_SOURCE=<a folder of "
                "<subset>/full-00000-of-00001.parquet> or off (the official dataset); see README "
                "Configuration")
# How long `dev` gives Dagster to shut down after Ctrl-C / SIGTERM before killing its group.
DEV_STOP_SECONDS = 20

_DESCRIPTION = """\
Daily history of the LMArena leaderboard: snapshots each upstream release into DuckDB,
computes movements, renames and events, and writes Chinese Markdown reports.

Global options go BEFORE the command, e.g.
  arena-pipeline --db data/arena.duckdb sql "select * from v_latest_leaderboard"
Each one also reads an environment variable (the option wins)."""

_EPILOG = """\
exit codes: 0 done, 1 failed, 2 bad arguments or settings, 75 the database stayed locked by
another process (the message names it), 130 interrupted.
`arena-pipeline COMMAND --help` describes each command."""


def entry() -> None:
    """The console script: main(), then an exit without the interpreter's teardown.

    When main() returns, every file, database and Dagster storage is closed (the run's resources
    and the instance are context-managed); what is left is freeing Dagster's thousands of modules
    and objects, ~0.25 s of each command (measured), which os._exit skips. Exceptions (Ctrl-C,
    argparse's exits) take the ordinary way out. Tests call main().

    An error no part of the pipeline expected (a disk that is full, a dagster.yaml that does not
    parse, Dagster's run history damaged, ...) is one line here, with the traceback in a file
    that line names: a user never sees a stack trace.
    """
    try:
        code = main()
    except Exception as exc:  # noqa: BLE001 (the last resort: everything expected is handled in main)
        code = _unexpected_error(exc)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings({
            "ARENA_SOURCE": args.source, "ARENA_DB": args.db,
            "ARENA_REPORTS_DIR": args.reports_dir, "DAGSTER_HOME": args.dagster_home,
            "ARENA_LOCK_WAIT": args.lock_wait, "ARENA_DATASET_SOURCE": args.dataset_source,
        }, access=args.access)
    except SettingsError as exc:
        return _fail(str(exc), 2)
    try:
        return args.handler(settings, args)
    except SettingsError as exc:  # found once the command looks at its files (dagster.yaml)
        return _fail(str(exc), 2)
    except (StorageUnreachable, DagsterHomeDamaged) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:  # before or after a run (or a query), e.g. while Dagster loads
        return _fail("interrupted (Ctrl-C)", EXIT_INTERRUPTED)
    except Exception as exc:  # what the files underneath say: a full disk, a damaged run history
        if _is_duckdb_interrupt(exc):  # Ctrl-C during a statement outside a run (`report`)
            return _fail("interrupted (Ctrl-C)", EXIT_INTERRUPTED)
        damaged = _damaged_database(settings, str(exc))
        if damaged:
            return _fail(f"stopped: {damaged} (the traceback is in {_traceback_file(exc)})")
        message = _storage_fault(settings, exc)
        if message is None:
            raise  # entry()'s last resort
        return _fail(message)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arena-pipeline", usage="arena-pipeline [GLOBAL OPTIONS] COMMAND [OPTIONS]",
        description=_DESCRIPTION, epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    options = parser.add_argument_group("global options (before the command)")
    options.add_argument("--source", metavar="URL_OR_DIR",
                         help="upstream: an http(s) base <base>/<TAG>/<FILE> or a local folder "
                              "of the same layout (ARENA_SOURCE; default: the GitHub releases)")
    options.add_argument("--db", metavar="FILE",
                         help=f"the DuckDB file (ARENA_DB; default {DEFAULTS['ARENA_DB']})")
    options.add_argument("--reports-dir", metavar="DIR",
                         help="where Markdown reports are written "
                              f"(ARENA_REPORTS_DIR; default {DEFAULTS['ARENA_REPORTS_DIR']})")
    options.add_argument("--dagster-home", metavar="DIR",
                         help="Dagster's run history (DAGSTER_HOME; default "
                              f"{DEFAULTS['DAGSTER_HOME']})")
    options.add_argument("--lock-wait", metavar="SECONDS",
                         help="how long to wait for the database while another process holds "
                              "it, then stop with a message naming that process (ARENA_LOCK_WAIT; "
                              f"default {DEFAULTS['ARENA_LOCK_WAIT']})")
    options.add_argument("--dataset-source", metavar="URL_OR_DIR",
                         help="LMArena's official dataset: base URL, local folder or off "
                              "(ARENA_DATASET_SOURCE; default: the Hugging Face Hub). Which "
                              "subsets: ARENA_DATASET_SUBSETS, a comma list or all (default: every "
                              "Bradley-Terry subset the source has)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND", title="commands",
                                     prog="arena-pipeline [GLOBAL OPTIONS]")

    backfill = commands.add_parser(
        "backfill", help="ingest every day from --start to --end (default: the first release to "
                         "the newest) and the official dataset, then refresh analytics and reports",
        description="Ingest every day of the CSV source from --start to --end and bring LMArena's "
                    "official dataset up to date (one Dagster run), then recompute the analytics "
                    "and rewrite the reports. Days already loaded are replaced. Offline, point "
                    "ARENA_SOURCE and ARENA_DATASET_SOURCE at local copies (or set the latter to off).")
    backfill.add_argument("--start", type=_day, metavar="YYYY-MM-DD",
                          help="first day (default: the upstream's first release day)")
    backfill.add_argument("--end", type=_day, metavar="YYYY-MM-DD",
                          help="last day, not after today (UTC); default: the newest release "
                               "folder of a local source, else today")
    backfill.set_defaults(handler=_backfill, access="pipeline")

    update = commands.add_parser(
        "update", help="ingest the newest day (today UTC, or a local source's newest release) "
                       "and the two before it, then refresh analytics and reports",
        description="Ingest the newest day and the two days before it (a release that was late "
                    "or missing is tried again) and bring the official dataset up to date, then "
                    "recompute the analytics and rewrite the reports. The newest day is today "
                    "(UTC) for an http(s) source, the newest release folder for a local one. This "
                    "is what the schedule runs.")
    update.set_defaults(handler=_update, access="pipeline")

    dataset = commands.add_parser(
        "dataset", help="load LMArena's official dataset alone, then the pages",
        description="Load LMArena's official dataset alone (one request when it is unchanged), "
                    "then rewrite the pages that use it (backfill and update load it too). "
                    "ARENA_DATASET_SUBSETS picks subsets (default all: every Bradley-Terry subset "
                    "the source has; one it does not have is a warning).")
    dataset.set_defaults(handler=_dataset, access="pipeline")

    report = commands.add_parser(
        "report", help="write every Markdown report as of a day (database read-only)",
        description="Write every report as of --date from the database opened read-only "
                    "(safe beside a running pipeline). Reports as of the newest day go to the "
                    "reports folder; as of an older day to <reports folder>/as-of/<date>/, "
                    "unless --reports-dir (before the command) names the folder.")
    report.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                        help="as of this day, not after today (UTC); default: the newest "
                             "release loaded")
    report.add_argument("--now", type=_moment, metavar="ISO-8601",
                        help="generation time printed on the pages (and the day data ages are "
                             "counted to): with a timezone, e.g. 2025-07-09T11:44:37+00:00, or a "
                             "date, its start in UTC (default: now, UTC)")
    report.set_defaults(handler=_report, access="report")

    sql = commands.add_parser(
        "sql", help="run one read-only query and print the result",
        description="Run one SQL query against the DuckDB file opened read-only, without "
                    "access to other files or the network. Tables: snapshots, "
                    "leaderboard_entries, dataset_snapshots, dataset_entries, boards (one row "
                    "per board: board_id, source, arena, category, style_control, title_zh, "
                    "style_control_twin_id, is_headline), data_versions, model_aliases, "
                    "model_versions, rank_movements, model_events (each row of the last five "
                    "carries its board: board_id, source, arena, category, style_control), "
                    "model_identities (one model_id per model and arena across both sources); "
                    "views: v_board_entries, v_board_snapshots, v_latest_leaderboard, "
                    "v_model_history, v_model_names, v_biggest_movers (see README). Ctrl-C stops it.")
    sql.add_argument("query", help='the SQL, quoted, e.g. "select * from v_latest_leaderboard"')
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="table (numbers rounded for reading; default), or csv / json with "
                          "full precision for piping")
    sql.add_argument("--max-rows", type=_max_rows, metavar="N",
                     help="print the first N rows and say how many were left out (default 100 "
                          "for table, all for csv / json; 0 = all)")
    sql.add_argument("--timeout", type=_timeout, default=30.0, metavar="SECONDS",
                     help="stop the query after this long (default 30, at most 3600)")
    sql.add_argument("--memory-limit", type=_memory_limit, default="1GB", metavar="SIZE",
                     help="DuckDB memory limit, e.g. 512MB, 2GB (default 1GB, at most half "
                          "of this machine's memory)")
    sql.set_defaults(handler=_sql, access="query")

    dev = commands.add_parser(
        "dev", help="start the Dagster UI and its scheduler on 127.0.0.1",
        description="Run `dagster dev` for this project with the current Python, on "
                    "127.0.0.1. Ctrl-C stops it and everything it started.")
    dev.add_argument("--port", type=int, default=3000, help="default 3000")
    dev.set_defaults(handler=_dev, access="pipeline")
    return parser


def _unexpected_error(exc: Exception) -> int:
    path = _traceback_file(exc)
    what = " ".join(str(exc).split())[:400] or "(no message)"
    return _fail(f"stopped by an unexpected error: {type(exc).__name__}: {what}. Data saved before it "
                 f"is kept; fix the cause and run the command again (the traceback is in {path})")


def _traceback_file(exc: BaseException | None = None, text: str | None = None) -> str:
    """A new file in the temporary folder holding exc's traceback (or `text`): its path."""
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="arena-pipeline-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as log:
        if exc is not None:
            traceback.print_exception(exc, file=log)
        else:
            log.write(text or "")
    return path


# What a full disk leaves behind, by where it is full.
_KEPT_WHEN_FULL = {
    "ARENA_DB": "the database keeps what it held before the write that failed (a failed write is undone)",
    "ARENA_REPORTS_DIR": "every page is whole, in its earlier or its new version (a page is replaced "
                         "whole or not at all)",
    "DAGSTER_HOME": "the database and the pages keep what was written before; Dagster's record of "
                    "this command may be incomplete",
    None: "what was written before is kept",
}


def _locations(settings: Settings) -> dict:
    return {"ARENA_DB": settings.db_path.parent, "ARENA_REPORTS_DIR": settings.reports_dir,
            "DAGSTER_HOME": settings.dagster_home}


def _disk_full_line(settings: Settings, error, words: str, found=None) -> tuple[str, bool]:
    """'the disk holding X (SETTING) is full (words); what is kept. What to do.', and whether the
    full disk is DAGSTER_HOME's (where the run's log file would be)."""
    from arena_pipeline.warehouse.storage_faults import full_location

    found = found or full_location(error, _locations(settings))
    name, folder = found or (None, None)
    where = f"the disk holding {folder} ({name}) is full" if found else "a disk is full"
    return (f"{where} ({words}); {_KEPT_WHEN_FULL[name]}. Free some space there and run the command "
            "again", name == "DAGSTER_HOME")


def _storage_fault(settings: Settings, exc: Exception) -> str | None:
    """The one line for an error of the files underneath a command (a full disk, a damaged
    SQLite file of Dagster's run history), with the traceback in a file; None for anything else."""
    from arena_pipeline.warehouse.storage_faults import (
        disk_full_text,
        io_error_on_a_full_disk,
        is_damaged_database_error,
    )

    words, found = disk_full_text(exc), None
    if not words:
        found = io_error_on_a_full_disk(exc, _locations(settings))
        words = found and "disk I/O error"
    if words:
        line, _ = _disk_full_line(settings, exc, words, found)
        return f"stopped: {line} (the traceback is in {_traceback_file(exc)})"
    if is_damaged_database_error(exc):
        damaged = _damaged_home_message(settings)
        if damaged:
            return f"{damaged} (the traceback is in {_traceback_file(exc)})"
    return None


class DagsterHomeDamaged(Exception):
    """A file of Dagster's run history that SQLite cannot read; the message names it."""


def _damaged_home_message(settings: Settings) -> str | None:
    from arena_pipeline.warehouse.storage_faults import damaged_sqlite_files

    damaged = damaged_sqlite_files(settings.dagster_home)
    if not damaged:
        return None
    path, problem = damaged[0]
    more = f" (and {len(damaged) - 1} more file(s) there)" if len(damaged) > 1 else ""
    return (f"Dagster's run history is damaged: {path} is {problem}{more}. The database and the "
            f"pages are untouched. Move it aside (mv '{path}' '{path}.damaged') and run the command "
            "again: Dagster starts that file anew (what it recorded no longer shows in the UI)")


def _fail(message: str, code: int = 1) -> int:
    print(f"arena-pipeline: {message}", file=sys.stderr)
    return code


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def _moment(value: str) -> dt.datetime:
    from arena_pipeline.reports.markdown import parse_clock

    return _as_argument(parse_clock, value)


def _max_rows(value: str) -> int:
    try:
        rows = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if rows < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is negative")
    return rows


def _timeout(value: str) -> float:
    from arena_pipeline.warehouse.user_sql import parse_timeout

    return _as_argument(parse_timeout, value)


def _memory_limit(value: str) -> int:
    from arena_pipeline.warehouse.user_sql import parse_memory_limit

    return _as_argument(parse_memory_limit, value)


def _as_argument(parse, value: str):
    """parse(value), with its ValueError turned into argparse's own error (usage, exit 2)."""
    try:
        return parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _future(option: str, day: dt.date | None) -> str | None:
    """The one-line error for a day after today (UTC), which no release can have yet."""
    if day is not None and day > _today():
        return f"{option} {day} is after today ({_today()}, UTC)"
    return None


def _newest_day(settings: Settings) -> dt.date:
    from arena_pipeline.sources.releases import ReleaseSource

    return ReleaseSource(settings.source).latest_local_day() or _today()


def _backfill(settings: Settings, args) -> int:
    from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY

    error = _future("--start", args.start) or _future("--end", args.end)
    if error:
        return _fail(error, 2)
    first = args.start or FIRST_RELEASE_DAY
    last = args.end or min(_newest_day(settings), _today())
    if first < FIRST_RELEASE_DAY or last < first:
        return _fail(f"bad range {first} .. {last} (the first release is {FIRST_RELEASE_DAY})", 2)
    return _run_refresh(settings, first, last)


def _update(settings: Settings, args) -> int:
    from arena_pipeline.defs.partitions import recent_window

    return _run_refresh(settings, *recent_window(min(_newest_day(settings), _today())))


def _run_refresh(settings: Settings, first: dt.date, last: dt.date) -> int:
    """Execute the `refresh` job over [first, last] in-process, recorded in DAGSTER_HOME."""
    from arena_pipeline.defs.partitions import range_tags

    return _execute_job(
        settings, "refresh", range_tags(first, last),
        banner=(f"refresh {first} .. {last}: source {settings.source}, dataset "
                f"{settings.dataset_source}, database {settings.db_path}"),
        kept="Data of days that loaded is kept.")


def _execute_job(settings: Settings, job_name: str, tags: dict[str, str], *, banner: str,
                 kept: str) -> int:
    """Run one job of the definitions in-process against DAGSTER_HOME, as a run of that job of
    the code location (it shows under the job in the UI). The terminal gets progress and a short
    summary; Dagster's full log goes to a file the last line names (defs/loggers.py)."""
    hand_edited = _prepare_dagster_home(settings)
    warnings.filterwarnings("ignore", module="dagster")

    from arena_pipeline.definitions import build_definitions
    from arena_pipeline.defs.loggers import KEPT_RUN_LOGS, cli_run_config, prune_run_logs
    from arena_pipeline.warehouse.database import DatabaseLockedError, DatabaseRefused
    from arena_pipeline.warehouse.stale_runs import RUN_PID_TAG

    job = build_definitions(settings).resolve_job_def(job_name)
    with _open_instance(settings, hand_edited) as instance:
        _fail_dead_runs(instance)
        _ensure_pool_limit_row(instance)
        # Before the run exists: a database held elsewhere is one line and no failed run. Held
        # by another run of this instance, it is no wait here: our steps wait for its steps at
        # the writer pool (defs/pools.py), each holding the file only while it holds the slot.
        try:
            _wait_for_write_access(settings, give_way=lambda: _runs_in_progress(instance))
        except DatabaseLockedError as exc:
            return _fail(str(exc), EXIT_LOCKED)
        except DatabaseRefused as exc:  # not ours, damaged or newer: refused before a run exists
            return _fail(str(exc), 2)
        print(banner, flush=True)
        run_id = str(uuid.uuid4())
        log_file = settings.dagster_home / "logs" / f"{run_id}.log"
        prune_run_logs(log_file.parent, KEPT_RUN_LOGS - 1)  # with this run's: KEPT_RUN_LOGS
        try:
            with contextlib.redirect_stderr(_WithoutBatchFallback(sys.stderr)):
                result = job.execute_in_process(
                    instance=instance, run_id=run_id,
                    tags={**tags, **_code_location_tags(), RUN_PID_TAG: str(os.getpid())},
                    run_config=cli_run_config(log_file), raise_on_error=False)
        except KeyboardInterrupt:
            return _interrupted(instance, run_id, log_file, kept)
    return _run_summary(settings, result, log_file, kept)


class _WithoutBatchFallback:
    """stderr without the two lines Dagster writes there itself when a batch of events cannot be
    stored (a full disk, say) before it stores them one by one: that retry fails the same way
    and the command's last line says why, with the detail in a file."""

    DROPPED = ("Exception while storing event batch: ", "Falling back to storing multiple single-event")

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if text.startswith(self.DROPPED):
            return len(text)
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _runs_in_progress(instance) -> bool:
    import dagster as dg

    return bool(instance.get_run_records(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]), limit=1))


def _code_location_tags() -> dict[str, str]:
    """The tag by which the UI lists a job's runs (Jobs > refresh > Runs): the repository and code
    location the run belongs to, which Dagster sets only on runs launched through a location.
    `arena-pipeline dev` and workspace.yaml load the module arena_pipeline.definitions, whose
    location is named after it."""
    from dagster._core.definitions.repository_definition import SINGLETON_REPOSITORY_NAME
    from dagster._core.storage.tags import REPOSITORY_LABEL_TAG

    return {REPOSITORY_LABEL_TAG: f"{SINGLETON_REPOSITORY_NAME}@{CODE_LOCATION}"}


def _run_summary(settings: Settings, result, log_file, kept: str) -> int:
    from arena_pipeline.defs.dataset import dataset_outcome_lines
    from arena_pipeline.defs.ingest import ingest_outcome_lines

    ingested, fetched = ingest_outcome_lines(result), dataset_outcome_lines(result)
    lines = ingested + fetched + _failed_check_lines(result)
    # Drops and failed days or dataset files, last so they are seen.
    for line in lines:
        print(line, file=sys.stderr)
    if _was_interrupted(result):
        return _fail(f"run {result.run_id} interrupted (Ctrl-C). {kept} Full log: {log_file}",
                     EXIT_INTERRUPTED)
    if not result.success and _no_usable_answer(ingested) and _no_usable_answer(fetched):
        return _fail(f"run {result.run_id} failed: neither source answered (offline?). {kept} "
                     "Point both at local copies: ARENA_SOURCE=../shared/arena-history/releases (the CSV releases) "
                     "and ARENA_DATASET_SOURCE=<a folder of <subset>/full-00000-of-00001.parquet> or off "
                     f"(the official dataset). Full log: {log_file}")
    if any(OFFLINE_MARK in line for line in lines):
        print(OFFLINE_HINT, file=sys.stderr)
    if not result.success:
        full = _disk_full_failure(settings, result, log_file)
        if full:
            return _fail(full)
        failure = _first_failure(result)
        damaged = _damaged_database(settings, failure)
        if damaged:
            return _fail(f"run {result.run_id} failed{failure.split(': ', 1)[0]}: {damaged}. {kept} "
                         f"Full log: {log_file}")
        said_above = failure.split(": ", 1)[-1]
        if failure and (any(said_above in line for line in lines)
                        or said_above.startswith("DagsterAssetCheckFailedError") and lines):
            failure = failure.split(": ", 1)[0] + " (the lines above)"  # said once is enough
        return _fail(f"run {result.run_id} failed{failure}. {kept} Full log: {log_file}, and the "
                     "run in the Dagster UI (arena-pipeline dev)")
    pages = settings.reports_dir
    where = (f"pages in {pages}/ (start at SUMMARY.md)" if (pages / "SUMMARY.md").exists()
             else f"no pages yet in {pages}/: nothing is loaded")
    print(f"run {result.run_id} succeeded; {where}")
    return 0


def _disk_full_failure(settings: Settings, result, log_file) -> str | None:
    """The run's line when a step failed for a full disk: where, what is kept, what to do. When
    the disk is DAGSTER_HOME's, the run's log file there is incomplete: the step's error goes to
    a file in the temporary folder instead."""
    from arena_pipeline.warehouse.storage_faults import disk_full_text

    for event in result.all_events:
        if not event.is_step_failure or event.step_failure_data.error is None:
            continue
        messages, error = [], event.step_failure_data.error
        while error is not None:
            messages.append(error.message)
            error = error.cause or error.context
        words = disk_full_text("\n".join(messages))
        if words:
            line, at_home = _disk_full_line(settings, "\n".join(messages), words)
            detail = _traceback_file(text=event.step_failure_data.error.to_string()) if at_home else log_file
            return f"run {result.run_id} failed at {event.step_key}: {line}. Full log: {detail}"
    return None


def _no_usable_answer(lines: list[str]) -> bool:
    """A source's breaker gave up on its host (its own words)."""
    return any("no usable answer" in line for line in lines)


def _failed_check_lines(result) -> list[str]:
    """One line per blocking check that failed (Dagster's step error only counts them)."""
    import dagster as dg

    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        counts = ", ".join(f"{key} {entry.value:,}" for key, entry in evaluation.metadata.items()
                           if isinstance(entry.value, int) and not isinstance(entry.value, bool))
        lines.append(f"check {evaluation.asset_key.to_user_string()} {evaluation.check_name} failed: "
                     f"{evaluation.description or 'see its metadata in the Dagster UI'}"
                     + (f" ({counts})" if counts else ""))
    return lines


def _is_duckdb_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) and str(exc) == DUCKDB_INTERRUPTED


def _was_interrupted(result) -> bool:
    """A step failed for Ctrl-C: Dagster's or Python's interrupt, or DuckDB's when the signal
    arrived during a statement (the step's error, or what it was raised from)."""
    for event in result.all_events:
        error = event.step_failure_data.error if event.is_step_failure else None
        while error is not None:
            duckdb_interrupt = error.cls_name == "RuntimeError" and error.message.strip().endswith(DUCKDB_INTERRUPTED)
            if error.cls_name in INTERRUPT_ERRORS or duckdb_interrupt:
                return True
            error = error.cause or error.context
    return False


def _interrupted(instance, run_id: str, log_file, kept: str) -> int:
    """Ctrl-C outside a step (Dagster turns one inside a step into a failed step): the run is
    marked failed so that it does not stay STARTED, and the command ends like `sql` does."""
    run = instance.get_run_by_id(run_id)
    if run is not None and not run.is_finished:
        instance.report_run_failed(run, "Interrupted (Ctrl-C) by the user of arena-pipeline.")
    return _fail(f"run {run_id} interrupted (Ctrl-C). {kept} Full log: {log_file}",
                 EXIT_INTERRUPTED)


def _damaged_database(settings: Settings, text: str) -> str | None:
    """The words for a block of ARENA_DB whose checksum fails (bytes overwritten inside the file),
    which DuckDB finds when a command or a step reads it; None when `text` says nothing of it."""
    from arena_pipeline.warehouse.schema import CORRUPT_BLOCK

    found = text.find(CORRUPT_BLOCK)
    if found < 0:
        return None
    return (f"the database {settings.db_path} is damaged ({text[found:].splitlines()[0]}); restore it "
            "from a copy, or point ARENA_DB at another file")


def _first_failure(result) -> str:
    """': <step>: <first line of its error>' for the first failed step, '' if none says why: a
    Failure's description, else the innermost exception (not Dagster's wrapper around it)."""
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        data = event.step_failure_data
        if data.user_failure_data is not None and data.user_failure_data.description:
            text = data.user_failure_data.description
        elif data.error is not None:
            error = data.error
            while error.cause is not None:
                error = error.cause
            text = error.message
        else:
            continue
        lines = text.strip().splitlines()
        text = lines[0] if lines else ""
        # Dagster prefixes a message with the exception's class, module and all: keep its name.
        text = re.sub(r"^[\w.]+\.(\w+): ", r"\1: ", text).removeprefix("Failure: ")
        text = text.rstrip(":")  # a first line that introduces a list printed above
        return f" at {event.step_key}: {text}"
    return ""


def _wait_for_write_access(settings: Settings, give_way) -> None:
    from arena_pipeline.warehouse.database import connect_waiting

    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect_waiting(settings.db_path, read_only=False, wait_seconds=settings.lock_wait_seconds,
                           on_wait=lambda line: print(f"arena-pipeline: {line}", file=sys.stderr,
                                                      flush=True), give_way=give_way)
    if conn is not None:
        conn.close()


def _fail_dead_runs(instance) -> None:
    from arena_pipeline.warehouse.stale_runs import fail_runs_whose_process_is_gone

    for line in fail_runs_whose_process_is_gone(instance):
        print(f"arena-pipeline: {line}", file=sys.stderr)


def _ensure_pool_limit_row(instance) -> None:
    from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
    from arena_pipeline.warehouse.pool_limits import ensure_pool_limit_rows

    ensure_pool_limit_rows(instance, [DUCKDB_WRITER_POOL])


def _dataset(settings: Settings, args) -> int:
    """Execute the `dataset_refresh` job in-process: one request when the dataset is unchanged.

    When the last complete run of this command left the dataset at a revision the source still
    names (same subsets, same analytics code, no file loaded since), that one request is all:
    no Dagster run (importing Dagster alone costs more than the check)."""
    if settings.dataset_source != DATASET_OFF and settings.db_path.exists():
        from arena_pipeline.history.analytics import analytics_code_fingerprint
        from arena_pipeline.ingest.dataset import confirm_refreshed
        from arena_pipeline.sources.dataset import DatasetFetchError, DatasetSource
        from arena_pipeline.warehouse.database import DatabaseLockedError, DatabaseRefused

        code = analytics_code_fingerprint()
        try:
            revision = confirm_refreshed(lambda: _brief_connection(settings), DatasetSource(settings.dataset_source),
                                         settings.dataset_subsets, code)
        except DatabaseLockedError as exc:
            return _fail(str(exc), EXIT_LOCKED)
        except DatabaseRefused as exc:
            return _fail(str(exc), 2)
        except DatasetFetchError as exc:
            return _fail(f"dataset: revision check failed, nothing downloaded: {exc}")
        if revision is not None:
            print(f"dataset unchanged at revision {revision}, and the analytics and pages are current: "
                  "nothing to do")
            return 0
    status = _execute_job(
        settings, "dataset_refresh", {},
        banner=f"dataset: source {settings.dataset_source}, database {settings.db_path}",
        kept="Subsets that loaded are kept.")
    if status == 0 and settings.dataset_source != DATASET_OFF:
        from arena_pipeline.history.analytics import analytics_code_fingerprint
        from arena_pipeline.ingest.dataset import record_refreshed

        with _brief_connection(settings) as conn:
            record_refreshed(conn, settings.dataset_subsets, analytics_code_fingerprint())
    return status


@contextlib.contextmanager
def _brief_connection(settings: Settings):
    """The database for one block, waiting for a lock like the runs do."""
    from arena_pipeline.warehouse.database import connect_waiting

    conn = connect_waiting(settings.db_path, read_only=False, wait_seconds=settings.lock_wait_seconds,
                           on_wait=lambda line: print(f"arena-pipeline: {line}", file=sys.stderr, flush=True))
    try:
        yield conn
    finally:
        conn.close()


def _open_instance(settings: Settings, hand_edited: bool):
    """Dagster's instance of DAGSTER_HOME (a context manager). When Dagster cannot load it, one
    line names what is wrong: a damaged SQLite file of the run history, or (exit 2) a
    dagster.yaml edited by hand that Dagster cannot use (bad YAML, a class it cannot load)."""
    import dagster as dg

    from arena_pipeline.warehouse.storage_faults import (
        created_at_the_same_time,
        dagster_yaml_problem,
        disk_full_text,
        io_error_on_a_full_disk,
        is_damaged_database_error,
    )

    try:
        try:
            return dg.DagsterInstance.get()
        except Exception as exc:
            if not created_at_the_same_time(exc):
                raise
            # Two commands on a new PostgreSQL instance: both created Dagster's tables at once
            # and one lost the race ('type "snapshots" already exists'). They exist now.
            time.sleep(0.5)
            return dg.DagsterInstance.get()
    except Exception as exc:
        if disk_full_text(exc) or io_error_on_a_full_disk(exc, _locations(settings)):
            raise  # main() says so
        if is_damaged_database_error(exc):
            damaged = _damaged_home_message(settings)
            if damaged:
                raise DagsterHomeDamaged(f"{damaged} (the traceback is in {_traceback_file(exc)})") from exc
        if not hand_edited:
            raise
        config = settings.dagster_home / "dagster.yaml"
        raise SettingsError(f"{config} {dagster_yaml_problem(exc)}: fix it, or move it aside "
                            f"(mv '{config}' '{config}.bad') and the command writes its own") from exc


def _prepare_dagster_home(settings: Settings) -> bool:
    """Write DAGSTER_HOME/dagster.yaml for the current profile (SQLite files in the home, or
    PostgreSQL when ARENA_DAGSTER_PG_URL is set) when there is none or it is one the CLI wrote;
    a file edited by hand is kept, unless it cannot serve the PostgreSQL profile. True when the
    file is one edited by hand."""
    from arena_pipeline.warehouse.event_storage import (
        EVENT_BATCH_SIZE,
        PG_URL_ENV,
        create_wal_files,
        dagster_yaml,
        postgres_dagster_yaml,
        psycopg2_url,
    )

    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    _check_dagster_yaml_readable(config)
    if config.exists() and "concurrency:" not in config.read_text():  # a home made before the pool existed
        with config.open("a") as yaml:
            yaml.write(DAGSTER_CONCURRENCY)
    if config.exists() and "module: arena_pipeline.event_storage" in config.read_text():  # before warehouse/
        config.write_text(config.read_text().replace(
            "module: arena_pipeline.event_storage", "module: arena_pipeline.warehouse.event_storage"))
    sqlite_yaml = dagster_yaml(home) + DAGSTER_CONCURRENCY
    postgres_yaml = postgres_dagster_yaml() + DAGSTER_CONCURRENCY
    wanted = (postgres_yaml if settings.dagster_pg_url else sqlite_yaml) + DAGSTER_NO_NUX
    written = config.read_text() if config.exists() else None
    # What the CLI wrote, before the nux switch and since.
    ours = (None, OLD_DAGSTER_YAML + DAGSTER_CONCURRENCY, sqlite_yaml, postgres_yaml,
            sqlite_yaml + DAGSTER_NO_NUX, postgres_yaml + DAGSTER_NO_NUX)
    if written in ours:
        if written != wanted:
            config.write_text(wanted)
        if not settings.dagster_pg_url:
            create_wal_files(home)
    elif settings.dagster_pg_url and f"env: {PG_URL_ENV}" not in written:
        raise SettingsError(f"{config} was edited by hand and does not read {PG_URL_ENV}: add "
                            f"`storage: postgres: postgres_url: env: {PG_URL_ENV}` to it, or "
                            "remove it and the CLI writes one")
    if settings.dagster_pg_url:
        # This process and the ones it starts (`dev`) read it through dagster.yaml.
        os.environ[PG_URL_ENV] = psycopg2_url(settings.dagster_pg_url)
        _check_postgres_reachable(os.environ[PG_URL_ENV])
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home)
    # Partition events go to the event log in batches (see arena_pipeline.warehouse.event_storage).
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    # Settings travel to the code location through the environment (its `defs` reads them).
    os.environ["ARENA_SOURCE"] = settings.source
    os.environ["ARENA_DB"] = str(settings.db_path)
    os.environ["ARENA_REPORTS_DIR"] = str(settings.reports_dir)
    os.environ["ARENA_DATASET_SOURCE"] = settings.dataset_source
    os.environ["ARENA_LOCK_WAIT"] = f"{settings.lock_wait_seconds:g}"
    return written not in ours


def _check_dagster_yaml_readable(config: Path) -> None:
    """A dagster.yaml that is not a file (a folder, a dangling link) or not UTF-8 text is one line,
    exit 2, like one Dagster cannot load (Python would end reading it in a traceback)."""
    aside = f"move it aside (mv '{config}' '{config}.bad') and the command writes its own"
    if not config.exists() and not config.is_symlink():
        return
    if not config.is_file():
        raise SettingsError(f"{config} is not a file: {aside}")
    try:
        config.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{config} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
                            f"{exc.start}): fix it, or {aside}") from None


class StorageUnreachable(Exception):
    """Dagster's PostgreSQL storage does not answer; the message is one line without the password."""


def _check_postgres_reachable(url: str) -> None:
    """One connection with a short timeout, so that a server that is down or a wrong password is
    one line (Dagster would print a stack trace after its own retries)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 10}, poolclass=sqlalchemy.NullPool)
    try:
        engine.connect().close()
    except sqlalchemy.exc.DBAPIError as exc:  # the driver's message names host and port, not the password
        raise StorageUnreachable(f"Dagster's PostgreSQL storage (ARENA_DAGSTER_PG_URL) is not "
                                 f"reachable: {_first_line(exc.orig)}") from None
    finally:
        engine.dispose()


def _database_exists(settings: Settings) -> bool:
    if settings.db_path.exists():
        return True
    _fail(f"no database at {settings.db_path}; run `arena-pipeline backfill` first", 2)
    return False


def _open_for_reading(settings: Settings, **config):
    from arena_pipeline.warehouse.database import connect_sandboxed_read_only

    return connect_sandboxed_read_only(
        settings.db_path, wait_seconds=settings.lock_wait_seconds,
        on_wait=lambda line: print(f"arena-pipeline: {line}", file=sys.stderr, flush=True),
        **config)


def _report(settings: Settings, args) -> int:
    """All reports as of --date, from the database read-only (safe beside a running Dagster)."""
    import time

    import duckdb

    from arena_pipeline.reports.build import as_of_reports_dir, newest_snapshot, write_all_reports
    from arena_pipeline.reports.dataset_build import newest_dataset_date
    from arena_pipeline.warehouse.database import DatabaseLockedError, DatabaseRefused

    error = _future("--date", args.date)
    if error:
        return _fail(error, 2)
    if not _database_exists(settings):
        return 2
    now = args.now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    try:
        with _open_for_reading(settings) as conn:
            folder = settings.reports_dir
            if args.reports_dir is None:  # an explicit --reports-dir is used as it is
                # The live pages' day: the newest CSV release, or the newest publish date when
                # only the official dataset is loaded.
                newest = newest_snapshot(conn) or newest_dataset_date(conn)
                folder = as_of_reports_dir(folder, args.date, newest)
            reports = write_all_reports(conn, folder, as_of=args.date, now=now,
                                        site_url=settings.site_url)
    except DatabaseLockedError as exc:
        return _fail(str(exc), EXIT_LOCKED)
    except DatabaseRefused as exc:
        return _fail(str(exc), 2)
    except duckdb.CatalogException as exc:  # a database from before the analytics existed
        return _fail(f"{settings.db_path} has no analytics yet ({_first_line(exc)}); run "
                     "`arena-pipeline update` first")
    seconds = time.perf_counter() - started
    if not reports:
        when = f" on or before {args.date}" if args.date else ""
        return _fail(f"no data version{when} in {settings.db_path}")
    rewritten = sum(report.changed for report in reports)
    print(f"{len(reports)} report files in {folder} ({rewritten} written, "
          f"{len(reports) - rewritten} unchanged) in {seconds:.2f} s")
    return 0


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _sql(settings: Settings, args) -> int:
    import duckdb

    from arena_pipeline.warehouse.database import DatabaseLockedError, DatabaseRefused
    from arena_pipeline.warehouse.user_sql import (
        WRITERS,
        QueryStopped,
        bounded_memory,
        run_query,
        single_statement_error,
    )

    if not _database_exists(settings):
        return 2
    error = single_statement_error(args.query)
    if error:
        return _fail(f"sql: {error}", 2)
    max_rows = args.max_rows if args.max_rows is not None else (100 if args.format == "table" else 0)
    # Rows are printed as they arrive (never collected), within --memory-limit for the whole command.
    writer = WRITERS[args.format](sys.stdout)
    try:
        with bounded_memory(args.memory_limit), \
                _open_for_reading(settings, memory_limit=f"{args.memory_limit}B") as conn:
            result = run_query(conn, args.query, timeout=args.timeout, max_rows=max_rows or None,
                               writer=writer)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except DatabaseLockedError as exc:
        return _fail(str(exc), EXIT_LOCKED)
    except DatabaseRefused as exc:
        return _fail(str(exc), 2)
    except QueryStopped as exc:
        code = EXIT_INTERRUPTED if "Ctrl-C" in str(exc) else 1
        return _fail(f"sql: {exc}", code)
    except duckdb.Error as exc:
        return _fail(f"sql: {_first_line(exc)}")
    if not result.columns:
        print("OK")
        return 0
    shown = f"{result.shown:,} row{'s' if result.shown != 1 else ''}"
    try:
        if result.left_out:
            note = (f"({shown} shown, the first of {result.total_rows:,}; {result.left_out:,} left "
                    "out: --max-rows N or 0 for all)")
            print(note, file=sys.stdout if args.format == "table" else sys.stderr)
        elif args.format == "table":
            print(f"({shown})")
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _dev(settings: Settings, args) -> int:
    """`dagster dev` through this interpreter, in its own process group, stopped as a group."""
    hand_edited = _prepare_dagster_home(settings)

    with _open_instance(settings, hand_edited) as instance:
        _fail_dead_runs(instance)
        _ensure_pool_limit_row(instance)
    # The module, not workspace.yaml: an installed package has no source tree to point at.
    command = [sys.executable, "-m", "dagster", "dev", "-m", CODE_LOCATION,
               "-h", "127.0.0.1", "-p", str(args.port)]
    # Dagster 1.13 points `dagster dev` users to its `dg` tool with a SupersessionWarning; this
    # command is the supported way here (see README), so the warning is noise.
    quiet = os.environ | {"PYTHONWARNINGS": "ignore:Function `dev_command` is superseded"}
    process = subprocess.Popen(command, start_new_session=True, env=quiet)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        _stop_group(process)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to Dagster's whole process group, then SIGKILL to whatever is left."""
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan the group
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + DEV_STOP_SECONDS
    while time.monotonic() < deadline:
        process.poll()
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


if __name__ == "__main__":
    sys.exit(main())
