"""Load LMArena's official dataset into DuckDB: archive each parquet file, check it, load its boards.

One run: ask the source for its revision (one small request); if every configured subset was
already loaded at that revision, stop. Otherwise, per subset: download its `full` split, archive
the bytes verbatim in `raw_files` (by sha256, like the CSV files), skip it if that content is
already loaded, else check every cell and replace the subset's rows in `dataset_entries` and
`dataset_snapshots` in one transaction. A bad file fails alone (its error names file, row, column
and value, and is kept in `dataset_load_errors`); the other subsets still load.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from arena_pipeline.dataset_source import (
    FILE_LAYOUT,
    HISTORY_SPLIT,
    DatasetFetchError,
    DatasetFile,
    DatasetSource,
    Revision,
    board_of_subset,
    utc_now,
)
from arena_pipeline.warehouse import create_ingest_tables, run_sql, transaction

SOURCE_NAME = "lmarena_dataset"
DATASET_TABLES = ["dataset_entries", "dataset_snapshots", "dataset_files", "dataset_fetch_log",
                  "dataset_load_errors"]
BOARD_VIEWS = ["v_board_entries", "v_board_snapshots"]
# The Bradley-Terry subsets' columns (dataset card); extra columns are ignored.
REQUIRED_COLUMNS = ("model_name", "organization", "license", "rating", "rating_lower", "rating_upper",
                    "variance", "vote_count", "rank", "category", "leaderboard_publish_date")


class DatasetFileError(ValueError):
    """One dataset file cannot be loaded; the message names file, row, column and value."""


@dataclass
class SubsetOutcome:
    subset: str
    status: str  # loaded | unchanged | failed
    sha256: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    boards: int = 0
    error: str | None = None


@dataclass
class DatasetReport:
    revision: str | None
    unchanged: bool = False  # the cheap check said so: no file was downloaded
    subsets: list[SubsetOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[SubsetOutcome]:
        return [s for s in self.subsets if s.status == "failed"]

    def failure_summary(self) -> str | None:
        if not self.failures:
            return None
        listed = "\n  ".join(f"{s.subset}: {s.error}" for s in self.failures)
        return (f"{len(self.failures)} of {len(self.subsets)} dataset file(s) failed; the others were "
                f"loaded and the failed subsets' earlier rows were left as they were:\n  {listed}")


def create_dataset_tables(conn: duckdb.DuckDBPyConnection) -> None:
    create_ingest_tables(conn)  # raw_files is shared with the CSV source
    for table in DATASET_TABLES:
        run_sql(conn, f"ingest/create_{table}")
    # Both sources per board, for the analytics and pages that read per board.
    for view in BOARD_VIEWS:
        run_sql(conn, f"views/{view}")


def refresh_dataset(conn: duckdb.DuckDBPyConnection, source: DatasetSource, subsets: list[str],
                    progress: Callable[[str], None] = lambda _: None) -> DatasetReport:
    """Bring the configured subsets up to the dataset's current revision."""
    create_dataset_tables(conn)
    try:
        revision = source.revision(subsets)
    except DatasetFetchError as exc:
        _log(conn, "revision", None, source.base, None, None, None, str(exc))
        raise
    _log(conn, "revision", None, revision.checked_url, revision.id, None, None, None)
    report = DatasetReport(revision.id)
    last_loads = {s: run_sql(conn, "ingest/stg_dataset_last_load", {"subset": s, "split": HISTORY_SPLIT})
                  .fetchone() for s in subsets}
    if revision.id is not None and all(last and last[0] == revision.id for last in last_loads.values()):
        report.unchanged = True
        report.subsets = [SubsetOutcome(s, "unchanged", last_loads[s][1]) for s in subsets]
        progress(f"dataset unchanged at revision {revision.id}: nothing downloaded")
        return report

    # Worth one more small request only when some subset was loaded before.
    listing_url, listed = source.listed_sha256s(revision) if any(last_loads.values()) else (None, {})
    if listing_url:
        _log(conn, "listing", None, listing_url, revision.id, None, None, None if listed else "no listing")
    for subset in subsets:
        last = last_loads[subset]
        if last and listed.get(FILE_LAYOUT.format(subset=subset, split=HISTORY_SPLIT)) == last[1]:
            # The Hub lists the content already loaded: only the revision moved on.
            with transaction(conn):
                run_sql(conn, "ingest/insert_dataset_file_again", {
                    "subset": subset, "split": HISTORY_SPLIT, "sha256": last[1],
                    "revision": revision.id, "loaded_at": utc_now()})
            report.subsets.append(SubsetOutcome(subset, "unchanged", last[1]))
            progress(f"{subset}: unchanged (listed sha256), not downloaded")
            continue
        outcome = _refresh_subset(conn, source, subset, revision, last)
        report.subsets.append(outcome)
        progress(f"{subset}: {outcome.status}" + (f" ({outcome.error})" if outcome.error else
                                                  f", {outcome.rows_loaded} rows, {outcome.boards} boards"))
    return report


def _refresh_subset(conn, source: DatasetSource, subset: str, revision: Revision,
                    last_load: tuple | None) -> SubsetOutcome:
    try:
        fetched = source.fetch(subset, HISTORY_SPLIT, revision)
    except DatasetFetchError as exc:
        _log(conn, "file", subset, source.file_url(subset, HISTORY_SPLIT, revision), revision.id,
             None, None, str(exc))
        return SubsetOutcome(subset, "failed", error=str(exc))
    sha256 = fetched.sha256
    with transaction(conn):
        run_sql(conn, "ingest/insert_raw_file", {
            "sha256": sha256, "size_bytes": len(fetched.content), "content": fetched.content,
            "url": fetched.url, "fetched_at": fetched.fetched_at,
        })
        _log(conn, "file", subset, fetched.url, revision.id, sha256, len(fetched.content), None)
    if last_load and last_load[1] == sha256:
        # Same bytes as the rows already loaded: only the revision moved on (another subset changed).
        with transaction(conn):
            _record_file(conn, fetched, revision, reuse_staged=False)
        return SubsetOutcome(subset, "unchanged", sha256)
    try:
        counts = load_dataset_file(conn, fetched, revision)
    except DatasetFileError as exc:
        message = f"{exc}; raw file kept in raw_files as sha256 {sha256}"
        run_sql(conn, "ingest/insert_dataset_load_error", {
            "subset": subset, "split": HISTORY_SPLIT, "sha256": sha256, "error": message,
            "recorded_at": utc_now(),
        })
        return SubsetOutcome(subset, "failed", sha256, error=message)
    return SubsetOutcome(subset, "loaded", sha256, **counts)


def load_dataset_file(conn: duckdb.DuckDBPyConnection, fetched: DatasetFile,
                      revision: Revision | None = None) -> dict[str, int]:
    """Check one parquet file and replace its subset's rows. Raises DatasetFileError, changing nothing."""
    arena, style_control = board_of_subset(fetched.subset)
    with tempfile.TemporaryDirectory(prefix="arena-dataset-") as folder:
        path = Path(folder, f"{fetched.subset}-{fetched.split}.parquet")
        path.write_bytes(fetched.content)
        _check_file(conn, fetched, str(path))
        board = {"source": SOURCE_NAME, "arena": arena, "style_control": style_control}
        with transaction(conn):
            run_sql(conn, "ingest/stg_dataset_rows", {"path": str(path)})
            run_sql(conn, "ingest/delete_dataset_entries_board_family", board)
            run_sql(conn, "ingest/delete_dataset_snapshots_board_family", board)
            run_sql(conn, "ingest/insert_dataset_entries", board)
            run_sql(conn, "ingest/update_dataset_rank_stylectrl", {"source": SOURCE_NAME, "arena": arena})
            run_sql(conn, "ingest/insert_dataset_snapshots",
                    {**board, "subset": fetched.subset, "sha256": fetched.sha256})
            counts = _record_file(conn, fetched, revision, reuse_staged=True)
            conn.execute("drop table dataset_staged")
    return counts


def _check_file(conn, fetched: DatasetFile, path: str) -> None:
    where = f"{fetched.name} ({fetched.url})"
    try:
        columns = [c[0] for c in run_sql(conn, "ingest/stg_dataset_probe", {"path": path}).description]
    except duckdb.Error as exc:
        raise DatasetFileError(f"{where}: not a readable parquet file ({_first_line(exc)})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise DatasetFileError(f"{where}: missing column(s) {', '.join(repr(c) for c in missing)} "
                               f"(the file has {', '.join(columns)})")
    try:
        bad = run_sql(conn, "ingest/stg_dataset_first_bad_cell", {"path": path}).fetchone()
    except duckdb.Error as exc:
        raise DatasetFileError(f"{where}: cannot read its values ({_first_line(exc)})") from None
    if bad:
        row_no, column, cell, problem, bad_rows = bad
        others = f"; {bad_rows - 1} more bad row(s)" if bad_rows > 1 else ""
        raise DatasetFileError(f"{where}, row {row_no}, column {column!r}: {problem} "
                               f"(value {cell!r}){others}")


def _record_file(conn, fetched: DatasetFile, revision: Revision | None, reuse_staged: bool) -> dict[str, int]:
    """A dataset_files row; when the content was already loaded, a copy of its last row."""
    arena, style_control = board_of_subset(fetched.subset)
    key = {"subset": fetched.subset, "split": fetched.split}
    if not reuse_staged:
        run_sql(conn, "ingest/insert_dataset_file_again", {
            **key, "sha256": fetched.sha256, "revision": revision.id if revision else None,
            "loaded_at": utc_now()})
        return {}
    run_sql(conn, "ingest/insert_dataset_file", {
        **key, "revision": revision.id if revision else None, "sha256": fetched.sha256,
        "url": fetched.url, "source": SOURCE_NAME, "arena": arena, "style_control": style_control,
        "loaded_at": utc_now(),
    })
    rows_read, rows_loaded, boards = run_sql(conn, "ingest/stg_dataset_newest_file", key).fetchone()
    return {"rows_read": rows_read, "rows_loaded": rows_loaded, "boards": boards}


def _log(conn, what, subset, url, revision, sha256, size, error) -> None:
    run_sql(conn, "ingest/insert_dataset_fetch_log", {
        "what": what, "subset": subset, "split": HISTORY_SPLIT if subset else None, "url": url,
        "revision": revision, "sha256": sha256, "size_bytes": size, "fetched_at": utc_now(),
        "error": error,
    })


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
