"""Navigation for the GitBook: SUMMARY.md (the book's table of contents), the trends index and
one page per arena and month, each digest listed with a line saying what happened in it.

Pure: inputs are the arenas' page paths (relative to the page being written) and, per data
version, its model_events and rank_movements rows. Newest first everywhere, since readers come
for the latest version.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.leaderboard_zh import dates_lines, generated_lines, stale_notice
from arena_pipeline.reports.markdown import relative_link

Row = Mapping[str, object]


def version_summary(events: Sequence[Row], movements: Sequence[Row], *, first: bool = False) -> str:
    """What happened in one data version, in a few words: "2 个新模型 · 榜首变更 · 方法变更".

    Counts the version's model_events by type (types without a wording are skipped) and its
    significant, comparable movements; says so when nothing happened.
    """
    # A method change that is only a common offset keeps values comparable: it is named apart.
    counts = Counter("score_offset" if e["event_type"] == "method_change" and e.get("is_method_change") is False
                     else str(e["event_type"]) for e in events)
    counts["significant_move"] = sum(1 for m in movements
                                     if m.get("significant") and m.get("comparable"))
    parts = [wording.format(count=counts[kind])
             for kind, wording in zh.VERSION_SUMMARY_PARTS.items() if counts[kind]]
    if first:
        parts.insert(0, zh.VERSION_SUMMARY_FIRST)
    return zh.VERSION_SUMMARY_SEPARATOR.join(parts) if parts else zh.VERSION_SUMMARY_NOTHING


@dataclass(frozen=True)
class Digest:
    day: date
    path: str  # relative to the folder of the arena's trends pages
    summary: str  # version_summary() of its data version


@dataclass(frozen=True)
class ArenaPages:
    """One board's pages, each path relative to the reports folder (POSIX separators).

    A board without trend reports (weekly None) is listed by its leaderboard page alone. Boards
    are listed under the heading of their `group` (an arena: the CSV source's text board and the
    dataset's Chinese-prompt and coding boards all under 文本竞技场); the group's main board has
    no `title` and its pages are listed flat, every other board as `title` with its pages nested.
    """

    arena: str  # the board's key: "text", "vision", "text_chinese", "webdev", ...
    leaderboard: str | None  # None: no page of its own (listed by its weekly report)
    weekly: str | None = None
    monthly: str | None = None
    digests: Sequence[Digest] = field(default_factory=tuple)  # paths relative to the reports folder
    group: str | None = None  # default: arena
    title: str | None = None  # e.g. 中文提示词排行榜; None for the group's main board
    name: str | None = None  # the board in page titles (default: the arena's name)

    @property
    def heading_group(self) -> str:
        return self.group or self.arena

    @property
    def display_name(self) -> str:
        return self.name or arena_name(self.arena)

    def months(self) -> list[tuple[str, list[Digest]]]:
        """("YYYY-MM", digests of that month newest first), newest month first."""
        by_month: dict[str, list[Digest]] = {}
        for digest in sorted(self.digests, key=lambda d: d.day, reverse=True):
            by_month.setdefault(digest.day.strftime("%Y-%m"), []).append(digest)
        return list(by_month.items())


def arena_name(arena: str) -> str:
    """An arena's Chinese name, whichever source it comes from."""
    return zh.ARENA_NAMES.get(arena) or zh.DATASET_ARENA_NAMES.get(arena, arena)


def month_title(month: str) -> str:
    year, number = month.split("-")
    return zh.MONTH_NAME.format(year=year, month=int(number))


def month_page_path(pages: ArenaPages, month: str) -> str:
    """Where the month page of an arena lives, relative to the reports folder."""
    folder = pages.weekly.rsplit("/", 1)[0]
    return f"{folder}/months/{month}.md"


def _relative(path: str, start_folder: str) -> str:
    """A POSIX path relative to a folder, both relative to the reports folder."""
    target, start = path.split("/"), [p for p in start_folder.split("/") if p]
    common = 0
    while common < min(len(target) - 1, len(start)) and target[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])


def _digest_line(digest: Digest, from_folder: str) -> str:
    label = zh.DIGEST_LINK.format(date=digest.day.isoformat())
    return zh.ITEM.format(text=f"{relative_link(label, _relative(digest.path, from_folder))}"
                               f"：{digest.summary}")


def render_summary(arenas: Sequence[ArenaPages], index_path: str) -> str:
    """SUMMARY.md: the index, then per arena its leaderboard, rolling reports and one entry per
    month holding that month's digests; the arena's other boards (categories, the official
    dataset's) each as one entry with the same pages nested under it."""
    lines = [zh.SUMMARY_TITLE, "", f"* {relative_link(zh.SUMMARY_INDEX, index_path)}"]
    for group, boards in _groups(arenas):
        lines += ["", zh.SUMMARY_ARENA_HEADING.format(arena=arena_name(group)), ""]
        main, others = (boards[0], boards[1:]) if boards[0].title is None else (None, boards)
        if main is not None and others and main.weekly is not None:
            # The arena's other boards (the live dataset's among them) come right after its
            # current leaderboard; the main board's own trend pages follow as one entry.
            lines.append(f"* {relative_link(zh.INDEX_LEADERBOARD, main.leaderboard)}")
            others = [*others, replace(main, leaderboard=None, title=zh.SUMMARY_MAIN_BOARD_TRENDS)]
        elif main is not None:
            lines += _summary_items(main, zh.INDEX_LEADERBOARD, "")
        for pages in others:
            lines += _summary_items(pages, pages.title, "  ", nested=True)
    return "\n".join(lines) + "\n"


def _groups(arenas: Sequence[ArenaPages]) -> list[tuple[str, list[ArenaPages]]]:
    """Boards by group, groups in order of first appearance, each group's main board first."""
    grouped: dict[str, list[ArenaPages]] = {}
    for pages in arenas:
        grouped.setdefault(pages.heading_group, []).append(pages)
    return [(group, sorted(boards, key=lambda p: p.title is not None))
            for group, boards in grouped.items()]


def _summary_items(pages: ArenaPages, label: str, indent: str, nested: bool = False) -> list[str]:
    """The board's leaderboard, rolling reports and months with their digests; a board without a
    leaderboard page of its own is entered through its weekly report."""
    inner = indent if nested else ""
    lines = [f"* {relative_link(label, pages.leaderboard or pages.weekly)}"]
    if pages.weekly is not None:
        if pages.leaderboard is not None:
            lines.append(f"{inner}* {relative_link(zh.INDEX_WEEKLY, pages.weekly)}")
        lines.append(f"{inner}* {relative_link(zh.INDEX_MONTHLY, pages.monthly)}")
    for month, digests in pages.months():
        lines.append(f"{inner}* {relative_link(month_title(month), month_page_path(pages, month))}")
        lines += [f"{inner}  * {relative_link(zh.DIGEST_LINK.format(date=d.day.isoformat()), d.path)}"
                  for d in digests]
    return lines


def render_month(pages: ArenaPages, month: str, digests: Sequence[Digest]) -> str:
    """One arena's digests of one month, one line each with what happened."""
    folder = month_page_path(pages, month).rsplit("/", 1)[0]
    lines = [zh.MONTH_TITLE.format(arena=pages.display_name, month=month_title(month)), "",
             zh.MONTH_INTRO.format(count=len(digests)), "",
             *(_digest_line(d, folder) for d in digests)]
    return "\n".join(lines) + "\n"


def render_index(arenas: Sequence[ArenaPages], *, index_path: str, generated_at: datetime,
                 latest_release_date: date | None = None,
                 minor_news: tuple[list[str], int] | None = None) -> str:
    """trends/index.md: per arena a heading, its leaderboard and rolling reports, then every
    digest under its month, newest first, each with what happened. `minor_news` (the headline
    boards' names, the rank limit): says what counts as news on the other boards.

    Given the newest release checked, the page also names the newest data version (the newest
    digest of any arena) and warns when the data is stale."""
    folder = index_path.rsplit("/", 1)[0] if "/" in index_path else ""
    newest = max((d.day for pages in arenas for d in pages.digests), default=None)
    if latest_release_date is None or newest is None:
        dates = generated_lines(generated_at)
    else:
        dates = dates_lines(generated_at, newest, latest_release_date)
        if notice := stale_notice(newest, latest_release_date, generated_at):
            dates += ["", *notice[:-1]]
    lines = [zh.INDEX_TITLE, "", zh.INDEX_INTRO, "", *dates]
    if minor_news is not None:
        names, top = minor_news
        lines[4:4] = [zh.INDEX_MINOR_NEWS.format(headline="、".join(names), top=top), ""]
    if not arenas:
        lines += ["", zh.INDEX_DIGESTS_EMPTY]
    for _, boards in _groups(arenas):
        for pages in boards:
            lines += ["", _index_heading(pages), ""]
            if pages.leaderboard is not None:
                lines.append(zh.ITEM.format(text=relative_link(zh.INDEX_LEADERBOARD,
                                                               _relative(pages.leaderboard, folder))))
            if pages.weekly is None:  # a page without trend reports
                lines += ["", zh.INDEX_DIGESTS_EMPTY]
                continue
            lines += [zh.ITEM.format(text=relative_link(zh.INDEX_WEEKLY, _relative(pages.weekly, folder))),
                      zh.ITEM.format(text=relative_link(zh.INDEX_MONTHLY, _relative(pages.monthly, folder)))]
            months = pages.months()
            if not months:
                lines += ["", zh.INDEX_DIGESTS_EMPTY]
            for month, digests in months:
                lines += ["", zh.INDEX_MONTH_HEADING.format(
                    month=relative_link(month_title(month), _relative(month_page_path(pages, month), folder))), ""]
                lines += [_digest_line(d, folder) for d in digests]
    return "\n".join(lines) + "\n"


def _index_heading(pages: ArenaPages) -> str:
    arena = zh.INDEX_ARENA_HEADING.format(arena=arena_name(pages.heading_group))
    return arena if pages.title is None else zh.INDEX_BOARD_HEADING.format(arena=arena, board=pages.title)
