"""Seconds to render and write every report as of the newest release loaded.

    python benchmarks/report_render.py [database] [repeats]

Reads the DuckDB file of a finished backfill (default: ARENA_DB or data/arena.duckdb) read-only
and writes into a fresh temporary folder each time, so every page is really written (a second
run into the same folder would skip the unchanged pages).
"""

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arena_pipeline.reports.build import newest_snapshot, write_all_reports  # noqa: E402
from arena_pipeline.reports.dataset_build import newest_dataset_date  # noqa: E402
from arena_pipeline.settings import load_settings  # noqa: E402


def main() -> None:
    database = Path(sys.argv[1]) if len(sys.argv) > 1 else load_settings().db_path
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    now = datetime.now(UTC)
    timings, count, size = [], 0, 0
    with duckdb.connect(str(database), read_only=True) as conn:
        as_of = newest_snapshot(conn) or newest_dataset_date(conn)  # the day write_all_reports picks
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                reports = write_all_reports(conn, Path(folder), as_of=None, now=now)
                timings.append(time.perf_counter() - started)
                count, size = len(reports), sum(len(r.text.encode()) for r in reports)
    print(f"as of {as_of}: {count} files, {size / 1e6:.1f} MB")
    print(f"write_all_reports: median {statistics.median(timings):.2f} s, "
          f"min {min(timings):.2f} s over {repeats} runs")


if __name__ == "__main__":
    main()
