"""Fetching over a real loopback HTTP server and from a local folder (faults: test_faults.py)."""

import datetime as dt
import email.utils
import gzip

from arena_pipeline.sources.http_fetch import retry_after_s
from arena_pipeline.sources.releases import FetchPolicy, ReleaseSource
from tests import fault_server as fs
from tests.conftest import RELEASES, release_file

DAY = dt.date(2025, 7, 7)
FAST = FetchPolicy(backoff_s=0.01, stall_timeout_s=1.0, deadline_s=5.0)


def test_http_fetch_returns_the_real_bytes(loopback):
    loopback.publish("2025.07.07", "lmsys.csv")
    fetched = ReleaseSource(loopback.url).fetch(DAY, "lmsys.csv")
    assert fetched.found and len(fetched.attempts) == 1
    assert fetched.last.url == f"{loopback.url}/2025.07.07/lmsys.csv"
    assert fetched.last.content == release_file("2025.07.07", "lmsys.csv")


def test_http_404_means_no_file_that_day(loopback):
    fetched = ReleaseSource(loopback.url).fetch(DAY, "lmarena_text.csv")
    assert fetched.missing and not fetched.failed
    assert (fetched.last.status, fetched.last.content, fetched.last.sha256) == (404, None, None)


def test_a_gzip_encoded_answer_is_decoded():
    real = release_file("2025.07.07", "lmsys.csv")
    with fs.FaultServer() as server:
        server.plan["/2025.07.07/lmsys.csv"] = fs.serve(gzip.compress(real),
                                                        headers={"Content-Encoding": "gzip"})
        fetched = ReleaseSource(server.url, FAST).fetch(DAY, "lmsys.csv")
    assert fetched.last.content == real


def test_retries_are_each_an_attempt_and_success_ends_them():
    with fs.FaultServer() as server:
        server.plan["/2025.07.07/lmsys.csv"] = fs.sequence(
            fs.status(502), fs.drop_connection, fs.serve(b"rank,model\n"))
        fetched = ReleaseSource(server.url, FAST).fetch(DAY, "lmsys.csv")
    assert [(a.status, a.error is None) for a in fetched.attempts] == [
        (502, False), (None, False), (200, True)]
    assert fetched.found and fetched.transient


def test_a_probe_is_a_single_attempt():
    with fs.FaultServer() as server:
        server.plan["/2025.07.07/lmsys.csv"] = fs.status(500)
        fetched = ReleaseSource(server.url, FAST).fetch(DAY, "lmsys.csv", attempts=1)
    assert len(fetched.attempts) == 1 and fetched.failed
    assert fetched.last.error == "HTTP 500 Internal Server Error; gave up after 1 attempt(s)"


def test_local_folder_source_reads_in_place():
    local = ReleaseSource(str(RELEASES))
    assert local.fetch(DAY, "lmsys.csv").last.content == release_file("2025.07.07", "lmsys.csv")
    assert local.fetch(dt.date(2024, 8, 13), "lmsys.csv").missing
    assert local.latest_local_day() == dt.date(2025, 9, 2)


def test_retry_after_is_seconds_or_an_http_date():
    assert retry_after_s("7") == 7.0
    in_a_minute = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)
    assert 55 <= retry_after_s(email.utils.format_datetime(in_a_minute, usegmt=True)) <= 60
    assert retry_after_s("soon") is None and retry_after_s(None) is None
