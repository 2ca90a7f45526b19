"""What a failure of the files under the pipeline means, said in one line: a full disk, Dagster's
run history damaged, a dagster.yaml Dagster cannot use.

The CLI asks these only once something has failed; nothing here runs on the way to success.
"""

import errno
import os
import re
import sqlite3
from pathlib import Path

# How a full disk shows: errno ENOSPC / EDQUOT (Python), DuckDB's and SQLite's own words.
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_DISK_FULL_TEXTS = ("No space left on device", "Disk quota exceeded", "database or disk is full")
# SQLite's word for a write that failed (a full disk among other causes): a full disk only when a
# filesystem of ours has no room left.
_IO_ERROR_TEXT = "disk I/O error"
# Below this many free bytes a filesystem counts as full when an error does not name its file.
FULL_BELOW_BYTES = 1 << 20
SQLITE_HEADER = b"SQLite format 3\x00"


def _chain(error: BaseException):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def created_at_the_same_time(error: BaseException) -> bool:
    """PostgreSQL refused to create an object another process created a moment before (Dagster
    creates its tables when a new instance is first opened, checking first, so two commands
    starting together can both try)."""
    return any(type(link).__name__ in ("DuplicateObject", "DuplicateTable") for link in _chain(error))


def disk_full_text(error: BaseException | str) -> str | None:
    """The words that say a disk is full, in `error` (an exception, its causes, or a message), or
    None."""
    texts = [error] if isinstance(error, str) else []
    if not isinstance(error, str):
        for link in _chain(error):
            if isinstance(link, OSError) and link.errno in _DISK_FULL_ERRNOS:
                return os.strerror(link.errno)
            texts.append(str(link))
    for text in texts:
        for words in _DISK_FULL_TEXTS:
            if words in text:
                return words
    return None


def io_error_on_a_full_disk(error: BaseException, locations: dict[str, Path]) -> tuple[str, Path] | None:
    """SQLite's "disk I/O error" (it says so when the disk fills while it opens or grows a file)
    where one of `locations` has (almost) no room left: that location, else None."""
    if not any(_IO_ERROR_TEXT in str(link) for link in _chain(error)):
        return None
    return _location_without_room(locations)


def _location_without_room(locations: dict[str, Path]) -> tuple[str, Path] | None:
    for name, folder in sorted(locations.items(), key=lambda item: len(item[1].parts), reverse=True):
        if _free_bytes(folder) < FULL_BELOW_BYTES:
            return name, folder
    return None


def full_location(error: BaseException | str, locations: dict[str, Path]) -> tuple[str, Path] | None:
    """Which of `locations` (setting name -> folder) a disk-full error is about: the one holding a
    file the error names (an OSError's filename, a path in DuckDB's message), else the one whose
    filesystem has (almost) no room left; None if neither tells."""
    named = []
    for link in ([] if isinstance(error, str) else _chain(error)):
        for attribute in ("filename", "filename2"):
            if isinstance(link, OSError) and getattr(link, attribute, None):
                named.append(str(getattr(link, attribute)))
    text = error if isinstance(error, str) else " ".join(str(link) for link in _chain(error))
    named += re.findall(r'"(/[^"]+)"', text) + re.findall(r"'(/[^']+)'", text)
    # The deepest folder first: DAGSTER_HOME may lie inside the database's folder.
    ordered = sorted(locations.items(), key=lambda item: len(item[1].parts), reverse=True)
    for path in named:
        for name, folder in ordered:
            if Path(path) == folder or Path(path).is_relative_to(folder):
                return name, folder
    return _location_without_room(locations)


def _free_bytes(folder: Path) -> int:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        stats = os.statvfs(existing)
    except OSError:
        return 1 << 62
    return stats.f_bavail * stats.f_frsize


def is_damaged_database_error(error: BaseException) -> bool:
    """SQLite (directly or through SQLAlchemy) refusing a file as no database or a damaged one."""
    for link in _chain(error):
        if isinstance(link, sqlite3.DatabaseError) and not isinstance(link, sqlite3.OperationalError):
            return True
        if type(link).__name__ == "DatabaseError" and type(link).__module__.startswith("sqlalchemy") \
                and "disk is full" not in str(link):
            return True
    return False


def damaged_sqlite_files(home: Path) -> list[tuple[Path, str]]:
    """The SQLite files of a Dagster home that SQLite cannot read, each with why."""
    damaged = []
    for path in sorted(home.glob("history/**/*.db")) + sorted(home.glob("schedules/*.db")):
        problem = _sqlite_file_problem(path)
        if problem:
            damaged.append((path, problem))
    return damaged


def _sqlite_file_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not head:
        return None  # an empty file is a new database to SQLite
    if head != SQLITE_HEADER:
        return f"not an SQLite database (it starts with {head[:8]!r})"
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            result = connection.execute("pragma quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return f"damaged ({exc})"
    return None if result == "ok" else f"damaged ({result})"


def dagster_yaml_problem(error: BaseException) -> str:
    """What is wrong with dagster.yaml, from the error Dagster raised loading it: a YAML syntax
    error with its line and column, a class it cannot import, a value of the wrong kind."""
    for link in _chain(error):
        mark = getattr(link, "problem_mark", None)
        if mark is not None:  # yaml.MarkedYAMLError
            return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1} ({link.problem})"
    text = " ".join(str(error).split())
    text = text.removeprefix("Failure condition: ")
    found = re.search(r"load the configurable class ([\w.]+)", text)
    if found:
        return f"names a class Python cannot load, {found.group(1)} ({text.split(' when ')[0]})"
    return text[:300] or type(error).__name__
