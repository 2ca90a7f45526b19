"""Snapshot release days into DuckDB: fetch and archive the raw files, then load normalized rows.

Two steps, so that a file that cannot be parsed is still archived for inspection:
  fetch_day: every known file of the day -> raw_files (by sha256) + one fetch_log row each
  load_day:  the archived bytes of the day -> snapshots + leaderboard_entries, replacing that
             day's rows in one transaction (idempotent), or nothing at all if any file is bad.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from arena_pipeline.normalize import ENTRY_COLUMNS, ParsedFile, ParseError, parse_release
from arena_pipeline.source import ARENA_FILES, FetchError, ReleaseSource, release_tag, utc_now
from arena_pipeline.warehouse import run_sql, transaction

# When one day has both the old and the new text file, the new layout wins.
FILE_PREFERENCE = ["lmarena_text.csv", "lmarena_vision.csv", "lmarena_image.csv", "lmsys.csv"]


class DayFailed(RuntimeError):
    """One release day could not be fetched or loaded; nothing of that day was changed."""

    def __init__(self, day: dt.date, message: str):
        self.day = day
        super().__init__(f"{day.isoformat()}: {message}")


@dataclass
class RangeReport:
    """What happened to a range of days; failures do not stop the other days."""

    days: int = 0
    files: int = 0
    rows: int = 0
    days_without_release: list[dt.date] = field(default_factory=list)
    failures: list[DayFailed] = field(default_factory=list)

    def failure_summary(self, step: str) -> str | None:
        if not self.failures:
            return None
        listed = "\n  ".join(str(f) for f in self.failures)
        return (f"{step}: {len(self.failures)} of {self.days} day(s) failed; the other days were "
                f"written and the failed days' earlier data was left as it was:\n  {listed}")


def fetch_day(conn: duckdb.DuckDBPyConnection, source: ReleaseSource, day: dt.date) -> list[str]:
    """Fetch every known file of one day; returns the names of the files that exist.

    Every attempt is logged and every body archived, even when another file of the day fails.
    """
    found, problems = [], []
    with transaction(conn):
        for file_name in ARENA_FILES:
            try:
                fetched = source.fetch(day, file_name)
            except FetchError as exc:
                problems.append(str(exc))
                _log_fetch(conn, day, file_name, source.url_for(day, file_name), None, None,
                           None, utc_now(), str(exc))
                continue
            if fetched.content is not None:
                run_sql(conn, "ingest/insert_raw_file", {
                    "sha256": fetched.sha256, "size_bytes": len(fetched.content),
                    "content": fetched.content, "url": fetched.url,
                    "fetched_at": fetched.fetched_at,
                })
                found.append(file_name)
            _log_fetch(conn, day, file_name, fetched.url, fetched.status, fetched.sha256,
                       None if fetched.content is None else len(fetched.content),
                       fetched.fetched_at, None)
    if problems:
        raise DayFailed(day, "; ".join(problems))
    return found


def load_day(conn: duckdb.DuckDBPyConnection, day: dt.date) -> list[ParsedFile]:
    """Replace the day's snapshots from its archived files. Returns the files loaded."""
    archived = run_sql(conn, "ingest/stg_release_files_for_day", {"snapshot_date": day}).fetchall()
    chosen = _one_file_per_arena([(name, sha, bytes(content)) for name, sha, content in archived])
    parsed = []
    for arena, (file_name, sha256, content) in chosen.items():
        try:
            parsed.append((arena, sha256, parse_release(content, file_name)))
        except ParseError as exc:
            message = f"{release_tag(day)}/{exc}; raw file kept in raw_files as sha256 {sha256}"
            run_sql(conn, "ingest/insert_load_error", {
                "arena": arena, "snapshot_date": day, "file_name": file_name,
                "sha256": sha256, "error": message, "recorded_at": utc_now(),
            })
            raise DayFailed(day, message) from exc

    with transaction(conn):
        for arena, sha256, parsed_file in parsed:
            _replace_snapshot(conn, day, arena, sha256, parsed_file)
    return [p for _, _, p in parsed]


def fetch_days(conn, source: ReleaseSource, days: Iterable[dt.date],
               progress: Callable[[str], None] = lambda _: None) -> RangeReport:
    def fetch(day: dt.date) -> tuple[int, int]:
        return len(fetch_day(conn, source, day)), 0

    return _each_day(days, "fetched", fetch, progress)


def load_days(conn, days: Iterable[dt.date],
              progress: Callable[[str], None] = lambda _: None) -> RangeReport:
    def load(day: dt.date) -> tuple[int, int]:
        loaded = load_day(conn, day)
        return len(loaded), sum(len(p.entries) for p in loaded)

    report = _each_day(days, "loaded", load, progress)
    run_sql(conn, "ingest/update_snapshots_same_as_previous")
    return report


def _each_day(days: Iterable[dt.date], verb: str, step: Callable[[dt.date], tuple[int, int]],
              progress: Callable[[str], None]) -> RangeReport:
    """Run step(day) -> (files, rows) for each day; a failed day is recorded, not fatal."""
    days = list(days)
    report = RangeReport()
    for day in days:
        report.days += 1
        try:
            files, rows = step(day)
        except DayFailed as failure:
            report.failures.append(failure)
            progress(f"FAILED {failure}")
            continue
        report.files += files
        report.rows += rows
        if not files:
            report.days_without_release.append(day)
        if report.days in (1, len(days)) or report.days % 30 == 0:
            progress(f"[{report.days}/{len(days)}] {verb} {day}: {files} file(s)")
    return report


def _one_file_per_arena(archived: list[tuple[str, str, bytes]]) -> dict[str, tuple[str, str, bytes]]:
    chosen: dict[str, tuple[str, str, bytes]] = {}
    for name, sha256, content in sorted(archived, key=lambda f: FILE_PREFERENCE.index(f[0])):
        chosen.setdefault(ARENA_FILES[name], (name, sha256, content))
    return chosen


def _replace_snapshot(conn, day: dt.date, arena: str, sha256: str, parsed: ParsedFile) -> None:
    key = {"arena": arena, "snapshot_date": day}
    run_sql(conn, "ingest/delete_leaderboard_entries_day", key)
    run_sql(conn, "ingest/delete_snapshot_day", key)
    run_sql(conn, "ingest/insert_snapshot", {
        **key, "file_name": parsed.file_name, "sha256": sha256,
        "schema_version": parsed.schema_version, "row_count": len(parsed.entries),
        "duplicate_rows": len(parsed.duplicates), "data_hash": parsed.data_hash,
    })
    incoming_entries = pd.DataFrame([e.__dict__ for e in parsed.entries], columns=ENTRY_COLUMNS)
    # Nullable integer dtype: rank_stylectrl is null before v2 and must stay an integer.
    incoming_entries["rank_stylectrl"] = incoming_entries["rank_stylectrl"].astype("Int64")
    conn.register("incoming_entries", incoming_entries)
    try:
        run_sql(conn, "ingest/insert_leaderboard_entries", key)
    finally:
        conn.unregister("incoming_entries")


def _log_fetch(conn, day, file_name, url, status, sha256, size, fetched_at, error) -> None:
    run_sql(conn, "ingest/insert_fetch_log", {
        "tag": release_tag(day), "snapshot_date": day, "file_name": file_name, "url": url,
        "http_status": status, "sha256": sha256, "size_bytes": size,
        "fetched_at": fetched_at, "error": error,
    })
