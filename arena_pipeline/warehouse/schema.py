"""Whose database a file is, and which schema version wrote it: checked before anything is written.

- ARENA_DB is a regular file starting with DuckDB's header, or does not exist yet (a FIFO would
  hang DuckDB's open for ever; another program's file is not ours to write into).
- A file DuckDB opens is whole: every table's data lies within the file. A file cut short can
  still open (its catalog may sit in the blocks that are left) and DuckDB would write into it.
- It is empty or ours: `arena_pipeline_meta` records the schema version that wrote it. A file
  without that table is a database of a version from before the stamp when it has `raw_files`
  as every version created it; any other file with tables belongs to another program.
- A newer schema than this version knows is refused (upgrade instead); an older one is migrated
  (the tables' `create ... if not exists` and column additions) and stamped.
- An older version can still write to a database a newer one stamped (it knows nothing of the
  stamp), and it may recreate the analytics tables with its own columns. The analytics therefore
  record a mark of their tables (columns and row counts) after each refresh; a refresh that finds
  other tables than it left computes every board from scratch.

Every refusal is a `DatabaseRefused`: one line naming the file, before anything is written.
"""

from pathlib import Path

import duckdb

from arena_pipeline.warehouse.database import DatabaseRefused, run_sql

# 1: the first stamped schema (both sources, board columns in every analytics table).
SCHEMA_VERSION = 1
META_TABLE = "arena_pipeline_meta"
# DuckDB's file header: three 4 KiB header blocks precede the data blocks.
HEADER_BYTES = 3 * 4096
# How DuckDB begins the message of a block whose checksum does not match.
CORRUPT_BLOCK = "Corrupt database file"
# raw_files as every version created it (the CSV files' archive, the first table of all).
OWN_TABLE, OWN_COLUMNS = "raw_files", {"sha256", "size_bytes", "content", "first_url", "first_fetched_at"}


def check_path(path: Path) -> None:
    from arena_pipeline.settings import database_file_problem

    problem = database_file_problem(Path(path))
    if problem:
        raise DatabaseRefused(f"{path} {problem}; refused, nothing written")


def check_database(conn: duckdb.DuckDBPyConnection, path: Path, writable: bool) -> None:
    """Refuse a damaged, foreign or newer database; stamp (and so migrate) an older or new one
    when `writable`. Runs right after the connection opened, before anything else is done."""
    path = Path(path)
    try:
        _check(conn, path, writable)
    except duckdb.Error as exc:
        # A block whose checksum fails (bytes overwritten inside the file): DuckDB finds it when
        # it reads the block, here the catalog's or our meta table's. A table's data block is
        # found only when a step reads it (README "Whose database, which version").
        if not str(exc).startswith(CORRUPT_BLOCK):
            raise
        raise DatabaseRefused(f"{path} is damaged ({str(exc).splitlines()[0]}); refused, nothing written. "
                              "Restore it from a copy, or point ARENA_DB at another file") from None


def _check(conn: duckdb.DuckDBPyConnection, path: Path, writable: bool) -> None:
    _check_whole(conn, path)
    tables = {row[0] for row in run_sql(conn, "warehouse/database_tables").fetchall()}
    version = _stamped_version(conn) if META_TABLE in tables else None
    if version is None and tables and not _has_own_table(conn, tables):
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise DatabaseRefused(f"{path} is not a database of arena_pipeline (its tables: {shown}); refused, "
                              "nothing written. Point ARENA_DB at another file")
    if version is not None and version > SCHEMA_VERSION:
        raise DatabaseRefused(f"{path} was written by a newer arena_pipeline (database schema {version}, this "
                              f"version knows up to {SCHEMA_VERSION}); refused, nothing written. Upgrade "
                              "arena_pipeline, or point ARENA_DB at another file")
    if writable and version != SCHEMA_VERSION:
        _stamp(conn)


def _check_whole(conn, path: Path) -> None:
    """A file cut short: DuckDB opens it as long as its catalog survived. Blocks past the end
    of the file are fine only while no table stores data in them (DuckDB cuts free blocks off
    the end itself), so the tables' last blocks are looked up only then."""
    if Path(f"{path}.wal").exists():  # blocks of a pending WAL are not in the file yet
        return
    size = path.stat().st_size if path.exists() else 0
    row = run_sql(conn, "warehouse/database_size").fetchone()
    if row is None or size == 0 or size >= HEADER_BYTES + row[0] * row[1]:
        return
    block_size = row[0]
    tables = [table for (table,) in run_sql(conn, "warehouse/database_tables").fetchall()]
    last = max((run_sql(conn, "warehouse/table_last_block", {"table_name": table}).fetchone()[0]
                for table in tables), key=lambda block: -1 if block is None else block, default=None)
    needed = HEADER_BYTES + block_size * (last + 1) if last is not None else 0
    if size < needed:
        raise DatabaseRefused(f"{path} is damaged: its data reaches block {last} ({needed:,} bytes) but the file "
                              f"has {size:,} bytes (cut short?); refused, nothing written. Restore it from a "
                              "copy, or point ARENA_DB at another file")


def _has_own_table(conn, tables: set[str]) -> bool:
    if OWN_TABLE not in tables:
        return False
    columns = {row[0] for row in run_sql(conn, "warehouse/table_column_names", {"table_name": OWN_TABLE}).fetchall()}
    return columns >= OWN_COLUMNS


def _meta_value(conn, key: str) -> str | None:
    try:
        row = run_sql(conn, "warehouse/meta_value", {"key": key}).fetchone()
    except duckdb.CatalogException:  # no arena_pipeline_meta: a database of an older version
        return None
    return row[0] if row else None


def _stamped_version(conn) -> int | None:
    value = _meta_value(conn, "schema_version")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _put(conn, key: str, value: str) -> None:
    run_sql(conn, "warehouse/create_meta")
    run_sql(conn, "warehouse/put_meta", {"key": key, "value": value})


def _stamp(conn) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("arena_pipeline")
    except PackageNotFoundError:
        package = "unknown"
    _put(conn, "schema_version", str(SCHEMA_VERSION))
    _put(conn, "written_by", f"arena_pipeline {package}")


def analytics_mark_unchanged(conn) -> bool:
    """Whether the analytics tables are as the last refresh of this version left them (no mark
    stored: a database of an older version, whose tables are not trusted either)."""
    stored = _meta_value(conn, "analytics_mark")
    return stored is not None and stored == run_sql(conn, "warehouse/analytics_mark").fetchone()[0]


def store_analytics_mark(conn) -> None:
    _put(conn, "analytics_mark", run_sql(conn, "warehouse/analytics_mark").fetchone()[0])
