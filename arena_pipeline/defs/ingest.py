"""Ingestion assets: archive each day's release files, then load them as normalized rows."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.partitions import daily_partitions, partition_days
from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.defs.resources import ReleaseSourceResource
from arena_pipeline.ingest import RangeReport, fetch_days, load_days
from arena_pipeline.warehouse import create_ingest_tables


def _result(step: str, report: RangeReport) -> dg.MaterializeResult:
    """Success metadata, or a Failure that lists every failed day (good days stay written)."""
    summary = report.failure_summary(step)
    if summary:
        raise dg.Failure(description=summary, metadata={"failed_days": len(report.failures)})
    return dg.MaterializeResult(metadata={
        "days": report.days,
        "files": report.files,
        "rows": report.rows,
        "days_without_release": ", ".join(d.isoformat() for d in report.days_without_release)
        or "none",
    })


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="ingest",
    kinds={"duckdb"},
    pool=DUCKDB_WRITER_POOL,
)
def release_files(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, source: ReleaseSourceResource
) -> dg.MaterializeResult:
    """Every file the upstream published for the day, kept verbatim in `raw_files` (by sha256),
    with each fetch recorded in `fetch_log`. A day without a release is recorded, not an error.
    """
    with duckdb.get_connection() as conn:
        create_ingest_tables(conn)
        report = fetch_days(conn, source.get(), partition_days(context), context.log.info)
    return _result("release_files", report)


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[release_files],
    group_name="ingest",
    kinds={"duckdb"},
    pool=DUCKDB_WRITER_POOL,
)
def leaderboard_entries(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """The day's archived files parsed into `snapshots` and `leaderboard_entries`, one schema
    for every upstream variant. A bad file fails its day and changes nothing of that day.
    """
    with duckdb.get_connection() as conn:
        create_ingest_tables(conn)
        report = load_days(conn, partition_days(context), context.log.info)
    return _result("leaderboard_entries", report)


ingest_assets = [release_files, leaderboard_entries]
