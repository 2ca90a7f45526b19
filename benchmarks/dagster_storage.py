"""Dagster's storage: PostgreSQL (dagster-postgres) against the CLI's batching SQLite storage
(and Dagster's stock SQLite storage, for scale).

    python benchmarks/dagster_storage.py [--source ../shared/arena-history/releases] [--reps 3]
                                         [--events 300] [--days 423] [--skip-backfill]

Starts its own PostgreSQL server (tests/postgres_server.py: Debian's binaries, a temporary
cluster on 127.0.0.1 with a password and PostgreSQL's default durability, fsync on) and measures:

- one event: `report_engine_event` on a run, N times (each is one `store_event`: what a step's
  start, log line or check result costs), ms per event;
- batched events: a single-run backfill of two daily-partitioned assets (one planned and one
  materialization event per day and asset, handed over in batches as the CLI sets
  DAGSTER_EVENT_BATCH_SIZE), over D days minus over one day, ms per event;
- the whole real-history backfill through `arena-pipeline backfill`, then one `update`, each on a
  fresh database and DAGSTER_HOME (a fresh PostgreSQL database), alternating the storages.
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.postgres_server

EVENT_BATCH = "1000"  # arena_pipeline.warehouse.event_storage.EVENT_BATCH_SIZE


def _instance_env(kind: str, home: Path, url: str | None) -> dict[str, str]:
    from arena_pipeline.cli import DAGSTER_CONCURRENCY
    from arena_pipeline.warehouse.event_storage import (
        PG_URL_ENV,
        create_wal_files,
        dagster_yaml,
        postgres_dagster_yaml,
        psycopg2_url,
    )

    home.mkdir(parents=True)
    if kind == "stock sqlite":
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        return {"DAGSTER_HOME": str(home)}
    if kind == "batching sqlite":
        (home / "dagster.yaml").write_text(dagster_yaml(home) + DAGSTER_CONCURRENCY)
        create_wal_files(home)
        return {"DAGSTER_HOME": str(home), "DAGSTER_EVENT_BATCH_SIZE": EVENT_BATCH}
    (home / "dagster.yaml").write_text(postgres_dagster_yaml() + DAGSTER_CONCURRENCY)
    return {"DAGSTER_HOME": str(home), "DAGSTER_EVENT_BATCH_SIZE": EVENT_BATCH, PG_URL_ENV: psycopg2_url(url)}


def per_event(kind: str, folder: Path, url: str | None, events: int, days: int) -> tuple[float, float]:
    """(ms per single event, ms per batched partition event) on a new instance of `kind`."""
    import dagster as dg

    from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY, daily_partitions, range_tags

    env = _instance_env(kind, folder / "home", url)
    saved = {name: os.environ.get(name) for name in (*env, "DAGSTER_EVENT_BATCH_SIZE")}
    os.environ.pop("DAGSTER_EVENT_BATCH_SIZE", None)
    os.environ.update(env)

    @dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run())
    def upstream_days(context: dg.AssetExecutionContext) -> None:
        pass

    @dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run(),
              deps=[upstream_days])
    def downstream_days(context: dg.AssetExecutionContext) -> None:
        pass

    job = dg.Definitions(assets=[upstream_days, downstream_days],
                         executor=dg.in_process_executor).resolve_implicit_global_asset_job_def()
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}  # printing is not storing
    try:
        with dg.DagsterInstance.get() as instance:
            warm = job.execute_in_process(instance=instance, run_config=quiet,
                                          tags=range_tags(FIRST_RELEASE_DAY, FIRST_RELEASE_DAY))
            started = time.perf_counter()
            for i in range(events):
                instance.report_engine_event(f"event {i}", warm.dagster_run)
            single = (time.perf_counter() - started) / events * 1000
            spans = {}
            for n in (1, days):
                started = time.perf_counter()
                result = job.execute_in_process(instance=instance, run_config=quiet, tags=range_tags(
                    FIRST_RELEASE_DAY, FIRST_RELEASE_DAY + dt.timedelta(days=n - 1)))
                spans[n] = time.perf_counter() - started
                assert result.success
            batched = (spans[days] - spans[1]) / (4 * (days - 1)) * 1000  # 2 assets x planned + done
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return single, batched


def backfill(kind: str, folder: Path, url: str | None, source: str) -> tuple[float, float]:
    """Seconds of `arena-pipeline backfill` (the whole history) and of the `update` after it."""
    from arena_pipeline.warehouse.event_storage import PG_URL_ENV

    cli = str(Path(sys.executable).parent / "arena-pipeline")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARENA_", "DAGSTER_"))}
    env |= {"ARENA_SOURCE": source, "ARENA_DB": str(folder / "arena.duckdb"),
            "ARENA_REPORTS_DIR": str(folder / "reports"), "DAGSTER_HOME": str(folder / "home"),
            "ARENA_DATASET_SOURCE": "off"}
    if url:
        env[PG_URL_ENV] = url  # the bare postgresql:// a team sets; the CLI picks psycopg2
    times = []
    for command in ("backfill", "update"):
        started = time.perf_counter()
        subprocess.run([cli, command], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times[0], times[1]


def main() -> None:
    from tests.postgres_server import PostgresServer, unavailable_reason

    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(ROOT.parent / "shared/arena-history/releases"))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--days", type=int, default=423)
    parser.add_argument("--skip-backfill", action="store_true")
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        sys.exit(f"dagster_storage: {reason}")
    print(f"load average at start: {os.getloadavg()}")
    with PostgresServer(durable=True) as server, tempfile.TemporaryDirectory() as tmp:
        count = 0

        def fresh(kind: str) -> tuple[Path, str | None]:
            nonlocal count
            count += 1
            folder = Path(tmp) / f"{count}"
            folder.mkdir()
            return folder, (server.create_database(f"bench_{count}") if kind == "postgresql" else None)

        kinds = ("stock sqlite", "batching sqlite", "postgresql")
        events = {kind: [] for kind in kinds}
        for _ in range(args.reps):
            for kind in kinds:
                folder, url = fresh(kind)
                events[kind].append(per_event(kind, folder, url, args.events, args.days))
        print(f"\nper event (medians of {args.reps}; one event: report_engine_event x {args.events}; "
              f"batched: a {args.days}-day single-run backfill of two assets less a 1-day one)")
        for kind in kinds:
            single = statistics.median(s for s, _ in events[kind])
            batched = statistics.median(b for _, b in events[kind])
            print(f"  {kind:16s} one event {single:6.2f} ms   batched {batched:6.3f} ms")
        if args.skip_backfill:
            return
        runs = {kind: [] for kind in ("batching sqlite", "postgresql")}
        for _ in range(args.reps):
            for kind in runs:
                folder, url = fresh(kind)
                runs[kind].append(backfill(kind, folder, url, args.source))
        print(f"\nwhole real-history backfill, then update (medians of {args.reps}, each fresh)")
        for kind, times in runs.items():
            print(f"  {kind:16s} backfill {statistics.median(t for t, _ in times):6.1f} s "
                  f"({', '.join(f'{t:.1f}' for t, _ in times)})   update "
                  f"{statistics.median(u for _, u in times):5.1f} s ({', '.join(f'{u:.1f}' for _, u in times)})")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
