"""Fetch upstream release files, from GitHub, any http(s) mirror, or a local folder.

Layout everywhere: <base>/<TAG>/<FILE>, TAG = YYYY.MM.DD. A 404 (or a missing local file) means
"no such file that day" and is an answer, not an error. No Dagster, no DuckDB: fetching never
holds the database.

Fault model (README "Fault model"): the retry, deadline, size-cap and circuit-breaker policy is
`http_fetch.py`'s, shared with the official dataset; this module adds the release layout, the
20 MiB cap of a CSV file, and the breaker's hint (the history kept beside the project).
"""

import datetime as dt
from pathlib import Path

from arena_pipeline.sources import http_fetch
from arena_pipeline.sources.http_fetch import Attempt, FetchPolicy, FileFetch, one_line, utc_now

__all__ = ["ARENA_FILES", "DEFAULT_POLICY", "MAX_BYTES", "Attempt", "CircuitBreaker", "FetchPolicy",
           "FileFetch", "ReleaseSource", "release_tag", "utc_now"]

# Files the upstream has published, and the arena each belongs to. `lmsys.csv` was the text
# arena's only file until the upstream switched to one file per arena on 2025-07-27.
ARENA_FILES = {
    "lmsys.csv": "text",
    "lmarena_text.csv": "text",
    "lmarena_vision.csv": "vision",
    "lmarena_image.csv": "image",
}

MAX_BYTES = 20 * 1024 * 1024  # real files are ~30 KB; anything this big is not a leaderboard
LOCAL_COPY_HINT = "ARENA_SOURCE=../shared/arena-history/releases"
DEFAULT_POLICY = FetchPolicy()


def release_tag(day: dt.date) -> str:
    return day.strftime("%Y.%m.%d")


class ReleaseSource(http_fetch.HttpSource):
    """The upstream behind one base: an http(s) URL or a local folder."""

    def default_policy(self) -> FetchPolicy:
        return DEFAULT_POLICY

    def url_for(self, day: dt.date, file_name: str) -> str:
        if self.is_http:
            return f"{self.base}/{release_tag(day)}/{file_name}"
        return str(Path(self.base, release_tag(day), file_name))

    def fetch(self, day: dt.date, file_name: str, attempts: int | None = None) -> FileFetch:
        """All attempts at one file (at most `attempts`, default the policy's). Never raises."""
        url = self.url_for(day, file_name)
        if not self.is_http:
            return FileFetch(file_name, [_read_local(self.base, url)])
        return self.fetch_http(url, MAX_BYTES, file_name, attempts)

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

def _read_local(base: str, path_text: str) -> Attempt:
    path = Path(path_text)
    try:
        if not path.is_file():
            return Attempt(path_text, 404, None, utc_now())
        if http_fetch.contained_file(base, path) is None:
            return Attempt(path_text, None, None, utc_now(),
                           f"a link to {path.resolve()}, outside the source folder {base}; not read")
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Attempt(path_text, 200, None, utc_now(),
                           f"file of {size} bytes exceeds the {MAX_BYTES} byte cap")
        return Attempt(path_text, 200, path.read_bytes(), utc_now())
    except OSError as exc:
        return Attempt(path_text, None, None, utc_now(), one_line(exc))


class CircuitBreaker(http_fetch.CircuitBreaker):
    """Stops a range when the host has not served for `days_without_answer` consecutive days
    (http_fetch.CircuitBreaker), pointing at the history kept beside the project."""

    def __init__(self, source: ReleaseSource):
        super().__init__(source.host, source.policy.days_without_answer,
                         f"Replay the history kept beside the project with {LOCAL_COPY_HINT}")

    def message(self, days_left: int) -> str:
        return super().message(days_left)
