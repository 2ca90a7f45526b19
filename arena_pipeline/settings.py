"""Where the pipeline reads from and writes to, resolved from the environment once per run.

Every path is made absolute here so that Dagster runs, the CLI and tests agree on the same
files whatever their working directory.
"""

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from arena_pipeline.sources.dataset import ALL_SUBSETS, HUB_BASE, check_subsets

UPSTREAM_URL = "https://github.com/fboulnois/llm-leaderboard-csv/releases/download"

# Relative defaults are resolved against the working directory (the project folder in the
# quickstart), never against the installed package.
DEFAULTS = {
    "ARENA_SOURCE": UPSTREAM_URL,
    "ARENA_DB": "data/arena.duckdb",
    "ARENA_REPORTS_DIR": "reports",
    "DAGSTER_HOME": ".dagster_home",
    "ARENA_DATASET_SOURCE": HUB_BASE,
    # Every Bradley-Terry subset the dataset has (its tree, or a local copy's folders).
    "ARENA_DATASET_SUBSETS": ALL_SUBSETS,
    # Seconds a command waits for the DuckDB file while another process holds it.
    "ARENA_LOCK_WAIT": "60",
}
DATASET_OFF = "off"
# A board whose data has not changed for more days than this is stale: the freshness check warns
# and every page says so above its table (both read it when they run, so they agree).
STALE_DATA_DAYS_VARIABLE = "ARENA_STALE_DATA_DAYS"
DEFAULT_STALE_DATA_DAYS = 7
LOCK_WAIT_CAP_SECONDS = 3600

# What a command does with the files, hence what must be checked before it starts:
# "pipeline" writes the database, the reports and Dagster's instance; "report" reads the
# database and writes the reports; "query" only reads the database.
ACCESS_MODES = ("pipeline", "report", "query")


class SettingsError(ValueError):
    """A configuration value is unusable; raised before any work starts."""


@dataclass(frozen=True)
class Settings:
    source: str  # http(s) base URL or an absolute local folder holding <TAG>/<FILE>
    db_path: Path
    reports_dir: Path
    dagster_home: Path
    # LMArena's official dataset: http(s) base or absolute folder of <subset>/<split>-...parquet, or "off"
    dataset_source: str = HUB_BASE
    dataset_subsets: tuple[str, ...] = ()  # empty: every Bradley-Terry subset the source has
    lock_wait_seconds: float = float(DEFAULTS["ARENA_LOCK_WAIT"])
    # Where reports_dir is published (ARENA_SITE_URL, optional): feed links become absolute.
    site_url: str | None = None
    # ARENA_DATASET_ALLOW_SHRINK=1: load a dataset file that drops publish dates or most rows
    # already loaded (a real rewrite upstream); otherwise such a file is refused.
    dataset_allow_shrink: bool = False
    # ARENA_DAGSTER_PG_URL, optional: Dagster's runs, events and schedules in PostgreSQL. Only
    # checked here; dagster.yaml reads it from the environment, so it is never written to a file.
    dagster_pg_url: str | None = field(default=None, repr=False)
    # ARENA_STALE_DATA_DAYS as checked when the command started (run-time code reads it again).
    stale_data_days: int = DEFAULT_STALE_DATA_DAYS


def _url_parts(name: str, value: str, shown: str | None = None):
    """urlparse(value) with its port read: a URL Python cannot take apart (an unclosed '[', a port
    that is not a number up to 65535) is one line naming the setting, not a ValueError later."""
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise SettingsError(f"{name} {shown or repr(value)}: not a usable URL ({exc})") from None
    return parsed


def validate_source(value: str, name: str = "ARENA_SOURCE") -> str:
    """An http(s) base URL, or an existing local folder (returned absolute)."""
    value = value.strip()
    parsed = _url_parts(name, value)
    if parsed.scheme in ("http", "https"):
        if not parsed.netloc:
            raise SettingsError(f"{name} {value!r}: URL has no host")
        return value.rstrip("/")
    if parsed.scheme and len(parsed.scheme) > 1:  # a one-letter "scheme" is a Windows drive
        raise SettingsError(
            f"{name} {value!r}: scheme {parsed.scheme!r} is not supported "
            "(use http://, https:// or a local folder)"
        )
    folder = _utf8_path(name, value, Path(value).expanduser().resolve())
    if not folder.is_dir():
        raise SettingsError(f"{name} {value!r}: no such folder ({folder})")
    return str(folder)


def _utf8_path(name: str, value: str, path: Path) -> Path:
    """`path`, if its name is valid UTF-8. A byte that is not (a folder named on another system,
    0xff) reaches Python as a lone surrogate, which DuckDB (std::bad_cast), Dagster's files and
    every page path cannot take: refused here in one line, before anything is written."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(path)
        bad = next(part for part in raw.split(b"/") if not _is_utf8(part))
        shown = raw.decode("utf-8", "backslashreplace")
        raise SettingsError(f"{name} '{shown}': the name '{bad.decode('utf-8', 'backslashreplace')}' is not "
                            "valid UTF-8, which DuckDB and Dagster cannot use; rename it or choose another "
                            "path") from None
    return path


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def validate_site_url(value: str | None) -> str | None:
    """An http(s) URL with a host, without the trailing slash; empty means none."""
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed = _url_parts("ARENA_SITE_URL", value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"ARENA_SITE_URL {value!r}: must be an http(s) URL with a host")
    return value.rstrip("/")


PG_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg2")


def validate_dagster_pg_url(value: str | None) -> str | None:
    """A postgresql:// URL with a host and a database, or None when unset; the message of a bad
    one shows it without its password."""
    if not value or not value.strip():
        return None
    value = value.strip()
    shown = re.sub(r"(//[^/@:]*):[^/@]*@", r"\1:***@", value)  # without the password
    parsed = _url_parts("ARENA_DAGSTER_PG_URL", value, repr(shown))
    if parsed.scheme not in PG_SCHEMES:
        raise SettingsError(f"ARENA_DAGSTER_PG_URL {shown!r}: must start with postgresql://")
    if not parsed.hostname or not parsed.path.strip("/"):
        raise SettingsError(f"ARENA_DAGSTER_PG_URL {shown!r}: needs a host and a database, "
                            "e.g. postgresql://user:password@host:5432/dagster")
    return value


def validate_dataset_source(value: str) -> str:
    """Like ARENA_SOURCE, or `off` (the official dataset is not read at all)."""
    if value.strip().lower() == DATASET_OFF:
        return DATASET_OFF
    return validate_source(value, "ARENA_DATASET_SOURCE")


def validate_dataset_subsets(value: str) -> tuple[str, ...]:
    """`all` (every Bradley-Terry subset the source has: an empty tuple) or a comma list."""
    if value.strip().lower() == ALL_SUBSETS:
        return ()
    subsets = [s.strip() for s in value.split(",") if s.strip()]
    if not subsets:
        raise SettingsError("ARENA_DATASET_SUBSETS is empty (set ARENA_DATASET_SOURCE=off instead)")
    try:
        return tuple(check_subsets(subsets))
    except ValueError as exc:
        raise SettingsError(f"ARENA_DATASET_SUBSETS: {exc}") from None


# DuckDB's file header: an 8-byte checksum, then these magic bytes.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8


def database_file_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be a DuckDB database, from the file system alone (no DuckDB,
    no blocking open: a FIFO is never opened); None if it can be, or does not exist yet."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        return f"is {kind}, not a DuckDB file"
    try:
        with path.open("rb") as file:
            head = file.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if head and head[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        return f"is not a DuckDB database (it starts with {head[:12]!r})"
    return None


def _database_file(name: str, value: str, path: Path) -> Path:
    problem = database_file_problem(path)
    if problem:
        raise SettingsError(f"{name} {value!r} {problem}; refused, nothing written")
    return path


def _writable_file_path(name: str, value: str) -> Path:
    path = _utf8_path(name, value, Path(value).expanduser().resolve())
    if path.is_dir():
        raise SettingsError(f"{name} {value!r} is a folder; it must name a DuckDB file")
    _database_file(name, value, path)
    _check_parent_creatable(name, value, path.parent)
    return path


def _writable_dir(name: str, value: str) -> Path:
    path = _utf8_path(name, value, Path(value).expanduser().resolve())
    if path.exists() and not path.is_dir():
        raise SettingsError(f"{name} {value!r} exists and is not a folder")
    _check_parent_creatable(name, value, path)
    return path


def _check_parent_creatable(name: str, value: str, folder: Path) -> None:
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise SettingsError(f"{name} {value!r}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise SettingsError(f"{name} {value!r}: {existing} is not writable")


def _lock_wait(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"ARENA_LOCK_WAIT {value!r} is not a number of seconds") from None
    if not 0 <= seconds <= LOCK_WAIT_CAP_SECONDS:
        raise SettingsError(f"ARENA_LOCK_WAIT {value!r} is outside 0 .. {LOCK_WAIT_CAP_SECONDS} s")
    return seconds


def _readable_file_path(name: str, value: str) -> Path:
    """A database that is only read: its folder need not be writable."""
    path = _utf8_path(name, value, Path(value).expanduser().resolve())
    if path.is_dir():
        raise SettingsError(f"{name} {value!r} is a folder; it must name a DuckDB file")
    return _database_file(name, value, path)


def load_settings(overrides: dict[str, str | None] | None = None, *,
                  access: str = "pipeline") -> Settings:
    """Read ARENA_SOURCE, ARENA_DB, ARENA_REPORTS_DIR, DAGSTER_HOME, ARENA_LOCK_WAIT, the
    ARENA_DATASET_* settings and the optional ARENA_SITE_URL and ARENA_DAGSTER_PG_URL (the
    environment only: a password on the command line is visible to every user; overrides win
    for the others), checking only what
    a command with this access (ACCESS_MODES) uses.
    """
    if access not in ACCESS_MODES:
        raise ValueError(f"access must be one of {ACCESS_MODES}, got {access!r}")
    values = {key: os.environ.get(key) or default for key, default in DEFAULTS.items()}
    values.update({key: value for key, value in (overrides or {}).items() if value})
    pipeline = access == "pipeline"

    def unchecked(key: str) -> Path:
        return Path(values[key]).expanduser().resolve()

    return Settings(
        source=validate_source(values["ARENA_SOURCE"]) if pipeline else values["ARENA_SOURCE"],
        db_path=(_writable_file_path if pipeline else _readable_file_path)("ARENA_DB", values["ARENA_DB"]),
        reports_dir=(_writable_dir("ARENA_REPORTS_DIR", values["ARENA_REPORTS_DIR"])
                     if access != "query" else unchecked("ARENA_REPORTS_DIR")),
        dagster_home=(_writable_dir("DAGSTER_HOME", values["DAGSTER_HOME"])
                      if pipeline else unchecked("DAGSTER_HOME")),
        lock_wait_seconds=_lock_wait(values["ARENA_LOCK_WAIT"]),
        dataset_source=(validate_dataset_source(values["ARENA_DATASET_SOURCE"]) if pipeline
                        else values["ARENA_DATASET_SOURCE"]),
        dataset_subsets=(validate_dataset_subsets(values["ARENA_DATASET_SUBSETS"]) if pipeline
                         else ()),
        site_url=validate_site_url((overrides or {}).get("ARENA_SITE_URL")
                                   or os.environ.get("ARENA_SITE_URL")),
        dataset_allow_shrink=_flag("ARENA_DATASET_ALLOW_SHRINK", (overrides or {}).get("ARENA_DATASET_ALLOW_SHRINK")
                                   or os.environ.get("ARENA_DATASET_ALLOW_SHRINK")),
        dagster_pg_url=(validate_dagster_pg_url(os.environ.get("ARENA_DAGSTER_PG_URL")) if pipeline
                        else None),
        # Read again where it is used (at run time); checked here so that a bad value stops the
        # command before any work, not at the checks or the pages after the ingest.
        stale_data_days=_checked_stale_data_days() if access != "query" else DEFAULT_STALE_DATA_DAYS,
    )


def _flag(name: str, value: str | None) -> bool:
    """An on/off setting: 1/true/yes or 0/false/no (empty = off)."""
    text = (value or "").strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} {value!r}: use 1 or 0")


def _checked_stale_data_days() -> int:
    try:
        return stale_data_days()
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def stale_data_days() -> int:
    """ARENA_STALE_DATA_DAYS (whole days >= 1, default 7), read at run time."""
    raw = os.environ.get(STALE_DATA_DAYS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_STALE_DATA_DAYS
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{STALE_DATA_DAYS_VARIABLE} must be a whole number of days >= 1, got {raw!r}")
    return int(raw)
