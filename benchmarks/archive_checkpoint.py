"""What archiving one more file costs as the raw-file archive grows (DuckDB's checkpoint).

    python benchmarks/archive_checkpoint.py [--files 24] [--mib 18]

Archives --files distinct files of --mib MiB (random bytes: parquet does not compress further)
into `raw_files` of a fresh database, with the project's own SQL, each in its own transaction
and followed by a checkpoint, as a dataset refresh does per subset (a connection's close
checkpoints). Prints the seconds of each insert and checkpoint, and the file's size: the archive
is one row group, so each checkpoint rewrites every blob already archived, and the cost of one
more file grows with the archive, not with the file.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arena_pipeline.warehouse.database import create_ingest_tables, run_sql, transaction  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--mib", type=float, default=18)
    args = parser.parse_args()
    size = int(args.mib * 2**20)
    with tempfile.TemporaryDirectory(prefix="archive-checkpoint-") as folder:
        path = Path(folder, "archive.duckdb")
        with duckdb.connect(str(path)) as conn:
            create_ingest_tables(conn)
            print("| files archived before | insert | checkpoint | database file |")
            print("|---:|---:|---:|---:|")
            for number in range(args.files):
                content = os.urandom(size)
                started = time.perf_counter()
                with transaction(conn):
                    run_sql(conn, "ingest/insert_raw_file", {
                        "sha256": hashlib.sha256(content).hexdigest(), "size_bytes": size, "content": content,
                        "url": f"https://example.test/file-{number}.parquet",
                        "fetched_at": datetime.now(UTC).replace(tzinfo=None)})
                inserted = time.perf_counter()
                conn.execute("checkpoint")
                done = time.perf_counter()
                print(f"| {number} | {inserted - started:.2f} s | {done - inserted:.2f} s "
                      f"| {path.stat().st_size / 2**20:,.0f} MiB |")


if __name__ == "__main__":
    main()
