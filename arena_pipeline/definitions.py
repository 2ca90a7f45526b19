"""The one Definitions object of the code location (`dagster dev -w workspace.yaml`)."""

import dagster as dg

from arena_pipeline.defs.analytics import analytics_assets, analytics_checks
from arena_pipeline.defs.dataset import (
    daily_dataset_refresh,
    dataset_assets,
    dataset_checks,
    dataset_job,
    new_dataset_revision_sensor,
)
from arena_pipeline.defs.ingest import ingest_assets, ingest_checks
from arena_pipeline.defs.jobs import build_refresh_job, daily_refresh
from arena_pipeline.defs.loggers import LOGGERS
from arena_pipeline.defs.reports import report_assets
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.defs.sensors import build_automation_sensor, new_release_sensor, pool_housekeeping
from arena_pipeline.settings import Settings, load_settings


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or load_settings()
    return dg.Definitions(
        assets=[*ingest_assets, *dataset_assets, *analytics_assets, *report_assets],
        asset_checks=[*ingest_checks, *analytics_checks, *dataset_checks],
        jobs=[build_refresh_job(settings), dataset_job],
        schedules=[daily_refresh, daily_dataset_refresh],
        sensors=[new_release_sensor, new_dataset_revision_sensor, build_automation_sensor(settings),
                 pool_housekeeping],
        resources=build_resources(settings),
        # One process per step costs ~10 s a run and buys nothing: DuckDB has one writer anyway.
        executor=dg.in_process_executor,
        # Dagster's console logger by default; the CLI's runs name the terse ones (defs/loggers.py).
        loggers=LOGGERS,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by Dagster when the code location loads, so settings are read then, not at import."""
    return build_definitions()
