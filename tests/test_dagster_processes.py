"""A team's deployment, once: the Dagster webserver, the daemon and the code location started as
three processes against one PostgreSQL instance and one workspace file; a run launched from the
webserver (GraphQL launchRun) is queued, started by the daemon and executed by the code location,
and the daemon's sensor ticks land in PostgreSQL. README "Running it for a team" says which
settings each process needs; this test gives each exactly those.
"""

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.cli import DAGSTER_CONCURRENCY
from arena_pipeline.defs.partitions import range_tags
from arena_pipeline.warehouse.event_storage import EVENT_BATCH_SIZE, PG_URL_ENV, postgres_dagster_yaml, psycopg2_url
from tests.cli_fixtures import HANG_GUARD_SECONDS
from tests.conftest import RELEASES

BIN = Path(sys.executable).parent
LOCATION = "arena_pipeline"
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""
TICKS = """
query Ticks($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status ticks(limit: 5) { status timestamp } } }
  }
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _graphql(port: int, query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    assert "errors" not in body, body["errors"]
    return body["data"]


def _wait_for(what: str, probe, processes: dict[str, subprocess.Popen], seconds: float = HANG_GUARD_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in processes.items():
            assert process.poll() is None, f"{name} exited: {process.returncode}"
        with contextlib.suppress(OSError, ValueError):
            value = probe()
            if value:
                return value
        time.sleep(0.5)
    raise AssertionError(f"waited {seconds} s for {what}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group (a code server's run workers included), then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.slow
def test_webserver_daemon_and_code_location_apart_on_postgresql(tmp_path, postgres_server):
    if postgres_server is None:
        from tests.postgres_server import unavailable_reason

        pytest.skip(f"Dagster on PostgreSQL: {unavailable_reason()}")
    url = psycopg2_url(postgres_server.create_database("team"))
    # The one instance: the same dagster.yaml in each process's DAGSTER_HOME (here one folder).
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(postgres_dagster_yaml() + DAGSTER_CONCURRENCY)
    grpc_port, web_port = _free_port(), _free_port()
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(f"load_from:\n  - grpc_server:\n      host: 127.0.0.1\n      port: {grpc_port}\n"
                         f"      location_name: {LOCATION}\n")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARENA_", "DAGSTER_"))}
    instance_env = base | {"DAGSTER_HOME": str(home), PG_URL_ENV: url}
    db = tmp_path / "warehouse" / "arena.duckdb"
    # Only the code location knows the pipeline's settings: runs execute there.
    code_env = base | {PG_URL_ENV: url, "ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(db),
                               "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
                               "ARENA_DATASET_SOURCE": "off", "DAGSTER_EVENT_BATCH_SIZE": EVENT_BATCH_SIZE}
    commands = {
        "code location": ([str(BIN / "dagster"), "code-server", "start", "-m", "arena_pipeline.definitions",
                           "-h", "127.0.0.1", "-p", str(grpc_port), "--location-name", LOCATION], code_env),
        "webserver": ([str(BIN / "dagster-webserver"), "-w", str(workspace), "-h", "127.0.0.1",
                       "-p", str(web_port)], instance_env),
        "daemon": ([str(BIN / "dagster-daemon"), "run", "-w", str(workspace)], instance_env),
    }
    processes: dict[str, subprocess.Popen] = {}
    logs = {name: (tmp_path / f"{name.replace(' ', '_')}.log").open("w") for name in commands}
    try:
        for name, (command, env) in commands.items():
            # Each in its own folder: nothing is found through the working directory.
            folder = tmp_path / name.replace(" ", "_")
            folder.mkdir()
            processes[name] = subprocess.Popen(command, env=env, cwd=folder, stdout=logs[name],
                                               stderr=subprocess.STDOUT, start_new_session=True)
        location = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}
        _wait_for("the webserver to load the code location", lambda: _graphql(web_port, TICKS, {
            "selector": location | {"sensorName": "pool_housekeeping"}})["sensorOrError"]["__typename"] == "Sensor",
            processes)

        tags = range_tags(dt.date(2025, 7, 26), dt.date(2025, 7, 28))
        launched = _graphql(web_port, LAUNCH, {"params": {
            "selector": location | {"jobName": "refresh"}, "runConfigData": {},
            "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in tags.items()]}}})["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]

        os.environ[PG_URL_ENV] = url  # this test process reads the instance too
        try:
            with dg.DagsterInstance.from_config(str(home)) as instance:
                status = _wait_for("the run to end", lambda: (
                    (run := instance.get_run_by_id(run_id)) and run.is_finished and run.status), processes)
                assert status == dg.DagsterRunStatus.SUCCESS, [
                    e.message for e in instance.all_logs(run_id) if e.message][-10:]
                messages = [entry.message or "" for entry in instance.all_logs(run_id)]
                run = instance.get_run_by_id(run_id)
        finally:
            del os.environ[PG_URL_ENV]
        # Queued by the webserver, dequeued by the daemon, executed by a process of the code
        # location (which alone has ARENA_DB: the run's database tag and the file say where it ran).
        assert run.tags["arena/database"] == str(db)
        assert any(m.startswith("Started process for run (pid:") for m in messages), messages[:20]
        with duckdb.connect(str(db), read_only=True) as conn:
            assert conn.execute("select count(distinct snapshot_date) from snapshots").fetchone() == (3,)
        ticks = _wait_for("a sensor tick", lambda: _graphql(web_port, TICKS, {
            "selector": location | {"sensorName": "pool_housekeeping"}})["sensorOrError"]["sensorState"]["ticks"],
            processes, seconds=120)
        assert ticks[0]["status"] in ("SKIPPED", "SUCCESS")
        import psycopg2

        with psycopg2.connect(url.replace("+psycopg2", "")) as conn, conn.cursor() as cursor:
            cursor.execute("select count(*) > 0 from job_ticks")  # the daemon wrote it there
            assert cursor.fetchone() == (True,)
    finally:
        for process in reversed(processes.values()):
            _stop(process)
        for log in logs.values():
            log.close()

