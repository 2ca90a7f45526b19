"""The boards that get pages, and where each one's pages go.

A board is (source, arena, category, style_control). The CSV source's boards are its three
arenas; the official dataset's boards with pages are those of dataset_build.DATASET_PAGES (raw
boards: their style-controlled twins only supply the 排名(StyleCtrl) column). Pure: no queries.
"""

from dataclasses import dataclass

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.dataset_build import (
    CSV_ARENA_TO_DATASET,
    CSV_ARENAS,
    DATASET_SOURCE,
    board_label,
    dataset_arena_group,
    dataset_page_name,
)

CSV_SOURCE = "fboulnois"
TRENDS_DIR = "trends"
LEADERBOARD_PAGE = "leaderboard_zh.md"


@dataclass(frozen=True)
class ReportBoard:
    """One board with pages: its columns, and the names and paths of its pages."""

    source: str
    arena: str
    category: str
    style_control: bool
    key: str  # file stem of its charts and feeds: "text", "vision", "text_chinese", "webdev"
    leaderboard: str | None  # its own leaderboard page, relative to the reports folder
    trends: str  # the folder of its digests, weekly and monthly reports
    name: str  # how titles name it: 文本, 中文提示词, WebDev 编程
    group: str  # the arena it is listed under in the book
    title: str | None  # its entry under that arena (None: the arena's main board)

    @property
    def is_dataset(self) -> bool:
        return self.source == DATASET_SOURCE

    def params(self) -> dict[str, object]:
        """The board as the bound parameters of the report SQL."""
        return {"source": self.source, "arena": self.arena, "category": self.category,
                "style_control": self.style_control}


def leaderboard_page(arena: str) -> str:
    return LEADERBOARD_PAGE if arena == "text" else f"leaderboard_zh_{arena}.md"


def trends_folder(arena: str) -> str:
    return TRENDS_DIR if arena == "text" else f"{TRENDS_DIR}/{arena}"


def csv_board(arena: str) -> ReportBoard:
    return ReportBoard(CSV_SOURCE, arena, "overall", False, key=arena, leaderboard=leaderboard_page(arena),
                       trends=trends_folder(arena), name=zh.ARENA_NAMES.get(arena, arena), group=arena,
                       title=None)


def dataset_board(arena: str, category: str) -> ReportBoard:
    """A raw board of the official dataset with a page of its own (leaderboard_zh_<key>.md)."""
    page = dataset_page_name(arena, category)
    key = page.removeprefix("leaderboard_zh_").removesuffix(".md")
    name = (zh.DATASET_ARENA_NAMES.get(arena, arena) if category == "overall"
            else zh.DATASET_CATEGORY_NAMES.get(category, category))
    return ReportBoard(DATASET_SOURCE, arena, category, False, key=key, leaderboard=page,
                       trends=f"{TRENDS_DIR}/{key}", name=name, group=dataset_arena_group(arena),
                       title=board_label(category))


def dataset_main_board(arena: str) -> ReportBoard:
    """The dataset's overall board of an arena the CSV source has too (text, vision,
    text_to_image): its trend reports sit beside the CSV source's, listed under the same arena.
    It has no leaderboard page of its own: it is the arena's main page when it is the fresher
    source (dataset_build.fresher_dataset_page)."""
    key = f"dataset_{arena}"
    group = dataset_arena_group(arena)
    return ReportBoard(DATASET_SOURCE, arena, "overall", False, key=key, leaderboard=None,
                       trends=f"{TRENDS_DIR}/{key}",
                       name=zh.DATASET_MAIN_BOARD_NAME.format(arena=zh.ARENA_NAMES.get(group, group)),
                       group=group, title=zh.DATASET_MAIN_BOARD_LABEL)


CSV_BOARDS = tuple(csv_board(arena) for arena in CSV_ARENAS)
DATASET_MAIN_BOARDS = tuple(dataset_main_board(arena) for arena in CSV_ARENA_TO_DATASET.values())
