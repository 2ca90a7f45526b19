"""The board dimension: every board of both sources under one small integer key.

A board is (source, arena, category, style_control). The `boards` table numbers each board once,
the first time either source loads it, and never renumbers it; every history table references
its board by that board_id, and every join, window and group of sql/history is on it. The
Chinese titles and the headline boards are checked-in definitions (config/board_titles.csv,
config/headline_boards.csv), applied to the table on each refresh.
"""

import csv
from functools import cache
from importlib import resources

import duckdb

from arena_pipeline.history.identity import Board
from arena_pipeline.warehouse.database import run_sql

# The top-level config/ folder through the package (a link in the source tree, a copy in a wheel).
CONFIG = resources.files("arena_pipeline") / "config"
TITLES_FILE = "board_titles.csv"
HEADLINES_FILE = "headline_boards.csv"
TITLE_PARTS = ("arena", "category", "style_control")


def _read_config(name: str) -> list[dict[str, str]]:
    """The data rows of a config CSV (lines starting with `#` document it)."""
    with CONFIG.joinpath(name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(lines)]


@cache
def board_titles() -> dict[tuple[str, str], str]:
    """{(part, name): Chinese title} of config/board_titles.csv, e.g. ("arena", "text"): "文本"."""
    titles = {}
    for line_no, row in enumerate(_read_config(TITLES_FILE), start=1):
        if row["part"] not in TITLE_PARTS or not row["name"] or not row["title_zh"]:
            raise ValueError(f"config/{TITLES_FILE}: data row {line_no}: part must be one of "
                             f"{', '.join(TITLE_PARTS)} with a name and a title_zh, got {row}")
        titles[(row["part"], row["name"])] = row["title_zh"]
    return titles


def names_of(part: str) -> dict[str, str]:
    """{name: Chinese title} of one part of config/board_titles.csv ("arena" or "category")."""
    return {name: title for (kind, name), title in board_titles().items() if kind == part}


@cache
def headline_boards() -> tuple[Board, ...]:
    """The boards of config/headline_boards.csv."""
    boards = []
    for line_no, row in enumerate(_read_config(HEADLINES_FILE), start=1):
        if row["style_control"] not in ("true", "false"):
            raise ValueError(f"config/{HEADLINES_FILE}: data row {line_no}: style_control must be true or false, "
                             f"got {row['style_control']!r}")
        boards.append(Board(row["source"], row["arena"], row["category"], row["style_control"] == "true"))
    return tuple(boards)


def refresh_boards(conn: duckdb.DuckDBPyConnection) -> dict[Board, int]:
    """Number the boards loaded for the first time, refresh every board's title, twin and
    headline flag, and return {board: board_id}. Needs v_board_snapshots (both sources' tables)."""
    run_sql(conn, "history/create_boards")
    run_sql(conn, "history/insert_new_boards")
    titles = board_titles()
    headlines = headline_boards()
    run_sql(conn, "history/update_boards", {
        "part": [part for part, _ in titles], "name": [name for _, name in titles],
        "title_zh": list(titles.values()),
        **{f"headline_{column}": [getattr(board, column) for board in headlines] for column in Board._fields},
    })
    return board_ids(conn)


def board_ids(conn: duckdb.DuckDBPyConnection) -> dict[Board, int]:
    """{board: board_id} of the boards table."""
    return {Board(*board): board_id for board_id, *board in run_sql(conn, "history/board_ids").fetchall()}
