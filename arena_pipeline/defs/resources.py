"""Resources: where the data comes from and goes to, built from `Settings` at load time."""

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.dataset import DatasetSourceResource
from arena_pipeline.settings import Settings
from arena_pipeline.source import ReleaseSource


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
    """The folder the Markdown reports are written to, and where it is published (if set,
    feed links are absolute under it)."""

    path: str
    site_url: str | None = None


def build_resources(settings: Settings) -> dict:
    return {
        "duckdb": WarehouseResource(database=str(settings.db_path)),
        "source": ReleaseSourceResource(base=settings.source),
        "reports_dir": ReportsDirResource(path=str(settings.reports_dir), site_url=settings.site_url),
        "dataset_source": DatasetSourceResource(base=settings.dataset_source,
                                                subsets=list(settings.dataset_subsets)),
    }
