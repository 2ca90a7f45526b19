"""The `arena-pipeline` command: backfill, update, dataset, report, sql, dev.

`backfill` and `update` run the project's Dagster job against the instance in DAGSTER_HOME, so
their runs show in the UI exactly like scheduled ones.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import warnings

from arena_pipeline.settings import Settings, SettingsError, load_settings
from arena_pipeline.source import ReleaseSource

# Every pool limited to one step at a time: the DuckDB writers (defs/pools.py
# DUCKDB_WRITER_POOL) of a schedule tick, a UI launch and a CLI run then wait for each other
# inside Dagster instead of failing on DuckDB's file lock.
DAGSTER_CONCURRENCY = "concurrency:\n  pools:\n    default_limit: 1\n"
# What earlier versions wrote; such a file is replaced by the current configuration.
OLD_DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings({
            "ARENA_SOURCE": args.source, "ARENA_DB": args.db,
            "ARENA_REPORTS_DIR": args.reports_dir, "DAGSTER_HOME": args.dagster_home,
            "ARENA_DATASET_SOURCE": args.dataset_source,
        })
    except SettingsError as exc:
        print(f"arena-pipeline: {exc}", file=sys.stderr)
        return 2
    return args.handler(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arena-pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="upstream base URL or local folder (ARENA_SOURCE)")
    parser.add_argument("--db", help="DuckDB file (ARENA_DB)")
    parser.add_argument("--reports-dir", help="Markdown output folder (ARENA_REPORTS_DIR)")
    parser.add_argument("--dagster-home", help="Dagster instance folder (DAGSTER_HOME)")
    parser.add_argument("--dataset-source",
                        help="LMArena's official dataset: base URL, local folder or off (ARENA_DATASET_SOURCE)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    backfill = commands.add_parser("backfill", help="ingest a range of days, then refresh all")
    backfill.add_argument("--start", type=_day, help="first day (default 2024-07-07)")
    backfill.add_argument("--end", type=_day,
                          help="last day (default: newest folder of a local source, else today)")
    backfill.set_defaults(handler=_backfill)

    update = commands.add_parser("update", help="ingest the newest days, then refresh all")
    update.set_defaults(handler=_update)

    dataset = commands.add_parser("dataset", help="load LMArena's official dataset, then the pages")
    dataset.set_defaults(handler=_dataset)

    report = commands.add_parser("report", help="write every Markdown report as of a day")
    report.add_argument("--date", type=_day,
                        help="as of this day (default: the newest release loaded)")
    report.add_argument("--now", type=_moment,
                        help="generation time on the pages, ISO-8601 with a timezone "
                             "(default: now, UTC)")
    report.set_defaults(handler=_report)

    sql = commands.add_parser("sql", help="run a read-only query against the DuckDB file")
    sql.add_argument("query")
    sql.add_argument("--max-rows", type=int, default=100)
    sql.set_defaults(handler=_sql)

    dev = commands.add_parser("dev", help="start the Dagster UI on 127.0.0.1")
    dev.add_argument("--port", type=int, default=3000)
    dev.set_defaults(handler=_dev)
    return parser


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def _moment(value: str) -> dt.datetime:
    from arena_pipeline.reports.markdown import parse_clock

    try:
        return parse_clock(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _newest_day(settings: Settings) -> dt.date:
    return ReleaseSource(settings.source).latest_local_day() or dt.datetime.now(dt.UTC).date()


def _backfill(settings: Settings, args) -> int:
    from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY

    first = args.start or FIRST_RELEASE_DAY
    last = args.end or _newest_day(settings)
    if first < FIRST_RELEASE_DAY or last < first:
        print(f"arena-pipeline: bad range {first} .. {last} (the first release is "
              f"{FIRST_RELEASE_DAY})", file=sys.stderr)
        return 2
    return _run_refresh(settings, first, last)


def _update(settings: Settings, args) -> int:
    from arena_pipeline.defs.partitions import recent_window

    return _run_refresh(settings, *recent_window(_newest_day(settings)))


def _run_refresh(settings: Settings, first: dt.date, last: dt.date) -> int:
    """Execute the `refresh` job over [first, last] in-process, recorded in DAGSTER_HOME."""
    _prepare_dagster_home(settings)
    warnings.filterwarnings("ignore", module="dagster")
    import dagster as dg

    from arena_pipeline.definitions import build_definitions
    from arena_pipeline.defs.partitions import range_tags

    print(f"refresh {first} .. {last}: source {settings.source}, database {settings.db_path}")
    job = build_definitions(settings).resolve_job_def("refresh")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            tags=range_tags(first, last),
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            raise_on_error=False,
        )
    if not result.success:
        print(f"arena-pipeline: run {result.run_id} failed; see the messages above or the "
              "Dagster UI. Data of days that loaded is kept.", file=sys.stderr)
        return 1
    print(f"run {result.run_id} succeeded")
    return 0


def _dataset(settings: Settings, args) -> int:
    """Execute the `dataset_refresh` job in-process: one request when the dataset is unchanged."""
    _prepare_dagster_home(settings)
    warnings.filterwarnings("ignore", module="dagster")
    import dagster as dg

    from arena_pipeline.definitions import build_definitions

    print(f"dataset: source {settings.dataset_source}, database {settings.db_path}")
    job = build_definitions(settings).resolve_job_def("dataset_refresh")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            raise_on_error=False,
        )
    if not result.success:
        print(f"arena-pipeline: run {result.run_id} failed; see the messages above or the "
              "Dagster UI. Subsets that loaded are kept.", file=sys.stderr)
        return 1
    print(f"run {result.run_id} succeeded")
    return 0


def _prepare_dagster_home(settings: Settings) -> None:
    from arena_pipeline.event_storage import EVENT_BATCH_SIZE, dagster_yaml

    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists() or config.read_text() == OLD_DAGSTER_YAML:
        config.write_text(dagster_yaml(settings.dagster_home) + DAGSTER_CONCURRENCY)
    elif "concurrency:" not in config.read_text():  # a home made before the pool existed
        with config.open("a") as yaml:
            yaml.write(DAGSTER_CONCURRENCY)
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home)
    # Partition events go to the event log in batches (see arena_pipeline.event_storage).
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    # Settings travel to the code location through the environment (its `defs` reads them).
    os.environ["ARENA_SOURCE"] = settings.source
    os.environ["ARENA_DB"] = str(settings.db_path)
    os.environ["ARENA_REPORTS_DIR"] = str(settings.reports_dir)
    os.environ["ARENA_DATASET_SOURCE"] = settings.dataset_source


def _report(settings: Settings, args) -> int:
    """All reports as of --date, from the database read-only (safe beside a running Dagster)."""
    import time

    from arena_pipeline.reports.build import write_all_reports
    from arena_pipeline.warehouse import connect_sandboxed_read_only

    if not _database_exists(settings):
        return 2
    now = args.now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    with connect_sandboxed_read_only(settings.db_path) as conn:
        reports = write_all_reports(conn, settings.reports_dir, as_of=args.date, now=now)
    seconds = time.perf_counter() - started
    if not reports:
        when = f" on or before {args.date}" if args.date else ""
        print(f"arena-pipeline: no data version{when} in {settings.db_path}", file=sys.stderr)
        return 1
    rewritten = sum(report.changed for report in reports)
    print(f"{len(reports)} report files in {settings.reports_dir} ({rewritten} written, "
          f"{len(reports) - rewritten} unchanged) in {seconds:.2f} s")
    return 0


def _database_exists(settings: Settings) -> bool:
    if settings.db_path.exists():
        return True
    print(f"arena-pipeline: no database at {settings.db_path}; run `arena-pipeline backfill` "
          "first", file=sys.stderr)
    return False


def _sql(settings: Settings, args) -> int:
    import duckdb

    from arena_pipeline.warehouse import connect_sandboxed_read_only

    if not _database_exists(settings):
        return 2
    try:
        with connect_sandboxed_read_only(settings.db_path) as conn:
            relation = conn.sql(args.query)
            if relation is None:
                print("OK")
            else:
                relation.show(max_rows=args.max_rows, max_width=10_000)
    except duckdb.Error as exc:
        print(f"arena-pipeline sql: {exc}", file=sys.stderr)
        return 1
    return 0


def _dev(settings: Settings, args) -> int:
    _prepare_dagster_home(settings)
    # The module, not workspace.yaml: an installed package has no source tree to point at.
    command = [sys.executable, "-m", "dagster", "dev", "-m", "arena_pipeline.definitions",
               "-h", "127.0.0.1", "-p", str(args.port)]
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
