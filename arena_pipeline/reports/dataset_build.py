"""Which dataset boards get a page, and whether the dataset is fresher than the CSV source for
an arena's main leaderboard page. Queries only; build.write_leaderboards writes the files."""

from datetime import date, datetime

import duckdb

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.dataset_zh import render_board
from arena_pipeline.warehouse.database import query_dicts

DATASET_SOURCE = "lmarena_dataset"
# The CSV source's arenas and the dataset subset showing the same leaderboard.
CSV_ARENA_TO_DATASET = {"text": "text", "vision": "vision", "image": "text_to_image"}
CSV_ARENAS = tuple(CSV_ARENA_TO_DATASET)
DATASET_TO_CSV_ARENA = {dataset: csv for csv, dataset in CSV_ARENA_TO_DATASET.items()}
# Boards with a page of their own (besides the main pages): the Chinese-prompt and coding
# categories of the text arena, and the overall board of every arena the CSV source never had.
DATASET_PAGES = [
    ("text", "chinese"), ("text", "coding"), ("webdev", "overall"), ("search", "overall"),
    ("document", "overall"), ("image_edit", "overall"), ("text_to_video", "overall"),
    ("image_to_video", "overall"), ("video_edit", "overall"),
]


def dataset_page_name(arena: str, category: str) -> str:
    return f"leaderboard_zh_{arena}.md" if category == "overall" else f"leaderboard_zh_{arena}_{category}.md"


def _dataset_loaded(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(query_dicts(conn, "reports/dataset_tables_present")[0]["present"])


def display_names(conn: duckdb.DuckDBPyConnection, arena: str) -> dict[str, dict]:
    """{slug: the CSV source's newest name, link, knowledge cutoff, organization and license of
    the same model (its identity in model_identities)} for the slugs of a dataset arena that the
    CSV source listed; empty when nothing is linked."""
    csv_arena = DATASET_TO_CSV_ARENA.get(arena)
    if csv_arena is None or not query_dicts(conn, "reports/model_identities_present")[0]["present"]:
        return {}
    return {row["slug"]: row for row in query_dicts(conn, "reports/dataset_display_names",
                                                    arena=arena, csv_arena=csv_arena)}


def with_display_names(rows: list[dict], names: dict[str, dict]) -> list[dict]:
    """The rows with the name and link the CSV source showed for the same model (display_names),
    and its knowledge cutoff, organization and license where the dataset publishes none; a model
    the CSV source never listed keeps its slug. The slug stays in `slug`."""
    named = []
    for row in rows:
        csv = names.get(row["model"])
        if csv is None:
            named.append(row)
            continue
        named.append({**row, "slug": row["model"], "model": csv["display_name"], "url": csv["url"] or row.get("url"),
                      **{column: row.get(column) or csv[column]
                         for column in ("knowledge_cutoff", "organization", "license")}})
    return named


def _board_page(conn, arena: str, category: str, as_of: date, now: datetime) -> str | None:
    rows = with_display_names(query_dicts(conn, "reports/dataset_board", arena=arena, category=category,
                                          as_of=as_of), display_names(conn, arena))
    if not rows:
        return None
    return render_board(rows, arena=arena, category=category, publish_date=rows[0]["snapshot_date"],
                        has_style_control_board=bool(rows[0]["has_style_control_board"]), generated_at=now,
                        revision_checked=revision_checked(conn))


def revision_checked(conn: duckdb.DuckDBPyConnection) -> tuple[str, date] | None:
    """(revision, day) of the newest successful check of the dataset's revision, if any."""
    rows = query_dicts(conn, "reports/dataset_revision_checked")
    return (rows[0]["revision"], rows[0]["checked_on"]) if rows else None


def fresher_dataset_page(conn: duckdb.DuckDBPyConnection, csv_arena: str, as_of: date,
                         now: datetime) -> str | None:
    """The arena's main page from the dataset when its overall board was published after the
    CSV source's newest data (not its newest release: the CSV repeats old data every day)."""
    if not _dataset_loaded(conn):
        return None
    arena = CSV_ARENA_TO_DATASET[csv_arena]
    dataset_day = _newest_publish_date(conn, arena, "overall", as_of)
    csv_day = query_dicts(conn, "reports/csv_newest_data_date", arena=csv_arena, as_of=as_of)[0]["snapshot_date"]
    if dataset_day is None or (csv_day is not None and dataset_day <= csv_day):
        return None
    return _board_page(conn, arena, "overall", as_of, now)


def dataset_arena_group(arena: str) -> str:
    """The arena a dataset subset is listed under in the book: the CSV source's name where the
    two show the same leaderboard (text_to_image is the CSV source's image arena)."""
    return {dataset: csv for csv, dataset in CSV_ARENA_TO_DATASET.items()}.get(arena, arena)


def board_label(category: str) -> str | None:
    """How a category's board is listed under its arena (None: the arena's main board)."""
    if category == "overall":
        return None
    return zh.DATASET_BOARD_LABEL.format(category=zh.DATASET_CATEGORY_NAMES.get(category, category))


def dataset_page_boards(conn: duckdb.DuckDBPyConnection, as_of: date) -> list[tuple[str, str]]:
    """(arena, category) of every board of DATASET_PAGES with a page as of as_of: published on
    or before that day (the boards dataset_pages writes)."""
    if not _dataset_loaded(conn):
        return []
    return [(arena, category) for arena, category in DATASET_PAGES
            if _newest_publish_date(conn, arena, category, as_of) is not None]


def dataset_main_arenas(conn: duckdb.DuckDBPyConnection, as_of: date) -> list[str]:
    """The dataset subsets whose overall board shows the same leaderboard as one of the CSV
    source's arenas and was published on or before as_of."""
    if not _dataset_loaded(conn):
        return []
    return [arena for arena in CSV_ARENA_TO_DATASET.values()
            if _newest_publish_date(conn, arena, "overall", as_of) is not None]


def main_page_shown(conn: duckdb.DuckDBPyConnection, csv_arena: str, as_of: date) -> bool:
    """Whether build.write_leaderboards writes the arena's main page as of as_of: the CSV source
    or the dataset has its board on or before that day."""
    if query_dicts(conn, "reports/csv_newest_release_date", arena=csv_arena, as_of=as_of)[0]["snapshot_date"]:
        return True
    return (_dataset_loaded(conn) and _newest_publish_date(
        conn, CSV_ARENA_TO_DATASET[csv_arena], "overall", as_of) is not None)


def _newest_publish_date(conn, arena: str, category: str, as_of: date) -> date | None:
    return query_dicts(conn, "reports/dataset_newest_publish_date", arena=arena,
                       category=category, as_of=as_of)[0]["snapshot_date"]


def newest_dataset_date(conn: duckdb.DuckDBPyConnection) -> date | None:
    """The newest publish date loaded from the dataset: the pages' day when no CSV is loaded."""
    if not _dataset_loaded(conn):
        return None
    return query_dicts(conn, "reports/dataset_newest_date")[0]["snapshot_date"]


def dataset_pages(conn: duckdb.DuckDBPyConnection, as_of: date, now: datetime) -> list[tuple[str, str]]:
    """(file name, page) for every board of DATASET_PAGES loaded on or before as_of."""
    if not _dataset_loaded(conn):
        return []
    pages = []
    for arena, category in DATASET_PAGES:
        page = _board_page(conn, arena, category, as_of, now)
        if page is not None:
            pages.append((dataset_page_name(arena, category), page))
    return pages
