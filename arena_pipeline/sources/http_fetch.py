"""How both sources fetch one file over HTTP: the retry, deadline, size-cap and breaker policy.

The CSV releases (`source.py`) and the official dataset (`dataset_source.py`) differ in layout,
sizes and what a 404 means, not in how to survive a bad network, so that lives here once:

- every attempt is returned as an `Attempt` (the ingestion logs each one); nothing the HTTP
  client raises escapes `fetch_url`;
- connection errors, timeouts, short bodies, 5xx and 429 are retried with backoff; 429 and 503
  honour `Retry-After` up to a cap (a longer one ends the attempts at once);
- a wall-clock deadline per file, for all its attempts and waits, checked between any two
  packets, so it holds even against a server dripping bytes. For large files the deadline grows
  with the size: `deadline_s` plus one second per `min_rate_bytes_s` bytes of the size the
  server declares (or, without Content-Length, of what has arrived), so a slow but steady
  download of a big file finishes and a drip does not;
- a size cap, declared (Content-Length) or streamed; redirects are followed across hosts (the
  Hub sends large files to its CDN) and the cap and deadline apply to the final answer; a
  redirect to a private, link-local or otherwise non-public address (a cloud's metadata service
  at 169.254.169.254, a 10.x host), or to loopback from a host that is not on loopback, is
  refused before it is followed: only the configured URL itself may be such an address;
- other answers (403, redirect loops, undecodable bodies, oversized files) are final;
- a `CircuitBreaker` stops a run after a few consecutive files or days the host did not serve.

No Dagster, no DuckDB: fetching never holds the database. `requests` is imported when the first
request is made, so importing this module (settings, the CLI's start-up) stays cheap.
"""

import datetime as dt
import email.utils
import hashlib
import ipaddress
import socket
import time
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse


@dataclass(frozen=True)
class FetchPolicy:
    """How hard to try one file. The defaults suit GitHub's CSV files; tests shrink the waits."""

    connect_timeout_s: float = 5.0
    stall_timeout_s: float = 10.0  # longest wait for the next bytes of an answer
    deadline_s: float = 60.0  # wall clock for one file, all attempts and waits included
    attempts: int = 4  # the first try and three retries
    backoff_s: float = 1.0  # doubled after each failed attempt
    retry_after_cap_s: float = 30.0  # a longer Retry-After is not waited for
    max_redirects: int = 10
    days_without_answer: int = 3  # circuit breaker: consecutive days (or files) the host did not serve
    min_rate_bytes_s: float = 0.0  # > 0: the deadline grows by size / this rate (large files)

    def deadline_for(self, size_bytes: int) -> float:
        """Seconds allowed for a file of this size, all attempts included."""
        extra = size_bytes / self.min_rate_bytes_s if self.min_rate_bytes_s > 0 else 0.0
        return self.deadline_s + extra


@dataclass(frozen=True)
class Attempt:
    """One try at one file: an answer (status), a body (200) or the reason there was none."""

    url: str
    status: int | None  # HTTP status, 200 / 404 for a local folder; None = no answer
    content: bytes | None  # the body of a 200
    fetched_at: dt.datetime  # UTC, naive
    error: str | None = None  # one line; None for 200 and 404
    next_page: str | None = None  # a 200's `Link: <url>; rel="next"` (a paged API answer)

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


class _Deadline:
    """The wall clock of one file: `policy.deadline_s`, extended by the size the server declares
    (or has sent) at `policy.min_rate_bytes_s`, never beyond what the size cap allows."""

    def __init__(self, policy: FetchPolicy, max_bytes: int):
        self.policy, self.max_bytes = policy, max_bytes
        self.started = time.monotonic()
        self.size = 0

    def grow_to(self, size_bytes: int) -> None:
        self.size = max(self.size, min(size_bytes, self.max_bytes))

    @property
    def seconds(self) -> float:
        return self.policy.deadline_for(self.size)

    def remaining(self) -> float:
        return self.started + self.seconds - time.monotonic()


class HttpSource:
    """A base that is an http(s) URL or a local folder; its files are fetched with one policy
    and one session (connections are reused across files)."""

    def __init__(self, base: str, policy: FetchPolicy | None = None, session=None):
        self.base = base.rstrip("/")
        self.is_http = self.base.startswith(("http://", "https://"))
        self._policy = policy
        self._session = session

    def default_policy(self) -> FetchPolicy:
        return FetchPolicy()

    @property
    def policy(self) -> FetchPolicy:
        # Read at call time, so that a test can shrink a module's default for a whole CLI run.
        return self._policy or self.default_policy()

    @property
    def host(self) -> str:
        return urlparse(self.base).netloc if self.is_http else self.base

    def fetch_http(self, url: str, max_bytes: int, name: str, attempts: int | None = None) -> FileFetch:
        if self._session is None:
            self._session = new_session(self.policy)
        return fetch_url(self._session, url, self.policy, max_bytes, name, attempts)


def new_session(policy: FetchPolicy):
    import requests  # lazily: the CLI's start-up and settings need no HTTP client

    class GuardedSession(requests.Session):
        """A session that checks every redirect's target before following it."""

        def get_redirect_target(self, resp):
            target = super().get_redirect_target(resp)
            if target:
                from urllib.parse import urljoin

                refusal = redirect_refusal(resp.request.url, urljoin(resp.request.url, target))
                if refusal:
                    raise RedirectRefused(refusal)
            return target

    session = GuardedSession()
    session.max_redirects = policy.max_redirects
    return session


class RedirectRefused(Exception):
    """A redirect to an address this pipeline never follows a redirect to."""


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses a host name or literal stands for ([] when it does not resolve: the
    connection then fails on its own)."""
    try:
        return [_unmapped(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [_unmapped(ipaddress.ip_address(info[4][0].split("%")[0])) for info in infos]


def _unmapped(address):
    """::ffff:10.0.0.1 is 10.0.0.1."""
    return getattr(address, "ipv4_mapped", None) or address


def redirect_refusal(from_url: str, to_url: str) -> str | None:
    """Why a redirect from `from_url` to `to_url` is not followed, or None. Refused: a target on
    a private, link-local, multicast, reserved or unspecified address, or on loopback unless the
    redirect comes from loopback (a test server, a mirror on this machine)."""
    to_host = urlparse(to_url).hostname or ""
    from_addresses = _addresses(urlparse(from_url).hostname or "")
    from_loopback = bool(from_addresses) and all(a.is_loopback for a in from_addresses)
    for address in _addresses(to_host):
        shown = to_host if to_host == str(address) else f"{to_host} ({address})"
        if address.is_loopback:
            if not from_loopback:
                return f"redirect to {shown} refused: a loopback address, and the source is not on loopback"
            continue
        if (address.is_private or address.is_link_local or address.is_multicast or address.is_reserved
                or address.is_unspecified):
            return f"redirect to {shown} refused: not a public address"
    return None


def fetch_url(session, url: str, policy: FetchPolicy, max_bytes: int, name: str,
              attempts: int | None = None) -> FileFetch:
    """All attempts at one URL (at most `attempts`, default the policy's). Never raises.

    A 200 with its body or a 404 ends the attempts; what the caller makes of a 404 is its own
    business (a day without that file, or a missing dataset file)."""
    attempts = attempts or policy.attempts
    session.max_redirects = policy.max_redirects
    deadline = _Deadline(policy, max_bytes)
    result = FileFetch(name)
    for number in range(1, attempts + 1):
        try:
            result.attempts.append(_get_once(session, url, deadline, max_bytes))
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
            if deadline.remaining() - wait <= 0:
                _amend_last(result, f"the {deadline.seconds:.0f} s deadline for this file "
                                    "leaves no time for another attempt")
                return result
            time.sleep(wait)
        except Exception as exc:  # whatever else the client raises fails this file, not the run
            result.attempts.append(Attempt(url, None, None, utc_now(),
                                           f"unexpected error: {one_line(exc)}"))
            return result
    _amend_last(result, f"gave up after {len(result.attempts)} attempt(s)")
    return result


def _amend_last(result: FileFetch, note: str) -> None:
    last = result.attempts[-1]
    result.attempts[-1] = replace(last, content=None, error=f"{last.error}; {note}")


def _get_once(session, url: str, deadline: _Deadline, max_bytes: int) -> Attempt:
    """One GET; returns a 200 or 404 attempt, raises _Retry or _Final with the failed attempt."""
    import requests
    import urllib3

    policy = deadline.policy
    read_timeout = max(0.01, min(policy.stall_timeout_s, deadline.remaining()))
    try:
        response = session.get(url, stream=True,
                               timeout=(min(policy.connect_timeout_s, read_timeout), read_timeout))
    except RedirectRefused as exc:
        raise _Final(Attempt(url, None, None, utc_now(), str(exc))) from None
    except requests.TooManyRedirects:
        raise _Final(Attempt(url, None, None, utc_now(),
                             f"more than {policy.max_redirects} redirects")) from None
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema) as exc:  # e.g. a redirect to an unusable URL
        raise _Final(Attempt(url, None, None, utc_now(),
                             f"unusable URL or redirect: {one_line(exc)}")) from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        asked = getattr(getattr(exc, "request", None), "url", None)
        raise _Retry(Attempt(url, None, None, utc_now(),
                             f"no answer{_redirected(url, asked)}: {one_line(exc)}")) from None
    with response:
        status = response.status_code
        answer = f"HTTP {status} {response.reason}{_redirected(url, response.url)}"
        if status == 404:
            return Attempt(url, 404, None, utc_now())
        if status == 429 or status >= 500:
            raise _Retry(Attempt(url, status, None, utc_now(), answer),
                         retry_after_s(response.headers.get("Retry-After")))
        if status != 200:
            raise _Final(Attempt(url, status, None, utc_now(), answer))
        try:
            body = _read_body(response, url, deadline, max_bytes)
        except (_Retry, _Final) as failed:  # say which host sent the bad body, if not the one asked
            note = _redirected(url, response.url)
            failed.attempt = replace(failed.attempt, error=f"{failed.attempt.error}{note}")
            raise
        return Attempt(url, 200, body, utc_now(), next_page=response.links.get("next", {}).get("url"))


def _redirected(url: str, final_url: str | None) -> str:
    """' (answered by <host> after a redirect)' when another host answered (the Hub's CDN)."""
    final_host = urlparse(final_url or url).netloc
    return f" (answered by {final_host} after a redirect)" if final_host != urlparse(url).netloc else ""


def contained_file(base: str, path: Path) -> Path | None:
    """`path` with every link resolved, if it stays inside the folder `base`; None if it leads
    out of it (a local source never reads a file outside its folder, e.g. a link to /etc/passwd)."""
    real = path.resolve()
    return real if real.is_relative_to(Path(base).resolve()) else None


def _read_body(response, url: str, deadline: _Deadline, max_bytes: int) -> bytes:
    """The body, read as it arrives, so that the deadline holds even against a slow drip."""
    import requests
    import urllib3

    policy = deadline.policy
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _Final(Attempt(url, 200, None, utc_now(),
                             f"Content-Length {declared} exceeds the {max_bytes} byte cap"))
    if declared and declared.isdigit():
        deadline.grow_to(int(declared))
    body = bytearray()
    raw = response.raw
    try:
        while True:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise _Retry(Attempt(url, 200, None, utc_now(),
                                     f"body not complete within the {deadline.seconds:.0f} s "
                                     f"deadline ({len(body)} bytes received)"))
            _limit_next_read(raw, min(policy.stall_timeout_s, remaining))
            # read1: whatever one read of the socket gave (gzip decoded), so the clock is
            # checked between any two packets however slowly they come.
            chunk = raw.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            body += chunk
            deadline.grow_to(len(body))
            if len(body) > max_bytes:
                raise _Final(Attempt(url, 200, None, utc_now(),
                                     f"body exceeds the {max_bytes} byte cap"))
    except urllib3.exceptions.ReadTimeoutError:
        if deadline.remaining() <= 0.05:  # the read was bounded by the deadline
            problem = f"body not complete within the {deadline.seconds:.0f} s deadline"
        else:
            problem = f"body stalled for {policy.stall_timeout_s:.0f} s"
        raise _Retry(Attempt(url, 200, None, utc_now(),
                             f"{problem} ({len(body)} bytes received)")) from None
    except urllib3.exceptions.DecodeError as exc:
        raise _Final(Attempt(url, 200, None, utc_now(),
                             f"body cannot be decoded: {one_line(exc)}")) from None
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
        raise _Retry(Attempt(url, 200, None, utc_now(),
                             f"body broken off after {len(body)} bytes: {one_line(exc)}")) from None
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


def retry_after_s(value: str | None) -> float | None:
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


def one_line(exc: BaseException) -> str:
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
    """Stops a run when the host has not served for a few consecutive units (days or files).

    A unit counts against the host when one of its files failed for a transient reason (no
    answer, 5xx, 429) after its retries; any definite answer (200, 404, 403, ...) resets the
    count. While the host looks down, a file gets a single probe instead of full retries, so a
    dead host fails a run of any length in seconds.
    """

    def __init__(self, host: str, limit: int, hint: str, unit: str = "day", scope: str = "range"):
        self.host, self.limit, self.hint, self.unit, self.scope = host, limit, hint, unit, scope
        self.down: list[Hashable] = []
        self.last_problem = ""

    @property
    def host_looks_down(self) -> bool:
        return bool(self.down)

    @property
    def open(self) -> bool:
        return len(self.down) >= self.limit

    def attempts_for_next_file(self) -> int | None:
        return 1 if self.host_looks_down else None

    def record(self, unit: Hashable, fetch: FileFetch) -> None:
        self.record_outcome(unit, (fetch.last.error or "") if fetch.failed and fetch.transient else None)

    def record_outcome(self, unit: Hashable, transient_problem: str | None) -> None:
        """A unit's outcome: the problem if the host gave no usable answer, None if it answered."""
        if transient_problem is not None:
            if unit not in self.down:
                self.down.append(unit)
            self.last_problem = transient_problem
        else:
            self.down.clear()

    def message(self, left: int) -> str:
        first, last = self.down[0], self.down[-1]
        stopped = (f"; stopped the {self.scope}, {left} later {self.unit}(s) not attempted"
                   if left else "")
        return (f"{self.host}: no usable answer for {len(self.down)} consecutive {self.unit}s "
                f"({first} .. {last}; last: {self.last_problem}){stopped}. Offline or "
                f"upstream down? {self.hint}")
