"""Runs left `STARTED` by a process that was killed: found by their process id, marked failed,
and the concurrency pool slots they held given back.

Dagster's run monitoring cannot do this for our runs: the default run launcher does not
support worker health checks, and runs of `execute_in_process` (the CLI's) have no launcher at
all. Every run records the process that executes it — the CLI tags its runs with RUN_PID_TAG,
and Dagster's in-process executor logs an engine event with a `pid` — so a run whose process is
gone, or whose pid now belongs to a process started after the run, is dead.

A dead run also keeps its slot of the DuckDB pool (dagster.yaml limits it to one step at a time):
only the daemon frees slots of finished runs, so without it every later run would wait for ever.
"""

import os
from pathlib import Path

import dagster as dg

RUN_PID_TAG = "arena_pipeline/pid"
# Process start times come in clock ticks since boot; allow for rounding against run times.
_START_TIME_SLACK_SECONDS = 2.0


def fail_runs_whose_process_is_gone(instance: dg.DagsterInstance) -> list[str]:
    """Mark every STARTED run of the instance whose process has died as failed, and every
    NOT_STARTED run of a CLI process that died before the run could start (a full disk stopped
    its first event); one line each."""
    lines = []
    records = instance.get_run_records(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.NOT_STARTED]))
    for record in records:
        run = record.dagster_run
        if run.status == dg.DagsterRunStatus.NOT_STARTED:
            # Only the CLI's own: a run the UI or the daemon launched waits there for its process.
            pid = int(run.tags[RUN_PID_TAG]) if RUN_PID_TAG in run.tags else None
            since = record.create_timestamp.timestamp()
        else:
            pid, since = _run_pid(instance, run), record.start_time
        if pid is None or _alive_since(pid, since):
            continue
        message = (f"Marked failed by arena-pipeline: process {pid} that executed this run is "
                   "gone (killed or crashed).")
        instance.report_run_failed(run, message)
        lines.append(f"run {run.run_id} was left {run.status.value} by process {pid}, which is gone; "
                     "marked failed")
    lines += _free_slots_of_finished_runs(instance)
    return lines


def _free_slots_of_finished_runs(instance: dg.DagsterInstance) -> list[str]:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    lines = []
    for run_id in sorted(storage.get_concurrency_run_ids()):
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
            lines.append(f"freed the pool slots held by run {run_id}, which has ended")
    return lines


def _run_pid(instance: dg.DagsterInstance, run: dg.DagsterRun) -> int | None:
    if RUN_PID_TAG in run.tags:
        return int(run.tags[RUN_PID_TAG])
    for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.event_specific_data if entry.dagster_event else None
        pid = getattr(data, "metadata", {}).get("pid") if data is not None else None
        if pid is not None:
            return int(pid.value)
    return None


def _alive_since(pid: int, run_start: float | None) -> bool:
    """Whether process `pid` is running and already was when the run started (not a reuse)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # Fields after the command name, which is in parentheses and may contain spaces.
    fields = stat.rsplit(")", 1)[1].split()
    state, start_ticks = fields[0], int(fields[19])
    if state in ("Z", "X"):
        return False
    if run_start is None:
        return True
    started = _boot_time() + start_ticks / os.sysconf("SC_CLK_TCK")
    return started <= run_start + _START_TIME_SLACK_SECONDS


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise RuntimeError("/proc/stat has no btime line")
