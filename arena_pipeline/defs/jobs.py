"""The job every entry point runs: ingest a range of days, then refresh all that is downstream."""

import dagster as dg

from arena_pipeline.defs.dataset import dataset_assets
from arena_pipeline.defs.partitions import range_tags, recent_window

refresh_job = dg.define_asset_job(
    "refresh",
    # The official dataset has its own job and schedule (defs/dataset.py).
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(*dataset_assets),
    description="Ingest the selected days, then recompute analytics and reports.",
)


@dg.schedule(
    job=refresh_job,
    # The upstream tags its release at 11:00 UTC; 12:00 leaves its job time to finish and
    # 18:00 catches a late release the same day.
    cron_schedule="0 12,18 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Today's release plus the two days before it (a day that was missing is tried again)."""
    today = context.scheduled_execution_time.date()
    first, last = recent_window(today)
    return dg.RunRequest(
        run_key=context.scheduled_execution_time.isoformat(), tags=range_tags(first, last)
    )
