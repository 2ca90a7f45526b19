"""Resources: where the data comes from and goes to, built from `Settings` at load time."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.settings import Settings
from arena_pipeline.source import ReleaseSource


class ReleaseSourceResource(dg.ConfigurableResource):
    """The upstream: GitHub, an http(s) mirror, or a local folder of <TAG>/<FILE>."""

    base: str

    def get(self) -> ReleaseSource:
        return ReleaseSource(self.base)


class ReportsDirResource(dg.ConfigurableResource):
    """The folder the Markdown reports are written to, and where it is published (if set,
    feed links are absolute under it)."""

    path: str
    site_url: str | None = None


def build_resources(settings: Settings) -> dict:
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "duckdb": DuckDBResource(database=str(settings.db_path)),
        "source": ReleaseSourceResource(base=settings.source),
        "reports_dir": ReportsDirResource(path=str(settings.reports_dir), site_url=settings.site_url),
    }
