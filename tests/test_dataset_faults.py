"""The official dataset against a misbehaving loopback Hub: every fault of the CSV fault suite.

The database holds a day of the CSV source and the dataset at REVISION (loaded from a local copy).
The Hub then moves to NEXT_REVISION with new contents for every subset, and serves one of them
(`text`) badly. Each case checks the one line that names the URL or file and the cause, that the
faulty subset's earlier rows and the whole archive are intact, that the other subsets loaded, that
the CSV rows are untouched, and what `dataset_fetch_log` recorded for each attempt.
"""

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from arena_pipeline.cli import main
from arena_pipeline.ingest.dataset import DatasetReport, refresh_dataset
from arena_pipeline.ingest.releases import ingest_range
from arena_pipeline.sources import dataset as dataset_source
from arena_pipeline.sources.dataset import DatasetFetchError, DatasetSource
from arena_pipeline.sources.http_fetch import FetchPolicy
from arena_pipeline.sources.releases import ReleaseSource
from tests import fault_server as fs
from tests.conftest import RELEASES
from tests.dataset_fixtures import (
    HUB_REPO,
    NEXT_REVISION,
    REVISION,
    SUBSET_TYPES,
    rows_of,
    subset_path,
    write_dataset,
    write_parquet,
)

SUBSETS = list(SUBSET_TYPES)  # text, text_style_control, vision, vision_style_control, webdev
FAULTY = "text"
CSV_DAY = "2025.07.07"
# Small waits so the suite takes seconds; the logic is the production one. The deadline grows by
# one second per 64 KiB of declared size (the fixtures' files are ~5 KB: +0.1 s).
FAST = FetchPolicy(connect_timeout_s=1.0, stall_timeout_s=0.5, deadline_s=3.0, attempts=4,
                   backoff_s=0.01, retry_after_cap_s=1.0, max_redirects=10, days_without_answer=2,
                   min_rate_bytes_s=64 * 1024)
API = f"/api/datasets/{HUB_REPO}"
LISTING = f"{API}/tree/{NEXT_REVISION}?recursive=true"


def resolve_path(subset: str, revision: str = NEXT_REVISION) -> str:
    return f"/datasets/{HUB_REPO}/resolve/{revision}/{subset}/full-00000-of-00001.parquet"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The database before the faulty run (a CSV day, the dataset at REVISION) and the bytes of
    every subset at NEXT_REVISION (every rating half a point higher: new contents)."""
    root = tmp_path_factory.mktemp("dataset-faults")
    write_dataset(root / "v1")
    db = root / "template.duckdb"
    with duckdb.connect(str(db)) as conn:
        assert not ingest_range(conn, ReleaseSource(str(RELEASES)),
                                [dt.date(2025, 7, 7)]).failures
        assert refresh_dataset(conn, DatasetSource(str(root / "v1")), SUBSETS).failure_summary() is None
    new = {}
    for subset in SUBSETS:
        rows = [{**row, **{c: row[c] + 0.5 for c in ("rating", "rating_lower", "rating_upper")
                           if row[c] is not None}} for row in rows_of(subset)]
        new[subset] = write_parquet(subset_path(root / "v2", subset), rows, SUBSET_TYPES[subset])
    return {"db": db, "new": new}


def _state(db) -> dict:
    """Fingerprints of what must survive a failure."""
    with duckdb.connect(str(db), read_only=True) as conn:
        def one(sql, *params):
            return conn.execute(sql, list(params)).fetchone()

        boards = {subset: one("select count(*), md5(string_agg(cast(e as varchar), '|' order by all)) "
                              "from dataset_entries e where arena = ? and style_control = ?",
                              *dataset_source.board_of_subset(subset)) for subset in SUBSETS}
        return {
            "boards": boards,
            "archive": one("select count(*), md5(string_agg(sha256 || md5(content), '|' order by sha256)) "
                           "from raw_files"),
            "archived": {row[0] for row in conn.execute("select sha256 from raw_files").fetchall()},
            "csv": one("select count(*), md5(string_agg(cast(e as varchar), '|' order by all)) "
                       "from leaderboard_entries e"),
            "revisions": dict(conn.execute("select subset, arg_max(revision, loaded_at) from dataset_files "
                                           "group by subset").fetchall()),
        }


def _fetch_log(db, what: str, subset: str | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute("select http_status, error, sha256 from dataset_fetch_log where what = ? "
                            "and (subset = ? or ? is null) and revision is distinct from ? "
                            "order by fetched_at, rowid",
                            [what, subset, subset, REVISION]).fetchall()


def _hub(server: fs.FaultServer, new: dict[str, bytes], listing: bool = False) -> None:
    """The Hub at NEXT_REVISION: the API's sha, every subset's file, and (optionally) the tree."""
    server.plan[API] = fs.serve(json.dumps({"id": HUB_REPO, "sha": NEXT_REVISION}).encode())
    for subset, content in new.items():
        server.plan[resolve_path(subset)] = fs.serve(content)
    if listing:
        tree = [{"type": "file", "path": f"{subset}/full-00000-of-00001.parquet", "size": len(content),
                 "oid": "0" * 40, "lfs": {"oid": hashlib.sha256(content).hexdigest(), "size": len(content),
                                          "pointerSize": 134}}
                for subset, content in new.items()]
        server.plan[LISTING] = fs.serve(json.dumps(tree).encode())


def _run(db, base: str, policy: FetchPolicy = FAST) -> tuple[DatasetReport, float]:
    started = time.monotonic()
    with duckdb.connect(str(db)) as conn:
        report = refresh_dataset(conn, DatasetSource(base, policy), SUBSETS)
    return report, time.monotonic() - started


def _text_file(change) -> bytes:
    """The new `text` file (every rating half a point up) after `change(rows)`, as parquet bytes."""
    rows = [{**row, **{c: row[c] + 0.5 for c in ("rating", "rating_lower", "rating_upper")
                       if row[c] is not None}} for row in rows_of(FAULTY)]
    with tempfile.TemporaryDirectory() as folder:
        return write_parquet(Path(folder, "text.parquet"), change(rows), SUBSET_TYPES[FAULTY])


def _cell(row: int, **values):
    """A change of `_text_file`: row `row` (1 = first) gets `values`."""
    def change(rows):
        rows[row - 1] = {**rows[row - 1], **values}
        return rows
    return change


def _bad_cell(row: int, column: str, problem: str, value: str) -> str:
    return f"row {row}, column {column!r}: {problem} (value {value!r})"


LINK_LOCAL = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
ELO_ERA = "2023-12-20"


@dataclass(frozen=True)
class Case:
    behaviour: object  # the new `text` bytes -> the fault_server behaviour of its URL
    expected: str  # in the subset's one line
    statuses: list | None  # http_status of each logged attempt (None: depends on the clock)
    loads: bool = False  # a recoverable fault: the subset loads in the end
    listing: bool = False  # the Hub lists the files' sha256 (the run checks what arrived)
    archived: bool = False  # the bytes that arrived are kept in raw_files (bad content)


CASES = {
    "http_500_502_503_then_success": Case(
        lambda b: fs.sequence(fs.status(500), fs.status(502), fs.status(503), fs.serve(b)),
        "", [500, 502, 503, 200], loads=True),
    "http_503_every_time": Case(lambda b: fs.status(503),
                                "HTTP 503 Service Unavailable; gave up after 4 attempt(s)", [503] * 4),
    "http_429_short_retry_after": Case(
        lambda b: fs.sequence(fs.status(429, {"Retry-After": "1"}), fs.serve(b)), "", [429, 200], loads=True),
    "http_429_long_retry_after": Case(
        lambda b: fs.status(429, {"Retry-After": "3600"}),
        "HTTP 429 Too Many Requests; Retry-After 3600 s is beyond the 1 s this run waits", [429]),
    "hang": Case(lambda b: fs.hang, "no answer: ReadTimeout", None),
    "drip_past_the_deadline": Case(fs.drip, "body not complete within the 3 s deadline", [200]),
    "connection_dropped": Case(lambda b: fs.drop_connection, "no answer: ConnectionError", [None] * 4),
    "short_body": Case(lambda b: fs.short_body(b, 1000), "body broken off after 1000", [200] * 4),
    "truncated_parquet": Case(
        lambda b: fs.serve(b[: len(b) // 2]),
        "text/full-00000-of-00001.parquet (http://HOST/datasets/lmarena-ai/leaderboard-dataset/resolve/"
        f"{NEXT_REVISION}/text/full-00000-of-00001.parquet): truncated parquet file", [200], archived=True),
    "truncated_parquet_against_the_listing": Case(
        lambda b: fs.serve(b[: len(b) // 2]), "but the Hub lists sha256", [200], listing=True),
    "html_page": Case(lambda b: fs.serve(b"<!DOCTYPE html>\n<html><body>Rate limited</body></html>\n"),
                      "an HTML page, not a parquet file (starts '<!DOCTYPE html>')", [200], archived=True),
    "size_cap_declared": Case(
        lambda b: fs.serve(b, headers={"Content-Length": str(dataset_source.MAX_BYTES + 1)}),
        f"Content-Length {dataset_source.MAX_BYTES + 1} exceeds the {dataset_source.MAX_BYTES} byte cap", [200]),
    "redirect_loop": Case(lambda b: fs.redirect_to_self, "more than 10 redirects", [None]),
    "http_403": Case(lambda b: fs.status(403), "HTTP 403 Forbidden", [403]),
    "http_404": Case(lambda b: fs.status(404), "HTTP 404 Not Found", [404]),
    # Trust in the network: a redirect to a cloud's metadata service or a private host.
    "redirect_to_link_local": Case(lambda b: fs.redirect_to(LINK_LOCAL),
                                   "redirect to 169.254.169.254 refused: not a public address", [None]),
    "redirect_to_private": Case(lambda b: fs.redirect_to("http://10.0.0.7/internal"),
                                "redirect to 10.0.0.7 refused: not a public address", [None]),
    # Values no leaderboard has, refused at parse time with row, column and value.
    "rating_infinite": Case(lambda b: fs.serve(_text_file(_cell(5, rating=float("inf")))),
                            _bad_cell(5, "rating", "not a finite number", "inf"), [200], archived=True),
    "rating_huge": Case(lambda b: fs.serve(_text_file(_cell(7, rating=1e300))),
                        _bad_cell(7, "rating", "implausible rating: outside 0 .. 100000.0", "1e+300"),
                        [200], archived=True),
    "lower_bound_minus_infinity": Case(
        lambda b: fs.serve(_text_file(_cell(20, rating_lower=float("-inf")))),
        _bad_cell(20, "rating_lower", "not a finite number", "-inf"), [200], archived=True),
    "upper_bound_nan_is_a_missing_bound_but_inverted_bounds_are_not": Case(
        lambda b: fs.serve(_text_file(_cell(21, rating_lower=1500.0, rating_upper=1400.0))),
        _bad_cell(21, "rating_lower", "lower bound above the upper bound (rating_upper 1400.0)", "1500.0"),
        [200], archived=True),
    "votes_huge": Case(lambda b: fs.serve(_text_file(_cell(30, vote_count=1e300))),
                       _bad_cell(30, "vote_count", "implausible vote count: more than 100000000", "1e+300"),
                       [200], archived=True),
    "votes_infinite": Case(lambda b: fs.serve(_text_file(_cell(31, vote_count=float("inf")))),
                           _bad_cell(31, "vote_count", "not a whole number >= 0", "inf"), [200], archived=True),
    "rank_huge": Case(lambda b: fs.serve(_text_file(_cell(32, rank=1e12))),
                      _bad_cell(32, "rank", "implausible rank: above 1000000", "1000000000000.0"),
                      [200], archived=True),
    "publish_date_far_future": Case(
        lambda b: fs.serve(_text_file(_cell(40, leaderboard_publish_date="2999-01-01"))),
        "row 40, column 'leaderboard_publish_date': publish date after today", [200], archived=True),
    "publish_date_infinity": Case(
        lambda b: fs.serve(_text_file(_cell(41, leaderboard_publish_date="infinity"))),
        _bad_cell(41, "leaderboard_publish_date", "not a real date", "infinity"), [200], archived=True),
    "publish_date_minus_infinity": Case(
        lambda b: fs.serve(_text_file(_cell(42, leaderboard_publish_date="-infinity"))),
        _bad_cell(42, "leaderboard_publish_date", "not a real date", "-infinity"), [200], archived=True),
    # Nothing lost: a `full` file that would drop history already loaded is not loaded.
    "zero_rows": Case(lambda b: fs.serve(_text_file(lambda rows: [])),
                      "would remove 5 of the 5 publish date(s) already loaded (2023-12-20, 2025-05-11, "
                      "2025-05-19, ...); not loaded, the loaded rows are kept (if upstream really rewrote "
                      "its history, set ARENA_DATASET_ALLOW_SHRINK=1 for one run)", [200], archived=True),
    "a_publish_date_dropped": Case(
        lambda b: fs.serve(_text_file(lambda rows: [r for r in rows if r["leaderboard_publish_date"] != ELO_ERA])),
        "would remove 1 of the 5 publish date(s) already loaded (2023-12-20); not loaded", [200], archived=True),
    "most_rows_dropped": Case(
        lambda b: fs.serve(_text_file(lambda rows: [r for r in rows if r["rank"] == 1])),
        "would replace the 143 rows already loaded with 13; not loaded", [200], archived=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_faulty_file_fails_alone_with_one_line(published, tmp_path, name):
    case = CASES[name]
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    with fs.FaultServer() as server:
        _hub(server, published["new"], listing=case.listing)
        server.plan[resolve_path(FAULTY)] = case.behaviour(published["new"][FAULTY])
        report, seconds = _run(db, f"{server.url}/datasets/{HUB_REPO}/resolve/main")
    after = _state(db)
    outcome = {s.subset: s for s in report.subsets}
    print(f"{name}: {seconds:.2f} s; {outcome[FAULTY].error}")
    logged = _fetch_log(db, "file", FAULTY)
    if case.statuses is not None:
        assert [status for status, _, _ in logged] == case.statuses
    others = [s for s in SUBSETS if s != FAULTY]
    assert [outcome[s].status for s in others] == ["loaded"] * len(others)
    assert all(after["revisions"][s] == NEXT_REVISION for s in others)
    assert all(after["boards"][s] != before["boards"][s] for s in others)
    assert after["csv"] == before["csv"]
    assert before["archived"] <= after["archived"]
    if case.loads:
        assert outcome[FAULTY].status == "loaded" and report.failure_summary() is None
        assert all(error for _, error, _ in logged[:-1]) and logged[-1][1] is None and logged[-1][2] == hashlib.sha256(published["new"][FAULTY]).hexdigest()
        return
    line = outcome[FAULTY].error
    assert outcome[FAULTY].status == "failed" and "\n" not in line
    assert case.expected.replace("HOST", server.url.removeprefix("http://")) in line
    assert f"resolve/{NEXT_REVISION}/text/full-00000-of-00001.parquet" in line  # the URL names the file
    assert f"{FAULTY}: {line}" in report.failure_summary()
    # Nothing lost: the subset's earlier rows, its revision, the whole archive.
    assert after["boards"][FAULTY] == before["boards"][FAULTY]
    assert after["revisions"][FAULTY] == before["revisions"][FAULTY]
    assert len(after["archived"] - before["archived"]) == len(others) + case.archived
    if case.archived:  # fetched fine, archived, rejected: the line is in dataset_load_errors
        with duckdb.connect(str(db), read_only=True) as conn:
            assert [row[0].startswith(line.split("; raw file kept")[0]) for row in conn.execute(
                "select error from dataset_load_errors where subset = ? and split = 'full'", [FAULTY]).fetchall()] == [True]
        assert logged[-1][1] is None
    else:  # the last attempt logged carries the one line
        assert line in logged[-1][1]


def test_a_streamed_body_over_the_cap_stops_at_the_cap(published, tmp_path, monkeypatch):
    """No Content-Length, bytes that keep coming: the download stops once past the cap (shrunk
    here to 64 KiB; the real one is 1 GiB)."""
    monkeypatch.setattr(dataset_source, "MAX_BYTES", 64 * 1024)
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    with fs.FaultServer() as server:
        _hub(server, published["new"])
        server.plan[resolve_path(FAULTY)] = fs.oversized_stream(published["new"][FAULTY], 10 * 1024 * 1024)
        report, _ = _run(db, f"{server.url}/datasets/{HUB_REPO}/resolve/main")
    outcome = {s.subset: s for s in report.subsets}
    assert outcome[FAULTY].status == "failed"
    assert outcome[FAULTY].error.endswith(f"text/full-00000-of-00001.parquet: body exceeds the {64 * 1024} byte cap")
    assert _state(db)["boards"][FAULTY] == before["boards"][FAULTY]
    assert [s.status for s in report.subsets if s.subset != FAULTY] == ["loaded"] * 4


def _cdn_redirects(hub: fs.FaultServer, cdn: fs.FaultServer, new: dict[str, bytes]) -> None:
    """Like the Hub: resolve/<sha>/<file> answers 302 to a signed URL on another host."""
    for subset in new:
        target = f"/repos/ab/cd/{hashlib.sha256(new[subset]).hexdigest()}?X-Amz-Signature=x"
        hub.plan[resolve_path(subset)] = fs.redirect_to(f"{cdn.url}{target}")
        cdn.plan[target] = fs.serve(new[subset])


def test_files_redirected_to_another_host_load_and_the_cap_and_deadline_still_hold(published, tmp_path,
                                                                                    monkeypatch):
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    new = published["new"]
    with fs.FaultServer() as hub, fs.FaultServer() as cdn:
        _hub(hub, new)
        _cdn_redirects(hub, cdn, new)
        report, _ = _run(db, f"{hub.url}/datasets/{HUB_REPO}/resolve/main")
        assert [s.status for s in report.subsets] == ["loaded"] * 5
        assert sum(count for path, count in cdn.requests.items() if path.startswith("/repos/")) == 5
        # The CDN drips one file and streams another past the cap: both are stopped.
        monkeypatch.setattr(dataset_source, "MAX_BYTES", 64 * 1024)
        cdn_host = cdn.url.removeprefix("http://")
        drip_target = f"/repos/ab/cd/{hashlib.sha256(new['text']).hexdigest()}?X-Amz-Signature=x"
        flood_target = f"/repos/ab/cd/{hashlib.sha256(new['webdev']).hexdigest()}?X-Amz-Signature=x"
        cdn.plan[drip_target] = fs.drip(new["text"])
        cdn.plan[flood_target] = fs.oversized_stream(new["webdev"], 10 * 1024 * 1024)
        hub.plan[API] = fs.serve(json.dumps({"sha": "f" * 40}).encode())  # a new commit: download again
        for subset in new:
            hub.plan[resolve_path(subset, "f" * 40)] = hub.plan[resolve_path(subset)]
        started = time.monotonic()
        again, _ = _run(db, f"{hub.url}/datasets/{HUB_REPO}/resolve/main")
        seconds = time.monotonic() - started
    outcome = {s.subset: s for s in again.subsets}
    print(f"redirected drip and flood: {seconds:.2f} s")
    assert re.search(rf"text/full-00000-of-00001\.parquet: body not complete within the 3 s deadline "
                     rf"\(\d+ bytes received\) \(answered by {cdn_host} after a redirect\)", outcome["text"].error)
    assert outcome["webdev"].error.endswith(f"body exceeds the {64 * 1024} byte cap (answered by {cdn_host} "
                                            "after a redirect)")
    assert f"resolve/{'f' * 40}/webdev/full-00000-of-00001.parquet" in outcome["webdev"].error
    assert [outcome[s].status for s in ("text_style_control", "vision", "vision_style_control")] == ["unchanged"] * 3


@pytest.mark.parametrize("name, behaviour, expected, statuses", [
    ("http_500", fs.status(500), "HTTP 500 Internal Server Error; gave up after 4 attempt(s)). Offline or "
     "upstream down? Point ARENA_DATASET_SOURCE at a local copy", [500] * 4),
    ("html_page", fs.serve(b"<!DOCTYPE html><html>maintenance</html>"), "not a JSON object (starts b'<!DOCTYPE",
     [200]),
    ("no_sha", fs.serve(b'{"id": "lmarena-ai/leaderboard-dataset"}'), "no 'sha' in the answer", [200]),
    ("http_404", fs.status(404), "HTTP 404 Not Found", [404]),
    ("hang", fs.hang, "no answer: ReadTimeout", None),
    ("deeply_nested_json", fs.serve(b'{"sha": ' * 100_000), "JSON nested too deeply", [200]),
    ("sha_that_walks_out_of_the_dataset", fs.serve(json.dumps(
        {"sha": "../../../../api/datasets/other-org/secret?x="}).encode()),
     "'sha' '../../../../api/datasets/other-org/secret?x=' is not a revision id (40 hex digits)", [200]),
])
def test_the_revision_endpoint_failing_changes_nothing(published, tmp_path, name, behaviour, expected, statuses):
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    with fs.FaultServer() as server:
        _hub(server, published["new"])
        server.plan[API] = behaviour
        with pytest.raises(DatasetFetchError) as failure:
            _run(db, f"{server.url}/datasets/{HUB_REPO}/resolve/main")
        assert set(server.requests) == {API}  # nothing downloaded
    line = str(failure.value)
    assert "\n" not in line and expected in line and f"{server.url}{API}" in line
    assert _state(db) == before
    logged = _fetch_log(db, "revision")
    if statuses is not None:
        assert [status for status, _, _ in logged] == statuses
    assert line in logged[-1][1]


def test_a_host_that_stops_answering_stops_the_run_with_the_local_copy_hint(published, tmp_path):
    """The API answers, then every file hangs up: the first file gets full retries, the second
    one probe, the other three are not attempted; one line names the host."""
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    with fs.FaultServer() as server:
        _hub(server, published["new"])
        for subset in SUBSETS:
            server.plan[resolve_path(subset)] = fs.drop_connection
        report, seconds = _run(db, f"{server.url}/datasets/{HUB_REPO}/resolve/main")
        file_requests = {path: count for path, count in server.requests.items() if "/resolve/" in path}
    print(f"breaker: {seconds:.2f} s")
    assert [s.status for s in report.subsets] == ["failed", "failed"] + ["not attempted"] * 3
    assert file_requests == {resolve_path("text"): 4, resolve_path("text_style_control"): 1}
    host = server.url.removeprefix("http://")
    assert report.stopped.startswith(f"{host}: no usable answer for 2 consecutive files (text .. "
                                     "text_style_control; last: ")
    assert report.stopped.endswith("stopped the run, 3 later file(s) not attempted. Offline or upstream down? "
                                   "Point ARENA_DATASET_SOURCE at a local copy (a folder with "
                                   "<subset>/full-00000-of-00001.parquet), or set it to off")
    assert report.failure_summary().splitlines()[-1].strip() == report.stopped
    assert _state(db) == before


def test_the_cli_fails_offline_in_seconds_with_one_line_and_the_hint(published, tmp_path, monkeypatch):
    with fs.FaultServer() as unused:
        dead = unused.url  # nothing listens there any more
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    for name, value in {"ARENA_DATASET_SOURCE": f"{dead}/datasets/{HUB_REPO}/resolve/main",
                        "ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(db),
                        "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
                        "DAGSTER_HOME": str(tmp_path / "home")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(dataset_source, "DATASET_POLICY", FAST)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["dataset"])
    assert code == 1
    *said, hint, last = err.getvalue().strip().splitlines()
    host = dead.removeprefix("http://")
    # The failure once, the hint naming both sources' settings, then the run's line.
    [failure] = said
    assert failure.startswith(f"dataset: revision check failed, nothing downloaded: {host}: no usable "
                              f"answer ({dead}/api/datasets/{HUB_REPO}: no answer: ConnectionError")
    assert "Point ARENA_DATASET_SOURCE at a local copy" in failure
    assert "ARENA_SOURCE=" in hint and "ARENA_DATASET_SOURCE=" in hint
    assert last.startswith("arena-pipeline: run ")
    assert "failed at lmarena_dataset_dataset_fetched_and_loaded (the lines above)" in last
    assert _state(db) == before


def test_the_cli_lists_the_failed_file_last_and_keeps_the_others(published, tmp_path, monkeypatch):
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    monkeypatch.setattr(dataset_source, "DATASET_POLICY", FAST)
    with fs.FaultServer() as server:
        _hub(server, published["new"])
        server.plan[resolve_path(FAULTY)] = fs.status(503)
        for name, value in {"ARENA_DATASET_SOURCE": f"{server.url}/datasets/{HUB_REPO}/resolve/main",
                            "ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(db),
                            "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
                            "DAGSTER_HOME": str(tmp_path / "home"),
                            "ARENA_DATASET_SUBSETS": ",".join(SUBSETS)}.items():
            monkeypatch.setenv(name, value)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["dataset"])
    assert code == 1, err.getvalue()[-3000:]
    said = "\n" + err.getvalue()
    tail = said[said.rindex("\ndataset: 1 of 5 dataset file(s) failed"):].strip().splitlines()
    assert tail[1].strip() == (f"text: {server.url}{resolve_path(FAULTY)}: HTTP 503 Service Unavailable; "
                               "gave up after 4 attempt(s)")
    assert tail[2].startswith("arena-pipeline: run ")
    after = _state(db)
    assert after["boards"][FAULTY] == before["boards"][FAULTY] and after["csv"] == before["csv"]
    assert all(after["revisions"][s] == NEXT_REVISION for s in SUBSETS if s != FAULTY)


def test_the_revision_sensor_asks_once_and_skips_the_tick_when_the_hub_fails():
    import dagster as dg

    from arena_pipeline.defs.dataset import DatasetSourceResource, new_dataset_revision_sensor

    with fs.FaultServer() as server:
        server.plan[API] = fs.status(503)
        resource = DatasetSourceResource(base=f"{server.url}/datasets/{HUB_REPO}/resolve/main", subsets=["text"])
        skipped = new_dataset_revision_sensor(dg.build_sensor_context(resources={"dataset_source": resource}))
        assert server.requests[API] == 1  # a sensor tick has 60 s: one attempt, asked again next tick
    assert skipped.skip_message.startswith("no answer from the dataset, asking again next tick: ")
    assert f"{server.url}{API}: HTTP 503 Service Unavailable" in skipped.skip_message


def test_no_database_lock_is_held_while_a_dataset_file_downloads(published, tmp_path):
    """While the Hub holds the file's request open, another process writes to the database file:
    the asset opens its connection only between requests."""
    import subprocess
    import sys
    import threading

    import dagster as dg

    from arena_pipeline.defs.dataset import dataset_assets
    from arena_pipeline.defs.resources import build_resources
    from arena_pipeline.settings import load_settings

    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    request_arrived, release = threading.Event(), threading.Event()

    def hold(handler):
        request_arrived.set()
        release.wait(fs.LONGEST_WAIT_S)
        fs.serve(published["new"][FAULTY])(handler)

    with fs.FaultServer() as server:
        _hub(server, published["new"])
        server.plan[resolve_path(FAULTY)] = hold
        settings = load_settings({"ARENA_DATASET_SOURCE": f"{server.url}/datasets/{HUB_REPO}/resolve/main",
                                  "ARENA_DATASET_SUBSETS": FAULTY, "ARENA_SOURCE": str(RELEASES),
                                  "ARENA_DB": str(db), "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
                                  "DAGSTER_HOME": str(tmp_path / "home")})
        results = {}

        def materialize():  # the instance lives and dies in this thread (SQLite wants that)
            with dg.DagsterInstance.ephemeral() as instance:
                results["success"] = dg.materialize(dataset_assets, resources=build_resources(settings),
                                                    instance=instance, raise_on_error=False).success

        run = threading.Thread(target=materialize)
        run.start()
        assert request_arrived.wait(fs.LONGEST_WAIT_S)
        other_writer = subprocess.run(
            [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
             "'create table touched as select 1 as x')", str(db)], capture_output=True, text=True)
        release.set()
        run.join()
    assert other_writer.returncode == 0, other_writer.stderr
    assert results["success"]
    assert _state(db)["revisions"][FAULTY] == NEXT_REVISION


def test_a_redirect_to_loopback_is_refused_when_the_source_is_not_on_loopback(published, tmp_path):
    """The Hub on this machine's other address sends `text` to a service on 127.0.0.1: not
    followed (from loopback to loopback, as in the CDN test above, it is)."""
    import socket

    address = next((info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
                    if not info[4][0].startswith("127.")), None)
    if address is None:  # only loopback here: the rule is checked directly
        from arena_pipeline.sources.http_fetch import redirect_refusal
        assert redirect_refusal("https://93.184.216.34/x", "http://127.0.0.1:8080/admin") == (
            "redirect to 127.0.0.1 refused: a loopback address, and the source is not on loopback")
        return
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    with fs.FaultServer(address) as hub, fs.FaultServer() as local:
        _hub(hub, published["new"])
        local.plan["/admin"] = fs.serve(published["new"][FAULTY])
        hub.plan[resolve_path(FAULTY)] = fs.redirect_to(f"{local.url}/admin")
        report, _ = _run(db, f"{hub.url}/datasets/{HUB_REPO}/resolve/main")
        assert local.requests["/admin"] == 0
    outcome = {s.subset: s for s in report.subsets}
    assert outcome[FAULTY].error == (f"{hub.url}{resolve_path(FAULTY)}: redirect to 127.0.0.1 refused: a "
                                     "loopback address, and the source is not on loopback")
    assert [outcome[s].status for s in SUBSETS if s != FAULTY] == ["loaded"] * 4
    assert _state(db)["boards"][FAULTY] == before["boards"][FAULTY]


def _local_copy(tmp_path) -> Path:
    """The dataset at NEXT_REVISION as a local folder."""
    folder = tmp_path / "copy"
    write_dataset(folder, revision=NEXT_REVISION)
    return folder


def test_a_local_dataset_file_linking_out_of_its_folder_is_not_read(published, tmp_path):
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    folder = _local_copy(tmp_path)
    subset_path(folder, FAULTY).unlink()
    subset_path(folder, FAULTY).symlink_to("/etc/passwd")
    # A link inside the folder is followed: webdev's file is one.
    moved = folder / "store" / "webdev.parquet"
    moved.parent.mkdir()
    subset_path(folder, "webdev").rename(moved)
    subset_path(folder, "webdev").symlink_to(moved)
    report, _ = _run(db, str(folder))
    outcome = {s.subset: s for s in report.subsets}
    assert outcome[FAULTY].error == (f"{subset_path(folder, FAULTY)}: a link to /etc/passwd, outside the "
                                     f"source folder {folder}; not read")
    assert outcome["webdev"].status == "unchanged"  # read through the link: the same bytes as loaded
    after = _state(db)
    assert after["boards"][FAULTY] == before["boards"][FAULTY]
    assert hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest() not in after["archived"]


@pytest.mark.parametrize("name, write, expected", [
    ("link_out", lambda path: path.symlink_to("/etc/hostname"), "a link to /etc/hostname, outside the source folder"),
    ("larger_than_the_cap", lambda path: os.truncate(path, dataset_source.REVISION_MAX_BYTES + 1),
     f"larger than the {1024 * 1024} byte cap of a revision file"),
    ("deeply_nested", lambda path: path.write_bytes(b"[" * 200_000), "JSON nested too deeply"),
])
def test_a_hostile_local_revision_json_is_refused_before_anything_is_read(published, tmp_path, name, write, expected):
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    before = _state(db)
    folder = _local_copy(tmp_path)
    marker = folder / "revision.json"
    marker.unlink()
    if name == "larger_than_the_cap":
        marker.touch()  # sparse: the test does not write a megabyte
    write(marker)
    with pytest.raises(DatasetFetchError) as failure:
        _run(db, str(folder))
    assert str(failure.value).startswith(f"{marker}: ") and expected in str(failure.value)
    assert "\n" not in str(failure.value)
    assert _state(db) == before


def test_a_hostile_tree_listing_is_not_trusted(published):
    """Deep JSON, an oid that is not a sha256 and a next page on another host: the listing says
    why and lists only what it could trust (an unlisted file is downloaded, never skipped)."""
    revision = dataset_source.Revision(NEXT_REVISION, "api", "hub_api_sha")
    with fs.FaultServer() as server:
        source = DatasetSource(f"{server.url}/datasets/{HUB_REPO}/resolve/main", FAST)
        server.plan[LISTING] = fs.serve(b"[" * 200_000)
        assert source.listing(revision).error == f"{server.url}{LISTING}: JSON nested too deeply to be an answer of the Hub"
        entries = [{"path": "text/full-00000-of-00001.parquet", "lfs": {"oid": "../x"}},
                   {"path": "webdev/full-00000-of-00001.parquet", "lfs": {"oid": "a" * 64}}]
        server.plan[LISTING] = fs.serve(json.dumps(entries).encode(),
                                        headers={"Link": '<http://10.0.0.7/tree?cursor=2>; rel="next"'})
        listing = source.listing(revision)
    assert listing.files == {"webdev/full-00000-of-00001.parquet": ("a" * 64, None)}
    assert listing.error.endswith("next page 'http://10.0.0.7/tree?cursor=2' is on another host; not followed")


def test_a_shrinking_file_loads_with_the_documented_override(published, tmp_path, monkeypatch):
    """ARENA_DATASET_ALLOW_SHRINK=1, through the CLI: a `full` file without the 2023 date replaces
    the subset (a real rewrite upstream); without it the same file was refused (case above)."""
    db = tmp_path / "arena.duckdb"
    shutil.copy(published["db"], db)
    folder = _local_copy(tmp_path)
    write_parquet(subset_path(folder, FAULTY),
                  [r for r in rows_of(FAULTY) if r["leaderboard_publish_date"] != ELO_ERA], SUBSET_TYPES[FAULTY])
    for name, value in {"ARENA_DATASET_SOURCE": str(folder), "ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(db),
                        "ARENA_REPORTS_DIR": str(tmp_path / "reports"), "DAGSTER_HOME": str(tmp_path / "home"),
                        "ARENA_DATASET_SUBSETS": FAULTY, "ARENA_DATASET_ALLOW_SHRINK": "1"}.items():
        monkeypatch.setenv(name, value)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["dataset"])
    assert code == 0, err.getvalue()[-3000:]
    with duckdb.connect(str(db), read_only=True) as conn:
        dates = conn.execute("select count(distinct snapshot_date), min(snapshot_date) from dataset_entries "
                             "where arena = 'text' and not style_control").fetchone()
    assert dates == (4, dt.date(2025, 5, 11))
