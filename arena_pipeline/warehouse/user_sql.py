"""`arena-pipeline sql`: run one user query with a deadline and print it as a table, CSV or JSON.

The query runs in a worker thread so the main thread stays free to stop it: at the deadline or
on Ctrl-C it calls `conn.interrupt()`, which DuckDB honours within milliseconds, and the command
ends with one line instead of a traceback. No Dagster, no pandas: this path starts fast.
"""

import csv
import datetime as dt
import decimal
import io
import json
import math
import os
import re
import signal
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Rows pulled from DuckDB at a time; between batches the worker checks whether to stop.
_FETCH_BATCH = 2048
# How long an interrupted query may take to wind down before the command gives up on it.
_STOP_GRACE_SECONDS = 5.0

STATEMENT_TIMEOUT_CAP_SECONDS = 3600.0
_MEMORY_UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
                 "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b)\s*$", re.IGNORECASE)


class QueryStopped(Exception):
    """The query was stopped (deadline or Ctrl-C); the message says which, in one line."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]  # empty for a statement without a result set
    rows: list[tuple]  # the first max_rows rows (none kept when they were streamed to a writer)
    total_rows: int  # all rows the query returned, shown or not
    shown_rows: int | None = None  # rows given to the writer, when streamed

    @property
    def shown(self) -> int:
        return len(self.rows) if self.shown_rows is None else self.shown_rows

    @property
    def left_out(self) -> int:
        return self.total_rows - self.shown


# Room above --memory-limit for the interpreter, DuckDB's threads and the output buffers.
MEMORY_HEADROOM_BYTES = 512 * 1024**2


@contextmanager
def bounded_memory(limit_bytes: int):
    """Within the block, the process's data (heap and private mappings: what DuckDB, the rows and
    the strings take) may grow by at most limit_bytes plus MEMORY_HEADROOM_BYTES. DuckDB's own
    memory_limit does not count everything: a value like repeat('x', 2e9) is built and handed
    over whatever the limit. Past it, DuckDB raises its Out of Memory error (and Python a
    MemoryError), one line instead of a machine out of memory. Linux RLIMIT_DATA, soft limit
    only, restored afterwards."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    allowed = _data_bytes() + limit_bytes + MEMORY_HEADROOM_BYTES
    for existing in (soft, hard):
        if existing != resource.RLIM_INFINITY:
            allowed = min(allowed, existing)
    resource.setrlimit(resource.RLIMIT_DATA, (allowed, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _data_bytes() -> int:
    """VmData of this process (what RLIMIT_DATA counts), 0 if /proc cannot say."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return 0
    match = re.search(r"^VmData:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else 0


def memory_cap_bytes() -> int:
    """Half of this machine's memory: a user's query must leave room for everything else."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2


def parse_memory_limit(value: str) -> int:
    """'2GB', '512MiB', ... as bytes; ValueError names the value and the accepted range."""
    match = _MEMORY.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a memory size such as 512MB or 2GB")
    size = int(float(match.group(1)) * _MEMORY_UNITS[match.group(2).lower()])
    cap = memory_cap_bytes()
    if not 16 * 1024**2 <= size <= cap:
        raise ValueError(f"{value!r} is outside 16MiB .. {cap // 1024**2}MiB (half of this "
                         "machine's memory)")
    return size


def parse_timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds <= STATEMENT_TIMEOUT_CAP_SECONDS:
        raise ValueError(f"{value!r} is outside 0 .. {STATEMENT_TIMEOUT_CAP_SECONDS:g} seconds")
    return seconds


def run_query(conn: duckdb.DuckDBPyConnection, query: str, *, timeout: float,
              max_rows: int | None, writer: "ResultWriter | None" = None) -> QueryResult:
    """The query's first max_rows rows (None: all) and how many it returned in all. With a
    `writer`, the rows are handed to it batch by batch as they arrive and none is kept, so the
    command's memory does not grow with the result.

    Raises QueryStopped after `timeout` seconds or on Ctrl-C (KeyboardInterrupt in the main
    thread), duckdb.Error for a bad query or a result past the memory limit.
    """
    outcome: dict = {}
    finished = threading.Event()
    stop = threading.Event()

    def work() -> None:
        try:
            cursor = conn.execute(query)
            if cursor.description is None:
                outcome["result"] = QueryResult([], [], 0)
                return
            columns = [column[0] for column in cursor.description]
            kept, total, shown = [], 0, 0
            if writer is not None:
                writer.start(columns)
            while not stop.is_set():
                batch = _fetch(cursor, _FETCH_BATCH)
                if not batch:
                    break
                total += len(batch)
                if max_rows is None or shown < max_rows:
                    wanted = batch if max_rows is None else batch[: max_rows - shown]
                    shown += len(wanted)
                    if writer is None:
                        kept.extend(wanted)
                    else:
                        writer.write(wanted)
            if writer is not None:
                writer.finish()
            outcome["result"] = QueryResult(columns, kept, total, None if writer is None else shown)
        except MemoryError:
            outcome["error"] = duckdb.OutOfMemoryException(
                "Out of Memory Error: the result does not fit in --memory-limit")
        except BaseException as exc:  # handed to the main thread, which reports it
            outcome["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=work, name="arena-pipeline-sql", daemon=True)
    worker.start()
    # Event.wait, not Thread.join: a join interrupted by Ctrl-C can report a live thread as
    # finished (CPython < 3.13), and exiting under a running DuckDB query aborts the process.
    try:
        if not finished.wait(timeout):
            _stop(conn, stop, finished)
            raise QueryStopped(f"stopped after {timeout:g} s (--timeout)")
    except KeyboardInterrupt:
        _stop(conn, stop, finished)
        raise QueryStopped("interrupted (Ctrl-C)") from None
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _fetch(cursor, rows: int) -> list[tuple]:
    """The next rows; a value Python cannot hold (an interval of a million years) is DuckDB's
    conversion error naming the column types, not a traceback."""
    try:
        return cursor.fetchmany(rows)
    except (OverflowError, ValueError) as exc:
        types = ", ".join(f"{column[0]} {column[1]}" for column in cursor.description)
        raise duckdb.ConversionException(
            f"a value of the result cannot be converted for printing ({exc}); columns: {types}. "
            "Cast the column to varchar, e.g. cast(x as varchar)") from None


def _stop(conn: duckdb.DuckDBPyConnection, stop: threading.Event,
          finished: threading.Event) -> None:
    """Interrupt the running query and wait (bounded) for the worker to let go of it."""
    stop.set()
    conn.interrupt()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
    try:
        finished.wait(_STOP_GRACE_SECONDS)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)


def display_value(value: object) -> str:
    """A cell for the table format: numbers rounded for reading, dates as ISO, NULL spelled."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | decimal.Decimal):
        return _rounded(float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return terminal_text(value)


# Bidirectional embeddings, overrides and isolates reorder what a terminal shows after them.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_text(value: object) -> str:
    """A value as one line a terminal shows literally: line breaks become spaces; control
    characters (ESC of an escape sequence that could retitle or clear the terminal, NUL, C1, DEL)
    and bidi controls are written as `\\x1b` / `\\u202e` escapes instead of being sent."""
    text = " ".join(str(value).splitlines())
    return "".join(_escaped(ch) if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS else ch
                   for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _rounded(number: float) -> str:
    """Two decimals, or two significant digits for tiny values (0.00042 stays visible)."""
    if math.isnan(number) or math.isinf(number):
        return str(number)
    if number != 0 and abs(number) < 0.01:
        return f"{number:.2g}"
    return f"{number:.2f}"


class ResultWriter:
    """Writes one result to `out` as its rows arrive: start(columns), write(rows)..., finish()."""

    def __init__(self, out):
        self.out = out
        self.columns: list[str] = []

    def start(self, columns: list[str]) -> None:
        self.columns = columns

    def write(self, rows: list[tuple]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass


class TableWriter(ResultWriter):
    """An aligned text table; numbers right-aligned. Widths and alignment come from the first
    TABLE_SAMPLE_ROWS rows (every row of a table capped by --max-rows); a later longer cell
    just pushes its line out."""

    def __init__(self, out):
        super().__init__(out)
        self.pending: list[tuple] | None = []
        self.widths: list[int] = []
        self.numeric: list[bool] = []

    def write(self, rows: list[tuple]) -> None:
        if self.pending is None:
            self._lines(rows)
            return
        self.pending.extend(rows)
        if len(self.pending) >= TABLE_SAMPLE_ROWS:
            self._flush()

    def finish(self) -> None:
        if self.pending is not None:
            self._flush()

    def _flush(self) -> None:
        rows, self.pending = self.pending, None
        names = [terminal_text(name) for name in self.columns]
        cells = [[display_value(value) for value in row] for row in rows]
        self.numeric = [_is_numeric_column([row[i] for row in rows if row[i] is not None])
                        for i in range(len(self.columns))]
        self.widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(names)]
        self.out.write(self._line(names) + "\n" + "  ".join("-" * width for width in self.widths) + "\n")
        self._lines(rows, cells)

    def _lines(self, rows: list[tuple], cells: list[list[str]] | None = None) -> None:
        cells = cells if cells is not None else [[display_value(value) for value in row] for row in rows]
        self.out.write("".join(self._line(row) + "\n" for row in cells))

    def _line(self, values: list[str]) -> str:
        return "  ".join(value.rjust(width) if is_number else value.ljust(width)
                         for value, width, is_number in zip(values, self.widths, self.numeric, strict=True)
                         ).rstrip()


class CsvWriter(ResultWriter):
    def start(self, columns: list[str]) -> None:
        super().start(columns)
        self.csv = csv.writer(self.out, lineterminator="\n")
        self.csv.writerow(columns)

    def write(self, rows: list[tuple]) -> None:
        self.csv.writerows([_plain(value) for value in row] for row in rows)


class JsonWriter(ResultWriter):
    """A JSON array of objects, one per row, with full precision. Valid JSON whatever the values:
    NaN and ±infinity (which JSON has no literal for) are null, anything else without a JSON
    form (intervals, UUIDs, blobs, ...) is its text."""

    def start(self, columns: list[str]) -> None:
        super().start(columns)
        self.count = 0

    def write(self, rows: list[tuple]) -> None:
        parts = []
        for row in rows:
            record = dict(zip(self.columns, (_json_value(value) for value in row), strict=True))
            text = json.dumps(record, ensure_ascii=False, indent=1, default=str, allow_nan=False)
            parts.append(("[\n" if self.count == 0 else ",\n") + " " + text.replace("\n", "\n "))
            self.count += 1
        self.out.write("".join(parts))

    def finish(self) -> None:
        self.out.write("[]\n" if self.count == 0 else "\n]\n")


# Rows a table's widths are measured on before its first line is printed.
TABLE_SAMPLE_ROWS = 2048
WRITERS = {"table": TableWriter, "csv": CsvWriter, "json": JsonWriter}


def _formatted(kind: str, result: QueryResult) -> str:
    out = io.StringIO()
    writer = WRITERS[kind](out)
    writer.start(result.columns)
    writer.write(result.rows)
    writer.finish()
    return out.getvalue()


def format_table(result: QueryResult) -> str:
    return _formatted("table", result)


def _is_numeric_column(values: list) -> bool:
    return bool(values) and all(isinstance(value, int | float | decimal.Decimal)
                                and not isinstance(value, bool) for value in values)


def format_csv(result: QueryResult) -> str:
    return _formatted("csv", result)


def format_json(result: QueryResult) -> str:
    return _formatted("json", result)


def _json_value(value: object) -> object:
    value = _plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    return value


def _plain(value: object) -> object:
    """Full-precision values for CSV / JSON: dates as ISO, decimals as numbers."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return float(value)
        return int(value) if value == value.to_integral_value() else float(value)
    return value


FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json}


def single_statement_error(query: str) -> str | None:
    """Why `query` is not exactly one statement, or None. Several are refused rather than run:
    DuckDB would run them all and return the last result only, and csv / json output has room for
    one result. A query DuckDB cannot parse passes here and fails with DuckDB's message."""
    try:
        count = len(duckdb.extract_statements(query))
    except duckdb.Error:
        return None
    if count == 0:
        return "the query is empty (no SQL statement, only blanks, semicolons or comments)"
    if count > 1:
        return (f"one statement at a time: the query has {count}; run each with its own "
                "`arena-pipeline sql`")
    return None
