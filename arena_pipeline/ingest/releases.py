"""Snapshot a range of release days into DuckDB; each day stands alone.

Three steps, so that no database lock is held while waiting on the network:
  fetch_range  every known file of every day (retries, deadline, circuit breaker: source.py);
               no database connection.
  parse_range  one file per arena and day; each distinct file (sha256) is parsed once. Pure.
  write_range  one short transaction with one statement per table for the whole range: archive
               the new raw bytes (by sha256), append every fetch attempt to `fetch_log` and every
               rejected file to `load_errors`, replace the snapshots and rows of every day that
               fetched and parsed (delete, then insert: idempotent).
A day whose fetch or parse failed changes none of its earlier rows and keeps no other day from
loading; the range's report lists it, with the URL or file, line, column and value.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import duckdb

from arena_pipeline.history.analytics import ROW_DROP_WARN_SHARE
from arena_pipeline.ingest.normalize import ENTRY_COLUMNS, ParsedFile, ParseError, parse_release
from arena_pipeline.sources.releases import (
    ARENA_FILES,
    Attempt,
    CircuitBreaker,
    FileFetch,
    ReleaseSource,
    release_tag,
    utc_now,
)
from arena_pipeline.warehouse.database import create_ingest_tables, run_sql, transaction

# When one day has both the old and the new text file, the new layout wins.
FILE_PREFERENCE = ["lmarena_text.csv", "lmarena_vision.csv", "lmarena_image.csv", "lmsys.csv"]

LOADED, NO_RELEASE, FAILED, NOT_ATTEMPTED = "loaded", "no release", "failed", "not attempted"

Progress = Callable[[str], None]

# The columns of the rows _entries_rows builds (the others follow their table's order).
INCOMING_COLUMNS = {"incoming_entries": ["file_key", *ENTRY_COLUMNS]}


@dataclass
class DayFetch:
    """What the source gave for one day: every attempt at every file tried."""

    day: dt.date
    files: list[FileFetch] = field(default_factory=list)
    not_attempted: list[str] = field(default_factory=list)  # skipped once the host failed

    @property
    def problem(self) -> str | None:
        """One line naming each file that could not be fetched, or None."""
        failed = [f"{fetch.last.url}: {fetch.last.error}" for fetch in self.files if fetch.failed]
        if not failed:
            return None
        skipped = f" ({', '.join(self.not_attempted)} not attempted)" if self.not_attempted else ""
        return "; ".join(failed) + skipped

    @property
    def found(self) -> dict[str, Attempt]:
        return {fetch.file_name: fetch.last for fetch in self.files if fetch.found}


@dataclass
class RangeFetch:
    days: list[DayFetch]
    not_attempted: list[dt.date] = field(default_factory=list)  # after the circuit opened
    stopped: str | None = None  # the circuit breaker's one line


@dataclass(frozen=True)
class Snapshot:
    """One arena of one day, parsed and ready to replace that arena-day's rows."""

    arena: str
    file_name: str
    sha256: str
    parsed: ParsedFile


@dataclass(frozen=True)
class RejectedFile:
    """A fetched file that could not be loaded (a `load_errors` row)."""

    arena: str
    file_name: str
    sha256: str
    error: str  # file, line, column and value


@dataclass
class DayResult:
    day: dt.date
    status: str  # LOADED, NO_RELEASE, FAILED or NOT_ATTEMPTED
    snapshots: list[Snapshot] = field(default_factory=list)
    error: str | None = None
    rejected: list[RejectedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(s.parsed.entries) for s in self.snapshots)

    def metadata(self) -> dict[str, str | int]:
        """What happened to this day, for its own Dagster partition (true for that day only)."""
        metadata: dict[str, str | int] = {"outcome": self.status}
        if self.snapshots:
            metadata |= {
                "rows": self.rows,
                "files": ", ".join(s.file_name for s in self.snapshots),
                "arenas": ", ".join(f"{s.arena} {len(s.parsed.entries)} rows ({s.parsed.schema_version}"
                                    f", sha256 {s.sha256[:12]})" for s in self.snapshots),
            }
        if self.error:
            metadata["error" if self.status == FAILED else "reason"] = self.error
        if self.warnings:
            metadata["warning"] = "; ".join(self.warnings)
        return metadata


@dataclass
class RangeReport:
    """What happened to each day of a range; failures do not stop the other days."""

    days: list[DayResult]
    fetched: RangeFetch  # every attempt, for fetch_log and raw_files
    stopped: str | None = None

    @property
    def fetch_attempts(self) -> int:
        return sum(len(f.attempts) for d in self.fetched.days for f in d.files)

    def with_status(self, status: str) -> list[DayResult]:
        return [d for d in self.days if d.status == status]

    @property
    def failures(self) -> list[DayResult]:
        return self.with_status(FAILED)

    @property
    def warnings(self) -> list[str]:
        return [w for d in self.days for w in d.warnings]

    @property
    def rows(self) -> int:
        return sum(d.rows for d in self.days)

    def summary(self) -> str:
        loaded = self.with_status(LOADED)
        return (f"{len(self.days)} day(s): {len(loaded)} loaded ({self.rows} rows), "
                f"{len(self.with_status(NO_RELEASE))} without release, {len(self.failures)} "
                f"failed, {len(self.with_status(NOT_ATTEMPTED))} not attempted; "
                f"{self.fetch_attempts} fetch attempt(s)")

    def failure_summary(self) -> str | None:
        """One line per failed day (and the circuit breaker's line), or None when all went well."""
        return failure_summary([(d.day, d.error) for d in self.failures], len(self.days),
                               self.stopped)


def failure_summary(failed: list[tuple[dt.date, str]], days: int, stopped: str | None) -> str | None:
    if not failed and not stopped:
        return None
    lines = [f"{day.isoformat()}: {error}" for day, error in failed]
    if stopped:
        lines.append(stopped)
    return (f"{len(failed)} of {days} day(s) failed; every other day that was attempted was "
            "loaded, and the failed days' earlier data was left as it was:\n  "
            + "\n  ".join(lines))


def ingest_range(conn: duckdb.DuckDBPyConnection, source: ReleaseSource, days: Iterable[dt.date],
                 progress: Progress = lambda _: None) -> RangeReport:
    """Fetch, parse and write a range in one call (for tests and scripts with a connection)."""
    report = parse_range(fetch_range(source, days, progress))
    write_range(conn, report, progress)
    return report


def fetch_range(source: ReleaseSource, days: Iterable[dt.date],
                progress: Progress = lambda _: None) -> RangeFetch:
    """Every known file of every day; never raises for what the source does."""
    days = list(days)
    breaker = CircuitBreaker(source)
    fetched: list[DayFetch] = []
    contents: dict[str, bytes] = {}  # one copy of each distinct body, however many days repeat it
    for index, day in enumerate(days):
        if breaker.open:
            return RangeFetch(fetched, days[index:], breaker.message(days_left=len(days) - index))
        day_fetch = DayFetch(day)
        for file_name in ARENA_FILES:
            if day_fetch.problem:  # the host failed this day: the day fails whatever the rest says
                day_fetch.not_attempted.append(file_name)
                continue
            fetch = source.fetch(day, file_name, attempts=breaker.attempts_for_next_file())
            breaker.record(day, fetch)
            if fetch.found:
                body = contents.setdefault(fetch.last.sha256, fetch.last.content)
                fetch.attempts[-1] = replace(fetch.last, content=body)
            day_fetch.files.append(fetch)
        fetched.append(day_fetch)
        if day_fetch.problem:
            progress(f"FAILED {day}: {day_fetch.problem}")
        elif index + 1 in (1, len(days)) or (index + 1) % 30 == 0:
            progress(f"[{index + 1}/{len(days)}] fetched {day}: {len(day_fetch.found)} file(s)")
    # The range may end just as the host is judged down (an update's 3 days): say so too.
    return RangeFetch(fetched, stopped=breaker.message(days_left=0) if breaker.open else None)


def parse_range(fetched: RangeFetch) -> RangeReport:
    """Decide each fetched day's snapshots; each distinct file is parsed once. Pure."""
    parsed_files: dict[tuple[str, str], ParsedFile | ParseError] = {}
    results = []
    for day_fetch in fetched.days:
        if day_fetch.problem:
            results.append(DayResult(day_fetch.day, FAILED, error=day_fetch.problem))
            continue
        snapshots, rejected = [], []
        for arena, (file_name, attempt) in _one_file_per_arena(day_fetch.found).items():
            key = (attempt.sha256, file_name)
            if key not in parsed_files:
                try:
                    parsed_files[key] = parse_release(attempt.content, file_name)
                except ParseError as exc:
                    parsed_files[key] = exc
            outcome = parsed_files[key]
            if isinstance(outcome, ParseError):
                rejected.append(RejectedFile(
                    arena, file_name, attempt.sha256,
                    f"{release_tag(day_fetch.day)}/{outcome}; raw file kept in raw_files as "
                    f"sha256 {attempt.sha256}"))
            else:
                snapshots.append(Snapshot(arena, file_name, attempt.sha256, outcome))
        if rejected:
            # All or nothing per day: the good files of a day with a bad one wait for a fix.
            results.append(DayResult(day_fetch.day, FAILED, error="; ".join(r.error for r in rejected),
                                     rejected=rejected))
        else:
            results.append(DayResult(day_fetch.day, LOADED if snapshots else NO_RELEASE, snapshots))
    results += [DayResult(day, NOT_ATTEMPTED, error=fetched.stopped) for day in fetched.not_attempted]
    return RangeReport(results, fetched, fetched.stopped)


def write_range(conn: duckdb.DuckDBPyConnection, report: RangeReport,
                progress: Progress = lambda _: None) -> None:
    """One transaction, one statement per table for the whole range."""
    fetched = report.fetched
    loaded = report.with_status(LOADED)
    incoming = {
        "incoming_raw_files": _raw_files_rows(fetched),
        "incoming_fetch_log": _fetch_log_rows(fetched),
        "incoming_load_errors": _load_errors_rows(report),
        "incoming_snapshots": _snapshots_rows(loaded),
        "incoming_entries": _entries_rows(loaded),
    }
    create_ingest_tables(conn)
    try:
        # Plain tuples through DuckDB's appender into typed temp tables: no DataFrame (and no
        # pandas import) between the parser and the database.
        for name, rows in incoming.items():
            run_sql(conn, f"ingest/create_{name}")
            with conn.appender(name, columns=INCOMING_COLUMNS.get(name)) as appender:
                appender.append_rows(rows)
        with transaction(conn):
            for statement in ("archive_raw_files", "append_fetch_log", "append_load_errors",
                              "delete_replaced_entries", "delete_replaced_snapshots",
                              "insert_snapshots", "insert_entries"):
                run_sql(conn, f"ingest/{statement}")
            run_sql(conn, "ingest/update_snapshots_same_as_previous")
            drops = run_sql(conn, "ingest/stg_row_count_drops", {
                "max_drop_share": ROW_DROP_WARN_SHARE}).fetchall()
    finally:
        for name in incoming:
            conn.execute(f"drop table if exists temp.{name}")  # names are constants
    by_day = {d.day: d for d in loaded}
    for arena, day, rows, previous_day, previous_rows in drops:
        by_day[day].warnings.append(
            f"{day} {arena}: {rows} rows, {previous_rows} in the previous release {previous_day} "
            f"({(rows - previous_rows) / previous_rows:+.0%}); loaded, check the upstream file")
    progress(report.summary())


def _one_file_per_arena(found: dict[str, Attempt]) -> dict[str, tuple[str, Attempt]]:
    chosen: dict[str, tuple[str, Attempt]] = {}
    for name in sorted(found, key=FILE_PREFERENCE.index):
        chosen.setdefault(ARENA_FILES[name], (name, found[name]))
    return chosen


def _raw_files_rows(fetched: RangeFetch) -> list[tuple]:
    """Each distinct body once, with where and when it was first seen in this range."""
    first_seen: dict[str, Attempt] = {}
    for day_fetch in fetched.days:
        for fetch in day_fetch.files:
            if fetch.found:
                first_seen.setdefault(fetch.last.sha256, fetch.last)
    return [(sha256, len(a.content), a.content, a.url, a.fetched_at)
            for sha256, a in first_seen.items()]


def _fetch_log_rows(fetched: RangeFetch) -> list[tuple]:
    return [
        (release_tag(d.day), d.day, fetch.file_name, a.url, a.status, a.sha256,
         None if a.content is None else len(a.content), a.fetched_at, a.error)
        for d in fetched.days for fetch in d.files for a in fetch.attempts
    ]


def _load_errors_rows(report: RangeReport) -> list[tuple]:
    recorded_at = utc_now()
    return [(r.arena, d.day, r.file_name, r.sha256, r.error, recorded_at)
            for d in report.failures for r in d.rejected]


def _snapshots_rows(loaded: list[DayResult]) -> list[tuple]:
    return [
        (s.arena, d.day, s.file_name, s.sha256, s.parsed.schema_version, len(s.parsed.entries),
         len(s.parsed.duplicates), s.parsed.data_hash, _file_key(s))
        for d in loaded for s in d.snapshots
    ]


def _entries_rows(loaded: list[DayResult]) -> list[tuple]:
    """The rows of each distinct parsed file once; SQL joins them to every day that uses it."""
    distinct = {_file_key(s): s.parsed for d in loaded for s in d.snapshots}
    return [(key, *vars(entry).values()) for key, parsed in distinct.items()
            for entry in parsed.entries]


def _file_key(snapshot: Snapshot) -> str:
    return f"{snapshot.sha256}/{snapshot.file_name}"
