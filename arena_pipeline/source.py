"""Fetch one upstream release file, from GitHub, any http(s) mirror, or a local folder.

Layout everywhere: <base>/<TAG>/<FILE>, TAG = YYYY.MM.DD. A 404 (or a missing local file) means
"no such file that day" and is an answer, not an error. No Dagster import: tests use it directly.
"""

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import requests

# Files the upstream has published, and the arena each belongs to. `lmsys.csv` was the text
# arena's only file until the upstream switched to one file per arena on 2025-07-27.
ARENA_FILES = {
    "lmsys.csv": "text",
    "lmarena_text.csv": "text",
    "lmarena_vision.csv": "vision",
    "lmarena_image.csv": "image",
}

CONNECT_TIMEOUT_S = 10
DEADLINE_S = 60  # whole download, including retries
MAX_BYTES = 20 * 1024 * 1024  # real files are ~30 KB; anything this big is not a leaderboard
RETRIES = 3
BACKOFF_S = 1.0


class FetchError(RuntimeError):
    """The source could not give a definite answer for one file (network, 5xx, too large)."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int  # 200 or 404
    content: bytes | None  # None on 404
    fetched_at: dt.datetime  # UTC, naive

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None


def release_tag(day: dt.date) -> str:
    return day.strftime("%Y.%m.%d")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ReleaseSource:
    """The upstream behind one base: an http(s) URL or a local folder."""

    def __init__(self, base: str, session: requests.Session | None = None):
        self.base = base.rstrip("/")
        self.is_http = self.base.startswith(("http://", "https://"))
        self._session = session

    def url_for(self, day: dt.date, file_name: str) -> str:
        if self.is_http:
            return f"{self.base}/{release_tag(day)}/{file_name}"
        return str(Path(self.base, release_tag(day), file_name))

    def fetch(self, day: dt.date, file_name: str) -> Fetched:
        url = self.url_for(day, file_name)
        if not self.is_http:
            path = Path(url)
            if not path.is_file():
                return Fetched(url, 404, None, utc_now())
            if path.stat().st_size > MAX_BYTES:
                raise FetchError(f"{url}: {path.stat().st_size} bytes exceeds {MAX_BYTES}")
            return Fetched(url, 200, path.read_bytes(), utc_now())
        return self._fetch_http(url)

    def latest_local_day(self) -> dt.date | None:
        """The newest release folder of a local source (None for http sources)."""
        if self.is_http:
            return None
        days = []
        for child in Path(self.base).iterdir():
            try:
                days.append(dt.datetime.strptime(child.name, "%Y.%m.%d").date())
            except ValueError:
                continue
        return max(days, default=None)

    def _fetch_http(self, url: str) -> Fetched:
        session = self._session or requests.Session()
        deadline = time.monotonic() + DEADLINE_S
        last_problem = ""
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(min(BACKOFF_S * 2 ** (attempt - 1), max(0.0, deadline - time.monotonic())))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                return self._get_once(session, url, remaining)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
            except _ServerError as exc:
                last_problem = str(exc)
        raise FetchError(f"{url}: no answer after {RETRIES + 1} attempts ({last_problem})")

    @staticmethod
    def _get_once(session: requests.Session, url: str, remaining: float) -> Fetched:
        started = time.monotonic()
        with session.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, remaining)) as response:
            if response.status_code == 404:
                return Fetched(url, 404, None, utc_now())
            if response.status_code >= 500:
                raise _ServerError(f"HTTP {response.status_code}")
            if response.status_code != 200:
                raise FetchError(f"{url}: unexpected HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise FetchError(f"{url}: body exceeds {MAX_BYTES} bytes")
                if time.monotonic() - started > remaining:
                    raise requests.Timeout(f"download exceeded its {remaining:.0f} s deadline")
            return Fetched(url, 200, bytes(body), utc_now())


class _ServerError(Exception):
    """A 5xx answer: worth retrying."""
