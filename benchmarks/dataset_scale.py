"""The official dataset path at its real size, against a plain DuckDB script, in one run.

    python benchmarks/dataset_scale.py [--subsets 1 2 whole] [--reps 1] [--dates 178]
                                       [--memory-cap-gib 2] [--workdir DIR]

Generates (once, in workdir) `text/full`-sized files with the real one's churn
(tests/dataset_fixtures.write_text_history: ~1.09 M rows, 29 categories, 178 publish dates,
models arriving, leaving, missing for a date and renamed, an Elo era without bounds): `text`
alone (1 subset), `text` + `text_style_control` (2 subsets), and "whole": those two and six
smaller subsets (vision, webdev, search, ...: the first third of the dates, ~130 k rows each;
~2.95 M rows in all), each also with one more publish date. Per variant and repetition, each
command its own process (start-up and imports count):

  1. `arena-pipeline dataset` from scratch (fresh database, reports folder and DAGSTER_HOME) on
     a local copy at revision A;
  2. the same command again, the copy unchanged (a repeat: the revision check says so);
  3. the copy moves to revision B, the same files with one more publish date appended, and the
     command again (one new date);
  4. benchmarks/reference_dataset_duckdb.py over the files of revision A, into a fresh file.

--memory-cap-gib N runs each pipeline command inside a memory cgroup of N GiB (root and a
cgroup v1 or v2 memory controller; the machine's other memory does not count): "loads on a
machine with N GiB free". A command the cap kills fails the benchmark.

Prints wall time, the ratio to the reference, CPU time and the peak RSS of each command's
process tree (sampled every 20 ms from /proc), and the pipeline's profile by stage (each step's
time from the run's Dagster event log; "outside steps" is start-up, run creation and exit).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
# The smaller subsets of "whole", generated with a third of the dates (the real ones are smaller still).
SMALL_SUBSETS = ["vision", "vision_style_control", "webdev", "search", "search_style_control", "text_to_image"]
SUBSETS = {"1": ["text"], "2": ["text", "text_style_control"], "whole": ["text", "text_style_control", *SMALL_SUBSETS]}
FILE = "full-00000-of-00001.parquet"


def tree_rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants, in KiB (0 once it is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def memory_cgroup(gib: float) -> Path:
    """A new memory cgroup capped at gib GiB, swap included (cgroup v2, else v1)."""
    limit = str(int(gib * 2**30))
    v2 = Path("/sys/fs/cgroup")
    if (v2 / "cgroup.controllers").exists() and "memory" in (v2 / "cgroup.controllers").read_text():
        group = v2 / f"arena-dataset-scale-{os.getpid()}"
        group.mkdir(exist_ok=True)
        (group / "memory.max").write_text(limit)
        (group / "memory.swap.max").write_text("0")
        return group
    v1 = Path("/sys/fs/cgroup/memory")
    if (v1 / "cgroup.procs").exists():
        group = v1 / f"arena-dataset-scale-{os.getpid()}"
        group.mkdir(exist_ok=True)
        (group / "memory.limit_in_bytes").write_text(limit)
        if (group / "memory.memsw.limit_in_bytes").exists():
            (group / "memory.memsw.limit_in_bytes").write_text(limit)
        return group
    raise SystemExit("--memory-cap-gib needs root and a cgroup memory controller")


def run(command: list[str], env: dict | None = None, cgroup: Path | None = None) -> dict:
    """Wall and CPU seconds and peak tree RSS (MiB) of one command, which must succeed (inside
    cgroup when given)."""
    def enter_cgroup() -> None:
        (cgroup / "cgroup.procs").write_text(str(os.getpid()))

    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   preexec_fn=enter_cgroup if cgroup else None)
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss_kib(process.pid))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        output.seek(0)
        text = output.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        killed = " (killed: the memory cap?)" if os.waitstatus_to_exitcode(status) < 0 else ""
        raise SystemExit(f"{' '.join(command)} failed{killed}:\n{text[-4000:]}")
    return {"wall": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": max(peak[0], usage.ru_maxrss) / 1024, "output": text}


def generate(workdir: Path, dates: int, subsets: list[str]) -> dict[int, Path]:
    """{dates: folder, dates + 1: folder}, each with the subsets' files."""
    from tests.dataset_fixtures import write_text_history

    folders = {}
    for count in (dates, dates + 1):
        folder = workdir / f"data-{count}"
        for subset in subsets:
            path = folder / subset / FILE
            if not path.exists():
                started = time.perf_counter()
                # A small subset has the first third of the dates (and one more in dates + 1).
                rows = write_text_history(path, style_control=subset.endswith("_style_control"),
                                          dates=count if subset not in SMALL_SUBSETS else count - 2 * dates // 3)
                print(f"generated {path}: {rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        folders[count] = folder
    return folders


def point_copy(view: Path, data: Path, subsets: list[str], revision: str) -> None:
    """The local copy the pipeline reads: hard links to one generated folder's files (the
    pipeline refuses a symbolic link out of its source folder; a copy where links cannot be)."""
    for subset in subsets:
        link = view / subset / FILE
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        try:
            link.hardlink_to(data / subset / FILE)
        except OSError:
            shutil.copyfile(data / subset / FILE, link)
    (view / "revision.json").write_text(json.dumps({"sha": revision}))


def stage_times(dagster_home: Path, runs_before: int) -> dict[str, float]:
    """Seconds per step of the newest run in this DAGSTER_HOME; nothing when the command
    started no run (it found nothing changed before starting Dagster)."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        if len(runs) == runs_before:
            return {"(run, start to end)": 0.0}
        stats = instance.get_run_step_stats(runs[0].run_id)
        run_stats = instance.get_run_stats(runs[0].run_id)
    steps = {s.step_key: (s.end_time or 0) - (s.start_time or 0) for s in stats if s.end_time}
    steps["(run, start to end)"] = (run_stats.end_time or 0) - (run_stats.start_time or 0)
    return steps


def run_count(dagster_home: Path) -> int:
    if not dagster_home.exists():
        return 0
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    with dg.DagsterInstance.get() as instance:
        return len(instance.get_runs())


def pipeline_once(folders: dict[int, Path], dates: int, subsets: list[str], work: Path,
                  cgroup: Path | None) -> dict:
    view = work / "source"
    point_copy(view, folders[dates], subsets, f"rev-{dates}")
    (work / "no-csv-source").mkdir()  # the CSV source is not read by the dataset job
    env = {**os.environ, "ARENA_SOURCE": str(work / "no-csv-source"), "ARENA_DB": str(work / "arena.duckdb"),
           "ARENA_REPORTS_DIR": str(work / "reports"), "DAGSTER_HOME": str(work / "dagster_home"),
           "ARENA_DATASET_SOURCE": str(view), "ARENA_DATASET_SUBSETS": ",".join(subsets)}
    command = [str(BIN / "arena-pipeline"), "dataset"]
    results = {}
    for name in ("from scratch", "repeat", "one new date"):
        if name == "one new date":
            point_copy(view, folders[dates + 1], subsets, f"rev-{dates + 1}")
        before = run_count(work / "dagster_home")
        results[name] = run(command, env, cgroup)
        results[name]["stages"] = stage_times(work / "dagster_home", before)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subsets", nargs="+", default=["1", "2"], choices=list(SUBSETS))
    parser.add_argument("--memory-cap-gib", type=float, help="run the pipeline in a memory cgroup of this size")
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--dates", type=int, default=178)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "arena-dataset-scale")
    args = parser.parse_args()
    folders = generate(args.workdir, args.dates, sorted({s for v in args.subsets for s in SUBSETS[v]}))
    cgroup = memory_cgroup(args.memory_cap_gib) if args.memory_cap_gib else None
    python = str(BIN / "python")
    print(f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    for variant in args.subsets:
        subsets = SUBSETS[variant]
        samples: dict[str, list[dict]] = {}
        for rep in range(args.reps):
            with tempfile.TemporaryDirectory(prefix="arena-dataset-scale-") as work:
                for name, result in pipeline_once(folders, args.dates, subsets, Path(work), cgroup).items():
                    samples.setdefault(name, []).append(result)
                reference = run([python, str(ROOT / "benchmarks/reference_dataset_duckdb.py"),
                                 str(folders[args.dates]), str(Path(work) / "reference.duckdb"), *subsets])
                samples.setdefault("reference", []).append(reference)
            print(f"{variant} subset(s), rep {rep + 1}/{args.reps}: " + ", ".join(
                f"{name} {values[-1]['wall']:.1f} s" for name, values in samples.items()), file=sys.stderr)
        report(variant, subsets, samples, args.reps, args.memory_cap_gib)
    print(f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    if cgroup:
        cgroup.rmdir()


def report(variant: str, subsets: list[str], samples: dict[str, list[dict]], reps: int, cap: float | None) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(sample[key] for sample in samples[name])

    reference = median("reference", "wall")
    print(f"\n{variant} subset(s) ({', '.join(subsets)}), medians of {reps} run(s); "
          f"reference: {samples['reference'][-1]['output'].strip().splitlines()[-1]}"
          + (f"; the pipeline in a {cap:g} GiB memory cgroup" if cap else ""))
    print("| | wall | ratio to the plain script | CPU | peak RSS (process tree) |")
    print("|---|---:|---:|---:|---:|")
    for name in ("from scratch", "repeat", "one new date", "reference"):
        label = "plain DuckDB script" if name == "reference" else f"`arena-pipeline dataset`, {name}"
        print(f"| {label} | {median(name, 'wall'):.1f} s | {median(name, 'wall') / reference:.2f}x "
              f"| {median(name, 'cpu'):.1f} s | {max(s['rss'] for s in samples[name]):,.0f} MiB |")
    print("\nprofile by stage (seconds, median; step times from the run's event log)")
    names = ["from scratch", "repeat", "one new date"]
    steps = sorted({step for name in names for sample in samples[name] for step in sample["stages"]})
    print("| stage | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for step in steps:
        cells = []
        for name in names:
            values = [s["stages"][step] for s in samples[name] if step in s["stages"]]
            cells.append(f"{statistics.median(values):.2f}" if values else "skipped")
        print(f"| {step} | " + " | ".join(cells) + " |")
    outside = [f"{statistics.median(s['wall'] - s['stages']['(run, start to end)'] for s in samples[n]):.2f}"
               for n in names]
    print("| outside the run (start-up, imports, exit) | " + " | ".join(outside) + " |")


if __name__ == "__main__":
    main()
