"""The official dataset (lmarena-ai/leaderboard-dataset) as its own asset, beside the CSV ingestion.

Its own job and schedule: the dataset commits about once a day around 03:00 UTC, and a Hub outage
must not stop the CSV pipeline (nor the CSV pipeline's tests, which never reach the network).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.history.analytics import analytics_code_current
from arena_pipeline.history.source_agreement import compare_sources
from arena_pipeline.ingest.dataset import DatasetReport, refresh_dataset
from arena_pipeline.settings import DATASET_OFF
from arena_pipeline.sources.dataset import PROBE_POLICY, DatasetFetchError, DatasetSource
from arena_pipeline.warehouse.database import run_sql


class DatasetSourceResource(dg.ConfigurableResource):
    """LMArena's official dataset: the Hub, an http(s) mirror or a local copy, or `off`."""

    base: str
    subsets: list[str]

    def get(self, probe: bool = False) -> DatasetSource | None:
        """The source; `probe`: for the sensor's one quick question (PROBE_POLICY)."""
        if self.base == DATASET_OFF:
            return None
        return DatasetSource(self.base, PROBE_POLICY if probe else None)


def _metadata(report: DatasetReport) -> dict:
    return {
        "revision": report.revision or "unknown",
        "unchanged": report.unchanged,
        "subsets": "\n".join(
            f"{s.subset}: {s.status}" + (f", {s.rows_loaded} rows, {s.boards} boards" if s.status == "loaded" else "")
            for s in report.subsets),
        "rows_loaded": sum(s.rows_loaded for s in report.subsets),
        "boards_loaded": sum(s.boards for s in report.subsets),
        "board_days_replaced": sum(s.days_replaced for s in report.subsets),
    }


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
        report = refresh_dataset(duckdb.get_connection, source, dataset_source.subsets, context.log.info)
    except DatasetFetchError as exc:
        raise dg.Failure(description=f"revision check failed, nothing downloaded: {exc}") from None
    summary = report.failure_summary()
    if summary:
        raise dg.Failure(description=summary, metadata=_metadata(report))
    if all(s.status == "unchanged" for s in report.subsets) and downstream_current(context, duckdb.get_connection):
        context.log.info("nothing loaded and everything downstream is current: skipped")
        yield dg.AssetObservation(asset_key=context.asset_key, metadata=_metadata(report))
        return
    yield dg.MaterializeResult(
        metadata=_metadata(report),
        data_version=dg.DataVersion(report.revision) if report.revision else None,
    )


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
    """What a command prints at the end of a run: the dataset's failure, one line per file."""
    return [f"dataset: {event.step_failure_data.user_failure_data.description}"
            for event in result.all_events
            if event.is_step_failure and event.step_key == lmarena_dataset.key.path[-1]
            and event.step_failure_data.user_failure_data is not None
            and event.step_failure_data.user_failure_data.description]


dataset_assets = [lmarena_dataset]
dataset_checks = [sources_agree]

dataset_job = dg.define_asset_job(
    "dataset_refresh",
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
