"""Ingestion asset and its check: fetch, archive and load a range of release days, each day
standing alone; the check fails the run when a day failed, after downstream has refreshed."""

import datetime as dt

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.partitions import daily_partitions, partition_days
from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.defs.resources import ReleaseSourceResource
from arena_pipeline.ingest.releases import FAILED, NOT_ATTEMPTED, failure_summary, fetch_range, parse_range, write_range

ASSET_NAME = "leaderboard_entries"
CHECK_NAME = "every_day_fetched_and_loaded"


@dg.asset(
    name=ASSET_NAME,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="ingest",
    kinds={"duckdb"},
    pool=DUCKDB_WRITER_POOL,
)
def leaderboard_entries(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, source: ReleaseSourceResource
) -> dg.MaterializeResult:
    """The day's release files, kept verbatim in `raw_files` (by sha256) with every fetch attempt
    in `fetch_log`, parsed into `snapshots` and `leaderboard_entries` (one schema for every
    upstream variant). A day that fails to fetch or parse is recorded and changes nothing of that
    day; the other days load and everything downstream refreshes. Each partition's metadata says
    what happened to that day (`outcome`: loaded, no release, failed, not attempted).
    """
    # The network first, with no database connection held; then one short write.
    fetched = fetch_range(source.get(), partition_days(context), context.log.info)
    report = parse_range(fetched)
    with duckdb.get_connection() as conn:
        write_range(conn, report, context.log.info)
    for day in report.days:
        context.add_asset_metadata(day.metadata(), partition_key=day.day.isoformat())
    for warning in report.warnings:
        context.log.warning(warning)
    for failed in report.failures:
        context.log.error(f"FAILED {failed.day}: {failed.error}")
    if report.stopped:
        context.log.error(report.stopped)
    return dg.MaterializeResult()


# In the writer pool like every step of the refresh job, though it reads only Dagster's event log.
@dg.asset_check(asset=leaderboard_entries, name=CHECK_NAME, blocking=False, pool=DUCKDB_WRITER_POOL)
def every_day_fetched_and_loaded(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    """Fails the run, listing each failed day with its cause, when a day of the run could not be
    fetched or loaded; warns on a day whose row count dropped sharply. Not blocking: analytics and
    reports refresh from the days that loaded before this fails the run.
    """
    outcomes = _outcomes_of_this_run(context)
    failed = [(day, meta["error"]) for day, meta in outcomes if meta["outcome"] == FAILED]
    stopped = next((meta["reason"] for _, meta in outcomes
                    if meta["outcome"] == NOT_ATTEMPTED and "reason" in meta), None)
    summary = failure_summary(failed, len(outcomes), stopped)
    if summary:
        raise dg.Failure(description=summary, metadata={"failed_days": len(failed)})
    warnings = [meta["warning"] for _, meta in outcomes if "warning" in meta]
    counts = {}
    for _, meta in outcomes:
        counts[meta["outcome"]] = counts.get(meta["outcome"], 0) + 1
    return dg.AssetCheckResult(
        passed=not warnings,
        severity=dg.AssetCheckSeverity.WARN,
        description="; ".join(warnings) or None,
        metadata={f"days_{outcome.replace(' ', '_')}": count for outcome, count in counts.items()},
    )


def _outcomes_of_this_run(context: dg.AssetCheckExecutionContext) -> list[tuple[dt.date, dict]]:
    """Each day's metadata as the asset recorded it in this run."""
    events = context.instance.all_logs(context.run.run_id,
                                       of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    outcomes = []
    for event in events:
        materialization = event.asset_materialization
        if materialization is None or materialization.asset_key != leaderboard_entries.key:
            continue
        metadata = {key: value.value for key, value in materialization.metadata.items()}
        outcomes.append((dt.date.fromisoformat(materialization.partition), metadata))
    return outcomes


def ingest_outcome_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """What a command prints at the end of a run: sharp row-count drops, then failed days."""
    lines = []
    for materialization in result.asset_materializations_for_node(ASSET_NAME):
        warning = materialization.metadata.get("warning")
        if warning is not None:
            lines.append(f"warning: {warning.value}")
    for event in result.all_events:
        if event.is_step_failure and event.step_key.startswith(ASSET_NAME):
            failure = event.step_failure_data.user_failure_data
            if failure is not None and failure.description:
                lines.append(f"ingestion: {failure.description}")
    return lines


ingest_assets = [leaderboard_entries]
ingest_checks = [every_day_fetched_and_loaded]
