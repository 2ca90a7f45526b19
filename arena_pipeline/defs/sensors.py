"""Work triggered by the data: a sensor that notices the upstream's next release, and the
automation sensor that refreshes what is downstream of any ingestion."""

import datetime as dt
from pathlib import Path

import dagster as dg

from arena_pipeline.defs.jobs import REFRESH_JOB
from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY, RECENT_DAYS
from arena_pipeline.defs.resources import ReleaseSourceResource, settings_tags
from arena_pipeline.settings import Settings
from arena_pipeline.sources.releases import ARENA_FILES, DEFAULT_POLICY, ReleaseSource, release_tag
from arena_pipeline.warehouse.stale_runs import fail_runs_whose_process_is_gone

# Newest file layout first: a probe of a current release stops at its first file.
PROBE_ORDER = sorted(ARENA_FILES, key=lambda name: name == "lmsys.csv")
PROBE_INTERVAL_S = 300
PROBE_TIMEOUT_S = 10


def release_published(source: ReleaseSource, day: dt.date) -> bool:
    """Whether the upstream has a release for `day`: a HEAD request (or a stat) per file name,
    no download. A network error counts as "not yet"; the next tick asks again."""
    for file_name in PROBE_ORDER:
        location = source.url_for(day, file_name)
        if not source.is_http:
            if Path(location).is_file():
                return True
            continue
        import requests  # only an http source needs it (a local one is probed with a stat)

        try:
            response = requests.head(location, allow_redirects=True,
                                     timeout=(DEFAULT_POLICY.connect_timeout_s, PROBE_TIMEOUT_S))
        except requests.RequestException:
            return False
        if response.status_code == 200:
            return True
    return False


def days_to_probe(cursor: str | None, today: dt.date) -> list[dt.date]:
    """The days after the last one requested, up to today; at most the recent window (older
    days are the schedule's and the backfill's)."""
    first = today - dt.timedelta(days=RECENT_DAYS - 1)
    if cursor:
        first = max(first, dt.date.fromisoformat(cursor) + dt.timedelta(days=1))
    first = max(first, FIRST_RELEASE_DAY)
    return [first + dt.timedelta(days=i) for i in range((today - first).days + 1)]


@dg.sensor(
    job_name=REFRESH_JOB,
    minimum_interval_seconds=PROBE_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 5 minutes, asks the upstream whether the next day's release exists (one "
                "HEAD request per file name, no download) and requests a refresh of that day as "
                "soon as it does. The cursor is the last day requested.",
)
def new_release_sensor(context: dg.SensorEvaluationContext, source: ReleaseSourceResource):
    today = dt.datetime.now(dt.UTC).date()
    upstream = source.get()
    requests_, newest = [], context.cursor
    for day in days_to_probe(context.cursor, today):
        if not release_published(upstream, day):
            continue
        tag = release_tag(day)
        requests_.append(dg.RunRequest(run_key=f"release {tag}", partition_key=day.isoformat()))
        newest = day.isoformat()
    if not requests_:
        return dg.SkipReason(f"no new release after {context.cursor or 'the recent window'} yet")
    return dg.SensorResult(run_requests=requests_, cursor=newest)


def build_automation_sensor(settings: Settings) -> dg.AutomationConditionSensorDefinition:
    """Evaluates the assets' automation conditions (defs/automation.py) every 30 s."""
    return dg.AutomationConditionSensorDefinition(
        "refresh_downstream",
        target=dg.AssetSelection.all(),
        run_tags=settings_tags(settings),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Refreshes the analytics tables and the reports after any ingestion that "
                    "did not refresh them itself (e.g. a partition backfill launched from the UI "
                    "on the ingestion asset alone).",
    )


@dg.sensor(
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Housekeeping of the DuckDB pool: marks failed a run whose process is gone (a CLI "
                "run killed mid-step) and gives back the pool slot of any run that is over, which "
                "would otherwise block every later run. The CLI does the same when it starts.",
)
def pool_housekeeping(context: dg.SensorEvaluationContext):
    done = fail_runs_whose_process_is_gone(context.instance)
    for line in done:
        context.log.warning(line)
    return dg.SkipReason("; ".join(done) or "no dead run, no slot held by a finished run")
