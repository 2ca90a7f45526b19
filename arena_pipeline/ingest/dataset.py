"""Load LMArena's official dataset into DuckDB: archive each parquet file, check it, load its boards.

One run: ask the source for its revision (one small request); if every configured subset was
already loaded at that revision, stop. Otherwise, per subset: download its `full` split, archive
the bytes verbatim in `raw_files` (by sha256, like the CSV files), skip it if that content is
already loaded, else check every cell and replace, in `dataset_entries` and `dataset_snapshots`
and in one transaction, the subset's rows of the boards and publish dates whose content changed.
A bad file fails alone (its error names file, row, column and value, and is kept in
`dataset_load_errors`); the other subsets still load. Every HTTP attempt
is a row of `dataset_fetch_log`. A file that cannot be fetched fails alone too, unless the host
stops answering: after `DATASET_POLICY.days_without_answer` files in a row without an answer,
the remaining files are not attempted and the run ends with one line naming the host.

The database is opened only between network requests (as for the CSV source): while a file
downloads, `sql`, `report` and the other writers are free.
"""

import contextlib
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from arena_pipeline.ingest.normalize import MAX_SCORE, MAX_VOTES
from arena_pipeline.sources.dataset import (
    BRADLEY_TERRY_SUBSETS,
    FILE_LAYOUT,
    HISTORY_SPLIT,
    NOT_BRADLEY_TERRY_SUBSETS,
    DatasetFetchError,
    DatasetFile,
    DatasetSource,
    Listing,
    Revision,
    board_of_subset,
    utc_now,
)
from arena_pipeline.sources.http_fetch import Attempt
from arena_pipeline.warehouse.database import create_ingest_tables, run_sql, transaction

SOURCE_NAME = "lmarena_dataset"
DATASET_TABLES = ["dataset_entries", "dataset_snapshots", "dataset_files", "dataset_fetch_log",
                  "dataset_load_errors", "dataset_refreshes"]
BOARD_VIEWS = ["v_board_entries", "v_board_snapshots"]
PARQUET_MAGIC = b"PAR1"
# The Bradley-Terry subsets' columns (dataset card); extra columns are ignored.
REQUIRED_COLUMNS = ("model_name", "organization", "license", "rating", "rating_lower", "rating_upper",
                    "variance", "vote_count", "rank", "category", "leaderboard_publish_date")

# A board lists a few hundred models; a published rank in the millions is corruption (and would
# not fit the integer column).
MAX_RANK = 1_000_000
# A `full` file with fewer than this share of the rows already loaded is not loaded.
MIN_ROWS_KEPT_SHARE = 0.5
ALLOW_SHRINK_SETTING = "ARENA_DATASET_ALLOW_SHRINK"


WARNING_STATUSES = ("missing", "skipped")
SUBSETS_SETTING = "ARENA_DATASET_SUBSETS"


class DatasetFileError(ValueError):
    """One dataset file cannot be loaded; the message names file, row, column and value."""


class MissingColumnsError(DatasetFileError):
    """The file lacks Bradley-Terry columns: a failure for a known subset, a reason to skip a new one."""


# An open connection, or a function that opens one for a while (DuckDBResource.get_connection).
Database = duckdb.DuckDBPyConnection | Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@dataclass
class SubsetOutcome:
    subset: str
    # loaded | unchanged | failed | not attempted (the host stopped answering) | missing (the
    # source has no such subset: a warning) | skipped (a new subset that is not Bradley-Terry)
    status: str
    sha256: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    days_replaced: int = 0  # boards and publish dates whose rows this load wrote
    boards: int = 0
    error: str | None = None


@dataclass
class DatasetReport:
    revision: str | None
    unchanged: bool = False  # the cheap check said so: no file was downloaded
    subsets: list[SubsetOutcome] = field(default_factory=list)
    stopped: str | None = None  # the circuit breaker's one line

    @property
    def failures(self) -> list[SubsetOutcome]:
        return [s for s in self.subsets if s.status == "failed"]

    @property
    def warnings(self) -> list[str]:
        """One line per subset that was configured or found but not loaded, without failing."""
        return [f"{s.subset}: {s.error}" for s in self.subsets if s.status in WARNING_STATUSES]

    def failure_summary(self) -> str | None:
        if not self.failures and not self.stopped:
            return None
        lines = [f"{s.subset}: {s.error}" for s in self.failures]
        if self.stopped:
            lines.append(self.stopped)
        listed = "\n  ".join(lines)
        return (f"{len(self.failures)} of {len(self.subsets)} dataset file(s) failed; the others were "
                f"loaded and the failed subsets' earlier rows were left as they were:\n  {listed}")


def create_dataset_tables(conn: duckdb.DuckDBPyConnection) -> None:
    create_ingest_tables(conn)  # raw_files is shared with the CSV source
    for table in DATASET_TABLES:
        run_sql(conn, f"ingest/create_{table}")
    run_sql(conn, "ingest/add_dataset_fetch_log_http_status")
    run_sql(conn, "ingest/add_dataset_rank_columns")
    run_sql(conn, "ingest/add_dataset_snapshots_rank_kind")
    run_sql(conn, "ingest/add_dataset_snapshots_content_hash")
    # Both sources per board, for the analytics and pages that read per board.
    for view in BOARD_VIEWS:
        run_sql(conn, f"views/{view}")


def refresh_dataset(database: Database, source: DatasetSource, subsets: list[str] | None = None,
                    progress: Callable[[str], None] = lambda _: None,
                    allow_shrink: bool = False) -> DatasetReport:
    """Bring the subsets up to the dataset's current revision: the configured ones, or (None or
    empty) every subset the source has but the non-Bradley-Terry ones (the Hub's tree or a local
    folder says which; BRADLEY_TERRY_SUBSETS where the source cannot say). A configured subset the
    source does not have is a warning (status `missing`), not a failure.

    `database`: an open connection, or a function that opens one for a block (the asset passes
    WarehouseResource.get_connection); then no connection is held while waiting on the network."""
    connect = _connector(database)
    configured = list(subsets or [])
    with connect() as conn:
        create_dataset_tables(conn)
        known = configured or [row[0] for row in run_sql(
            conn, "ingest/stg_dataset_loaded_subsets", {"split": HISTORY_SPLIT}).fetchall()]
        last_loads = {s: run_sql(conn, "ingest/stg_dataset_last_load", {"subset": s, "split": HISTORY_SPLIT})
                      .fetchone() for s in known}
    revision = _ask_revision(connect, source, known)
    report = DatasetReport(revision.id)
    unchanged = (revision.id is not None and bool(last_loads)
                 and all(last and last[0] == revision.id for last in last_loads.values()))
    # One more small request: which files (and subsets) the revision has.
    listing = source.listing(revision) if not unchanged else Listing(None)
    with connect() as conn, transaction(conn):
        _log_attempts(conn, "revision", None, revision.checked_url, revision.id, revision.attempts)
        if listing.url:
            _log_attempts(conn, "listing", None, listing.url, revision.id, listing.attempts,
                          listing.error or None)
    if unchanged:
        report.unchanged = True
        report.subsets = [SubsetOutcome(s, "unchanged", last_loads[s][1]) for s in subsets]
        progress(f"dataset unchanged at revision {revision.id}: nothing downloaded")
        return report

    breaker = source.breaker()
    for subset in _subsets_to_load(configured, listing.subsets):
        last = last_loads.get(subset)
        listed_sha256 = listing.files.get(FILE_LAYOUT.format(subset=subset, split=HISTORY_SPLIT), (None,))[0]
        if listing.subsets is not None and subset not in listing.subsets:
            outcome = SubsetOutcome(subset, "missing", error=_missing(subset, revision))
        elif last and listed_sha256 == last[1]:
            # The Hub lists the content already loaded: only the revision moved on.
            with connect() as conn, transaction(conn):
                run_sql(conn, "ingest/insert_dataset_file_again", {
                    "subset": subset, "split": HISTORY_SPLIT, "sha256": last[1],
                    "revision": revision.id, "loaded_at": utc_now()})
            outcome = SubsetOutcome(subset, "unchanged", last[1])
        elif breaker.open:
            outcome = SubsetOutcome(subset, "not attempted")
        else:
            outcome = _refresh_subset(connect, source, subset, revision, last, listed_sha256, breaker,
                                      # The Hub's tree says which subsets exist: a 404 there is a fault.
                                      listed=listing.subsets is not None or revision.how == "hub_api_sha",
                                      allow_shrink=allow_shrink)
        report.subsets.append(outcome)
        progress(f"{subset}: {outcome.status}" + (f" ({outcome.error})" if outcome.error else
                                                  f", {outcome.rows_loaded} rows, {outcome.boards} boards "
                                                  f"({outcome.days_replaced} replaced)"
                                                  if outcome.status == "loaded" else ""))
    if breaker.open:
        report.stopped = breaker.message(sum(s.status == "not attempted" for s in report.subsets))
    return report


def _subsets_to_load(configured: list[str], available: frozenset[str] | None) -> list[str]:
    """The configured subsets in their order; else every Bradley-Terry subset the source has
    (the known ones first, in their order, then new ones by name)."""
    if configured:
        return configured
    if available is None:
        return list(BRADLEY_TERRY_SUBSETS)
    new = sorted(available - set(BRADLEY_TERRY_SUBSETS) - set(NOT_BRADLEY_TERRY_SUBSETS))
    return [s for s in BRADLEY_TERRY_SUBSETS if s in available] + new


def _missing(subset: str, revision: Revision) -> str:
    at = f" at revision {revision.id[:12]}" if revision.id else ""
    return (f"the source has no {FILE_LAYOUT.format(subset=subset, split=HISTORY_SPLIT)}{at}; skipped "
            f"(earlier rows kept; {SUBSETS_SETTING} lists the subsets to load, default: every one the "
            "source has)")


def confirm_refreshed(database: Database, source: DatasetSource, subsets: list[str],
                      code_fingerprint: str) -> str | None:
    """The revision, when the dataset is still at the one the last complete refresh (load,
    analytics, checks, pages: record_refreshed) brought every configured subset to, with the
    same analytics code and no file loaded since; else None. One request, logged like the
    asset's; no request at all without such a refresh. Raises DatasetFetchError (logged) when
    the source gives no answer."""
    connect = _connector(database)
    with connect() as conn:
        create_dataset_tables(conn)
        last = run_sql(conn, "ingest/stg_dataset_last_refresh").fetchone()
    if last is None or last[0] is None or sorted(last[1]) != sorted(subsets) or last[2] != code_fingerprint:
        return None
    revision = _ask_revision(connect, source, subsets)
    with connect() as conn, transaction(conn):
        _log_attempts(conn, "revision", None, revision.checked_url, revision.id, revision.attempts)
    return revision.id if revision.id == last[0] else None


def record_refreshed(conn: duckdb.DuckDBPyConnection, subsets: list[str], code_fingerprint: str) -> str | None:
    """After a complete refresh: the revision every configured subset was loaded at, kept for
    confirm_refreshed (None, and nothing kept, when they differ or the source named none)."""
    create_dataset_tables(conn)
    # Every subset (ARENA_DATASET_SUBSETS=all, an empty list): the ones loaded so far; the empty
    # list is what is kept, so that confirm_refreshed compares configurations.
    names = list(subsets) or [row[0] for row in run_sql(
        conn, "ingest/stg_dataset_loaded_subsets", {"split": HISTORY_SPLIT}).fetchall()]
    loaded = dict(run_sql(conn, "ingest/stg_dataset_loaded_revisions",
                          {"split": HISTORY_SPLIT, "subsets": names}).fetchall())
    revisions = {loaded.get(subset) for subset in names}
    if len(revisions) != 1 or None in revisions:
        return None
    revision = revisions.pop()
    run_sql(conn, "ingest/insert_dataset_refresh", {
        "revision": revision, "subsets": sorted(subsets), "code_fingerprint": code_fingerprint,
        "refreshed_at": utc_now()})
    return revision


def _connector(database: Database) -> Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]:
    if isinstance(database, duckdb.DuckDBPyConnection):
        return lambda: contextlib.nullcontext(database)
    return database


def _refresh_subset(connect, source: DatasetSource, subset: str, revision: Revision,
                    last_load: tuple | None, listed_sha256: str | None, breaker,
                    listed: bool = False, allow_shrink: bool = False) -> SubsetOutcome:
    """listed: the source lists its subsets (then a 404 is a failure, not a missing subset)."""
    url = source.file_url(subset, HISTORY_SPLIT, revision)
    try:
        fetched = source.fetch(subset, HISTORY_SPLIT, revision, attempts=breaker.attempts_for_next_file())
    except DatasetFetchError as exc:
        breaker.record_outcome(subset, str(exc) if exc.transient else None)
        with connect() as conn, transaction(conn):
            _log_attempts(conn, "file", subset, url, revision.id, exc.attempts, str(exc))
        if exc.missing and not listed:  # an http mirror's 404
            return SubsetOutcome(subset, "missing", error=_missing(subset, revision))
        return SubsetOutcome(subset, "failed", error=str(exc))
    breaker.record_outcome(subset, None)
    sha256 = fetched.sha256
    if listed_sha256 and sha256 != listed_sha256:
        # resolve/<sha> serves exactly what the tree lists: anything else was damaged on the way.
        error = (f"{url}: received {len(fetched.content)} bytes with sha256 {sha256}, but the Hub "
                 f"lists sha256 {listed_sha256} for this revision (damaged in transit); not loaded")
        with connect() as conn, transaction(conn):
            _log_attempts(conn, "file", subset, url, revision.id, fetched.attempts, error, fetched)
        return SubsetOutcome(subset, "failed", sha256, error=error)
    with connect() as conn:
        with transaction(conn):
            # Asked first, then a plain insert: DuckDB's ON CONFLICT costs about a second on an
            # 18 MB blob (measured, new content or not), a lookup of the key nothing.
            if not run_sql(conn, "ingest/stg_raw_file_archived", {"sha256": sha256}).fetchone()[0]:
                run_sql(conn, "ingest/insert_raw_file", {
                    "sha256": sha256, "size_bytes": len(fetched.content), "content": fetched.content,
                    "url": fetched.url, "fetched_at": fetched.fetched_at,
                })
            _log_attempts(conn, "file", subset, fetched.url, revision.id, fetched.attempts, None, fetched)
        if last_load and last_load[1] == sha256:
            # Same bytes as the rows already loaded: only the revision moved on (another subset changed).
            with transaction(conn):
                _record_file(conn, fetched, revision, reuse_staged=False)
            return SubsetOutcome(subset, "unchanged", sha256)
        try:
            counts = load_dataset_file(conn, fetched, revision, allow_shrink)
        except MissingColumnsError as exc:
            if subset not in BRADLEY_TERRY_SUBSETS:  # a new subset of another kind (like agent)
                return SubsetOutcome(subset, "skipped", sha256,
                                     error=f"{exc}: not a Bradley-Terry subset, skipped")
            return _load_error(conn, subset, sha256, exc)
        except DatasetFileError as exc:
            return _load_error(conn, subset, sha256, exc)
    return SubsetOutcome(subset, "loaded", sha256, **counts)


def _load_error(conn, subset: str, sha256: str, exc: DatasetFileError) -> SubsetOutcome:
    message = f"{exc}; raw file kept in raw_files as sha256 {sha256}"
    run_sql(conn, "ingest/insert_dataset_load_error", {
        "subset": subset, "split": HISTORY_SPLIT, "sha256": sha256, "error": message,
        "recorded_at": utc_now(),
    })
    return SubsetOutcome(subset, "failed", sha256, error=message)


def load_dataset_file(conn: duckdb.DuckDBPyConnection, fetched: DatasetFile,
                      revision: Revision | None = None, allow_shrink: bool = False) -> dict[str, int]:
    """Check one parquet file and replace its subset's rows of the boards and publish dates whose
    content changed. Raises DatasetFileError, changing nothing; also when the file would remove
    loaded publish dates or most loaded rows, unless `allow_shrink` (ARENA_DATASET_ALLOW_SHRINK,
    for a real rewrite upstream)."""
    arena, style_control = board_of_subset(fetched.subset)
    with tempfile.TemporaryDirectory(prefix="arena-dataset-") as folder:
        path = Path(folder, f"{fetched.subset}-{fetched.split}.parquet")
        path.write_bytes(fetched.content)
        _check_file(conn, fetched, str(path))
        board = {"source": SOURCE_NAME, "arena": arena, "style_control": style_control}
        file = {**board, "subset": fetched.subset, "sha256": fetched.sha256}
        with transaction(conn):
            # The file is read straight from parquet: once whole, for each board and publish
            # date's hash, then for the rows of the days whose content changed (the usual new
            # commit appends a date: its rows, not the subset's million, are typed and written).
            run_sql(conn, "ingest/create_dataset_typed_rows")
            run_sql(conn, "ingest/stg_dataset_file_days", {"path": str(path)})
            run_sql(conn, "ingest/stg_dataset_staged_days")
            if not allow_shrink:
                _check_no_loss(conn, fetched, board)
            run_sql(conn, "ingest/stg_dataset_changed_days", board)
            run_sql(conn, "ingest/stg_dataset_kept", {"path": str(path)})
            run_sql(conn, "ingest/stg_dataset_rank_kinds")
            run_sql(conn, "ingest/delete_dataset_entries_changed_days", board)
            run_sql(conn, "ingest/delete_dataset_snapshots_changed_days", board)
            run_sql(conn, "ingest/insert_dataset_entries", board)
            run_sql(conn, "ingest/update_dataset_rank_stylectrl", {"source": SOURCE_NAME, "arena": arena})
            run_sql(conn, "ingest/update_dataset_snapshots_file", file)
            run_sql(conn, "ingest/insert_dataset_snapshots", file)
            counts = _record_file(conn, fetched, revision, reuse_staged=True)
            counts["days_replaced"] = run_sql(conn, "ingest/stg_dataset_changed_day_count").fetchone()[0]
            for table in ("dataset_file_days", "dataset_staged_days", "dataset_changed_days", "dataset_kept",
                          "dataset_rank_kinds"):
                conn.execute(f"drop table {table}")  # temp tables of this load; names are constants
            conn.execute("drop macro table dataset_typed_rows")
    return counts


def _check_file(conn, fetched: DatasetFile, path: str) -> None:
    where = f"{fetched.name} ({fetched.url})"
    problem = _not_parquet(fetched.content)
    if problem:
        raise DatasetFileError(f"{where}: {problem}")
    try:
        columns = [c[0] for c in run_sql(conn, "ingest/stg_dataset_probe", {"path": path}).description]
    except duckdb.Error as exc:
        raise DatasetFileError(f"{where}: not a readable parquet file ({_first_line(exc)})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise MissingColumnsError(f"{where}: missing column(s) {', '.join(repr(c) for c in missing)} "
                               f"(the file has {', '.join(columns)})")
    try:
        bad = run_sql(conn, "ingest/stg_dataset_first_bad_cell", {
            "path": path, "today": utc_now().date(), "max_score": MAX_SCORE, "max_votes": MAX_VOTES,
            "max_rank": MAX_RANK}).fetchone()
    except duckdb.Error as exc:
        raise DatasetFileError(f"{where}: cannot read its values ({_first_line(exc)})") from None
    if bad:
        row_no, column, cell, problem, bad_rows = bad
        others = f"; {bad_rows - 1} more bad row(s)" if bad_rows > 1 else ""
        raise DatasetFileError(f"{where}, row {row_no}, column {column!r}: {problem} "
                               f"(value {cell!r}){others}")


def _check_no_loss(conn, fetched: DatasetFile, board: dict) -> None:
    """The history is kept: a `full` file is the whole history, so one without publish dates
    already loaded (or with fewer than half the rows) is a broken or truncated publication,
    not news. Its rows are not loaded; the staged rows go with the transaction's rollback."""
    dates_loaded, dates_lost, first_lost, rows_loaded, rows_staged = run_sql(
        conn, "ingest/stg_dataset_shrink", board).fetchone()
    if dates_lost:
        more = ", ..." if dates_lost > len(first_lost) else ""
        problem = (f"would remove {dates_lost} of the {dates_loaded} publish date(s) already loaded "
                   f"({', '.join(first_lost)}{more})")
    elif rows_staged < rows_loaded * MIN_ROWS_KEPT_SHARE:
        problem = f"would replace the {rows_loaded} rows already loaded with {rows_staged}"
    else:
        return
    raise DatasetFileError(f"{fetched.name} ({fetched.url}): {problem}; not loaded, the loaded rows are "
                           f"kept (if upstream really rewrote its history, set {ALLOW_SHRINK_SETTING}=1 "
                           "for one run)")


def _not_parquet(content: bytes) -> str | None:
    """What a body that is not a whole parquet file is instead (a parquet file starts and ends
    with `PAR1`), or None."""
    if content[:4] == PARQUET_MAGIC and content[-4:] == PARQUET_MAGIC and len(content) >= 12:
        return None
    head = content[:200].lstrip().lower()
    start = content[:40].decode("utf-8", "replace").strip().split("\n")[0]
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return f"an HTML page, not a parquet file (starts {start!r})"
    if not content:
        return "the file is empty"
    if content[:4] == PARQUET_MAGIC:
        return f"truncated parquet file: {len(content)} bytes and no footer (it does not end with PAR1)"
    return f"not a parquet file (starts {start!r})"


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


def _ask_revision(connect, source: DatasetSource, subsets: list[str]) -> Revision:
    """The source's revision; a check that fails is logged (no connection held meanwhile), then raised."""
    try:
        return source.revision(subsets)
    except DatasetFetchError as exc:
        with connect() as conn, transaction(conn):
            _log_attempts(conn, "revision", None, source.base, None, exc.attempts, str(exc))
        raise


def _log_attempts(conn, what: str, subset: str | None, url: str, revision: str | None,
                  attempts: tuple[Attempt, ...], error: str | None = None,
                  fetched: DatasetFile | None = None) -> None:
    """One dataset_fetch_log row per HTTP attempt (one row for a local source). `error`, the
    outcome's one line, goes on the last row; `fetched`'s hash and size on the attempt that
    brought it."""
    rows = [(a.url, a.status, a.error, a.fetched_at) for a in attempts] or [(url, None, None, utc_now())]
    for number, (asked, status, problem, fetched_at) in enumerate(rows, start=1):
        last = number == len(rows)
        run_sql(conn, "ingest/insert_dataset_fetch_log", {
            "what": what, "subset": subset, "split": HISTORY_SPLIT if subset else None, "url": asked,
            "revision": revision, "sha256": fetched.sha256 if fetched and last else None,
            "size_bytes": len(fetched.content) if fetched and last else None,
            "fetched_at": fetched_at, "error": error if last and error else problem,
            "http_status": status,
        })


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
