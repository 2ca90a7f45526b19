"""Fetch upstream release files, from GitHub, any http(s) mirror, or a local folder.

Layout everywhere: <base>/<TAG>/<FILE>, TAG = YYYY.MM.DD. A 404 (or a missing local file) means
"no such file that day" and is an answer, not an error. No Dagster, no DuckDB: fetching never
holds the database.

Fault model (README "Fault model"): every attempt is returned as an `Attempt` (the ingestion logs
each one in `fetch_log`); nothing the HTTP client raises escapes `fetch`. Connection errors,
timeouts, short bodies, 5xx and 429 are retried with backoff (429 and 503 honour `Retry-After`
up to a cap) within a wall-clock deadline per file that also holds against a server dripping
bytes; other answers (403, redirect loops, undecodable bodies, oversized files) are final.
A `CircuitBreaker` stops a range after a few consecutive days the host did not serve.
"""

import datetime as dt
import email.utils
import hashlib
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:  # imported where a fetch goes over http: a local source needs neither
    import requests

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


@dataclass(frozen=True)
class FetchPolicy:
    """How hard to try one file. The defaults suit GitHub; tests shrink the waits."""

    connect_timeout_s: float = 5.0
    stall_timeout_s: float = 10.0  # longest wait for the next bytes of an answer
    deadline_s: float = 60.0  # wall clock for one file, all attempts and waits included
    attempts: int = 4  # the first try and three retries
    backoff_s: float = 1.0  # doubled after each failed attempt
    retry_after_cap_s: float = 30.0  # a longer Retry-After is not waited for
    max_redirects: int = 10
    days_without_answer: int = 3  # circuit breaker: consecutive days the host did not serve


DEFAULT_POLICY = FetchPolicy()


@dataclass(frozen=True)
class Attempt:
    """One try at one file: an answer (status), a body (200) or the reason there was none."""

    url: str
    status: int | None  # HTTP status, 200 / 404 for a local folder; None = no answer
    content: bytes | None  # the body of a 200
    fetched_at: dt.datetime  # UTC, naive
    error: str | None = None  # one line; None for 200 and 404

    @cached_property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None


@dataclass
class FileFetch:
    """Every attempt at one file; the last one decides."""

    file_name: str
    attempts: list[Attempt] = field(default_factory=list)
    transient: bool = False  # failed for a reason worth trying again later (no answer, 5xx, 429)

    @property
    def last(self) -> Attempt:
        return self.attempts[-1]

    @property
    def found(self) -> bool:
        return self.last.status == 200 and self.last.error is None

    @property
    def missing(self) -> bool:
        return self.last.status == 404

    @property
    def failed(self) -> bool:
        return not (self.found or self.missing)


def release_tag(day: dt.date) -> str:
    return day.strftime("%Y.%m.%d")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class _Retry(Exception):
    """An attempt failed for a reason worth another try; `wait_s` is the server's Retry-After."""

    def __init__(self, attempt: Attempt, wait_s: float | None = None):
        self.attempt, self.wait_s = attempt, wait_s


class _Final(Exception):
    """An attempt failed for a reason another try would not fix."""

    def __init__(self, attempt: Attempt):
        self.attempt = attempt


class ReleaseSource:
    """The upstream behind one base: an http(s) URL or a local folder."""

    def __init__(self, base: str, policy: FetchPolicy | None = None,
                 session: "requests.Session | None" = None):
        self.base = base.rstrip("/")
        self.is_http = self.base.startswith(("http://", "https://"))
        self._policy = policy
        self._session = session

    @property
    def policy(self) -> FetchPolicy:
        # Read at call time, so that a test can shrink DEFAULT_POLICY for a whole CLI run.
        return self._policy or DEFAULT_POLICY

    @property
    def host(self) -> str:
        return urlparse(self.base).netloc if self.is_http else self.base

    def url_for(self, day: dt.date, file_name: str) -> str:
        if self.is_http:
            return f"{self.base}/{release_tag(day)}/{file_name}"
        return str(Path(self.base, release_tag(day), file_name))

    def fetch(self, day: dt.date, file_name: str, attempts: int | None = None) -> FileFetch:
        """All attempts at one file (at most `attempts`, default the policy's). Never raises."""
        url = self.url_for(day, file_name)
        if not self.is_http:
            return FileFetch(file_name, [_read_local(url)])
        return self._fetch_http(file_name, url, attempts or self.policy.attempts)

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

    def _fetch_http(self, file_name: str, url: str, attempts: int) -> FileFetch:
        policy = self.policy
        if self._session is None:  # one session per source: connections are reused across files
            import requests

            self._session = requests.Session()
        session = self._session
        session.max_redirects = policy.max_redirects
        deadline = time.monotonic() + policy.deadline_s
        result = FileFetch(file_name)
        for number in range(1, attempts + 1):
            try:
                result.attempts.append(_get_once(session, url, deadline, policy))
                return result
            except _Final as final:
                result.attempts.append(final.attempt)
                return result
            except _Retry as retry:
                result.attempts.append(retry.attempt)
                result.transient = True
                wait = policy.backoff_s * 2 ** (number - 1) if retry.wait_s is None else retry.wait_s
                if retry.wait_s is not None and retry.wait_s > policy.retry_after_cap_s:
                    _amend_last(result, f"Retry-After {retry.wait_s:.0f} s is beyond the "
                                        f"{policy.retry_after_cap_s:.0f} s this run waits")
                    return result
                if number == attempts:
                    break
                if time.monotonic() + wait >= deadline:
                    _amend_last(result, f"the {policy.deadline_s:.0f} s deadline for this file "
                                        "leaves no time for another attempt")
                    return result
                time.sleep(wait)
            except Exception as exc:  # whatever else the client raises fails this file, not the run
                result.attempts.append(Attempt(url, None, None, utc_now(),
                                               f"unexpected error: {_one_line(exc)}"))
                return result
        _amend_last(result, f"gave up after {len(result.attempts)} attempt(s)")
        return result


def _amend_last(result: FileFetch, note: str) -> None:
    last = result.attempts[-1]
    result.attempts[-1] = Attempt(last.url, last.status, None, last.fetched_at,
                                  f"{last.error}; {note}")


def _read_local(path_text: str) -> Attempt:
    path = Path(path_text)
    try:
        if not path.is_file():
            return Attempt(path_text, 404, None, utc_now())
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Attempt(path_text, 200, None, utc_now(),
                           f"file of {size} bytes exceeds the {MAX_BYTES} byte cap")
        return Attempt(path_text, 200, path.read_bytes(), utc_now())
    except OSError as exc:
        return Attempt(path_text, None, None, utc_now(), _one_line(exc))


def _get_once(session: "requests.Session", url: str, deadline: float, policy: FetchPolicy) -> Attempt:
    """One GET; returns a 200 or 404 attempt, raises _Retry or _Final with the failed attempt."""
    import requests
    import urllib3

    remaining = deadline - time.monotonic()
    read_timeout = max(0.01, min(policy.stall_timeout_s, remaining))
    try:
        response = session.get(url, stream=True,
                               timeout=(min(policy.connect_timeout_s, read_timeout), read_timeout))
    except requests.TooManyRedirects:
        raise _Final(Attempt(url, None, None, utc_now(),
                             f"more than {policy.max_redirects} redirects")) from None
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema) as exc:  # e.g. a redirect to an unusable URL
        raise _Final(Attempt(url, None, None, utc_now(),
                             f"unusable URL or redirect: {_one_line(exc)}")) from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise _Retry(Attempt(url, None, None, utc_now(), f"no answer: {_one_line(exc)}")) from None
    with response:
        status = response.status_code
        if status == 404:
            return Attempt(url, 404, None, utc_now())
        if status == 429 or status >= 500:
            raise _Retry(Attempt(url, status, None, utc_now(), f"HTTP {status} {response.reason}"),
                         _retry_after_s(response.headers.get("Retry-After")))
        if status != 200:
            raise _Final(Attempt(url, status, None, utc_now(), f"HTTP {status} {response.reason}"))
        body = _read_body(response, url, deadline, policy)
        return Attempt(url, 200, body, utc_now())


def _read_body(response: "requests.Response", url: str, deadline: float, policy: FetchPolicy) -> bytes:
    """The body, read as it arrives, so that the deadline holds even against a slow drip."""
    import requests
    import urllib3

    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise _Final(Attempt(url, 200, None, utc_now(),
                             f"Content-Length {declared} exceeds the {MAX_BYTES} byte cap"))
    body = bytearray()
    raw = response.raw
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Retry(Attempt(url, 200, None, utc_now(),
                                     f"body not complete within the {policy.deadline_s:.0f} s "
                                     f"deadline ({len(body)} bytes received)"))
            _limit_next_read(raw, min(policy.stall_timeout_s, remaining))
            # read1: whatever one read of the socket gave (gzip decoded), so the clock is
            # checked between any two packets however slowly they come.
            chunk = raw.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            body += chunk
            if len(body) > MAX_BYTES:
                raise _Final(Attempt(url, 200, None, utc_now(),
                                     f"body exceeds the {MAX_BYTES} byte cap"))
    except urllib3.exceptions.ReadTimeoutError:
        if time.monotonic() >= deadline - 0.05:  # the read was bounded by the deadline
            problem = f"body not complete within the {policy.deadline_s:.0f} s deadline"
        else:
            problem = f"body stalled for {policy.stall_timeout_s:.0f} s"
        raise _Retry(Attempt(url, 200, None, utc_now(),
                             f"{problem} ({len(body)} bytes received)")) from None
    except urllib3.exceptions.DecodeError as exc:
        raise _Final(Attempt(url, 200, None, utc_now(),
                             f"body cannot be decoded: {_one_line(exc)}")) from None
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
        raise _Retry(Attempt(url, 200, None, utc_now(),
                             f"body broken off after {len(body)} bytes: {_one_line(exc)}")) from None
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if declared and declared.isdigit() and not encoded and len(body) != int(declared):
        raise _Retry(Attempt(url, 200, None, utc_now(),
                             f"body broken off after {len(body)} of {declared} bytes"))
    return bytes(body)


def _limit_next_read(raw, seconds: float) -> None:
    """Bound the next socket read by what is left of the deadline (the stall timeout at most)."""
    connection = getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _retry_after_s(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _one_line(exc: BaseException) -> str:
    """`Type: message` on one line; for the HTTP client's wrapped errors, the innermost cause
    (e.g. `ConnectionError (NewConnectionError: ... [Errno 111] Connection refused)`)."""
    cause = exc
    while True:
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in reversed(cause.args) if isinstance(arg, BaseException)),
                         None)
        if inner is None or inner is cause:
            break
        cause = inner
    text = " ".join(str(cause).split()) or "no detail"
    if cause is exc:
        return f"{type(exc).__name__}: {text}"[:300]
    text = text.split("): ", 1)[-1]  # urllib3 prefixes "HTTPConnection(host=..., port=...): "
    return f"{type(exc).__name__} ({type(cause).__name__}: {text})"[:300]


class CircuitBreaker:
    """Stops a range when the host has not served for a few consecutive days.

    A day counts against the host when one of its files failed for a transient reason (no
    answer, 5xx, 429) after its retries; any definite answer (200, 404, 403, ...) resets the
    count. While the host looks down, a day gets a single probe instead of full retries, so a
    dead host fails a range of any length in seconds.
    """

    def __init__(self, source: ReleaseSource):
        self.source = source
        self.days_down: list[dt.date] = []
        self.last_problem = ""

    @property
    def host_looks_down(self) -> bool:
        return bool(self.days_down)

    @property
    def open(self) -> bool:
        return len(self.days_down) >= self.source.policy.days_without_answer

    def attempts_for_next_file(self) -> int | None:
        return 1 if self.host_looks_down else None

    def record(self, day: dt.date, fetch: FileFetch) -> None:
        if fetch.failed and fetch.transient:
            if day not in self.days_down:
                self.days_down.append(day)
            self.last_problem = fetch.last.error or ""
        else:
            self.days_down.clear()

    def message(self, days_left: int) -> str:
        first, last = self.days_down[0], self.days_down[-1]
        stopped = f"; stopped the range, {days_left} later day(s) not attempted" if days_left else ""
        return (f"{self.source.host}: no usable answer for {len(self.days_down)} consecutive "
                f"days ({first} .. {last}; last: {self.last_problem}){stopped}. Offline or "
                f"upstream down? Replay the history kept beside the project with "
                f"{LOCAL_COPY_HINT}")
