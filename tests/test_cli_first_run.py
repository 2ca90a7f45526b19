"""The first run and every expected failure, as a user sees them: the real `arena-pipeline`
command in a subprocess, a fresh folder, loopback addresses only.

Each case asserts what the terminal shows (a short summary, no stack traces, each message once,
the exit code the README documents), that Dagster's full detail is in the log file the last line
names, and what the run left in the database and the Dagster instance.
"""

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.cli import CODE_LOCATION
from tests.cli_fixtures import CLI, HANG_GUARD_SECONDS, cli_env, start_cli
from tests.conftest import RELEASES

# What the UI's Jobs > <job> > Runs page filters on (besides the job's name).
REPOSITORY_TAG = ".dagster/repository"
FRAMEWORK_NOISE = ("Traceback", "Stack Trace", "dagster._core", "STEP_FAILURE", "RUN_FAILURE")


def refused_url() -> str:
    """An http base on loopback where nothing listens: what an offline machine gets."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run(root: Path, *args: str, source: str | None = None, dataset_source: str = "off",
        ) -> subprocess.CompletedProcess:
    command = [str(CLI), "--source", source or str(RELEASES), "--dataset-source", dataset_source,
               "--db", str(root / "arena.duckdb"), "--dagster-home", str(root / "dagster_home"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=cli_env(root),
                          timeout=HANG_GUARD_SECONDS)


def log_file_of(last_line: str) -> Path:
    found = re.search(r"Full log: (\S+\.log)", last_line)
    assert found, last_line
    return Path(found.group(1))


def job_runs(root: Path, job_name: str) -> list[dg.DagsterRun]:
    """The runs the UI lists under the job: its name and the code location's repository tag."""
    with dg.DagsterInstance.from_config(str(root / "dagster_home")) as instance:
        return instance.get_runs(filters=dg.RunsFilter(
            job_name=job_name, tags={REPOSITORY_TAG: f"__repository__@{CODE_LOCATION}"}))


def table_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return {name: conn.execute(f'select count(*) from "{name}"').fetchone()[0]  # our names
                for name in ("snapshots", "dataset_entries", "model_versions", "model_events",
                             "v_latest_leaderboard", "v_model_history", "v_biggest_movers")}


def test_offline_first_run_is_short_names_both_sources_and_keeps_the_detail_in_a_file(tmp_path):
    # The README's first command on a fresh machine with no network: both sources refuse.
    dead = refused_url()
    result = run(tmp_path, "backfill", source=dead, dataset_source=dead)
    output = result.stdout + result.stderr
    lines = output.splitlines()
    assert result.returncode == 1, output
    assert len(lines) <= 20, output
    assert not [noise for noise in FRAMEWORK_NOISE if noise in output], output
    # Both sources' settings are named, with what to set them to.
    assert "ARENA_SOURCE=../shared/arena-history/releases" in output
    assert "ARENA_DATASET_SOURCE=" in output
    # Each failed day is said once (it was 3-4 times: step log, check failure, run failure, end).
    host = dead.removeprefix("http://")
    for day in ("2024.07.07", "2024.07.08", "2024.07.09"):
        assert output.count(f"{dead}/{day}/lmsys.csv") == 1, output
    assert output.count(f"{host}: no usable answer for 3 consecutive days") == 1, output
    last = lines[-1]
    assert re.match(r"arena-pipeline: run [0-9a-f-]{36} failed: neither source answered \(offline\?\)", last), last
    assert "Data of days that loaded is kept." in last
    # The full Dagster detail is in the file the last line names (and in the run's event log).
    detail = log_file_of(last).read_text()
    assert "STEP_FAILURE" in detail and "every_day_fetched_and_loaded" in detail
    # Analytics ran on the empty database: every table and view exists, with zero rows.
    assert table_counts(tmp_path / "arena.duckdb") == dict.fromkeys(table_counts(tmp_path / "arena.duckdb"), 0)
    # The run is a run of the job `refresh`, as the UI lists them.
    [listed] = job_runs(tmp_path, "refresh")
    assert listed.status == dg.DagsterRunStatus.FAILURE and listed.run_id in last


def test_dataset_with_the_source_off_on_a_fresh_database_succeeds_with_zero_rows(tmp_path):
    result = run(tmp_path, "dataset", dataset_source="off")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert not [noise for noise in FRAMEWORK_NOISE if noise in result.stdout]
    counts = table_counts(tmp_path / "arena.duckdb")
    assert counts == dict.fromkeys(counts, 0)
    assert result.stdout.splitlines()[-1].endswith(
        f"succeeded; no pages yet in {tmp_path / 'reports'}/: nothing is loaded")
    [listed] = job_runs(tmp_path, "dataset_refresh")
    assert listed.status == dg.DagsterRunStatus.SUCCESS


def test_a_bad_day_ends_with_a_short_summary_and_the_good_day_loaded(tmp_path):
    releases = tmp_path / "releases"
    shutil.copytree(RELEASES / "2025.07.26", releases / "2025.07.26")
    bad = releases / "2025.07.27"
    shutil.copytree(RELEASES / "2025.07.27", bad)
    text = (bad / "lmarena_text.csv").read_text().splitlines()
    (bad / "lmarena_text.csv").write_text("\n".join([text[0], text[1].replace(",22146,", ",lots,"), *text[2:]]))
    result = run(tmp_path, "backfill", "--start", "2025-07-26", "--end", "2025-07-27", source=str(releases))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert not [noise for noise in FRAMEWORK_NOISE if noise in output], output
    [error] = [line for line in output.splitlines() if "2025.07.27/lmarena_text.csv, line 2" in line]
    assert error.startswith("  2025-07-27: "), output  # in the summary, once
    assert output.splitlines()[-1].startswith("arena-pipeline: run ")
    assert "failed at leaderboard_entries_every_day_fetched_and_loaded (the lines above)" in output
    assert "2025.07.27/lmarena_text.csv" in log_file_of(output.splitlines()[-1]).read_text()
    # The good day is loaded, and the pages are built from it.
    assert table_counts(tmp_path / "arena.duckdb")["snapshots"] == 1
    assert (tmp_path / "reports" / "leaderboard_zh.md").exists()


def test_ctrl_c_during_a_backfill_exits_130_with_one_line(tmp_path):
    backfill = start_cli(tmp_path, "--dataset-source", "off", "backfill")
    try:
        for line in backfill.stdout:  # the run's first progress line: the run exists
            if re.match(r"\d\d:\d\d:\d\d leaderboard_entries: ", line):
                break
        else:
            raise AssertionError(f"the backfill ended before its run started: {backfill.wait()}")
        backfill.send_signal(signal.SIGINT)
        _, stderr = backfill.communicate(timeout=HANG_GUARD_SECONDS)
    finally:
        backfill.kill()
        backfill.wait()
    assert backfill.returncode == 130, stderr
    [line] = stderr.splitlines()
    assert re.fullmatch(r"arena-pipeline: run [0-9a-f-]{36} interrupted \(Ctrl-C\)\. Data of days that "
                        r"loaded is kept\. Full log: \S+\.log", line), stderr
    # The run does not stay STARTED (it would keep its pool slot).
    [interrupted] = job_runs(tmp_path, "refresh")
    assert interrupted.is_finished and interrupted.run_id in line


def test_ctrl_c_at_any_moment_of_a_report_exits_130_with_one_line(workspace):
    """Ctrl-C at moments spread over a `report` (imports, queries, page writes): each ends with
    exit 130 and the one line, or the report was done first. DuckDB's client turns Ctrl-C during a
    statement into RuntimeError('Query interrupted'), not KeyboardInterrupt: before, such a signal
    ended 'stopped by an unexpected error: RuntimeError: Query interrupted' (exit 1), and in a
    backfill 'failed at leaderboard_entries: RuntimeError: Query interrupted' (cli._was_interrupted
    now looks for it in the step's error chain too)."""
    command = [str(CLI), "--db", str(workspace / "arena.duckdb"), "report"]
    started = time.monotonic()
    assert subprocess.run(command, capture_output=True, env=cli_env(workspace), timeout=HANG_GUARD_SECONDS
                          ).returncode == 0
    duration = time.monotonic() - started
    outcomes = []
    for step in range(16):
        report = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=cli_env(workspace), preexec_fn=_sigint_as_in_a_terminal)
        time.sleep(duration * (0.3 + 0.7 * step / 16))
        report.send_signal(signal.SIGINT)
        _, stderr = report.communicate(timeout=HANG_GUARD_SECONDS)
        outcomes.append((report.returncode, stderr))
    for code, stderr in outcomes:
        assert (code, stderr) in ((0, ""), (130, "arena-pipeline: interrupted (Ctrl-C)\n")), outcomes
    assert any(code == 130 for code, _ in outcomes), outcomes


def _sigint_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_successful_run_says_where_the_pages_are(tmp_path):
    result = run(tmp_path, "backfill", "--start", "2025-07-26", "--end", "2025-07-26")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert re.fullmatch(rf"run [0-9a-f-]{{36}} succeeded; pages in {re.escape(str(tmp_path / 'reports'))}/ "
                        r"\(start at SUMMARY\.md\)", lines[-1])
    # Progress only: one line per message of our code, none of Dagster's events.
    assert all(re.match(r"\d\d:\d\d:\d\d [a-z_]+: ", line) for line in lines[1:-1]), lines
    assert not [noise for noise in FRAMEWORK_NOISE if noise in result.stdout]
    assert len(job_runs(tmp_path, "refresh")) == 1


def test_cli_runs_carry_the_repository_label_of_the_code_location_the_ui_loads():
    # The label Dagster gives runs launched from the code location `arena-pipeline dev` and
    # workspace.yaml load: the UI lists a job's runs by it.
    from dagster._core.remote_origin import RemoteRepositoryOrigin
    from dagster._core.workspace.load_target import ModuleTarget, WorkspaceFileTarget

    from arena_pipeline.cli import _code_location_tags

    workspace_yaml = str(Path(__file__).parents[1] / "workspace.yaml")
    for origin in [*ModuleTarget(module_name=CODE_LOCATION, attribute=None, working_directory=None,
                                 location_name=None).create_origins(),
                   *WorkspaceFileTarget(paths=[workspace_yaml]).create_origins()]:
        label = RemoteRepositoryOrigin(origin, "__repository__").get_label()
        assert _code_location_tags() == {REPOSITORY_TAG: label}


def test_a_failed_check_names_the_check_and_its_counts_once(workspace):
    # A rank of 0 slipped into the stored rows (only SQL can put it there): analytics_checks'
    # blocking check fails, the pages are not rewritten.
    with duckdb.connect(str(workspace / "arena.duckdb")) as conn:
        conn.execute("update leaderboard_entries set rank_ub = 0 "
                     "where snapshot_date = '2025-07-26' and position = 1")
    result = run(workspace, "backfill", "--start", "2025-07-28", "--end", "2025-07-28")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert not [noise for noise in FRAMEWORK_NOISE if noise in output], output
    *_, check, last = output.splitlines()
    assert check == ("check model_versions ranks_at_least_one failed: ranks and positions are >= 1 "
                     f"(rows_checked {table_counts(workspace / 'arena.duckdb')['model_versions']:,}, "
                     "rank_ub_below_1 1, rank_stylectrl_below_1 0, position_below_1 0)")
    assert " failed at analytics_checks (the lines above). " in last
    assert "DagsterAssetCheckFailedError" in log_file_of(last).read_text()
    assert not (workspace / "reports").exists()


def test_the_scripts_install_the_project_again_only_when_pyproject_changes():
    """run.sh / test.sh source scripts/_venv.sh: with the project installed for this
    pyproject.toml (its sha256 in the stamp), sourcing it runs no pip (which cost ~6 s a call)."""
    project = Path(__file__).resolve().parents[1]
    stamp = project / ".venv" / ".arena-pipeline-installed"
    if not stamp.exists():
        pytest.skip("not run through scripts/test.sh (no .venv stamp)")
    before = stamp.stat().st_mtime_ns
    result = subprocess.run(["bash", "-c", "source scripts/_venv.sh && command -v arena-pipeline"], cwd=project,
                            capture_output=True, text=True, timeout=HANG_GUARD_SECONDS,
                            env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(project / ".venv" / "bin" / "arena-pipeline")
    assert stamp.stat().st_mtime_ns == before  # not rewritten: pip did not run
    assert stamp.read_text().strip() == hashlib.sha256((project / "pyproject.toml").read_bytes()).hexdigest()
