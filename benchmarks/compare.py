"""The pipeline against two plain references on one release folder: wall time, ratio, memory.

    python benchmarks/compare.py                                  # the real history (1x)
    python benchmarks/compare.py --years 3                        # a synthetic history, 3 years
    python benchmarks/compare.py --years 10 --pipeline-reps 1     # 10 years, pipeline once

Per repetition, alternating so that a busy machine slows every command alike:
  1. `arena-pipeline backfill` (the CLI, fresh database, reports folder and DAGSTER_HOME) over
     every release but the newest;
  2. the newest release appears, then `arena-pipeline update` (the daily run; the newest release
     repeats the previous day's data, as ~80% of releases do), then a release one day later with
     new data (the newest files with the top row's score raised by one point) and `update` again;
  3. benchmarks/reference_pandas.py and 4. benchmarks/reference_duckdb.py over every release.
Each command is its own process: start-up and imports count, as they do for a user. Prints the
medians, the backfill's ratio to each reference (wall time, and CPU time, which other work on a
shared machine disturbs less), and each command's peak RSS (max over reps).

The newest release is held back by giving the pipeline a folder of hard links to the
releases' files (the pipeline refuses symbolic links out of its source folder). Synthetic
histories are generated under /tmp by benchmarks/synth_history.py; they start on the first real
release day, so 3 or 10 years reach past today. Dagster records per-partition events only for
partitions that exist (the daily partitions end tomorrow), so the pipeline then runs under
libfaketime (`apt-get install faketime`) with its clock moved to two days after the history's
last day, as if run then.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_HISTORY = ROOT.parent / "shared/arena-history/releases"
BIN = Path(sys.executable).parent


def run(command: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MiB, CPU seconds) of one command, which must succeed."""
    # stderr goes to a file, not a pipe: wait4 does not read a pipe, so a command writing more
    # than the pipe holds (a failing backfill's log) would block forever.
    with tempfile.TemporaryFile() as stderr_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr_file)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        stderr_file.seek(0)
        stderr = stderr_file.read().decode(errors="replace")
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # RSS in KiB on Linux


def source_counts(source: Path) -> dict[str, int]:
    files = list(source.glob("*/*.csv"))
    rows = sum(path.read_bytes().count(b"\n") - 1 for path in files)
    return {"release_days": len(list(source.iterdir())), "files": len(files), "csv_rows": rows}


def clock_shift(releases: list[Path]) -> list[str]:
    """A `faketime` prefix that puts the clock two days after the newest release (and the
    new-data day after it), or nothing when that is not in the future."""
    newest = dt.datetime.strptime(releases[-1].name, "%Y.%m.%d").date()
    days = (newest - dt.datetime.now(dt.UTC).date()).days + 2
    if days <= 0:
        return []
    if shutil.which("faketime") is None:
        raise SystemExit("this history reaches past today: install faketime (apt-get install faketime)")
    return ["faketime", "-f", f"+{days}d"]


def pipeline_once(releases: list[Path], work: Path) -> dict[str, tuple[float, float, float]]:
    """Backfill all releases but the newest, let the newest appear and update, then a day with
    new data and update."""
    view = work / "source"
    view.mkdir()
    for folder in releases[:-1]:
        link_release(folder, view)
    env = {**os.environ, "ARENA_SOURCE": str(view), "ARENA_DB": str(work / "arena.duckdb"),
           "ARENA_REPORTS_DIR": str(work / "reports"), "DAGSTER_HOME": str(work / "dagster_home"),
           # The CSV path against its references: the official dataset stays out of it.
           "ARENA_DATASET_SOURCE": "off"}
    cli = [*clock_shift(releases), str(BIN / "arena-pipeline")]
    backfill = run([*cli, "backfill"], env)
    link_release(releases[-1], view)
    update = run([*cli, "update"], env)
    changed_day = dt.datetime.strptime(releases[-1].name, "%Y.%m.%d").date() + dt.timedelta(days=1)
    changed = view / changed_day.strftime("%Y.%m.%d")
    changed.mkdir()
    for path in sorted(releases[-1].glob("*.csv")):
        (changed / path.name).write_bytes(with_new_top_score(path.read_bytes()))
    update_new_data = run([*cli, "update"], env)
    return {"backfill": backfill, "update": update, "update_new_data": update_new_data}


def link_release(folder: Path, view: Path) -> None:
    """The release's files in the pipeline's source folder: hard links (the pipeline refuses a
    symbolic link out of its source folder), a copy where links cannot be."""
    (view / folder.name).mkdir()
    for path in folder.iterdir():
        try:
            (view / folder.name / path.name).hardlink_to(path)
        except OSError:
            shutil.copyfile(path, view / folder.name / path.name)


def with_new_top_score(content: bytes) -> bytes:
    """The CSV with the score of its first row one point higher (any header variant)."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    column = next(i for i, name in enumerate(rows[0]) if name in ("arena_score", "arena_elo"))
    rows[1][column] = str(int(float(rows[1][column])) + 1)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def measure(source: Path, reps: int, pipeline_reps: int) -> dict:
    releases = sorted(path for path in source.iterdir() if path.is_dir())
    samples: dict[str, list[tuple[float, float, float]]] = {
        "backfill": [], "update": [], "update_new_data": [], "pandas": [], "duckdb": []}
    python = str(BIN / "python")
    load = [os.getloadavg()[0]]
    for rep in range(reps):
        if rep < pipeline_reps:
            with tempfile.TemporaryDirectory(prefix="arena-bench-") as work:
                for name, sample in pipeline_once(releases, Path(work)).items():
                    samples[name].append(sample)
        samples["pandas"].append(run([python, str(ROOT / "benchmarks/reference_pandas.py"), str(source)]))
        samples["duckdb"].append(run([python, str(ROOT / "benchmarks/reference_duckdb.py"), str(source)]))
        print(f"rep {rep + 1}/{reps}: " + ", ".join(
            f"{name} {values[-1][0]:.1f} s" for name, values in samples.items() if len(values) > rep),
            file=sys.stderr)
    result = {"source": str(source), **source_counts(source), "reps": reps,
              "pipeline_reps": pipeline_reps,
              # Other work on the machine slows every command; the ratios are the robust figures.
              "load_avg_1m_start_end": [round(load[0], 1), round(os.getloadavg()[0], 1)]}
    for name, values in samples.items():
        result[f"{name}_s"] = round(statistics.median(v[0] for v in values), 2)
        result[f"{name}_peak_rss_mib"] = round(max(v[1] for v in values))
        result[f"{name}_cpu_s"] = round(statistics.median(v[2] for v in values), 2)
    result["ratio_to_pandas"] = round(result["backfill_s"] / result["pandas_s"], 1)
    result["ratio_to_duckdb"] = round(result["backfill_s"] / result["duckdb_s"], 1)
    # CPU time is less sensitive than wall time to other work on the machine.
    result["cpu_ratio_to_pandas"] = round(result["backfill_cpu_s"] / result["pandas_cpu_s"], 1)
    return result


def table(results: list[dict]) -> str:
    lines = ["| history | release days | CSV rows | full backfill (CLI) | pandas script | ratio | "
             "DuckDB read_csv | ratio | CPU ratio to pandas | `update`, repeated / new data | "
             "peak RSS backfill / update |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['release_days']:,} | {r['csv_rows']:,} | {r['backfill_s']:.1f} s | "
            f"{r['pandas_s']:.1f} s | {r['ratio_to_pandas']}x | {r['duckdb_s']:.1f} s | "
            f"{r['ratio_to_duckdb']}x | {r['cpu_ratio_to_pandas']}x | {r['update_s']:.1f} s / "
            f"{r['update_new_data_s']:.1f} s | "
            f"{r['backfill_peak_rss_mib']} / {max(r['update_peak_rss_mib'], r['update_new_data_peak_rss_mib'])} MiB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help=f"release folder (default {REAL_HISTORY})")
    parser.add_argument("--years", type=float, nargs="*", default=[],
                        help="synthetic histories of these lengths instead (generated under /tmp)")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--pipeline-reps", type=int, help="pipeline runs (default: --reps)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    pipeline_reps = min(args.pipeline_reps or args.reps, args.reps)

    sources = []
    if args.source or not args.years:
        sources.append(("real" if not args.source else args.source.name,
                        (args.source or REAL_HISTORY).resolve()))
    if args.years:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from synth_history import SYNTH_VERSION, generate

        for years in args.years:
            folder = Path(tempfile.gettempdir()) / f"arena-synth-{SYNTH_VERSION}-{years:g}y"
            if not folder.is_dir():
                print(f"generating {folder}: {generate(folder, years)}", file=sys.stderr)
            sources.append((f"{years:g} years synthetic", folder))

    results = []
    for label, source in sources:
        print(f"{label}: {source}", file=sys.stderr)
        results.append({"label": label, **measure(source, args.reps, pipeline_reps)})
    print(table(results))
    for r in results:
        print(f"{r['label']}: load average {r['load_avg_1m_start_end']} on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
