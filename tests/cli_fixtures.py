"""Helpers to run the installed `arena-pipeline` command as a real subprocess against a real
DuckDB file (the `small_db` / `workspace` fixtures of conftest.py)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import RELEASES

CLI = Path(sys.executable).parent / "arena-pipeline"
FIRST, LAST = "2025-07-26", "2025-07-28"
# Upper bound for a subprocess that should end by itself: a hang guard, not a speed assertion.
HANG_GUARD_SECONDS = 300
# A query that runs until it is stopped (DuckDB counts ~1e9 rows a second here).
ENDLESS_QUERY = "select count(*) from range(1000000000000000)"


def cli_command(root: Path, *args: str) -> list[str]:
    return [str(CLI), "--source", str(RELEASES), "--db", str(root / "arena.duckdb"),
            "--dagster-home", str(root / "dagster_home"), *args]


def cli_env(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without the project's variables, and the reports folder of `root`
    (through the environment: an explicit --reports-dir changes where `report` writes), plus
    `extra` (the `dagster_storage` fixture's ARENA_DAGSTER_PG_URL, say)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_") and k != "DAGSTER_HOME"}
    return env | {"ARENA_REPORTS_DIR": str(root / "reports")} | (extra or {})


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cli_command(root, *args), capture_output=True, text=True,
                          env=cli_env(root, env), timeout=HANG_GUARD_SECONDS)


def start_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(cli_command(root, *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env(root, env),
                            preexec_fn=_ctrl_c_as_in_a_terminal)


def _ctrl_c_as_in_a_terminal() -> None:
    """A shell without job control starts background jobs with SIGINT ignored, and Python keeps
    an ignored SIGINT ignored: restore the default so the CLI gets Ctrl-C as a user's would."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_until_locked(db: Path, process: subprocess.Popen) -> None:
    """Return once `process` holds a lock on the DuckDB file, as /proc/locks lists it (probing
    with a connection of our own would make the process wait for us)."""
    inode = db.stat().st_ino
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            # "1: POSIX  ADVISORY  READ 1234 08:01:5678 0 EOF": pid, then major:minor:inode
            if len(fields) >= 6 and fields[4] == str(process.pid) and \
                    fields[5].rsplit(":", 1)[-1] == str(inode):
                return
        time.sleep(0.05)
    raise AssertionError(f"{db} was never locked by process {process.pid}")


def fingerprint(db: Path) -> tuple:
    """Row counts and checksums of the ingested and derived tables: equal means intact."""
    with duckdb.connect(str(db), read_only=True) as conn:
        return tuple(conn.execute(sql).fetchone() for sql in (
            "select count(*), sum(hash(snapshot_date, arena, model, score, votes)) "
            "from leaderboard_entries",
            "select count(*), sum(hash(sha256)) from raw_files",
            "select count(*), sum(hash(arena, snapshot_date)) from snapshots",
            "select count(*), sum(hash(arena, snapshot_date, model_id, event_type)) "
            "from model_events",
        ))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
