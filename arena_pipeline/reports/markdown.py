"""Markdown building blocks shared by every report: escaping, links, tables, formats, writing.

Everything published upstream (model names, organizations, licenses, URLs) is untrusted text:
it goes through `escape_cell` or `link` before it reaches a page, so a name cannot break a table
row or inject HTML, GitBook blocks or links. Pure: no DuckDB, no Dagster.
"""

import math
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit

# Beijing time is UTC+8 all year (China has no daylight saving time).
BEIJING = timezone(timedelta(hours=8), "CST")

# Characters with a meaning in CommonMark/GFM inline syntax, GitBook math ($$) included:
# a backslash makes each of them literal.
_BACKSLASHED = set("\\`*_[]|~$")
# Entities rather than backslashes: raw HTML is recognised before backslash escapes matter,
# and `{`/`}` open GitBook's `{% ... %}` / `{{ ... }}` templating, which ignores backslashes.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}

# Kept as they are in a link destination; everything else is percent-encoded, so `(`, `)`,
# spaces, `|`, `<`, `>` and quotes in a published URL cannot end the link or the table cell.
_URL_SAFE = "/:?#@!$&'*+,;=%-._~"


# Bidirectional embeddings, overrides and isolates: they reorder the text after them (a name
# could make a neighbouring number read backwards), so they are shown as U+FFFD.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
REPLACEMENT = "\ufffd"


def plain_text(value: object) -> str:
    """Published text as one line every output can take: Markdown, XML 1.0 (feeds, SVG), JSON
    and a terminal. Line and paragraph separators become spaces; control characters (C0, C1,
    DEL, NUL, ESC) are dropped; bidi overrides, surrogates and noncharacters (U+FFFE, U+FFFF,
    ..., which XML 1.0 forbids) become U+FFFD."""
    # split() drops every Unicode line or paragraph separator, so the text stays on one line.
    return safe_chars(" ".join(str(value).split()))


def safe_chars(text: str) -> str:
    """plain_text's character rules without joining lines: `\n` and `\t` are kept."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            if ch in "\n\t":
                out.append(ch)
            continue  # other control characters have no business in a page
        if ch in _BIDI_CONTROLS or category == "Cs" or _is_noncharacter(ch):
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    return "".join(out)


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def escape_cell(value: object) -> str:
    """Published text as one line of literal Markdown, safe in a table cell or a list item."""
    if value is None:
        return ""
    out = []
    for ch in plain_text(value):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def safe_url(url: object) -> str | None:
    """The URL percent-encoded for a Markdown link, or None unless it is http(s) with a host."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host part
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def link(text: object, url: object) -> str:
    """`[text](url)` for an http(s) URL; the escaped plain text otherwise."""
    label = escape_cell(text)
    target = safe_url(url)
    if target is None or not label:
        return label
    return f"[{label}]({target})"


def relative_link(text: object, relative_path: str) -> str:
    """`[text](path)` to a file next to the report; refuses absolute paths and URLs."""
    parts = urlsplit(relative_path)
    if parts.scheme or parts.netloc or relative_path.startswith("/"):
        raise ValueError(f"path must be relative to the report, got {relative_path!r}")
    return f"[{escape_cell(text)}]({quote(relative_path, safe=_URL_SAFE)})"


def image(alt: object, relative_path: str) -> str:
    """`![alt](path)` for a chart next to the report (relative, so pages stay movable)."""
    return "!" + relative_link(alt, relative_path)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """GFM table lines. Cells must already be escaped; `align` has one of l/r/c per column."""
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    separator = [marks[align[i]] if i < len(align) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(separator) + " |"]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"table row has {len(row)} cells, expected {len(headers)}: {row!r}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def is_missing(value: object) -> bool:
    """None, or a float NaN (what a nullable column becomes if it went through pandas)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: object) -> str:
    """A whole number, half away from zero (not banker's rounding), e.g. 1427.5 -> 1428."""
    return str(int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def fmt_signed(value: object) -> str:
    """A delta as a signed whole number: +12, -3, 0."""
    n = int(fmt_int(value))
    return f"+{n}" if n > 0 else str(n)


def fmt_thousands(value: object) -> str:
    """Votes as published on the leaderboard: 15769 -> 15,769."""
    return f"{int(value):,}"


def fmt_ci(ci_plus: object, ci_minus: object) -> str:
    """The 95% CI as the upstream publishes it: +5/-4."""
    return f"+{int(ci_plus)}/-{int(ci_minus)}"


def as_date(value: object) -> date:
    """A date from a date, a datetime (pandas Timestamp included) or an ISO string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"expected a date, got {value!r}")


def as_utc(moment: datetime) -> datetime:
    """The generation time in UTC; a naive datetime is refused since its zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"generated_at must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def parse_clock(value: str) -> datetime:
    """An injected generation time: ISO-8601 with a timezone (CLI --now, run config `now`), or a
    plain date (`2026-12-07`), which means the start of that day in UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO-8601 date and time") from None
    if len(value.strip()) == len("YYYY-MM-DD"):
        return moment.replace(tzinfo=UTC)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no timezone (add e.g. +00:00)")
    return moment


TMP_SUFFIX = ".tmp"
# write_text's temporary names: "." + target name + "." + mkstemp's 8 random characters + ".tmp".
_TMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
# A write takes milliseconds: a temporary file this old was left by a process that died.
STALE_TMP_SECONDS = 300


def remove_stale_temp_files(folder: str | os.PathLike[str], *, now: float | None = None) -> list[Path]:
    """Delete write_text's temporary files in `folder` (not below it) left by a killed write.

    Only names write_text makes and only files older than STALE_TMP_SECONDS, so a concurrent
    writer's file in flight and anything else in the folder are left alone.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for path in folder.iterdir():
        if not _TMP_NAME.match(path.name) or not path.is_file():
            continue
        try:
            if now - path.stat().st_mtime > STALE_TMP_SECONDS:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # its writer finished or another cleaner got there first
            continue
    return removed


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` as UTF-8 with LF line ends so readers never see a half-written page.

    The temporary file lives in the target's folder so that os.replace is a rename within one
    filesystem (atomic on POSIX); fsync before the rename keeps a crash from leaving an empty
    file under the final name.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; published pages must be readable by whatever serves them.
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno and not exc.filename:  # a failed write() names no file
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    return target
