"""Load the real upstream history (../shared/arena-history) through the real ingestion
(fetch_days + load_days from a local source) into any DuckDB connection.

For tests and benchmarks that need the ingested tables without a Dagster run.
"""

import datetime as dt
from pathlib import Path

import duckdb

from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY
from arena_pipeline.ingest import fetch_days, load_days
from arena_pipeline.source import ReleaseSource
from arena_pipeline.warehouse import create_ingest_tables

HISTORY_DIR = Path(__file__).resolve().parents[2] / "shared" / "arena-history" / "releases"


def load_history(conn: duckdb.DuckDBPyConnection, releases_dir: Path = HISTORY_DIR) -> None:
    source = ReleaseSource(str(releases_dir))
    last = source.latest_local_day()
    days = [FIRST_RELEASE_DAY + dt.timedelta(days=i) for i in range((last - FIRST_RELEASE_DAY).days + 1)]
    create_ingest_tables(conn)
    fetched = fetch_days(conn, source, days)
    assert not fetched.failures, fetched.failure_summary("fetch")
    loaded = load_days(conn, days)
    assert not loaded.failures, loaded.failure_summary("load")
