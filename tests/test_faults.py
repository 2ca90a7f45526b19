"""The fault suite: `arena-pipeline backfill` against a misbehaving loopback server.

Every bad day sits between two good ones. Its real file was loaded before the run, so each case
checks the exit code, its one-line message, that the day's earlier rows are intact, and that the
days around it loaded. One CLI run carries all the failing cases (the README's fault model).
"""

import contextlib
import csv
import datetime as dt
import hashlib
import io
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.cli import main
from arena_pipeline.defs.ingest import ingest_assets
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.ingest.releases import fetch_range, ingest_range
from arena_pipeline.settings import load_settings
from arena_pipeline.sources import releases as source_module
from arena_pipeline.sources.releases import MAX_BYTES, FetchPolicy, ReleaseSource
from tests import fault_server as fs
from tests.conftest import RELEASES, release_file

# Small waits, so the whole suite takes seconds; the logic is the production one.
FAST = FetchPolicy(connect_timeout_s=1.0, stall_timeout_s=0.5, deadline_s=2.0, attempts=4,
                   backoff_s=0.01, retry_after_cap_s=1.0, max_redirects=10,
                   days_without_answer=3)


def _rewrite_row(content: bytes, line: int, column: str, value: str) -> bytes:
    """The real file with one cell replaced (line 1 = header), written back as CSV."""
    rows = list(csv.reader(io.StringIO(content.decode())))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _with_invalid_utf8(content: bytes) -> bytes:
    """A Latin-1 byte in the model name of line 3."""
    lines = content.split(b"\n")
    fields = lines[2].split(b",")
    fields[2] += b"\xe9"
    lines[2] = b",".join(fields)
    return b"\n".join(lines)


@dataclass(frozen=True)
class Case:
    file_name: str  # the file served badly on the day
    behaviour: object  # the day's real bytes -> a fault_server behaviour
    expected: str  # text of the day's one line
    attempts: int | None  # attempts logged for that file (None: depends on the clock)
    kind: str = "fetch"  # fetch: logged in fetch_log only; parse: also a load_errors row


def fetch(file_name, behaviour, expected, attempts):
    return Case(file_name, behaviour, expected, attempts, "fetch")


def parse(file_name, behaviour, expected):
    return Case(file_name, behaviour, expected, 1, "parse")


CASES = {
    "http_500": fetch("lmsys.csv", lambda b: fs.status(500),
                      "HTTP 500 Internal Server Error; gave up after 4 attempt(s)", 4),
    "http_502": fetch("lmsys.csv", lambda b: fs.status(502), "HTTP 502 Bad Gateway; gave up", 4),
    "http_503_retry_after_0": fetch("lmsys.csv", lambda b: fs.status(503, {"Retry-After": "0"}),
                                    "HTTP 503 Service Unavailable; gave up after 4 attempt(s)", 4),
    "http_504": fetch("lmsys.csv", lambda b: fs.status(504), "HTTP 504 Gateway Timeout; gave up", 4),
    "http_403": fetch("lmsys.csv", lambda b: fs.status(403), "lmsys.csv: HTTP 403 Forbidden", 1),
    "http_429": fetch("lmsys.csv", lambda b: fs.status(429),
                      "HTTP 429 Too Many Requests; gave up after 4 attempt(s)", 4),
    "http_429_retry_after_beyond_cap": fetch(
        "lmsys.csv", lambda b: fs.status(429, {"Retry-After": "3600"}),
        "HTTP 429 Too Many Requests; Retry-After 3600 s is beyond the 1 s this run waits", 1),
    "redirect_loop": fetch("lmsys.csv", lambda b: fs.redirect_to_self, "more than 10 redirects", 1),
    "redirect_to_another_scheme": fetch("lmsys.csv", lambda b: fs.redirect_to("ftp://127.0.0.1/x"),
                                        "unusable URL or redirect: InvalidSchema", 1),
    "redirect_to_link_local": fetch(
        "lmsys.csv", lambda b: fs.redirect_to("http://169.254.169.254/latest/meta-data/"),
        "redirect to 169.254.169.254 refused: not a public address", 1),
    "redirect_to_private": fetch("lmsys.csv", lambda b: fs.redirect_to("http://192.168.1.1/admin"),
                                 "redirect to 192.168.1.1 refused: not a public address", 1),
    "bad_gzip": fetch("lmsys.csv", fs.bad_gzip, "body cannot be decoded", 1),
    "short_body": fetch("lmsys.csv", lambda b: fs.short_body(b, 100), "body broken off after 100", 4),
    "size_cap_declared": fetch(
        "lmsys.csv", lambda b: fs.serve(b, headers={"Content-Length": str(MAX_BYTES + 1)}),
        f"Content-Length {MAX_BYTES + 1} exceeds the {MAX_BYTES} byte cap", 1),
    "size_cap_streamed": fetch("lmsys.csv", lambda b: fs.oversized_stream(b, MAX_BYTES + len(b)),
                               f"body exceeds the {MAX_BYTES} byte cap", 1),
    "hang": fetch("lmsys.csv", lambda b: fs.hang, "no answer: ReadTimeout", None),
    "slow_drip": fetch("lmsys.csv", fs.drip, "body not complete within the 2 s deadline", 1),
    "connection_dropped": fetch("lmsys.csv", lambda b: fs.drop_connection,
                                "no answer: ConnectionError", 4),
    "html_page": parse("lmsys.csv", lambda b: fs.serve(b"<!DOCTYPE html>\n<html>limited</html>\n"),
                       "lmsys.csv, line 1, column '(file)': an HTML page, not a CSV file"),
    "empty_file": parse("lmsys.csv", lambda b: fs.serve(b""), "lmsys.csv, line 1, column '(file)': "
                        "file is empty"),
    "truncated_mid_line": parse("lmsys.csv", lambda b: fs.serve(b[: len(b) // 2].rstrip(b"\n")),
                                "column '(end of file)': file is truncated"),
    "unknown_header": parse("lmsys.csv", lambda b: fs.serve(b.replace(b"votes", b"battles", 1)),
                            "lmsys.csv, line 1, column 'battles': unknown header"),
    "votes_not_a_number": parse(
        "lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 8, "votes", "lots")),
        "lmsys.csv, line 8, column 'votes': not a whole number (value 'lots')"),
    "bad_ci": parse("lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 3, "95_pct_ci", "5-4")),
                    "line 3, column '95_pct_ci': expected a confidence interval like +5/-4 "
                    "(value '5-4')"),
    "invalid_utf8": parse("lmsys.csv", lambda b: fs.serve(_with_invalid_utf8(b)),
                          "lmsys.csv, line 3, column 'model': not valid UTF-8"),
    "votes_overflow": parse(
        "lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 2, "votes", "999,999,999,999,999")),
        "line 2, column 'votes': implausible vote count: more than 100,000,000 "
        "(value '999,999,999,999,999')"),
    "rank_overflow": parse("lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 4, "rank", "99999999999")),
                           "line 4, column 'rank': implausible rank"),
    "score_nan": parse("lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 6, "arena_score", "nan")),
                       "lmsys.csv, line 6, column 'arena_score': not a finite number (value 'nan')"),
    "score_infinite": parse("lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 7, "arena_score", "-inf")),
                            "lmsys.csv, line 7, column 'arena_score': not a finite number (value '-inf')"),
    "ci_overflow": parse(
        "lmsys.csv", lambda b: fs.serve(_rewrite_row(b, 5, "95_pct_ci", "+99999999999/-4")),
        "line 5, column '95_pct_ci': implausible confidence interval: wider than the score"),
    "v3_name_with_v1_header": parse(
        "lmarena_text.csv", lambda b: fs.serve(release_file("2024.07.07", "lmsys.csv")),
        "lmarena_text.csv, line 1, column '(header)': a lmarena_* file must have the v3 header"),
}
FIRST_DAY = dt.date(2024, 10, 20)
# Case i is on FIRST_DAY + 2i + 1; the days around it serve their real file.
BAD_DAY = {name: FIRST_DAY + dt.timedelta(days=2 * i + 1) for i, name in enumerate(CASES)}
LAST_DAY = FIRST_DAY + dt.timedelta(days=2 * len(CASES))


def _tag(day: dt.date) -> str:
    return day.strftime("%Y.%m.%d")


def _day_fingerprint(db_path, day: dt.date) -> tuple:
    with duckdb.connect(str(db_path), read_only=True) as conn:
        return conn.execute(
            "select (select count(*) from snapshots where snapshot_date = $d), count(*), "
            "md5(string_agg(cast(e as varchar), '|' order by model)) "
            "from leaderboard_entries e where snapshot_date = $d", {"d": day}).fetchone()


def _run_cli(paths: dict, argv: list[str], policy: FetchPolicy = FAST) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in paths.items():
            patch.setenv(name, value)
        patch.setattr(source_module, "DEFAULT_POLICY", policy)
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
    return code, err.getvalue()


def _paths(root, url: str) -> dict:
    return {"ARENA_SOURCE": url, "ARENA_DB": str(root / "arena.duckdb"),
            "ARENA_REPORTS_DIR": str(root / "reports"), "DAGSTER_HOME": str(root / "home")}


def _preload(db_path, days: list[dt.date]) -> None:
    """The bad days' real files, loaded before the faulty run (their 'earlier data')."""
    with duckdb.connect(str(db_path)) as conn:
        report = ingest_range(conn, ReleaseSource(str(RELEASES)), days)
    assert not report.failures


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    _preload(root / "arena.duckdb", list(BAD_DAY.values()))
    before = {name: _day_fingerprint(root / "arena.duckdb", day) for name, day in BAD_DAY.items()}
    with duckdb.connect(str(root / "arena.duckdb"), read_only=True) as conn:
        preloaded_at = conn.execute("select max(fetched_at) from fetch_log").fetchone()[0]
    with fs.FaultServer() as server:
        day = FIRST_DAY
        while day <= LAST_DAY:
            server.plan[f"/{_tag(day)}/lmsys.csv"] = fs.serve(release_file(_tag(day), "lmsys.csv"))
            day += dt.timedelta(days=1)
        for name, case in CASES.items():
            tag = _tag(BAD_DAY[name])
            server.plan[f"/{tag}/{case.file_name}"] = case.behaviour(release_file(tag, "lmsys.csv"))
        paths = _paths(root, server.url)
        code, err = _run_cli(paths, ["backfill", "--start", FIRST_DAY.isoformat(),
                                     "--end", LAST_DAY.isoformat()])
    return {"code": code, "err": err, "before": before, "db": root / "arena.duckdb",
            "preloaded_at": preloaded_at,
            "reports": root / "reports"}


def _summary_lines(err: str) -> list[str]:
    """The failure summary the command prints last (what precedes it, if anything, is not)."""
    err = "\n" + err
    summary = err[err.rindex("\ningestion: "):].strip().splitlines()
    return [line.strip() for line in summary[1:] if not line.startswith("arena-pipeline: ")]


def _day_line(err: str, day: dt.date) -> str:
    lines = [line for line in _summary_lines(err) if line.startswith(f"{day}: ")]
    assert len(lines) == 1, f"expected one line for {day} in:\n{err[-5000:]}"
    return lines[0]


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_day_fails_alone_with_one_line(faulty_run, name):
    day, case = BAD_DAY[name], CASES[name]
    assert faulty_run["code"] == 1
    line = _day_line(faulty_run["err"], day)
    assert case.expected in line
    assert f"{_tag(day)}/{case.file_name}" in line  # the URL or file names the day's file
    # The day's earlier data is intact; the days around it loaded.
    assert _day_fingerprint(faulty_run["db"], day) == faulty_run["before"][name]
    for neighbour in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
        assert _day_fingerprint(faulty_run["db"], neighbour)[0] == 1
    with duckdb.connect(str(faulty_run["db"]), read_only=True) as conn:
        logged = conn.execute("select http_status, error from fetch_log where snapshot_date = ? "
                              "and file_name = ? and fetched_at > ? order by fetched_at",
                              [day, case.file_name, faulty_run["preloaded_at"]]).fetchall()
        load_errors = conn.execute("select file_name, error from load_errors where snapshot_date = ?",
                                   [day]).fetchall()
    if case.attempts is not None:
        assert len(logged) == case.attempts
    if case.kind == "fetch":
        assert all(error for _, error in logged) and not load_errors
    else:  # fetched fine, the bytes archived, the file rejected
        assert [status for status, _ in logged] == [200]
        assert [(n, case.expected in e) for n, e in load_errors] == [(case.file_name, True)]


def test_the_failing_run_lists_every_bad_day_and_still_refreshes_downstream(faulty_run):
    err = faulty_run["err"]
    assert f"{len(CASES)} of {2 * len(CASES) + 1} day(s) failed" in err
    assert err.rstrip().splitlines()[-1].startswith("arena-pipeline: run ")
    with duckdb.connect(str(faulty_run["db"]), read_only=True) as conn:
        assert conn.execute("select count(*) from snapshots").fetchone()[0] == 2 * len(CASES) + 1
        # Analytics ran after the ingestion, on every day that loaded.
        assert conn.execute("select distinct latest_release_date from v_latest_leaderboard"
                            ).fetchall() == [(LAST_DAY,)]
        assert conn.execute("select count(*) from load_errors").fetchone()[0] == sum(
            case.kind == "parse" for case in CASES.values())
    assert (faulty_run["reports"] / "leaderboard_zh.md").is_file()


def test_recoverable_faults_load_and_a_sharp_drop_warns(tmp_path):
    days = [dt.date(2024, 11, 4) + dt.timedelta(days=i) for i in range(4)]
    real = {day: release_file(_tag(day), "lmsys.csv") for day in days}
    cut = b"\n".join(real[days[3]].split(b"\n")[:100]) + b"\n"  # header + 99 rows, clean lines
    with fs.FaultServer() as server:
        server.plan[f"/{_tag(days[0])}/lmsys.csv"] = fs.serve(real[days[0]])
        server.plan[f"/{_tag(days[1])}/lmsys.csv"] = fs.sequence(
            fs.status(503), fs.status(503), fs.serve(real[days[1]]))
        server.plan[f"/{_tag(days[2])}/lmsys.csv"] = fs.sequence(
            fs.status(429, {"Retry-After": "1"}), fs.serve(real[days[2]]))
        server.plan[f"/{_tag(days[3])}/lmsys.csv"] = fs.serve(cut)
        # A deadline that leaves room for the 1 s Retry-After on a busy machine.
        code, err = _run_cli(_paths(tmp_path, server.url),
                             ["backfill", "--start", days[0].isoformat(), "--end", days[3].isoformat()],
                             FetchPolicy(backoff_s=0.01, stall_timeout_s=2.0, deadline_s=10.0))
    assert code == 0, err
    with duckdb.connect(str(tmp_path / "arena.duckdb"), read_only=True) as conn:
        statuses = conn.execute("select snapshot_date, list(http_status order by fetched_at) "
                                "from fetch_log where file_name = 'lmsys.csv' group by 1 order by 1"
                                ).fetchall()
        rows = conn.execute("select row_count from snapshots order by snapshot_date").fetchall()
    assert [s for _, s in statuses] == [[200], [503, 503, 200], [429, 200], [200]]
    previous_rows = rows[2][0]
    assert rows[3] == (99,)
    assert (f"warning: {days[3]} text: 99 rows, {previous_rows} in the previous release "
            f"{days[2]}") in err


def test_a_dead_host_stops_the_range_with_the_local_copy_hint(tmp_path):
    with fs.FaultServer() as unused:
        dead = unused.url  # closed on exit: nothing listens there any more
    days = [dt.date(2024, 11, 4) + dt.timedelta(days=i) for i in range(5)]
    _preload(tmp_path / "arena.duckdb", [days[1]])
    before = _day_fingerprint(tmp_path / "arena.duckdb", days[1])
    code, err = _run_cli(_paths(tmp_path, dead),
                         ["backfill", "--start", days[0].isoformat(), "--end", days[-1].isoformat()])
    assert code == 1
    host = dead.removeprefix("http://")
    line = _summary_lines(err)[-1]
    assert line.startswith(f"{host}: no usable answer for 3 consecutive days ({days[0]} .. {days[2]}")
    assert "2 later day(s) not attempted" in line
    assert line.endswith("ARENA_SOURCE=../shared/arena-history/releases")
    assert _day_fingerprint(tmp_path / "arena.duckdb", days[1]) == before
    with duckdb.connect(str(tmp_path / "arena.duckdb"), read_only=True) as conn:
        attempts = conn.execute("select snapshot_date, count(*) from fetch_log "
                                "where http_status is null group by 1 order by 1").fetchall()
    # Full retries on the first day; one probe each on the next two; nothing after the stop.
    assert attempts == [(days[0], 4), (days[1], 1), (days[2], 1)]


def test_no_database_lock_is_held_while_a_download_waits(tmp_path):
    """While the server holds the asset's only request open, another process writes to the
    database file: the asset opens its connection only after the download."""
    day = dt.date(2024, 11, 4)
    request_arrived, release = threading.Event(), threading.Event()

    def hold(handler):
        request_arrived.set()
        release.wait(fs.LONGEST_WAIT_S)
        fs.serve(release_file(_tag(day), "lmsys.csv"))(handler)

    with fs.FaultServer() as server, pytest.MonkeyPatch.context() as patch:
        patch.setattr(source_module, "DEFAULT_POLICY", FetchPolicy(stall_timeout_s=8.0))
        server.plan[f"/{_tag(day)}/lmsys.csv"] = hold
        settings = load_settings(_paths(tmp_path, server.url))
        results = {}

        def materialize():  # the instance lives and dies in this thread (SQLite wants that)
            with dg.DagsterInstance.ephemeral() as instance:
                results["success"] = dg.materialize(
                    ingest_assets, resources=build_resources(settings), instance=instance,
                    partition_key=day.isoformat(), raise_on_error=False).success

        run = threading.Thread(target=materialize)
        run.start()
        assert request_arrived.wait(fs.LONGEST_WAIT_S)
        # Our tables beside its own: a file with only another program's table would be refused.
        other_writer = subprocess.run(
            [sys.executable, "-c", "import duckdb, sys; from arena_pipeline.warehouse.database import "
             "create_ingest_tables; conn = duckdb.connect(sys.argv[1]); create_ingest_tables(conn); "
             "conn.execute('create table touched as select 1 as x')", str(settings.db_path)],
            capture_output=True, text=True)
        release.set()
        run.join()
    assert other_writer.returncode == 0, other_writer.stderr
    assert results["success"]
    assert _day_fingerprint(settings.db_path, day)[:2] == (1, 155)


def test_a_range_that_ends_as_the_host_is_judged_down_still_gets_the_hint():
    """`update` asks for 3 days: the breaker opens on the last one, with nothing left to skip."""
    with fs.FaultServer() as unused:
        dead = unused.url
    days = [dt.date(2024, 11, 4) + dt.timedelta(days=i) for i in range(3)]
    fetched = fetch_range(ReleaseSource(dead, FAST), days)
    assert [d.problem is not None for d in fetched.days] == [True, True, True]
    assert fetched.not_attempted == []
    assert "no usable answer for 3 consecutive days" in fetched.stopped
    assert "not attempted" not in fetched.stopped
    assert fetched.stopped.endswith("ARENA_SOURCE=../shared/arena-history/releases")


def test_a_local_release_linking_out_of_the_source_folder_is_not_read(tmp_path):
    """A local ARENA_SOURCE whose day file is a link to /etc/passwd: that day fails with one line
    and nothing of the file is archived; a link inside the folder is followed."""
    days = [dt.date(2024, 11, 4) + dt.timedelta(days=i) for i in range(3)]
    source = tmp_path / "releases"
    for day in days:
        (source / _tag(day)).mkdir(parents=True)
        (source / _tag(day) / "lmsys.csv").write_bytes(release_file(_tag(day), "lmsys.csv"))
    _preload(tmp_path / "arena.duckdb", [days[1]])
    before = _day_fingerprint(tmp_path / "arena.duckdb", days[1])
    (source / _tag(days[1]) / "lmsys.csv").unlink()
    (source / _tag(days[1]) / "lmsys.csv").symlink_to("/etc/passwd")
    inside = source / _tag(days[2]) / "lmsys.csv"
    (source / "kept.csv").write_bytes(inside.read_bytes())
    inside.unlink()
    inside.symlink_to(source / "kept.csv")
    with duckdb.connect(str(tmp_path / "arena.duckdb")) as conn:
        report = ingest_range(conn, ReleaseSource(str(source)), days)
        archived = {row[0] for row in conn.execute("select sha256 from raw_files").fetchall()}
    assert [(r.day, r.status) for r in report.days] == [(days[0], "loaded"), (days[1], "failed"),
                                                        (days[2], "loaded")]
    assert report.days[1].error.startswith(f"{source / _tag(days[1]) / 'lmsys.csv'}: a link to /etc/passwd, "
                                           f"outside the source folder {source}; not read")
    assert _day_fingerprint(tmp_path / "arena.duckdb", days[1]) == before
    assert hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest() not in archived
