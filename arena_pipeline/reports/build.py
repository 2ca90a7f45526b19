"""Every report file, as of one data version, from the DuckDB tables: queries in, pages out.

No Dagster here: the report assets and the `arena-pipeline report` command both call
`write_all_reports` with a connection, a folder and a clock. Same data and same clock give the
same bytes.

Layout under the reports folder (vision and image only once they have data):

    leaderboard_zh.md, leaderboard_zh_vision.md, leaderboard_zh_image.md
    leaderboard_zh_text_chinese.md, ...   the official dataset's boards (dataset_build.DATASET_PAGES)
    SUMMARY.md                            the GitBook table of contents: every page here, by arena
    trends/index.md                       per arena, every digest with what happened in it
    trends/months/YYYY-MM.md              the digests of one month
    trends/YYYY-MM-DD.md                  one digest per text data version
    trends/weekly.md, trends/monthly.md   rolling 7 / 30 days ending as_of
    trends/vision/..., trends/image/...   the same per arena
    trends/charts/<arena>_score_90d.svg, <arena>_rank_90d.svg
    feeds/<arena>.atom, feeds/<arena>.json, feeds/all.atom, feeds/all.json   events feeds

A report as of an older day goes to as-of/<date>/ (see as_of_reports_dir). Each build removes,
in the folders it writes, the pages of this layout it did not write this time (a data version
that no longer exists, an arena with no data as of the day) and temporary files left by a killed
write; other files there are left alone.
"""

import functools
import hashlib
import json
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.boards import (
    CSV_BOARDS,
    DATASET_MAIN_BOARDS,
    TRENDS_DIR,
    ReportBoard,
    dataset_board,
    dataset_main_board,
    leaderboard_page,
)
from arena_pipeline.reports.book import (
    ArenaPages,
    Digest,
    month_page_path,
    render_index,
    render_month,
    render_summary,
    version_summary,
)
from arena_pipeline.reports.charts import render_rank_chart, render_score_chart
from arena_pipeline.reports.dataset_build import (
    DATASET_PAGES,
    dataset_main_arenas,
    dataset_page_boards,
    dataset_pages,
    display_names,
    fresher_dataset_page,
    main_page_shown,
    newest_dataset_date,
    revision_checked,
    with_display_names,
)
from arena_pipeline.reports.dataset_zh import revision_lines
from arena_pipeline.reports.feeds import (
    MINOR_NEWS_TOP,
    FeedInfo,
    arena_entries,
    newest_first,
    one_per_event,
    render_atom,
    render_json_feed,
)
from arena_pipeline.reports.leaderboard_zh import age_fields, generated_lines, render_leaderboard
from arena_pipeline.reports.markdown import as_date, as_utc, remove_stale_temp_files, write_text
from arena_pipeline.reports.organizations import (
    DEFAULT_ALIASES,
    canonical_organization,
    load_organization_aliases,
)
from arena_pipeline.reports.trends import render_digest, render_period
from arena_pipeline.warehouse.database import load_sql, query_dicts

ARENAS = tuple(board.arena for board in CSV_BOARDS)
WEEKLY_PAGE = f"{TRENDS_DIR}/weekly.md"
INDEX_PAGE = f"{TRENDS_DIR}/index.md"
SUMMARY_PAGE = "SUMMARY.md"
FEEDS_DIR = "feeds"
# LMArena normally publishes new data within two weeks; releases repeating the same data for
# longer mean the upstream is stuck, which feed readers are told once.
STALE_DAYS = 14
CHARTS_DIR = f"{TRENDS_DIR}/charts"
PERIOD_DAYS = {"weekly": 7, "monthly": 30}
AS_OF_DIR = "as-of"

# The files a build owns in each folder it writes; anything else there is not ours to delete.
_OWNED_LEADERBOARD = re.compile(r"^leaderboard_zh(_[a-z_]+)?\.md$")
_OWNED_TREND_PAGE = re.compile(r"^(\d{4}-\d{2}-\d{2}|weekly|monthly)\.md$")
_OWNED_MONTH_PAGE = re.compile(r"^\d{4}-\d{2}\.md$")
_OWNED_INDEX = re.compile(r"^index\.md$")
_OWNED_CHART = re.compile(r"^[a-z_]+_(score|rank)_90d\.svg$")
_OWNED_FEED = re.compile(r"^[a-z_]+\.(atom|json)$")
CHART_DAYS = 90  # the window of sql/reports/chart_series.sql
# Digests rendered from one fetch of their rows (see _arena_trends).
DIGEST_BLOCK = 60
# Fingerprint and summary of each digest when it was last written (see _DigestInputs).
DIGEST_INPUTS_FILE = f"{TRENDS_DIR}/.digest_inputs.json"

# The line that carries the generation time (see text_zh.GENERATED_AT).
_CLOCK_LINE_PREFIX = zh.GENERATED_AT.split("{", 1)[0]


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    text: str  # the page as it is on disk after the run
    changed: bool  # False: the file already said the same, apart from its generation time


def newest_snapshot(conn: duckdb.DuckDBPyConnection) -> date | None:
    return query_dicts(conn, "reports/newest_snapshot")[0]["as_of"]


def as_of_reports_dir(reports_dir: Path, as_of: date | None, newest: date | None) -> Path:
    """Where reports as of `as_of` go: the live folder for the newest day, else
    as-of/<date>/ beside it, so that a look back never overwrites the pages readers follow."""
    if as_of is None or as_of == newest:
        return reports_dir
    return reports_dir / AS_OF_DIR / as_of.isoformat()


@dataclass(frozen=True)
class ReportDays:
    """The days the pages are as of. Given a day, every board is as of it. Otherwise the CSV
    source's boards are as of its newest release (their pages say it is the newest release
    checked) and the official dataset's as of the newest day either source has: the CSV source
    may stop releasing while the dataset goes on publishing, and its pages must go on too."""

    csv: date | None
    book: date | None

    def of(self, board: ReportBoard) -> date | None:
        return self.book if board.is_dataset else self.csv


def report_days(conn: duckdb.DuckDBPyConnection, as_of: date | None) -> ReportDays:
    if as_of is not None:
        return ReportDays(as_of, as_of)
    csv, dataset = newest_snapshot(conn), newest_dataset_date(conn)
    return ReportDays(csv, max((day for day in (csv, dataset) if day is not None), default=None))


def write_all_reports(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None, now: datetime,
    site_url: str | None = None,
) -> list[WrittenReport]:
    """Leaderboard pages, trend reports, then feeds; an empty list when there is no data version."""
    return (write_leaderboards(conn, reports_dir, as_of=as_of, now=now)
            + write_trend_reports(conn, reports_dir, as_of=as_of, now=now)
            + write_feeds(conn, reports_dir, as_of=as_of, site_url=site_url))


def write_feeds(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None,
    site_url: str | None = None,
) -> list[WrittenReport]:
    """An Atom and a JSON feed per board with trend reports (feeds/<key>.atom: text, vision,
    image, text_chinese, webdev, ...), and both for all of them together.

    Links are absolute under `site_url` when given (where reports_dir is published), else
    relative to the feed file.
    """
    days = report_days(conn, as_of)
    if days.book is None:
        return []
    per_board, names = {}, {}
    headline = headline_boards(conn)
    for board in trend_boards(conn, days):
        as_of = days.of(board)
        if not query_dicts(conn, "reports/data_versions", **board.params(), as_of=as_of):
            continue
        names[board.key] = board.name
        per_board[board.key] = arena_entries(
            board.key,
            query_dicts(conn, "reports/feed_events", **board.params(), as_of=as_of),
            query_dicts(conn, "reports/feed_stale", **board.params(), as_of=as_of, stale_days=STALE_DAYS),
            digest_path=lambda day, board=board: f"{board.trends}/{day.isoformat()}.md",
            stale_days=STALE_DAYS, name=board.name, event_key=_event_key(conn, board),
            news_top=None if headline is None or _board_tuple(board) in headline else MINOR_NEWS_TOP,
            display_names={slug: row["display_name"] for slug, row in display_names(conn, board.arena).items()}
            if board.is_dataset else None)
    if not per_board:
        return []
    feeds = [(key, zh.FEED_TITLE.format(arena=names[key]), entries) for key, entries in per_board.items()]
    # The CSV source's boards come first (trend_boards): theirs is the entry an event keeps.
    # Each day's entries of the headline boards lead.
    lead = frozenset(board.key for board in trend_boards(conn, days)
                     if headline is not None and _board_tuple(board) in headline)
    feeds.append(("all", zh.FEED_TITLE_ALL,
                  newest_first(one_per_event([e for entries in per_board.values() for e in entries]), lead)))
    written = []
    for key, title, entries in feeds:
        for suffix, render in ((".atom", render_atom), (".json", render_json_feed)):
            info = FeedInfo(key, title, f"{FEEDS_DIR}/{key}{suffix}", INDEX_PAGE, days.book)
            written.append(_write(reports_dir / info.path, render(info, entries, site_url)))
    _tidy(reports_dir / FEEDS_DIR, _OWNED_FEED, written)
    return written


def headline_boards(conn: duckdb.DuckDBPyConnection) -> set[tuple] | None:
    """(source, arena, category, style_control) of the headline boards (boards.is_headline,
    config/headline_boards.csv); None before the boards table exists (every board is news)."""
    if not query_dicts(conn, "reports/boards_present")[0]["present"]:
        return None
    return {(r["source"], r["arena"], r["category"], r["style_control"])
            for r in query_dicts(conn, "reports/headline_boards")}


def _board_tuple(board: ReportBoard) -> tuple:
    return (board.source, board.arena, board.category, board.style_control)


def write_leaderboards(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None, now: datetime
) -> list[WrittenReport]:
    """One leaderboard page per arena listed on or before as_of (default: the newest day either
    source has, see ReportDays), from the fresher of the two sources, plus the official dataset's
    own boards (dataset_build). A CSV page shows the newest release on or before that day."""
    newest_csv = newest_snapshot(conn)
    as_of = report_days(conn, as_of).book
    if as_of is None:
        return []
    written = []
    for arena in ARENAS:
        # LMArena's official dataset, when its board was published after the CSV source's data.
        fresher = fresher_dataset_page(conn, arena, as_of, now)
        if fresher is not None:
            written.append(_write(reports_dir / leaderboard_page(arena), fresher))
            continue
        if newest_csv is None:  # only the dataset is loaded (no CSV rows, no analytics)
            continue
        rows = query_dicts(conn, "reports/leaderboard", **CSV_BOARDS[ARENAS.index(arena)].params(),
                           snapshot_date=as_of)
        if rows:
            page = render_leaderboard(rows, arena=arena, snapshot_date=rows[0]["data_version_date"],
                                      schema_version=rows[0]["schema_version"], generated_at=now,
                                      latest_release_date=rows[0]["latest_release_date"])
            written.append(_write(reports_dir / leaderboard_page(arena), page))
    written += [_write(reports_dir / name, page) for name, page in dataset_pages(conn, as_of, now)]
    _tidy(reports_dir, _OWNED_LEADERBOARD, written)
    return written


def write_trend_reports(
    conn: duckdb.DuckDBPyConnection, reports_dir: Path, *, as_of: date | None, now: datetime
) -> list[WrittenReport]:
    """Digests of every data version up to as_of, weekly and monthly reports, charts, index."""
    days = report_days(conn, as_of)
    if days.book is None:
        return []
    as_utc(now)  # refuse a naive clock before writing anything
    written, with_trends = [], {}
    inputs = _DigestInputs(reports_dir)
    with _PageWrites() as pages:
        for board in trend_boards(conn, days):
            as_of = days.of(board)
            versions = query_dicts(conn, "reports/data_versions", **board.params(), as_of=as_of)
            if versions:
                files, board_pages = _board_trends(conn, reports_dir, board, versions, as_of, now, inputs, pages)
                written += files
                with_trends[board.key] = board_pages
        book = _book_boards(conn, days.book, with_trends)
        if book:
            # "Newest release checked" is the CSV source's daily release: not said without it, nor
            # when the dataset has newer data than the CSV source's newest release.
            written += _write_navigation(pages, reports_dir, book, now,
                                         days.csv if days.csv == days.book else None, _minor_news(conn, days))
    # Every page is on disk (a failed write raised above): only now are the digests' inputs
    # recorded as rendered, or a page that failed would count as current on the next run.
    inputs.save()
    _tidy(reports_dir / TRENDS_DIR, _OWNED_INDEX, written)
    for board in (*CSV_BOARDS, *DATASET_MAIN_BOARDS,
                  *(dataset_board(arena, category) for arena, category in DATASET_PAGES)):
        _tidy(reports_dir / board.trends, _OWNED_TREND_PAGE, written)
        _tidy(reports_dir / board.trends / "months", _OWNED_MONTH_PAGE, written)
    _tidy(reports_dir / CHARTS_DIR, _OWNED_CHART, written)
    return written


def _event_key(conn: duckdb.DuckDBPyConnection, board: ReportBoard):
    """event -> what makes it the same event on the other source's board of the same arena and
    category: the day, the kind and the model's identity (model_identities). Events without a
    model (method changes) are each board's own."""
    if not query_dicts(conn, "reports/model_identities_present")[0]["present"]:
        return None
    identity = {row["model"]: row["model_id"] for row in query_dicts(
        conn, "reports/feed_identities", source=board.source, arena=board.arena)}

    def key(event) -> str:
        model = event.get("model")
        if not model:
            return ""
        return "/".join([board.group, board.category, str(board.style_control),
                         as_date(event["snapshot_date"]).isoformat(), str(event["event_type"]),
                         identity.get(model, f"{board.source}:{model}")])
    return key


def trend_boards(conn: duckdb.DuckDBPyConnection, days: ReportDays) -> list[ReportBoard]:
    """The boards that may have trend reports and feeds: the CSV source's arenas (when it has
    data), then the official dataset's overall boards of the same arenas and its boards with a
    page of their own (the analytics compute every board of both sources)."""
    return [*(CSV_BOARDS if days.csv is not None else ()),
            *(dataset_main_board(arena) for arena in dataset_main_arenas(conn, days.book)),
            *(dataset_board(arena, category) for arena, category in dataset_page_boards(conn, days.book))]


def _book_boards(conn, as_of: date, with_trends: dict[str, ArenaPages]) -> list[ArenaPages]:
    """Every board with a page as of as_of, in the book's order: the CSV source's arenas (their
    trend reports when they have data versions; the main page alone when only the dataset shows
    it), then the official dataset's pages (leaderboard_reports writes them), each under its arena."""
    pages = []
    for board in CSV_BOARDS:
        if board.key in with_trends:
            pages.append(with_trends[board.key])
        elif main_page_shown(conn, board.arena, as_of):
            pages.append(ArenaPages(arena=board.key, leaderboard=board.leaderboard))
    # The dataset's overall boards have no page of their own: listed when they have trends.
    pages += [with_trends[board.key] for board in DATASET_MAIN_BOARDS if board.key in with_trends]
    for arena, category in dataset_page_boards(conn, as_of):
        board = dataset_board(arena, category)
        pages.append(with_trends.get(board.key) or ArenaPages(
            arena=board.key, leaderboard=board.leaderboard, group=board.group, title=board.title,
            name=board.name))
    return pages


def _minor_news(conn, days: ReportDays) -> tuple[list[str], int] | None:
    """(names of the headline boards with pages, MINOR_NEWS_TOP) when some board with pages is
    not a headline one (its news is its top); None otherwise."""
    headline = headline_boards(conn)
    if headline is None:
        return None
    boards = trend_boards(conn, days)
    if all(_board_tuple(board) in headline for board in boards):
        return None
    return [board.name for board in boards if _board_tuple(board) in headline], MINOR_NEWS_TOP


def _write_navigation(page_writes: "_PageWrites", reports_dir: Path, arenas: list[ArenaPages], now: datetime,
                      as_of: date | None, minor_news: tuple[list[str], int] | None = None) -> list[WrittenReport]:
    """Month pages, the trends index and SUMMARY.md, from the pages the arenas wrote."""
    written = []
    for pages in arenas:
        for month, digests in pages.months():
            written.append(page_writes.write(reports_dir / month_page_path(pages, month),
                                             render_month(pages, month, digests)))
    written.append(page_writes.write(reports_dir / INDEX_PAGE,
                                     render_index(arenas, index_path=INDEX_PAGE, generated_at=now,
                                                  latest_release_date=as_of, minor_news=minor_news)))
    written.append(page_writes.write(reports_dir / SUMMARY_PAGE, render_summary(arenas, INDEX_PAGE)))
    return written


def _board_trends(conn, reports_dir: Path, board: ReportBoard, versions: list[dict], as_of: date,
                  now: datetime, inputs: "_DigestInputs",
                  page_writes: "_PageWrites") -> tuple[list[WrittenReport], ArenaPages]:
    """(files written, the board's pages for the navigation) for one board."""
    folder = reports_dir / board.trends
    # Each version's leaderboard serves its own digest and the next one's comparison. The
    # trend reports count seats per organization, so one organization must have one name; the
    # leaderboard pages keep the upstream's spelling.
    aliases = load_organization_aliases()
    # The dataset's models under the names the CSV source showed (as on its leaderboard pages).
    names = display_names(conn, board.arena) if board.is_dataset else {}
    preloaded: dict[date, list[dict]] = {}
    leaderboard_at = functools.cache(
        lambda day: preloaded[day] if day in preloaded else _leaderboard(conn, board, day, aliases, names))

    def relative(target: Path) -> str:
        return Path(os.path.relpath(target, folder)).as_posix()

    written = []
    series = [(_display_name(label, names), points) for label, points in _chart_series(conn, board, as_of)]
    window_start = as_of - timedelta(days=CHART_DAYS - 1)
    in_window = [v for v in versions if v["snapshot_date"] >= window_start]
    charts = {}
    for kind, render in (("score", render_score_chart), ("rank", render_rank_chart)):
        path = reports_dir / CHARTS_DIR / f"{board.key}_{kind}_90d.svg"
        svg = render(series, versions=[v["snapshot_date"] for v in in_window],
                     method_changes=[v["snapshot_date"] for v in in_window if v["is_method_change"]])
        written.append(page_writes.write(path, svg))
        charts[kind] = relative(path)

    digests = []
    fingerprints = {row["snapshot_date"]: row["inputs_hash"] for row in query_dicts(
        conn, "reports/digest_inputs", **board.params(), as_of=as_of)}
    # A newly linked model changes a digest's names, not its rows.
    names_key = f":{hashlib.sha256(repr(sorted(names.items())).encode()).hexdigest()[:16]}" if names else ""
    planned = []  # (version, path, fingerprint, summary when the page on disk is current)
    for version in versions:
        path = folder / f"{version['snapshot_date'].isoformat()}.md"
        kind = "charts" if version is versions[-1] else "plain"
        fingerprint = f"{fingerprints[version['snapshot_date']]}:{kind}{names_key}"
        planned.append((version, path, fingerprint, inputs.unchanged(path, fingerprint)))
    # The rows of the digests to render come in blocks: three queries per block of versions,
    # where one query per digest would make a full render grow with the history in round trips
    # and one query for all would hold every row of the history in memory at once.
    to_render = [version["snapshot_date"] for version, _, _, summary in planned if summary is None]
    blocks = [to_render[i:i + DIGEST_BLOCK] for i in range(0, len(to_render), DIGEST_BLOCK)]
    block_of = {day: n for n, block in enumerate(blocks) for day in block}
    events_on, movements_on, loaded_block = {}, {}, None
    for version, path, fingerprint, summary in planned:
        day, previous = version["snapshot_date"], version["previous_date"]
        newest = version is versions[-1]
        if summary is not None:
            written.append(WrittenReport(path, path.read_text(encoding="utf-8"), changed=False))
            digests.append(Digest(day, path.relative_to(reports_dir).as_posix(), summary))
            continue
        if block_of[day] != loaded_block:
            loaded_block = block_of[day]
            span = {**board.params(), "start_date": blocks[loaded_block][0],
                    "end_date": blocks[loaded_block][-1]}
            events_on = _by_day(_named(query_dicts(conn, "reports/events", **span), names))
            movements_on = _by_day(_named(query_dicts(conn, "reports/movements", **span), names))
            preloaded.clear()
            leaderboard_at.cache_clear()
            version_rows = query_dicts(conn, _VERSION_LEADERBOARDS[board.is_dataset], **span)
            for version_day, rows in _by_day(version_rows).items():
                preloaded[version_day] = [
                    {**row, "organization": canonical_organization(row["organization"], aliases)}
                    for row in with_display_names(rows, names)]
        events, movements = events_on.get(day, []), movements_on.get(day, [])
        page = render_digest(
            arena=board.arena, snapshot_date=day, previous_date=previous,
            events=events, movements=movements,
            leaderboard=leaderboard_at(day),
            previous_leaderboard=leaderboard_at(previous) if previous else None,
            generated_at=now,
            # Only the newest digest shows the charts: they are redrawn as of each run.
            charts=charts if newest else None,
            name=board.name, source_lines=_digest_source_lines(board, day),
            style_control=_shows_stylectrl(leaderboard_at(day)),
        )
        written.append(page_writes.write(path, page))
        summary = version_summary(events, movements, first=previous is None)
        digests.append(Digest(day, path.relative_to(reports_dir).as_posix(), summary))
        inputs.record(path, fingerprint, summary)

    for period, length in PERIOD_DAYS.items():
        start = as_of - timedelta(days=length - 1)
        before = [v["snapshot_date"] for v in versions if v["snapshot_date"] < start]
        baseline = before[-1] if before else None
        page = render_period(
            period, arena=board.arena, start_date=start, end_date=as_of, baseline_date=baseline,
            events=_named(query_dicts(conn, "reports/events", **board.params(), start_date=start,
                                      end_date=as_of), names),
            movements=_named(query_dicts(conn, "reports/movements", **board.params(), start_date=start,
                                         end_date=as_of), names),
            leaderboard=leaderboard_at(as_of),
            baseline_leaderboard=leaderboard_at(baseline) if baseline else None,
            generated_at=now, charts=charts, data_version_date=versions[-1]["snapshot_date"],
            name=board.name, style_control=_shows_stylectrl(leaderboard_at(as_of)),
            date_lines=(_dataset_date_lines(conn, board, versions[-1]["snapshot_date"], now)
                        if board.is_dataset else None),
            source_lines=[] if board.is_dataset else [">", zh.CSV_SOURCE_LINE],
        )
        written.append(page_writes.write(folder / f"{period}.md", page))

    return written, ArenaPages(
        arena=board.key, leaderboard=board.leaderboard, digests=digests,
        weekly=f"{board.trends}/weekly.md", monthly=f"{board.trends}/monthly.md",
        group=board.group, title=board.title, name=board.name)


# The leaderboards of many data versions in one query, per source (is_dataset).
_VERSION_LEADERBOARDS = {False: "reports/version_leaderboards", True: "reports/dataset_version_leaderboards"}


def _shows_stylectrl(leaderboard: list[dict]) -> bool:
    """Whether a digest shows 排名(StyleCtrl) beside 排名(UB): the official dataset's raw boards
    whose style-controlled twin was published the same day (the CSV source's rows never say so)."""
    return any(row.get("has_style_control_board") for row in leaderboard)


def _digest_source_lines(board: ReportBoard, day: date) -> list[str]:
    """Which source (and, for the dataset, publish date) a digest shows: the book holds both
    sources' pages side by side. A CSV digest's title already carries its data version."""
    if not board.is_dataset:
        return [">", zh.CSV_SOURCE_LINE]
    return [">", zh.DATASET_DIGEST_DATE.format(date=day.isoformat()), ">",
            zh.DATASET_SOURCE_LINE.format(subset=board.arena, category=board.category)]


def _dataset_date_lines(conn, board: ReportBoard, newest: date, now: datetime) -> list[str]:
    """The dates of a dataset board's rolling report: generated, the newest publish date, the
    newest dataset revision checked, and the source."""
    return [*generated_lines(now), ">", zh.DATASET_SNAPSHOT_DATE.format(**age_fields(newest, now)),
            *revision_lines(revision_checked(conn)), ">",
            zh.DATASET_SOURCE_LINE.format(subset=board.arena, category=board.category)]


def _by_day(rows: list[dict]) -> dict[date, list[dict]]:
    """Rows grouped by snapshot_date, each group in the query's order."""
    grouped: dict[date, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["snapshot_date"], []).append(row)
    return grouped


def _display_name(model: object, names: dict[str, dict]) -> object:
    return names[model]["display_name"] if model in names else model


def _named(rows: list[dict], names: dict[str, dict]) -> list[dict]:
    """Events or movements with each model (and previous model) under its display name."""
    if not names:
        return rows
    return [{**row, **{column: _display_name(row[column], names)
                       for column in ("model", "previous_model") if column in row}} for row in rows]


def _leaderboard(conn, board: ReportBoard, day: date, aliases, names: dict[str, dict]) -> list[dict]:
    """The board's leaderboard rows as of day (reports/leaderboard, or reports/dataset_board for
    the official dataset, under the CSV source's display names) with each organization under its
    canonical name."""
    if board.is_dataset:
        rows = with_display_names(query_dicts(conn, "reports/dataset_board", arena=board.arena,
                                              category=board.category, as_of=day), names)
    else:
        rows = query_dicts(conn, "reports/leaderboard", **board.params(), snapshot_date=day)
    return [{**row, "organization": canonical_organization(row["organization"], aliases)} for row in rows]


def _chart_series(conn, board: ReportBoard, as_of: date) -> list[tuple[str, list[tuple]]]:
    """[(label, [(date, score, rank_ub, ci_plus, ci_minus), ...]), ...] in the order of the
    current top 10."""
    series: dict[str, tuple[str, list[tuple]]] = {}
    for row in query_dicts(conn, "reports/chart_series", **board.params(), as_of=as_of):
        label, points = series.setdefault(row["model_id"], (row["label"], []))
        points.append((row["snapshot_date"], row["score"], row["rank_ub"], row["ci_plus"],
                       row["ci_minus"]))
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


class _DigestInputs:
    """Which digests can be left as they are: per page, the fingerprint of its inputs and its
    one-line summary (for the month pages and the index), kept beside the pages.

    A digest is a pure function of its rows (sql/reports/digest_inputs.sql hashes them in one
    query per arena) and of the code and configuration that render it. Rendering all of them
    would cost three queries per data version, which grows with the history (~11 ms a page);
    comparing fingerprints costs one query per arena, so a daily run renders the new digest and
    the few whose inputs changed (a re-ingested day, a rename found late). The file is only a
    cache: deleted, every digest is rendered again.
    """

    def __init__(self, reports_dir: Path):
        self.path = reports_dir / DIGEST_INPUTS_FILE
        self.root = reports_dir
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        renderer = _renderer_fingerprint()
        self.pages: dict[str, list[str]] = (stored.get("pages", {}) if stored.get("renderer") == renderer
                                            else {})
        self.renderer = renderer
        self.changed = False

    def unchanged(self, page: Path, fingerprint: str) -> str | None:
        """The page's summary if the page on disk was rendered from these inputs, else None."""
        stored = self.pages.get(self._key(page))
        if stored and stored[0] == fingerprint and page.is_file():
            return stored[1]
        return None

    def record(self, page: Path, fingerprint: str, summary: str) -> None:
        if self.pages.get(self._key(page)) != [fingerprint, summary]:
            self.pages[self._key(page)] = [fingerprint, summary]
            self.changed = True

    def save(self) -> None:
        if self.changed or not self.path.is_file():
            write_text(self.path, json.dumps({"renderer": self.renderer, "pages": self.pages},
                                             ensure_ascii=False, indent=0, sort_keys=True) + "\n")

    def _key(self, page: Path) -> str:
        return page.relative_to(self.root).as_posix()


@functools.cache
def _renderer_fingerprint() -> str:
    """The report code, queries and configuration a digest depends on: a change to any of them
    renders every digest again."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    digest.update(DEFAULT_ALIASES.read_bytes())
    for name in ("reports/digest_inputs", "reports/events", "reports/movements", "reports/leaderboard",
                 "reports/version_leaderboards", "reports/dataset_board", "reports/dataset_version_leaderboards"):
        digest.update(load_sql(name).encode("utf-8"))
    return digest.hexdigest()[:16]


def _write(path: Path, text: str) -> WrittenReport:
    """Write the page unless the file there already says the same.

    Pages carry their generation time, so regenerating the digest of an old data version would
    change that one line and nothing else, every run, for every digest. A page whose lines,
    apart from the generation-time line, equal the file's is left untouched (text returned as
    on disk): a run without new data rewrites nothing, and one with new data rewrites only the
    pages whose content changed.
    """
    unchanged = _unchanged_on_disk(path, text)
    if unchanged:
        return unchanged
    write_text(path, text)
    return WrittenReport(path, text, changed=True)


def _unchanged_on_disk(path: Path, text: str) -> WrittenReport | None:
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if _without_clock(old) == _without_clock(text):
            return WrittenReport(path, old, changed=False)
    return None


# A full build writes ~600 pages; one fsync each cost 0.8-2.2 s in all on this machine's disk,
# 0.3 s when four overlap (the journal commits them together).
PAGE_WRITE_THREADS = 4


class _PageWrites:
    """_write, with the writes done by a few threads: each page is still written whole to a
    temporary file, fsync'ed and renamed (markdown.write_text), only the waits overlap. Leaving
    the block waits for every write and raises the first that failed (in the order submitted),
    so what follows the block (the digests' inputs, tidying) sees every page on disk."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(PAGE_WRITE_THREADS, thread_name_prefix="page-write")
        self._pending: dict[Path, Future] = {}

    def __enter__(self) -> "_PageWrites":
        return self

    def write(self, path: Path, text: str) -> WrittenReport:
        earlier = self._pending.pop(path, None)
        if earlier is not None:  # the same page twice: the disk must hold the first before comparing
            earlier.result()
        unchanged = _unchanged_on_disk(path, text)
        if unchanged:
            return unchanged
        self._pending[path] = self._pool.submit(write_text, path, text)
        return WrittenReport(path, text, changed=True)

    def __exit__(self, kind, error, traceback) -> None:
        self._pool.shutdown(wait=True)
        if error is None:
            for future in self._pending.values():
                future.result()


def _without_clock(text: str) -> list[str]:
    return [line for line in text.split("\n") if not line.startswith(_CLOCK_LINE_PREFIX)]
