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
from dataclasses import dataclass

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
    rows: list[tuple]  # the first max_rows rows
    total_rows: int  # all rows the query returned, shown or not

    @property
    def left_out(self) -> int:
        return self.total_rows - len(self.rows)


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
              max_rows: int | None) -> QueryResult:
    """The query's first max_rows rows (None: all) and how many it returned in all.

    Raises QueryStopped after `timeout` seconds or on Ctrl-C (KeyboardInterrupt in the main
    thread), duckdb.Error for a bad query.
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
            kept, total = [], 0
            while not stop.is_set():
                batch = cursor.fetchmany(_FETCH_BATCH)
                if not batch:
                    break
                total += len(batch)
                if max_rows is None or len(kept) < max_rows:
                    kept.extend(batch if max_rows is None else batch[: max_rows - len(kept)])
            outcome["result"] = QueryResult(columns, kept, total)
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
    return " ".join(str(value).splitlines())


def _rounded(number: float) -> str:
    """Two decimals, or two significant digits for tiny values (0.00042 stays visible)."""
    if math.isnan(number) or math.isinf(number):
        return str(number)
    if number != 0 and abs(number) < 0.01:
        return f"{number:.2g}"
    return f"{number:.2f}"


def format_table(result: QueryResult) -> str:
    """An aligned text table; numbers right-aligned."""
    cells = [[display_value(value) for value in row] for row in result.rows]
    numeric = [_is_numeric_column([row[i] for row in result.rows if row[i] is not None])
               for i in range(len(result.columns))]
    widths = [max([len(name)] + [len(row[i]) for row in cells])
              for i, name in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        return "  ".join(value.rjust(width) if is_number else value.ljust(width)
                         for value, width, is_number in zip(values, widths, numeric, strict=True)
                         ).rstrip()

    lines = [line(result.columns), "  ".join("-" * width for width in widths)]
    lines += [line(row) for row in cells]
    return "\n".join(lines) + "\n"


def _is_numeric_column(values: list) -> bool:
    return bool(values) and all(isinstance(value, int | float | decimal.Decimal)
                                and not isinstance(value, bool) for value in values)


def format_csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_plain(value) for value in row])
    return out.getvalue()


def format_json(result: QueryResult) -> str:
    """A JSON array of objects, one per row, with full precision."""
    records = [dict(zip(result.columns, (_plain(value) for value in row), strict=True))
               for row in result.rows]
    return json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n"


def _plain(value: object) -> object:
    """Full-precision values for CSV / JSON: dates as ISO, decimals as numbers."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
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
