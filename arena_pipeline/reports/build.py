"""Every report file, as of one data version, from the DuckDB tables: queries in, pages out.

No Dagster here: the report assets and the `arena-pipeline report` command both call
`write_all_reports` with a connection, a folder and a clock. Same data and same clock give the
same bytes.

Layout under the reports folder (vision and image only once they have data):

    leaderboard_zh.md, leaderboard_zh_vision.md, leaderboard_zh_image.md
    trends/index.md                       links everything below
    trends/YYYY-MM-DD.md                  one digest per text data version
    trends/weekly.md, trends/monthly.md   rolling 7 / 30 days ending as_of
    trends/vision/..., trends/image/...   the same per arena
    trends/charts/<arena>_score_90d.svg, <arena>_rank_90d.svg

A report as of an older day goes to as-of/<date>/ (see as_of_reports_dir). Each build removes,
in the folders it writes, the pages of this layout it did not write this time (a data version
that no longer exists, an arena with no data as of the day) and temporary files left by a killed
write; other files there are left alone.
"""

import functools
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.charts import render_rank_chart, render_score_chart
from arena_pipeline.reports.leaderboard_zh import render_leaderboard
from arena_pipeline.reports.markdown import as_utc, remove_stale_temp_files, write_text
from arena_pipeline.reports.trends import ArenaLinks, render_digest, render_index, render_period
from arena_pipeline.warehouse import query_dicts

ARENAS = ("text", "vision", "image")
LEADERBOARD_PAGE = "leaderboard_zh.md"
TRENDS_DIR = "trends"
WEEKLY_PAGE = f"{TRENDS_DIR}/weekly.md"
INDEX_PAGE = f"{TRENDS_DIR}/index.md"
CHARTS_DIR = f"{TRENDS_DIR}/charts"
PERIOD_DAYS = {"weekly": 7, "monthly": 30}
AS_OF_DIR = "as-of"

# The files a build owns in each folder it writes; anything else there is not ours to delete.
_OWNED_LEADERBOARD = re.compile(r"^leaderboard_zh(_[a-z]+)?\.md$")
_OWNED_TREND_PAGE = re.compile(r"^(\d{4}-\d{2}-\d{2}|weekly|monthly)\.md$")
_OWNED_INDEX = re.compile(r"^index\.md$")
_OWNED_CHART = re.compile(r"^[a-z]+_(score|rank)_90d\.svg$")

# The line that carries the generation time (see text_zh.GENERATED_AT).
_CLOCK_LINE_PREFIX = zh.GENERATED_AT.split("{", 1)[0]


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    text: str  # the page as it is on disk after the run
    changed: bool  # False: the file already said the same, apart from its generation time


def leaderboard_page(arena: str) -> str:
    return LEADERBOARD_PAGE if arena == "text" else f"leaderboard_zh_{arena}.md"


def trends_folder(arena: str) -> str:
    return TRENDS_DIR if arena == "text" else f"{TRENDS_DIR}/{arena}"


def newest_snapshot(conn: duckdb.DuckDBPyConnection) -> date | None:
    return query_dicts(conn, "reports/newest_snapshot")[0]["as_of"]


def as_of_reports_dir(reports_dir: Path, as_of: date | None, newest: date | None) -> Path:
    """Where reports as of `as_of` go: the live folder for the newest day, else
    as-of/<date>/ beside it, so that a look back never overwrites the pages readers follow."""
    if as_of is None or as_of == newest:
        return reports_dir
    return reports_dir / AS_OF_DIR / as_of.isoformat()


def write_all_reports(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None, now: datetime
) -> list[WrittenReport]:
    """Leaderboard pages, then trend reports; an empty list when there is no data version."""
    return (write_leaderboards(conn, reports_dir, as_of=as_of, now=now)
            + write_trend_reports(conn, reports_dir, as_of=as_of, now=now))


def write_leaderboards(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None, now: datetime
) -> list[WrittenReport]:
    """One leaderboard page per arena listed on or before as_of (default: newest release)."""
    as_of = as_of or newest_snapshot(conn)
    if as_of is None:
        return []
    written = []
    for arena in ARENAS:
        rows = query_dicts(conn, "reports/leaderboard", arena=arena, snapshot_date=as_of)
        if rows:
            page = render_leaderboard(rows, arena=arena, snapshot_date=rows[0]["snapshot_date"],
                                      schema_version=rows[0]["schema_version"], generated_at=now)
            written.append(_write(reports_dir / leaderboard_page(arena), page))
    _tidy(reports_dir, _OWNED_LEADERBOARD, written)
    return written


def write_trend_reports(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None, now: datetime
) -> list[WrittenReport]:
    """Digests of every data version up to as_of, weekly and monthly reports, charts, index."""
    as_of = as_of or newest_snapshot(conn)
    if as_of is None:
        return []
    as_utc(now)  # refuse a naive clock before writing anything
    written, links = [], {}
    for arena in ARENAS:
        versions = query_dicts(conn, "reports/data_versions", arena=arena, as_of=as_of)
        if versions:
            files, links[arena] = _arena_trends(conn, reports_dir, arena, versions, as_of, now)
            written += files
    if "text" in links:
        index = render_index(**links.pop("text"), generated_at=now,
                             other_arenas=[ArenaLinks(arena, **kwargs)
                                           for arena, kwargs in links.items()])
        written.append(_write(reports_dir / INDEX_PAGE, index))
    _tidy(reports_dir / TRENDS_DIR, _OWNED_INDEX, written)
    for arena in ARENAS:
        _tidy(reports_dir / trends_folder(arena), _OWNED_TREND_PAGE, written)
    _tidy(reports_dir / CHARTS_DIR, _OWNED_CHART, written)
    return written


def _arena_trends(conn, reports_dir: Path, arena: str, versions: list[dict], as_of: date,
                  now: datetime) -> tuple[list[WrittenReport], dict]:
    """(files written, the arena's links for the index) for one arena."""
    folder = reports_dir / trends_folder(arena)
    # Each version's leaderboard serves its own digest and the next one's comparison.
    leaderboard_at = functools.cache(
        lambda day: query_dicts(conn, "reports/leaderboard", arena=arena, snapshot_date=day))

    def relative(target: Path) -> str:
        return Path(os.path.relpath(target, folder)).as_posix()

    written = []
    series = _chart_series(conn, arena, as_of)
    charts = {}
    for kind, render in (("score", render_score_chart), ("rank", render_rank_chart)):
        path = reports_dir / CHARTS_DIR / f"{arena}_{kind}_90d.svg"
        written.append(_write(path, render(series)))
        charts[kind] = relative(path)

    digests = []
    for version in versions:
        day, previous = version["snapshot_date"], version["previous_date"]
        page = render_digest(
            arena=arena, snapshot_date=day, previous_date=previous,
            events=query_dicts(conn, "reports/events", arena=arena, start_date=day, end_date=day),
            movements=query_dicts(conn, "reports/movements", arena=arena, start_date=day, end_date=day),
            leaderboard=leaderboard_at(day),
            previous_leaderboard=leaderboard_at(previous) if previous else None,
            generated_at=now,
            # Only the newest digest shows the charts: they are redrawn as of each run.
            charts=charts if version is versions[-1] else None,
        )
        path = folder / f"{day.isoformat()}.md"
        written.append(_write(path, page))
        digests.append((day, relative(path)))

    for period, length in PERIOD_DAYS.items():
        start = as_of - timedelta(days=length - 1)
        before = [v["snapshot_date"] for v in versions if v["snapshot_date"] < start]
        baseline = before[-1] if before else None
        page = render_period(
            period, arena=arena, start_date=start, end_date=as_of, baseline_date=baseline,
            events=query_dicts(conn, "reports/events", arena=arena, start_date=start, end_date=as_of),
            movements=query_dicts(conn, "reports/movements", arena=arena, start_date=start,
                            end_date=as_of),
            leaderboard=leaderboard_at(as_of),
            baseline_leaderboard=leaderboard_at(baseline) if baseline else None,
            generated_at=now, charts=charts,
        )
        written.append(_write(folder / f"{period}.md", page))

    index_folder = reports_dir / TRENDS_DIR
    links = {
        "digests": [(day, Path(os.path.relpath(folder / path, index_folder)).as_posix())
                    for day, path in digests],
        "weekly_path": Path(os.path.relpath(folder / "weekly.md", index_folder)).as_posix(),
        "monthly_path": Path(os.path.relpath(folder / "monthly.md", index_folder)).as_posix(),
        "leaderboard_path": Path(os.path.relpath(reports_dir / leaderboard_page(arena),
                                                 index_folder)).as_posix(),
    }
    return written, links


def _chart_series(conn, arena: str, as_of: date) -> list[tuple[str, list[tuple]]]:
    """[(label, [(date, score, rank_ub), ...]), ...] in the order of the current top 10."""
    series: dict[str, tuple[str, list[tuple]]] = {}
    for row in query_dicts(conn, "reports/chart_series", arena=arena, as_of=as_of):
        label, points = series.setdefault(row["model_id"], (row["label"], []))
        points.append((row["snapshot_date"], row["score"], row["rank_ub"]))
    return list(series.values())


def _tidy(folder: Path, owned: re.Pattern, written: list[WrittenReport]) -> list[Path]:
    """Remove the pages of `folder` that match `owned` but were not written by this build,
    and write_text's stale temporary files; nothing below `folder`, nothing else in it."""
    if not folder.is_dir():
        return []
    kept = {report.path for report in written}
    removed = remove_stale_temp_files(folder)
    for path in folder.iterdir():
        if owned.match(path.name) and path.is_file() and path not in kept:
            path.unlink()
            removed.append(path)
    return removed


def _write(path: Path, text: str) -> WrittenReport:
    """Write the page unless the file there already says the same.

    Pages carry their generation time, so regenerating the digest of an old data version would
    change that one line and nothing else, every run, for every digest. A page whose lines,
    apart from the generation-time line, equal the file's is left untouched (text returned as
    on disk): a run without new data rewrites nothing, and one with new data rewrites only the
    pages whose content changed.
    """
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if _without_clock(old) == _without_clock(text):
            return WrittenReport(path, old, changed=False)
    write_text(path, text)
    return WrittenReport(path, text, changed=True)


def _without_clock(text: str) -> list[str]:
    return [line for line in text.split("\n") if not line.startswith(_CLOCK_LINE_PREFIX)]
