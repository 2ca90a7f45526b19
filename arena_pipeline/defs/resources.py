"""Resources: where the data comes from and goes to, built from `Settings` at load time."""

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.settings import Settings
from arena_pipeline.source import ReleaseSource

# DuckDB allows one process to hold the file, readers included. Every asset and check that opens
# it runs in this concurrency pool; the `dagster.yaml` the CLI writes limits every pool to one
# step at a time, so a schedule tick, a UI launch and a CLI run queue inside Dagster instead of
# racing for the file lock.
DUCKDB_WRITER_POOL = "duckdb_writer"


class ReleaseSourceResource(dg.ConfigurableResource):
    """The upstream: GitHub, an http(s) mirror, or a local folder of <TAG>/<FILE>."""

    base: str

    def get(self) -> ReleaseSource:
        return ReleaseSource(self.base)


class WarehouseResource(DuckDBResource):
    """The DuckDB file; its folder is created on first connection, not when definitions load."""

    @contextmanager
    def get_connection(self):
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        with super().get_connection() as conn:
            yield conn


class ReportsDirResource(dg.ConfigurableResource):
    """The folder the Markdown reports are written to."""

    path: str


def build_resources(settings: Settings) -> dict:
    return {
        "duckdb": WarehouseResource(database=str(settings.db_path)),
        "source": ReleaseSourceResource(base=settings.source),
        "reports_dir": ReportsDirResource(path=str(settings.reports_dir)),
    }
