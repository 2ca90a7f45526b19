"""A real PostgreSQL server for the tests and benchmarks/dagster_storage.py: a new cluster
(initdb) in a temporary folder, started with pg_ctl on 127.0.0.1 and a free port with a
password, stopped and removed at the end.

The binaries come from Debian's `postgresql` package (`apt-get install -y postgresql`; `.ci/run`
installs it). PostgreSQL refuses to run as root, so as root the cluster belongs to the package's
`postgres` user.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "arena"
# Debian keeps the binaries out of PATH (only pg_ctlcluster's wrappers are there).
_DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"


def find_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: PATH first, else Debian's newest."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    found = sorted(Path("/").glob(_DEBIAN_BINARIES.lstrip("/")),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found and (found[-1] / "initdb").exists() else None


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None."""
    if find_binaries() is None:
        return "no PostgreSQL binaries (initdb, pg_ctl): apt-get install -y postgresql"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the server"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """start() / stop(); url(database) for a database made by create_database()."""

    def __init__(self, *, durable: bool = False):
        # durable=False turns fsync off: tests do not need crash safety, and the shared disk
        # thanks them. The benchmark keeps PostgreSQL's defaults.
        self.durable = durable
        self.bin = find_binaries()
        self.password = secrets.token_urlsafe(12)
        self.port = _free_port()
        self.root: Path | None = None
        self._run_as: dict = {}

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, capture_output=True,
                              text=True, timeout=120, cwd=self.root, **self._run_as, **kwargs)

    def start(self) -> "PostgresServer":
        # Under /tmp itself, not pytest's tmp_path: as root that is a 0700 folder the server's
        # user cannot enter.
        self.root = Path(tempfile.mkdtemp(prefix="arena-pg-"))
        data = self.root / "data"
        (self.root / "pwfile").write_text(self.password + "\n")
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam("postgres")
            self._run_as = {"user": entry.pw_uid, "group": entry.pw_gid}
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            os.chown(self.root / "pwfile", entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(data), "-U", USER, "--auth=scram-sha-256",
                  f"--pwfile={self.root / 'pwfile'}", "--encoding=UTF8", "--no-instructions")
        options = [f"-p {self.port}", "-c listen_addresses=127.0.0.1",
                   f"-c unix_socket_directories={self.root}"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(data), "-l", str(self.root / "log"),
                  "-o", " ".join(options))
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.root / "data"))
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def url(self, database: str) -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database; its URL."""
        import psycopg2

        conn = psycopg2.connect(self.url("postgres"))
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f'create database "{name}"')  # a name we made, never user input
        finally:
            conn.close()
        return self.url(name)

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
