"""Load the real upstream history (../shared/arena-history) through the real ingestion
(ingest_range from a local source) into any DuckDB connection.

For tests and benchmarks that need the ingested tables without a Dagster run.
"""

import datetime as dt
import hashlib
import shutil
from importlib import resources
from pathlib import Path

import duckdb

from arena_pipeline.defs.partitions import FIRST_RELEASE_DAY
from arena_pipeline.ingest.releases import ingest_range
from arena_pipeline.sources.releases import ReleaseSource

HISTORY_DIR = (Path(__file__).resolve().parents[2] / "shared" / "arena-history" / "releases").resolve()


def load_history(conn: duckdb.DuckDBPyConnection, releases_dir: Path = HISTORY_DIR) -> None:
    source = ReleaseSource(str(releases_dir))
    last = source.latest_local_day()
    days = [FIRST_RELEASE_DAY + dt.timedelta(days=i) for i in range((last - FIRST_RELEASE_DAY).days + 1)]
    report = ingest_range(conn, source, days)
    assert not report.failures, report.failure_summary()


# What an ingested history depends on: the ingestion code and SQL, and the release files.
_INGEST_CODE = ["ingest/releases.py", "ingest/normalize.py", "sources/releases.py", "warehouse/database.py"]


def ingest_fingerprint(releases_dir: Path = HISTORY_DIR) -> str:
    digest = hashlib.sha256()
    package = resources.files("arena_pipeline")
    for name in _INGEST_CODE:
        digest.update(package.joinpath(*name.split("/")).read_bytes())
    for sql in sorted(package.joinpath("sql", "ingest").iterdir(), key=lambda path: path.name):
        digest.update(sql.name.encode() + sql.read_bytes())
    for path in sorted(releases_dir.glob("*/*")):
        digest.update(f"{path.parent.name}/{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def ingested_history_file(cache_dir: Path) -> Path:
    """A DuckDB file holding the ingested real history, made once and reused while neither the
    ingestion code nor the release files change. Callers copy it before writing."""
    cached = cache_dir / f"ingested-{ingest_fingerprint()}.duckdb"
    if not cached.exists():
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with duckdb.connect(str(partial)) as conn:
            load_history(conn)
        partial.rename(cached)
    return cached


def copy_of(database: Path, folder: Path) -> Path:
    target = folder / "arena.duckdb"
    shutil.copyfile(database, target)
    return target
