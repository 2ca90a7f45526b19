"""DuckDB helpers: read SQL files from `sql/`, create the tables, open connections."""

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


def connect_sandboxed_read_only(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """For users' ad hoc SQL: cannot write the database, read other files or reach the network."""
    conn = duckdb.connect(
        str(db_path),
        read_only=True,
        config={"enable_external_access": False, "autoinstall_known_extensions": False,
                "autoload_known_extensions": False},
    )
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
