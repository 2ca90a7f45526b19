"""Fetching over a real loopback HTTP server and from a local folder."""

import datetime as dt
import http.server
import threading

import pytest

from arena_pipeline import source as source_module
from arena_pipeline.source import FetchError, ReleaseSource
from tests.conftest import RELEASES, release_file

DAY = dt.date(2025, 7, 7)


def test_http_fetch_returns_the_real_bytes(loopback):
    loopback.publish("2025.07.07", "lmsys.csv")
    fetched = ReleaseSource(loopback.url).fetch(DAY, "lmsys.csv")
    assert fetched.status == 200
    assert fetched.url == f"{loopback.url}/2025.07.07/lmsys.csv"
    assert fetched.content == release_file("2025.07.07", "lmsys.csv")


def test_http_404_means_no_file_that_day(loopback):
    fetched = ReleaseSource(loopback.url).fetch(DAY, "lmarena_text.csv")
    assert (fetched.status, fetched.content, fetched.sha256) == (404, None, None)


def test_local_folder_source_reads_in_place():
    local = ReleaseSource(str(RELEASES))
    assert local.fetch(DAY, "lmsys.csv").content == release_file("2025.07.07", "lmsys.csv")
    assert local.fetch(dt.date(2024, 8, 13), "lmsys.csv").status == 404
    assert local.latest_local_day() == dt.date(2025, 9, 2)


class _FlakyHandler(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first two requests, then a small CSV."""

    requests_seen = 0

    def do_GET(self):
        type(self).requests_seen += 1
        if type(self).requests_seen <= 2:
            self.send_response(503)
            self.end_headers()
            return
        body = b"rank,model\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_server(monkeypatch):
    monkeypatch.setattr(source_module, "BACKOFF_S", 0.01)
    _FlakyHandler.requests_seen = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyHandler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_5xx_is_retried_with_backoff(flaky_server):
    fetched = ReleaseSource(flaky_server).fetch(DAY, "lmsys.csv")
    assert (fetched.status, fetched.content) == (200, b"rank,model\n")
    assert _FlakyHandler.requests_seen == 3


def test_5xx_beyond_the_retries_is_a_fetch_error(flaky_server, monkeypatch):
    monkeypatch.setattr(source_module, "RETRIES", 1)
    with pytest.raises(FetchError, match=r"2025\.07\.07/lmsys\.csv: no answer after 2 attempts"):
        ReleaseSource(flaky_server).fetch(DAY, "lmsys.csv")


def test_connection_refused_is_a_fetch_error(monkeypatch):
    monkeypatch.setattr(source_module, "BACKOFF_S", 0.01)
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyHandler) as unused:
        port = unused.server_address[1]  # closed on exit: nothing listens there any more
    with pytest.raises(FetchError, match="ConnectionError"):
        ReleaseSource(f"http://127.0.0.1:{port}").fetch(DAY, "lmsys.csv")


def test_oversized_body_is_refused(loopback, monkeypatch):
    monkeypatch.setattr(source_module, "MAX_BYTES", 1000)
    loopback.publish("2025.07.07", "lmsys.csv")
    with pytest.raises(FetchError, match="exceeds 1000 bytes"):
        ReleaseSource(loopback.url).fetch(DAY, "lmsys.csv")
