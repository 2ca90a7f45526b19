"""DuckDB helpers: read SQL files from `sql/`, create the tables, open connections."""

import re
import shlex
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

# The top-level sql/ folder, reached through the package (arena_pipeline/sql links to it in the
# source tree; a built wheel carries a copy), so it is found however the project is installed.
SQL_DIR = resources.files("arena_pipeline") / "sql"

# Creation order matters only for readability; no foreign keys tie these tables together.
INGEST_TABLES = ["raw_files", "fetch_log", "snapshots", "leaderboard_entries", "load_errors"]


@cache
def load_sql(name: str) -> str:
    """The text of sql/<stage>/<name>.sql, e.g. load_sql("ingest/insert_fetch_log")."""
    path = SQL_DIR.joinpath(*f"{name}.sql".split("/"))
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file sql/{name}.sql in {SQL_DIR}")
    return path.read_text(encoding="utf-8")


def run_sql(conn: duckdb.DuckDBPyConnection, name: str, params=None) -> duckdb.DuckDBPyConnection:
    return conn.execute(load_sql(name), params) if params is not None else conn.execute(load_sql(name))


def query_dicts(conn: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """The rows of sql/<name>.sql as dicts keyed by column name (dates stay `date`)."""
    cursor = run_sql(conn, name, params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def create_ingest_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for table in INGEST_TABLES:
        run_sql(conn, f"ingest/create_{table}")


class DatabaseLockedError(RuntimeError):
    """Another process holds the DuckDB file; the message is one line naming that process."""


class DatabaseRefused(RuntimeError):
    """ARENA_DB names a file this pipeline must not open or write (not a DuckDB file, damaged,
    another program's, or written by a newer version: warehouse/schema.py); one line."""


# DuckDB's lock error names the holder: "... Conflicting lock is held in <exe> (PID 1234) ...".
_LOCK_HOLDER_PID = re.compile(r"\(PID (\d+)\)")
_RETRY_INTERVAL_SECONDS = 0.25


def lock_holder(error: BaseException) -> str | None:
    """'PID 1234 (arena-pipeline sql ...)' from a DuckDB lock error; None if it is not one."""
    text = str(error)
    if "Could not set lock" not in text:
        return None
    match = _LOCK_HOLDER_PID.search(text)
    if match is None:
        return "another process"
    pid = int(match.group(1))
    return f"PID {pid} ({describe_process(pid)})"


def describe_process(pid: int, limit: int = 160) -> str:
    """The command line of a process, shortened in the middle (its start says which program,
    its end which subcommand and query); a placeholder when /proc cannot tell."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "command unknown"
    words = [word.decode(errors="replace") for word in raw.split(b"\0") if word]
    # `python /path/bin/arena-pipeline sql ...` reads better as `arena-pipeline sql ...`.
    if len(words) > 1 and Path(words[0]).name.startswith("python") and not words[1].startswith("-"):
        words = [Path(words[1]).name, *words[2:]]
    elif words:
        words[0] = Path(words[0]).name
    text = shlex.join(words) if words else "command unknown"
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + "…" + text[len(text) - (limit - head - 1):]


def connect_waiting(
    db_path: str | Path,
    *,
    read_only: bool,
    wait_seconds: float,
    config: dict | None = None,
    on_wait: Callable[[str], None] | None = None,
    give_way: Callable[[], bool] | None = None,
) -> duckdb.DuckDBPyConnection | None:
    """duckdb.connect, retried while another process holds the file, for at most wait_seconds.

    DuckDB allows one writing process, and a reading process blocks writers too. `on_wait` is
    told once, when waiting starts, who holds the file; after wait_seconds a
    DatabaseLockedError says the same in one line. While the file is held, `give_way()` true
    ends the wait with None (the caller has another way to wait its turn). A file that is not a
    database of this pipeline, is damaged or was written by a newer version is a
    DatabaseRefused, before anything is written (warehouse/schema.py); a database of an older
    version is stamped.
    """
    from arena_pipeline.warehouse import schema

    schema.check_path(Path(db_path))
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            conn = duckdb.connect(str(db_path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            holder = lock_holder(exc)
            if holder is None:
                raise DatabaseRefused(f"{db_path} cannot be opened as a DuckDB database "
                                      f"({_first_line(exc)}); refused, nothing written") from None
            if give_way is not None and give_way():
                return None
            if time.monotonic() >= deadline:
                raise DatabaseLockedError(
                    f"the database {db_path} is in use by {holder}; gave up after "
                    f"{wait_seconds:g} s (--lock-wait)") from None
            if on_wait is not None and not told:
                on_wait(f"waiting up to {wait_seconds:g} s for the database {db_path}, "
                        f"in use by {holder}")
                told = True
            time.sleep(_RETRY_INTERVAL_SECONDS)
            continue
        try:
            schema.check_database(conn, Path(db_path), writable=not read_only)
        except BaseException:
            conn.close()
            raise
        return conn


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def connect_sandboxed_read_only(
    db_path: str | Path,
    *,
    wait_seconds: float = 0,
    memory_limit: str | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """For users' ad hoc SQL: cannot write the database, read other files or reach the network.

    Nothing is written beside the database either: spilling to disk is off (DuckDB's default
    temporary folder is `<db>.tmp`), so a query that needs more than memory_limit fails.
    """
    config = {"enable_external_access": False, "autoinstall_known_extensions": False,
              "autoload_known_extensions": False, "temp_directory": ""}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    conn = connect_waiting(db_path, read_only=True, wait_seconds=wait_seconds, config=config,
                           on_wait=on_wait)
    conn.execute("set lock_configuration = true")
    return conn


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection):
    """BEGIN ... COMMIT, or ROLLBACK when the block raises."""
    conn.begin()
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
