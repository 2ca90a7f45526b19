"""Wall time of the README's main job (full backfill) and of a one-day update.

    python benchmarks/pipeline_timings.py [--source ../shared/arena-history/releases]

Runs the real `arena-pipeline` command in a fresh temporary folder, each step once.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(ROOT.parent / "shared/arena-history/releases"))
    args = parser.parse_args()
    cli = str(Path(sys.executable).parent / "arena-pipeline")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ARENA_SOURCE": args.source, "ARENA_DB": f"{folder}/arena.duckdb",
               "ARENA_REPORTS_DIR": f"{folder}/reports", "DAGSTER_HOME": f"{folder}/home",
           # The CSV path against its references: the official dataset stays out of it.
           "ARENA_DATASET_SOURCE": "off"}
        print(f"full backfill: {timed([cli, 'backfill'], env):6.1f} s")
        print(f"update:        {timed([cli, 'update'], env):6.1f} s")
        print(f"database size: {Path(folder, 'arena.duckdb').stat().st_size / 2**20:6.1f} MiB")


if __name__ == "__main__":
    main()
