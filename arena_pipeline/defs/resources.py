"""Resources: where the data comes from and goes to, built from `Settings` at load time."""

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.dataset import DatasetSourceResource
from arena_pipeline.settings import Settings
from arena_pipeline.sources.releases import ReleaseSource
from arena_pipeline.warehouse.database import DatabaseLockedError, DatabaseRefused, connect_waiting


class WarehouseResource(DuckDBResource):
    """The DuckDB file, opened for writing. While another process holds it (a writer, or a
    reader such as `arena-pipeline sql`), waits at most lock_wait_seconds, then fails the step
    with one line naming that process, instead of DuckDBResource's silent ~100 s of retries.
    Its folder is created on first connection, not when definitions load.

    A step holds the file exactly while it holds its slot of the writer pool (defs/pools.py):
    opened by `get_connection` and closed (checkpointed) when its block ends, within the step.
    Two runs of one Dagster instance then take turns at the pool; a file held by a run between
    its steps (once per run, before) made the other run's step wait at the file while holding
    the slot the first run's next step waited for, until the lock wait failed one of them. Steps
    that wait on the network (ingestion's fetch, the dataset's downloads) open it only between.

    Tags each run that uses it with `run_labels` (source and database), however the run was
    launched: a run from the UI's Materialize button or the automation has no job tags of ours.
    """

    lock_wait_seconds: float = 60.0
    run_labels: dict[str, str] = {}

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        super().setup_for_execution(context)
        run = context.run
        if context.instance is not None and run is not None and self.run_labels:
            missing = {key: value for key, value in self.run_labels.items() if run.tags.get(key) != value}
            if missing:
                context.instance.add_run_tags(run.run_id, missing)

    @contextmanager
    def get_connection(self):
        conn = self._open()
        try:
            yield conn
        finally:
            conn.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            return connect_waiting(self.database, read_only=False,
                                   wait_seconds=self.lock_wait_seconds,
                                   config=self.connection_config,
                                   on_wait=dg.get_dagster_logger().warning)
        except (DatabaseLockedError, DatabaseRefused) as exc:
            raise dg.Failure(description=str(exc)) from None


class ReleaseSourceResource(dg.ConfigurableResource):
    """The upstream: GitHub, an http(s) mirror, or a local folder of <TAG>/<FILE>."""

    base: str

    def get(self) -> ReleaseSource:
        return ReleaseSource(self.base)


# Every run says which upstream and which database it used (visible and filterable in the UI).
SOURCE_TAG = "arena/source"
DATABASE_TAG = "arena/database"


def settings_tags(settings: Settings) -> dict[str, str]:
    return {SOURCE_TAG: settings.source, DATABASE_TAG: str(settings.db_path)}


class ReportsDirResource(dg.ConfigurableResource):
    """The folder the Markdown reports are written to, and where it is published (if set,
    feed links are absolute under it)."""

    path: str
    site_url: str | None = None


def build_resources(settings: Settings) -> dict:
    return {
        "duckdb": WarehouseResource(database=str(settings.db_path), run_labels=settings_tags(settings),
                                    lock_wait_seconds=settings.lock_wait_seconds),
        "source": ReleaseSourceResource(base=settings.source),
        "reports_dir": ReportsDirResource(path=str(settings.reports_dir), site_url=settings.site_url),
        "dataset_source": DatasetSourceResource(base=settings.dataset_source,
                                                subsets=list(settings.dataset_subsets),
                                                allow_shrink=settings.dataset_allow_shrink),
    }
