"""LMArena's official leaderboard dataset (Hugging Face `lmarena-ai/leaderboard-dataset`).

Everything that knows the dataset's file layout and the Hub's API is in this module, so that a
layout change upstream is a one-file fix:

- files:    <base>/<subset>/<split>-00000-of-00001.parquet  (split `full` = the whole history)
- revision: the cheap "did anything change?" question, one small request per run:
    * the Hub (<host>/datasets/<owner>/<name>/resolve/<rev>): the API's commit `sha`
      (<host>/api/datasets/<owner>/<name>, or .../revision/<rev> for a pinned revision); the files
      are then downloaded from resolve/<sha>, so every file of one run belongs to one commit;
    * any other http(s) mirror or local copy: `revision.json` beside the subsets ({"sha": "..."});
      a local copy without it is fingerprinted by the files' sizes and modification times;
      an http mirror without it answers nothing, and every file is downloaded (unchanged contents
      are then recognised by their sha256 and not parsed again).
- listing: when the revision moved (the Hub commits once per subset and publish date), one more
  small request, the Hub's tree of that commit (<host>/api/datasets/<owner>/<name>/tree/<sha>
  ?recursive=true), gives each file's sha256 (`lfs.oid`): a file whose content is already loaded
  is not downloaded again.

No Dagster and no DuckDB here; tests drive it against a loopback HTTP server.
"""

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a request is made: settings import this module's constants
    import requests

HUB_BASE = "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main"
FILE_LAYOUT = "{subset}/{split}-00000-of-00001.parquet"
REVISION_FILE = "revision.json"
HISTORY_SPLIT = "full"

STYLE_CONTROL_SUFFIX = "_style_control"
# Subsets whose rows are Bradley-Terry ratings with votes: the only ones this pipeline loads.
BRADLEY_TERRY_SUBSETS = (
    "text", "text_style_control", "vision", "vision_style_control", "search",
    "search_style_control", "document", "document_style_control", "webdev", "text_to_image",
    "image_edit", "text_to_video", "image_to_video", "video_edit",
)
# Agent Arena publishes IPS scores with observation and session counts: another method on another
# scale. It is never loaded, so it can never be mixed with a Bradley-Terry board.
NOT_BRADLEY_TERRY_SUBSETS = ("agent",)

_HUB_PATTERN = re.compile(r"^(?P<host>https?://[^/]+)/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)$")

CONNECT_TIMEOUT_S = 10
# text/full is ~58 MB (1.17 M rows, October 2026) and grows every week; the CSV source's cap is
# 20 MiB. 1 GiB leaves room for years of growth and still stops an endless or absurd body.
MAX_BYTES = 1024 * 1024 * 1024
DEADLINE_S = 900  # a whole file, retries included: ~58 MB at 1 Mbit/s takes ~8 min
REVISION_MAX_BYTES = 1024 * 1024  # the API's JSON, the tree listing or revision.json: small
RETRIES = 3
BACKOFF_S = 1.0
CHUNK_BYTES = 1024 * 1024


class DatasetFetchError(RuntimeError):
    """The dataset could not give a definite answer (network, 4xx/5xx, too large, bad JSON)."""


def board_of_subset(subset: str) -> tuple[str, bool]:
    """(arena, style_control): `text_style_control` -> ('text', True), `webdev` -> ('webdev', False)."""
    if subset.endswith(STYLE_CONTROL_SUFFIX):
        return subset[: -len(STYLE_CONTROL_SUFFIX)], True
    return subset, False


def check_subsets(subsets: list[str]) -> list[str]:
    """The configured subsets, or a ValueError naming the one that cannot be loaded."""
    for subset in subsets:
        if subset in NOT_BRADLEY_TERRY_SUBSETS:
            raise ValueError(f"subset {subset!r} is not a Bradley-Terry leaderboard (IPS scores); "
                             "it is kept out of this pipeline so it is never mixed with rated boards")
        if subset not in BRADLEY_TERRY_SUBSETS:
            raise ValueError(f"unknown subset {subset!r}; known: {', '.join(BRADLEY_TERRY_SUBSETS)}")
    return subsets


@dataclass(frozen=True)
class DatasetFile:
    subset: str
    split: str
    url: str  # or local path
    content: bytes
    fetched_at: dt.datetime  # UTC, naive

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def name(self) -> str:
        return FILE_LAYOUT.format(subset=self.subset, split=self.split)


@dataclass(frozen=True)
class Revision:
    """The dataset's version as the source states it; id None = the source cannot say."""

    id: str | None
    checked_url: str
    how: str  # hub_api_sha | revision_json | file_fingerprint | unknown


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class DatasetSource:
    """The dataset behind one base: the Hub, any http(s) mirror, or a local folder."""

    def __init__(self, base: str, session: "requests.Session | None" = None):
        self.base = base.rstrip("/")
        self.is_http = self.base.startswith(("http://", "https://"))
        self._hub = _HUB_PATTERN.match(self.base) if self.is_http else None
        self._session = session

    def file_url(self, subset: str, split: str, revision: Revision | None = None) -> str:
        name = FILE_LAYOUT.format(subset=subset, split=split)
        if not self.is_http:
            return str(Path(self.base, name))
        if self._hub and revision is not None and revision.how == "hub_api_sha":
            # Pin the commit the API named: a commit landing mid-run cannot mix two versions.
            return f"{self._hub['host']}/datasets/{self._hub['repo']}/resolve/{revision.id}/{name}"
        return f"{self.base}/{name}"

    def revision(self, subsets: list[str]) -> Revision:
        """One small request (or a few stat calls) saying which version the dataset is at."""
        if self._hub:
            host, repo, rev = self._hub["host"], self._hub["repo"], self._hub["rev"]
            url = f"{host}/api/datasets/{repo}" + ("" if rev == "main" else f"/revision/{rev}")
            answer = self._get(url, REVISION_MAX_BYTES, missing_ok=False)
            return Revision(_sha_from_json(url, answer), url, "hub_api_sha")
        if self.is_http:
            url = f"{self.base}/{REVISION_FILE}"
            answer = self._get(url, REVISION_MAX_BYTES, missing_ok=True)
            if answer is None:
                return Revision(None, url, "unknown")
            return Revision(_sha_from_json(url, answer), url, "revision_json")
        marker = Path(self.base, REVISION_FILE)
        if marker.is_file():
            return Revision(_sha_from_json(str(marker), marker.read_bytes()), str(marker), "revision_json")
        return Revision(self._fingerprint(subsets), self.base, "file_fingerprint")

    def listed_sha256s(self, revision: Revision) -> tuple[str | None, dict[str, str]]:
        """(url asked, {file path: sha256}) as the Hub lists the revision's files; (None, {}) for
        other sources, and {} when the listing cannot be read (every file is then downloaded)."""
        if not self._hub or revision.how != "hub_api_sha":
            return None, {}
        url = f"{self._hub['host']}/api/datasets/{self._hub['repo']}/tree/{revision.id}?recursive=true"
        try:
            entries = json.loads(self._get(url, REVISION_MAX_BYTES, missing_ok=True) or b"[]")
        except (DatasetFetchError, ValueError):
            return url, {}
        if not isinstance(entries, list):
            return url, {}
        return url, {
            entry["path"]: entry["lfs"]["oid"]
            for entry in entries
            if isinstance(entry, dict) and isinstance(entry.get("lfs"), dict)
            and isinstance(entry.get("path"), str) and isinstance(entry["lfs"].get("oid"), str)
        }

    def fetch(self, subset: str, split: str, revision: Revision | None = None) -> DatasetFile:
        url = self.file_url(subset, split, revision)
        if not self.is_http:
            path = Path(url)
            if not path.is_file():
                raise DatasetFetchError(f"{url}: no such file")
            if path.stat().st_size > MAX_BYTES:
                raise DatasetFetchError(f"{url}: {path.stat().st_size} bytes exceeds the {MAX_BYTES}-byte cap")
            return DatasetFile(subset, split, url, path.read_bytes(), utc_now())
        return DatasetFile(subset, split, url, self._get(url, MAX_BYTES, missing_ok=False), utc_now())

    def _fingerprint(self, subsets: list[str]) -> str:
        parts = []
        for subset in sorted(subsets):
            path = Path(self.file_url(subset, HISTORY_SPLIT))
            stat = path.stat() if path.is_file() else None
            parts.append(f"{subset}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{subset}:missing")
        return "files-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def _get(self, url: str, max_bytes: int, missing_ok: bool) -> bytes | None:
        """GET with retries on connection errors and 5xx; a streamed body capped at max_bytes."""
        import requests

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
                return _get_once(session, url, max_bytes, remaining, missing_ok)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
            except _ServerError as exc:
                last_problem = str(exc)
        raise DatasetFetchError(f"{url}: no answer after {RETRIES + 1} attempts ({last_problem})")


def _get_once(session, url: str, max_bytes: int, remaining: float, missing_ok: bool) -> bytes | None:
    import requests

    started = time.monotonic()
    # Redirects are followed: the Hub answers `resolve` with a 302 to its CDN.
    with session.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, remaining)) as response:
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 500:
            raise _ServerError(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise DatasetFetchError(f"{url}: HTTP {response.status_code}")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise DatasetFetchError(f"{url}: {declared} bytes declared, over the {max_bytes}-byte cap")
        body = bytearray()
        for chunk in response.iter_content(CHUNK_BYTES):
            body += chunk
            if len(body) > max_bytes:
                raise DatasetFetchError(f"{url}: body exceeds the {max_bytes}-byte cap")
            if time.monotonic() - started > remaining:
                raise requests.Timeout(f"download exceeded its {remaining:.0f} s deadline")
        return bytes(body)


def _sha_from_json(where: str, answer: bytes) -> str:
    try:
        sha = json.loads(answer).get("sha")
    except (ValueError, AttributeError):
        raise DatasetFetchError(f"{where}: not a JSON object (starts {answer[:40]!r})") from None
    if not isinstance(sha, str) or not sha:
        raise DatasetFetchError(f"{where}: no 'sha' in the answer")
    return sha


class _ServerError(Exception):
    """A 5xx answer: worth retrying."""
