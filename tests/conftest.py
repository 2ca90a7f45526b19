"""Shared fixtures: the real upstream history, served from disk or over loopback HTTP."""

import http.server
import shutil
import threading
import uuid
from pathlib import Path

import pytest

# Resolved: ../shared may be a link (settings resolve paths, so comparisons must too).
HISTORY = (Path(__file__).resolve().parents[2] / "shared" / "arena-history").resolve()
RELEASES = HISTORY / "releases"


def release_file(tag: str, file_name: str) -> bytes:
    return (RELEASES / tag / file_name).read_bytes()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


class LoopbackServer:
    """A real HTTP server on 127.0.0.1 serving a folder laid out as <TAG>/<FILE>."""

    def __init__(self, root: Path):
        self.root = root
        handler = lambda *a, **kw: _QuietHandler(*a, directory=str(root), **kw)  # noqa: E731
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll: shutdown() waits for the loop to notice (0.5 s by default, per server).
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def publish(self, tag: str, file_name: str, content: bytes | None = None) -> None:
        """Put a release file on the server: the real one, or the given bytes."""
        target = self.root / tag / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            shutil.copyfile(RELEASES / tag / file_name, target)
        else:
            target.write_bytes(content)


@pytest.fixture
def loopback(tmp_path):
    server = LoopbackServer(tmp_path / "served")
    server.root.mkdir()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="session")
def ingested_history(request, tmp_path_factory) -> Path:
    """The real history through the real ingestion (no Dagster), as a DuckDB file that tests
    copy: ingested once per change of the ingestion code or the release files, kept in pytest's
    cache between sessions (a fresh temp folder when the cache is disabled)."""
    from tests.history_fixture import ingested_history_file

    cache = getattr(request.config, "cache", None)
    folder = Path(cache.mkdir("ingested-history")) if cache else tmp_path_factory.mktemp("ingested")
    return ingested_history_file(folder)


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """The whole real history backfilled once through the CLI (the README's main command)."""
    from arena_pipeline.cli import main

    root = tmp_path_factory.mktemp("history")
    paths = {
        "ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(root / "arena.duckdb"),
        "ARENA_REPORTS_DIR": str(root / "reports"), "DAGSTER_HOME": str(root / "dagster_home"),
    }
    with pytest.MonkeyPatch.context() as env:
        for name, value in paths.items():
            env.setenv(name, value)  # the CLI exports these; restored afterwards
        assert main(["backfill"]) == 0
    return {name: Path(value) for name, value in paths.items() if name != "ARENA_SOURCE"}


@pytest.fixture
def dataset_server(tmp_path):
    """A loopback HTTP server laid out like the Hub for the official dataset (tests/dataset_fixtures.py)."""
    from tests.dataset_fixtures import DatasetServer

    server = DatasetServer(tmp_path / "served_dataset")
    server.root.mkdir()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    """The real releases of 2025-07-26 .. 28 backfilled through the CLI (as a subprocess)."""
    from tests.cli_fixtures import FIRST, LAST, run_cli

    root = tmp_path_factory.mktemp("small")
    result = run_cli(root, "backfill", "--start", FIRST, "--end", LAST)
    assert result.returncode == 0, result.stderr
    return root / "arena.duckdb"


@pytest.fixture
def workspace(small_db, tmp_path) -> Path:
    """A private copy of the small database in tmp_path (arena.duckdb), with its own folders."""
    shutil.copyfile(small_db, tmp_path / "arena.duckdb")
    return tmp_path


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (tests/postgres_server.py), started on first use
    and stopped at the end; None where none can run (the reason is the skip message)."""
    from tests.postgres_server import PostgresServer, unavailable_reason

    if unavailable_reason():
        yield None
        return
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def dagster_storage(request) -> dict[str, str]:
    """Dagster's storage for a test that runs on both: {} for the default (SQLite files in
    DAGSTER_HOME), or ARENA_DAGSTER_PG_URL naming a new database on the session's server. Without
    a server the PostgreSQL case is skipped, and `pytest -rs` (scripts/test.sh) says why."""
    if request.param == "sqlite":
        return {}
    from tests.postgres_server import unavailable_reason

    server = request.getfixturevalue("postgres_server")
    if server is None:
        pytest.skip(f"Dagster on PostgreSQL: {unavailable_reason()}")
    return {"ARENA_DAGSTER_PG_URL": server.create_database(f"dagster_{uuid.uuid4().hex[:12]}")}
