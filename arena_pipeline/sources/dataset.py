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

Every request goes through `http_fetch.py`, the policy the CSV source uses too (retries on no
answer, 5xx and 429 with backoff, `Retry-After` up to 30 s, a wall-clock deadline per file that
holds against a drip, a size cap, redirects across hosts, every attempt returned for the log),
with larger numbers: see `DATASET_POLICY`. Confirmed against huggingface_hub's own client
(`HfApi.dataset_info`, `HfApi.list_repo_tree`, `hf_hub_url`; README "Hub facts").

No Dagster and no DuckDB here; tests drive it against a loopback HTTP server. `requests` is only
imported when a request is made (http_fetch), so `settings` can import this module cheaply.
"""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlparse

from arena_pipeline.sources import http_fetch
from arena_pipeline.sources.http_fetch import Attempt, FetchPolicy, utc_now

HUB_BASE = "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main"
FILE_LAYOUT = "{subset}/{split}-00000-of-00001.parquet"
REVISION_FILE = "revision.json"
HISTORY_SPLIT = "full"

STYLE_CONTROL_SUFFIX = "_style_control"
# The Bradley-Terry subsets (ratings with bounds and votes) known when this was written. By default
# the pipeline loads every subset the source has (the Hub's tree, a local folder's subfolders)
# except NOT_BRADLEY_TERRY_SUBSETS, so a new subset is picked up; one whose file lacks the
# Bradley-Terry columns is skipped with a warning (ingest/dataset.py).
ALL_SUBSETS = "all"
BRADLEY_TERRY_SUBSETS = (
    "text", "text_style_control", "vision", "vision_style_control", "search",
    "search_style_control", "document", "document_style_control", "webdev", "text_to_image",
    "image_edit", "text_to_video", "image_to_video", "video_edit",
)
# Agent Arena publishes IPS scores with observation and session counts: another method on another
# scale. It is never loaded, so it can never be mixed with a Bradley-Terry board.
NOT_BRADLEY_TERRY_SUBSETS = ("agent",)

_HUB_PATTERN = re.compile(r"^(?P<host>https?://[^/]+)/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)$")

# text/full is ~58 MB (1.17 M rows, October 2026) and grows every week; the CSV source's cap is
# 20 MiB. 1 GiB leaves room for years of growth and still stops an endless or absurd body.
MAX_BYTES = 1024 * 1024 * 1024
REVISION_MAX_BYTES = 1024 * 1024  # the API's JSON, the tree listing or revision.json: small
MAX_LISTING_PAGES = 20  # 1,000 entries a page; the dataset has a few dozen files
HUB_SHA = re.compile(r"^[0-9a-f]{40}$")  # a git commit id, as the Hub's API gives it
REVISION_ID = re.compile(r"^[0-9A-Za-z._-]{1,128}$")  # a mirror's revision.json: any plain id
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The CSV policy with room for big files: a file has 60 s plus one second per 512 KiB (4 Mbit/s)
# of its declared size (without Content-Length, of what has arrived), all attempts included:
# ~3 min for text/full's 58 MB, ~35 min at the 1 GiB cap, 60 s for a server that drips. A CDN
# silent for 15 s is given up on (and retried); 2 files in a row without an answer stop the run.
DATASET_POLICY = FetchPolicy(connect_timeout_s=10.0, stall_timeout_s=15.0, deadline_s=60.0,
                             attempts=4, backoff_s=1.0, retry_after_cap_s=30.0, max_redirects=10,
                             days_without_answer=2, min_rate_bytes_s=512 * 1024)
# The revision sensor asks every 15 minutes inside a sensor tick (which Dagster stops after 60 s):
# one attempt within 20 s; a miss is asked again next tick.
PROBE_POLICY = replace(DATASET_POLICY, attempts=1, stall_timeout_s=10.0, deadline_s=20.0)
LOCAL_COPY_HINT = ("Point ARENA_DATASET_SOURCE at a local copy (a folder with "
                   "<subset>/full-00000-of-00001.parquet), or set it to off")


class DatasetFetchError(RuntimeError):
    """The dataset could not give a definite answer (network, 4xx/5xx, too large, bad JSON).
    The message is one line naming the URL (or file) and the cause; `attempts` are for the log."""

    def __init__(self, message: str, attempts: tuple[Attempt, ...] = (), transient: bool = False,
                 missing: bool = False):
        super().__init__(message)
        # missing: a definite "no such file" (HTTP 404, or no file in a local copy)
        self.attempts, self.transient, self.missing = attempts, transient, missing


def board_of_subset(subset: str) -> tuple[str, bool]:
    """(arena, style_control): `text_style_control` -> ('text', True), `webdev` -> ('webdev', False)."""
    if subset.endswith(STYLE_CONTROL_SUFFIX):
        return subset[: -len(STYLE_CONTROL_SUFFIX)], True
    return subset, False


_SUBSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def check_subsets(subsets: list[str]) -> list[str]:
    """The configured subsets, or a ValueError naming the one that cannot be loaded. A name this
    module does not know is accepted (the dataset adds subsets); whether the source has it is
    asked at run time, where a missing one is a warning."""
    for subset in subsets:
        if subset in NOT_BRADLEY_TERRY_SUBSETS:
            raise ValueError(f"subset {subset!r} is not a Bradley-Terry leaderboard (IPS scores); "
                             "it is kept out of this pipeline so it is never mixed with rated boards")
        if not _SUBSET_NAME.match(subset):
            raise ValueError(f"{subset!r} is not a subset name (known: {', '.join(BRADLEY_TERRY_SUBSETS)})")
    return subsets


def subsets_in_paths(paths) -> frozenset[str]:
    """The subsets that have a `full` split among file paths relative to the dataset's root."""
    suffix = "/" + FILE_LAYOUT.format(subset="", split=HISTORY_SPLIT).lstrip("/")
    return frozenset(p[: -len(suffix)] for p in paths if p.endswith(suffix) and "/" not in p[: -len(suffix)])


@dataclass(frozen=True)
class DatasetFile:
    subset: str
    split: str
    url: str  # or local path
    content: bytes
    fetched_at: dt.datetime  # UTC, naive
    attempts: tuple[Attempt, ...] = ()  # every HTTP attempt, the successful one last

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
    attempts: tuple[Attempt, ...] = ()


@dataclass(frozen=True)
class Listing:
    """The Hub's files at one revision: {path: (sha256, size)}; empty when it could not be read
    (every file is then downloaded, never skipped). `subsets`: the subsets the source has (the
    tree's or a local folder's), None when it cannot say (an http mirror, an unreadable tree)."""

    url: str | None
    files: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    attempts: tuple[Attempt, ...] = ()
    error: str | None = None
    subsets: frozenset[str] | None = None


class DatasetSource(http_fetch.HttpSource):
    """The dataset behind one base: the Hub, any http(s) mirror, or a local folder."""

    def __init__(self, base: str, policy: FetchPolicy | None = None, session=None):
        super().__init__(base, policy, session)
        self._hub = _HUB_PATTERN.match(self.base) if self.is_http else None

    def default_policy(self) -> FetchPolicy:
        return DATASET_POLICY

    def breaker(self) -> http_fetch.CircuitBreaker:
        """Stops a run after `days_without_answer` files in a row without an answer."""
        return http_fetch.CircuitBreaker(self.host, self.policy.days_without_answer, LOCAL_COPY_HINT,
                                         unit="file", scope="run")

    def file_url(self, subset: str, split: str, revision: Revision | None = None) -> str:
        name = FILE_LAYOUT.format(subset=subset, split=split)
        if not self.is_http:
            return str(Path(self.base, name))
        if self._hub and revision is not None and revision.how == "hub_api_sha":
            # Pin the commit the API named: a commit landing mid-run cannot mix two versions.
            return f"{self._hub['host']}/datasets/{self._hub['repo']}/resolve/{revision.id}/{name}"
        return f"{self.base}/{name}"

    def revision(self, subsets: list[str]) -> Revision:
        """One small request (or a few stat calls) saying which version the dataset is at. When
        the host gives no usable answer, the error names it and the local-copy hint: it is the
        run's first request, and nothing else is asked without it."""
        try:
            return self._revision(subsets)
        except DatasetFetchError as exc:
            if not exc.transient:
                raise
            raise DatasetFetchError(f"{self.host}: no usable answer ({exc}). Offline or upstream "
                                    f"down? {LOCAL_COPY_HINT}", exc.attempts, True) from None

    def _revision(self, subsets: list[str]) -> Revision:
        if self._hub:
            host, repo, rev = self._hub["host"], self._hub["repo"], self._hub["rev"]
            # HfApi.dataset_info: /api/datasets/<repo>, or .../revision/<quoted rev> when pinned.
            url = f"{host}/api/datasets/{repo}" + ("" if rev == "main" else f"/revision/{quote(rev, safe='')}")
            answer, attempts = self._get(url, REVISION_MAX_BYTES, missing_ok=False)
            return Revision(_sha_from_json(url, answer, attempts, HUB_SHA), url, "hub_api_sha", attempts)
        if self.is_http:
            url = f"{self.base}/{REVISION_FILE}"
            answer, attempts = self._get(url, REVISION_MAX_BYTES, missing_ok=True)
            if answer is None:
                return Revision(None, url, "unknown", attempts)
            return Revision(_sha_from_json(url, answer, attempts), url, "revision_json", attempts)
        marker = Path(self.base, REVISION_FILE)
        if marker.is_file():
            _check_contained(self.base, marker)
            with marker.open("rb") as file:  # capped like the HTTP answer: it is only a sha
                answer = file.read(REVISION_MAX_BYTES + 1)
            if len(answer) > REVISION_MAX_BYTES:
                raise DatasetFetchError(f"{marker}: larger than the {REVISION_MAX_BYTES} byte cap of a revision file")
            return Revision(_sha_from_json(str(marker), answer), str(marker), "revision_json")
        return Revision(self._fingerprint(subsets), self.base, "file_fingerprint")

    def listing(self, revision: Revision) -> Listing:
        """The Hub's tree of the revision (HfApi.list_repo_tree: /api/datasets/<repo>/tree/<rev>,
        `recursive`; each LFS file's sha256 is `lfs.oid`, its size `size`), every page of it (the
        Hub pages at 1,000 entries with a `Link: rel="next"` header). Listing(None) for other
        sources (with the subsets of a local folder). Whatever cannot be read is left out, and a
        file not listed is downloaded."""
        if not self.is_http:
            return Listing(None, subsets=self.local_subsets())
        if not self._hub or revision.how != "hub_api_sha":
            return Listing(None)
        url = (f"{self._hub['host']}/api/datasets/{self._hub['repo']}/tree/"
               f"{quote(revision.id, safe='')}?recursive=true")
        files, tried, page = {}, (), url
        for _ in range(MAX_LISTING_PAGES):
            try:
                answer, attempts = self._get(page, REVISION_MAX_BYTES, missing_ok=True)
            except DatasetFetchError as exc:
                return Listing(url, files, tried + exc.attempts, str(exc))
            tried += attempts
            try:
                entries = load_json(answer or b"[]")
            except ValueError as exc:
                return Listing(url, files, tried, f"{page}: {exc}")
            if not isinstance(entries, list):
                return Listing(url, files, tried, f"{page}: not a JSON list")
            files.update({
                entry["path"]: (entry["lfs"]["oid"], entry.get("size"))
                for entry in entries
                if isinstance(entry, dict) and isinstance(entry.get("lfs"), dict)
                and isinstance(entry.get("path"), str) and isinstance(entry["lfs"].get("oid"), str)
                and SHA256.match(entry["lfs"]["oid"])
            })
            page = attempts[-1].next_page
            if not page:
                break
            if urlparse(page).netloc != urlparse(url).netloc or urlparse(page).scheme != urlparse(url).scheme:
                # The next page is asked of the host that listed the first one, never elsewhere.
                return Listing(url, files, tried, f"{url}: next page {page[:200]!r} is on another host; not followed")
        if not files:
            return Listing(url, files, tried, f"{url}: no LFS file listed")
        # A tree cut short (page limit) could miss a subset: then it is not asked for.
        return Listing(url, files, tried, None, subsets_in_paths(files) if not page else None)

    def local_subsets(self) -> frozenset[str]:
        """The subfolders of a local copy that hold a `full` split."""
        root = Path(self.base)
        return subsets_in_paths(str(p.relative_to(root)) for p in
                                root.glob("*/" + FILE_LAYOUT.format(subset="", split=HISTORY_SPLIT).lstrip("/")))

    def fetch(self, subset: str, split: str, revision: Revision | None = None,
              attempts: int | None = None) -> DatasetFile:
        """One file, with retries (at most `attempts`, default the policy's). Raises
        DatasetFetchError (one line naming the URL and the cause) when it cannot be had."""
        url = self.file_url(subset, split, revision)
        if not self.is_http:
            path = Path(url)
            if not path.is_file():
                raise DatasetFetchError(f"{url}: no such file", missing=True)
            _check_contained(self.base, path)
            if path.stat().st_size > MAX_BYTES:
                raise DatasetFetchError(f"{url}: file of {path.stat().st_size} bytes exceeds the {MAX_BYTES} byte cap")
            return DatasetFile(subset, split, url, path.read_bytes(), utc_now())
        content, tried = self._get(url, MAX_BYTES, missing_ok=False, attempts=attempts)
        return DatasetFile(subset, split, url, content, tried[-1].fetched_at, tried)

    def _fingerprint(self, subsets: list[str]) -> str:
        parts = []
        for subset in sorted(set(subsets) | self.local_subsets()):
            path = Path(self.file_url(subset, HISTORY_SPLIT))
            stat = path.stat() if path.is_file() else None
            parts.append(f"{subset}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{subset}:missing")
        return "files-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def _get(self, url: str, max_bytes: int, missing_ok: bool,
             attempts: int | None = None) -> tuple[bytes | None, tuple[Attempt, ...]]:
        """(body, attempts) of a 200, (None, attempts) of a 404 when missing_ok; otherwise
        DatasetFetchError (transient: no answer, 5xx or 429 after the retries)."""
        fetch = self.fetch_http(url, max_bytes, url, attempts)
        tried = tuple(fetch.attempts)
        if fetch.found:
            return fetch.last.content, tried
        if fetch.missing:
            if missing_ok:
                return None, tried
            raise DatasetFetchError(f"{url}: HTTP 404 Not Found", tried, missing=True)
        raise DatasetFetchError(f"{url}: {fetch.last.error}", tried, fetch.transient)


class JsonTooDeep(ValueError):
    pass


def load_json(answer: bytes):
    """JSON from the network or a local file, or a ValueError saying why not. The answers are
    capped at REVISION_MAX_BYTES; nesting deeper than the interpreter's recursion limit (the
    Hub's answers nest 3-4 levels) is refused instead of ending in a RecursionError."""
    try:
        return json.loads(answer)
    except RecursionError:
        raise JsonTooDeep("JSON nested too deeply to be an answer of the Hub") from None
    except ValueError:
        raise ValueError(f"not JSON (starts {answer[:40]!r})") from None


def _sha_from_json(where: str, answer: bytes, attempts: tuple[Attempt, ...] = (),
                   pattern: re.Pattern = REVISION_ID) -> str:
    try:
        parsed = load_json(answer)
    except JsonTooDeep as exc:
        raise DatasetFetchError(f"{where}: {exc}", attempts) from None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise DatasetFetchError(f"{where}: not a JSON object (starts {answer[:40]!r})", attempts)
    sha = parsed.get("sha")
    if not isinstance(sha, str) or not sha:
        raise DatasetFetchError(f"{where}: no 'sha' in the answer", attempts)
    if not pattern.match(sha):
        # It goes into URLs (resolve/<sha>, tree/<sha>) and the log: only a commit id will do.
        raise DatasetFetchError(f"{where}: 'sha' {sha[:80]!r} is not a revision id "
                                f"({'40 hex digits' if pattern is HUB_SHA else 'letters, digits, ., _, -'})",
                                attempts)
    return sha


def _check_contained(base: str, path: Path) -> None:
    if http_fetch.contained_file(base, path) is None:
        raise DatasetFetchError(f"{path}: a link to {path.resolve()}, outside the source folder {base}; not read")
