"""Time loading a `text/full`-sized file of the official dataset (~1.1 M rows) into DuckDB.

    python benchmarks/dataset_load.py [workdir]

Generates deterministic `text` and `text_style_control` full files (tests/dataset_fixtures.py),
then loads each through the same code the asset runs (checks, staging, insert with rank_ub
derivation, the rank_stylectrl join, dataset_snapshots), into a fresh DuckDB file, twice: the
second load of the same content replaces the subset's rows (the idempotent path).
"""

import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arena_pipeline.ingest.dataset import create_dataset_tables, load_dataset_file, refresh_dataset  # noqa: E402
from arena_pipeline.sources.dataset import DatasetFile, DatasetSource, utc_now  # noqa: E402
from tests.dataset_fixtures import write_text_full  # noqa: E402


def main() -> None:
    workdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="dataset-bench-"))
    files = {}
    for subset, style_control in (("text", False), ("text_style_control", True)):
        path = workdir / subset / "full-00000-of-00001.parquet"
        started = time.perf_counter()
        rows = write_text_full(path, style_control=style_control)
        print(f"generated {subset}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")
        files[subset] = path
    db = workdir / "bench.duckdb"
    db.unlink(missing_ok=True)
    with duckdb.connect(str(db)) as conn:
        create_dataset_tables(conn)
        for attempt in ("first load", "reload"):
            for subset, path in files.items():
                fetched = DatasetFile(subset, "full", str(path), path.read_bytes(), utc_now())
                started = time.perf_counter()
                counts = load_dataset_file(conn, fetched)
                print(f"{attempt} {subset}: {counts['rows_loaded']:,} rows, {counts['boards']:,} boards "
                      f"in {time.perf_counter() - started:.1f} s")
        total = conn.execute("select count(*), count(distinct (arena, category, style_control)) "
                             "from dataset_entries").fetchone()
        print(f"dataset_entries: {total[0]:,} rows on {total[1]} boards; database {db.stat().st_size / 1e6:.0f} MB")
    # End to end, as the asset runs it on a fresh database: revision check, read, archive, load.
    fresh = workdir / "end_to_end.duckdb"
    fresh.unlink(missing_ok=True)
    with duckdb.connect(str(fresh)) as conn:
        started = time.perf_counter()
        report = refresh_dataset(conn, DatasetSource(str(workdir)), list(files))
        print(f"refresh_dataset (local copy, both subsets, archive included): "
              f"{sum(s.rows_loaded for s in report.subsets):,} rows in {time.perf_counter() - started:.1f} s; "
              f"database {fresh.stat().st_size / 1e6:.0f} MB")
        started = time.perf_counter()
        again = refresh_dataset(conn, DatasetSource(str(workdir)), list(files))
        print(f"refresh_dataset again (unchanged: {again.unchanged}) in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
