"""The official dataset (lmarena-ai/leaderboard-dataset) as its own asset, beside the CSV ingestion.

Its own job and schedule: the dataset commits about once a day around 03:00 UTC, and a Hub outage
must not stop the CSV pipeline (nor the CSV pipeline's tests, which never reach the network).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.history.analytics import analytics_code_current
from arena_pipeline.history.source_agreement import compare_sources
from arena_pipeline.ingest.dataset import WARNING_STATUSES, DatasetReport, refresh_dataset
from arena_pipeline.settings import DATASET_OFF
from arena_pipeline.sources.dataset import PROBE_POLICY, DatasetFetchError, DatasetSource
from arena_pipeline.warehouse.database import run_sql


class DatasetSourceResource(dg.ConfigurableResource):
    """LMArena's official dataset: the Hub, an http(s) mirror or a local copy, or `off`."""

    base: str
    subsets: list[str]
    allow_shrink: bool = False  # ARENA_DATASET_ALLOW_SHRINK: load a file that drops loaded history

    def get(self, probe: bool = False) -> DatasetSource | None:
        """The source; `probe`: for the sensor's one quick question (PROBE_POLICY)."""
        if self.base == DATASET_OFF:
            return None
        return DatasetSource(self.base, PROBE_POLICY if probe else None)


def _metadata(report: DatasetReport) -> dict:
    metadata = {
        "revision": report.revision or "unknown",
        "unchanged": report.unchanged,
        "subsets": "\n".join(
            f"{s.subset}: {s.status}" + (f", {s.rows_loaded} rows, {s.boards} boards" if s.status == "loaded" else "")
            for s in report.subsets),
        "rows_loaded": sum(s.rows_loaded for s in report.subsets),
        "boards_loaded": sum(s.boards for s in report.subsets),
        "board_days_replaced": sum(s.days_replaced for s in report.subsets),
    }
    if report.warnings:
        metadata["warnings"] = "\n".join(report.warnings)
    if report.failure_summary():
        metadata["error"] = report.failure_summary()
    return metadata


DATASET_JOB_NAME = "dataset_refresh"
CSV_INGESTION = dg.AssetKey("leaderboard_entries")


def downstream_current(context: dg.AssetExecutionContext, connect) -> bool:
    """Whether every other asset of this run's job was materialized after the dataset's last
    load (then the loaded rows already went through the analytics, checks and pages; a run that
    loaded and failed further on is not current, and the next one runs them again), and the
    analytics were computed by this code."""
    own = context.asset_key
    others = [key for key in context.job_def.asset_layer.selected_asset_keys if key != own]
    latest = context.instance.get_latest_materialization_events([own, *others])
    loaded = latest.get(own)
    if not all(latest.get(key) is not None and (loaded is None or latest[key].timestamp > loaded.timestamp)
               for key in others):
        return False
    if not others:
        return True
    with connect() as conn:
        return analytics_code_current(conn)


@dg.asset(group_name="ingest", kinds={"duckdb", "parquet"}, pool=DUCKDB_WRITER_POOL, output_required=False)
def lmarena_dataset(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, dataset_source: DatasetSourceResource
):
    """LMArena's own published history (`lmarena-ai/leaderboard-dataset`, CC-BY-4.0), the live
    second source now that the CSV upstream repeats August 2025: every category (overall, chinese,
    coding, ...), with and without style control, for text, vision, webdev and the other
    Bradley-Terry arenas, in `dataset_entries` / `dataset_snapshots`. One small request when the
    dataset has not changed; its data version is the dataset's commit. When nothing was loaded
    (the revision, or every configured file's content, is the one loaded) and everything
    downstream already saw the loaded rows, the asset is only observed: the analytics, their
    checks and the pages of this run are skipped.
    """
    source = dataset_source.get()
    if source is None:
        yield dg.MaterializeResult(metadata={"source": "off"})
        return
    try:
        # The file is opened between downloads only: no lock is held while waiting on the Hub.
        connect = duckdb.get_connection
        report = refresh_dataset(connect, source, dataset_source.subsets, context.log.info,
                                 dataset_source.allow_shrink)
    except DatasetFetchError as exc:
        # Recorded, not raised: the CSV source's boards still refresh downstream; the check fails the run.
        error = f"revision check failed, nothing downloaded: {exc}"
        context.log.error(error)
        yield dg.MaterializeResult(metadata={"revision": "unknown", "error": error})
        return
    for warning in report.warnings:
        context.log.warning(warning)
    if report.failure_summary():
        context.log.error(report.failure_summary())
    # A run that ingests the CSV source too (the main job) never skips what follows: its boards
    # refresh downstream whatever the dataset did.
    elif (CSV_INGESTION not in context.job_def.asset_layer.selected_asset_keys
          and all(s.status in ("unchanged", *WARNING_STATUSES) for s in report.subsets)
          and downstream_current(context, connect)):
        context.log.info("nothing loaded and everything downstream is current: skipped")
        yield dg.AssetObservation(asset_key=context.asset_key, metadata=_metadata(report))
        return
    yield dg.MaterializeResult(
        metadata=_metadata(report),
        # A run with a failed file is not the revision: the next run must try it again.
        data_version=(dg.DataVersion(report.revision)
                      if report.revision and not report.failure_summary() else None),
    )


@dg.asset_check(asset=lmarena_dataset, blocking=False, pool=DUCKDB_WRITER_POOL)
def dataset_fetched_and_loaded(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    """Fails the run, naming each file and its cause, when the dataset's revision could not be
    checked or a subset's file could not be fetched or loaded; warns on a configured subset the
    source does not have (ARENA_DATASET_SUBSETS). Not blocking: the analytics and pages refresh
    from what loaded (and from the CSV source) before this fails the run."""
    event = context.instance.get_latest_materialization_event(lmarena_dataset.key)
    metadata = {key: value.value for key, value in
                (event.asset_materialization.metadata.items() if event and event.asset_materialization else [])}
    if "error" in metadata:
        raise dg.Failure(description=metadata["error"])
    warnings = metadata.get("warnings")
    return dg.AssetCheckResult(passed=not warnings, severity=dg.AssetCheckSeverity.WARN,
                               description=warnings or None,
                               metadata={"revision": metadata.get("revision", "unknown")})


@dg.asset_check(asset=lmarena_dataset, additional_deps=[dg.AssetKey("leaderboard_entries")],
                blocking=False, pool=DUCKDB_WRITER_POOL)
def sources_agree(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """On the publish dates both sources have, the CSV text board and the dataset's raw text
    `overall` board list the same scores (names matched case- and punctuation-insensitively or
    through config/dataset_name_map.csv; scores within one point, the CSV's rounding). Warns
    below 95% agreement; the per-date report is in the metadata."""
    with duckdb.get_connection() as conn:
        tables = {row[0] for row in run_sql(conn, "checks/existing_tables").fetchall()}
        if not {"leaderboard_entries", "dataset_entries"} <= tables:
            return dg.AssetCheckResult(passed=True, severity=dg.AssetCheckSeverity.WARN,
                                       description="one of the sources is not loaded yet: nothing to compare",
                                       metadata={"shared_publish_dates": 0})
        agreement = compare_sources(conn)
    return dg.AssetCheckResult(passed=agreement.passed, severity=dg.AssetCheckSeverity.WARN,
                               description=agreement.description, metadata=agreement.metadata)


def dataset_outcome_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """What a command prints at the end of a run: the dataset's warnings, then its failure (one
    line per file)."""
    lines = []
    for materialization in result.asset_materializations_for_node(lmarena_dataset.key.path[-1]):
        warnings = materialization.metadata.get("warnings")
        if warnings is not None:
            lines += [f"dataset: warning: {line}" for line in warnings.value.splitlines()]
        error = materialization.metadata.get("error")
        if error is not None:
            lines.append(f"dataset: {error.value}")
    return lines


dataset_assets = [lmarena_dataset]
dataset_checks = [dataset_fetched_and_loaded, sources_agree]

dataset_job = dg.define_asset_job(
    DATASET_JOB_NAME,
    # Everything that reads the dataset follows: the analytics of its boards (and their checks),
    # then the pages: leaderboards (the dataset's boards and, when fresher, the main pages),
    # trend reports and feeds of its boards, and the book that lists them.
    selection=dg.AssetSelection.assets(lmarena_dataset).downstream(),
    description="Bring the official dataset up to its current commit (one request if unchanged), "
                "then recompute the analytics of the boards that changed and rewrite the pages.",
)


@dg.schedule(job=dataset_job, cron_schedule="0 5 * * *", execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="05:00 UTC: bring the official dataset up to its newest commit.")
def daily_dataset_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """05:00 UTC: the dataset's bot commits each new publish date around 03:00 UTC."""
    return dg.RunRequest(run_key=context.scheduled_execution_time.isoformat())


REVISION_PROBE_INTERVAL_S = 900


@dg.sensor(
    job=dataset_job,
    minimum_interval_seconds=REVISION_PROBE_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 15 minutes, asks the official dataset for its revision (one small request, "
                "no download) and requests a dataset_refresh run as soon as it differs from the "
                "last one requested. The cursor is that revision; the 05:00 UTC schedule is the "
                "safety net (and the only trigger for a mirror that cannot state its revision).",
)
def new_dataset_revision_sensor(context: dg.SensorEvaluationContext, dataset_source: DatasetSourceResource):
    source = dataset_source.get(probe=True)
    if source is None:
        return dg.SkipReason("ARENA_DATASET_SOURCE is off")
    try:
        revision = source.revision(dataset_source.subsets)
    except DatasetFetchError as exc:
        return dg.SkipReason(f"no answer from the dataset, asking again next tick: {exc}")
    if revision.id is None:
        return dg.SkipReason("this source cannot state its revision; the daily schedule covers it")
    if revision.id == context.cursor:
        return dg.SkipReason(f"dataset still at revision {revision.id}")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=f"dataset {revision.id}")],
                           cursor=revision.id)
