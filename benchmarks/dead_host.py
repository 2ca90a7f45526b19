"""Time for `arena-pipeline backfill` (or `dataset`) to fail against an upstream that does not serve.

    python benchmarks/dead_host.py [--kind refused|silent] [--days 5]   (--days 0: the full range)
    python benchmarks/dead_host.py --dataset [--kind refused|silent]    (the official dataset's Hub)

`refused`: nothing listens on the port (as a dead host or an offline machine); `silent`: a
loopback server accepts connections and never answers. Prints the exit code, the wall time and
the command's last line. Only 127.0.0.1 is contacted.
"""

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def silent_server() -> tuple[str, socket.socket]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []

    def accept_forever():
        while True:
            try:
                accepted.append(listener.accept()[0])  # held open, never answered
            except OSError:
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", listener


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # closed again: connections are refused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["refused", "silent"], default="refused")
    parser.add_argument("--days", type=int, default=5, help="0 = the default (full) range")
    parser.add_argument("--dataset", action="store_true", help="`dataset` against a dead Hub")
    args = parser.parse_args()
    listener = None
    if args.kind == "silent":
        url, listener = silent_server()
    else:
        url = refused_url()
    cli = str(Path(sys.executable).parent / "arena-pipeline")
    command = [cli, "dataset" if args.dataset else "backfill"]
    if args.days and not args.dataset:
        end = dt.date(2024, 11, 4) + dt.timedelta(days=args.days - 1)
        command += ["--start", "2024-11-04", "--end", end.isoformat()]
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ARENA_SOURCE": url, "ARENA_DB": f"{folder}/arena.duckdb",
               "ARENA_REPORTS_DIR": f"{folder}/reports", "DAGSTER_HOME": f"{folder}/home",
               "ARENA_DATASET_SOURCE": f"{url}/datasets/lmarena-ai/leaderboard-dataset/resolve/main"}
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if listener is not None:
        listener.close()
    summary = [line for line in done.stderr.splitlines() if "no usable answer" in line]
    what = "dataset" if args.dataset else f"{args.days or 'full'} days"
    print(f"{args.kind}, {what}: exit {done.returncode} after {seconds:.1f} s")
    print(summary[-1].strip() if summary else done.stderr[-2000:])


if __name__ == "__main__":
    main()
