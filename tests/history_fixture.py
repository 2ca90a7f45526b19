"""Load the real upstream history (../shared/arena-history) through the real ingestion
(ingest_range from a local source) into any DuckDB connection.

For tests and benchmarks that need the ingested tables without a Dagster run.
"""

import datetime as dt
from pathlib import Path

import duckdb

from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY
from arena_pipeline.ingest import ingest_range
from arena_pipeline.source import ReleaseSource

HISTORY_DIR = Path(__file__).resolve().parents[2] / "shared" / "arena-history" / "releases"


def load_history(conn: duckdb.DuckDBPyConnection, releases_dir: Path = HISTORY_DIR) -> None:
    source = ReleaseSource(str(releases_dir))
    last = source.latest_local_day()
    days = [FIRST_RELEASE_DAY + dt.timedelta(days=i) for i in range((last - FIRST_RELEASE_DAY).days + 1)]
    report = ingest_range(conn, source, days)
    assert not report.failures, report.failure_summary()
