"""The one partitioning of the pipeline: a UTC day per upstream release tag."""

import datetime as dt

import dagster as dg

FIRST_RELEASE_DAY = dt.date(2024, 7, 7)

# end_offset=1: today's partition exists, because the upstream tags today's release at 11:00 UTC.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=FIRST_RELEASE_DAY.isoformat(), timezone="UTC", end_offset=1
)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags that make one run cover a whole range of partitions (single-run backfill)."""
    return {RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()}


def partition_days(context: dg.AssetExecutionContext) -> list[dt.date]:
    window = context.partition_time_window
    first, end = window.start.date(), window.end.date()
    return [first + dt.timedelta(days=i) for i in range((end - first).days)]


# A release missing at the first try (late upstream job, outage) is tried again on the next runs.
RECENT_DAYS = 3


def recent_window(newest: dt.date) -> tuple[dt.date, dt.date]:
    return max(FIRST_RELEASE_DAY, newest - dt.timedelta(days=RECENT_DAYS - 1)), newest
