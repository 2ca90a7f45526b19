"""The board dimension (history/boards.py, sql/history/*boards*): one row and one key per board,
titles and headlines from config/, keys that never change, and the history tables joined on them.

On the dataset fixtures (tests/dataset_fixtures.py: text with overall / chinese / coding, vision
with overall / chinese, webdev with overall / webdev-html; text and vision with style control)
and beside the real CSV history.
"""

import duckdb
import pytest

from arena_pipeline.history.analytics import ANALYTICS_TABLES, refresh_analytics
from arena_pipeline.history.boards import board_titles, headline_boards
from arena_pipeline.history.identity import Board
from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.sources.dataset import DatasetSource
from tests.dataset_fixtures import write_dataset
from tests.history_fixture import HISTORY_DIR, copy_of

SUBSETS = ["text", "text_style_control", "vision", "vision_style_control", "webdev"]
COLUMNS = "board_id, source, arena, category, style_control, title_zh, style_control_twin_id, is_headline"


def load(conn, folder, subsets=SUBSETS) -> None:
    write_dataset(folder, subsets=tuple(subsets))
    assert not refresh_dataset(conn, DatasetSource(str(folder)), list(subsets)).failures


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    connection = duckdb.connect()
    load(connection, tmp_path_factory.mktemp("dataset"))
    refresh_analytics(connection, overrides_path=None)
    yield connection
    connection.close()


def test_one_row_per_board_numbered_in_order_with_titles_twins_and_headlines(conn):
    assert conn.execute(f"select {COLUMNS} from boards order by board_id").fetchall() == [
        (1, "lmarena_dataset", "text", "chinese", False, "文本 · 中文提示词", 2, True),
        (2, "lmarena_dataset", "text", "chinese", True, "文本 · 中文提示词 · 风格控制", 1, False),
        (3, "lmarena_dataset", "text", "coding", False, "文本 · 编程", 4, True),
        (4, "lmarena_dataset", "text", "coding", True, "文本 · 编程 · 风格控制", 3, False),
        (5, "lmarena_dataset", "text", "overall", False, "文本", 6, True),
        (6, "lmarena_dataset", "text", "overall", True, "文本 · 风格控制", 5, True),
        (7, "lmarena_dataset", "vision", "chinese", False, "视觉 · 中文提示词", 8, False),
        (8, "lmarena_dataset", "vision", "chinese", True, "视觉 · 中文提示词 · 风格控制", 7, False),
        (9, "lmarena_dataset", "vision", "overall", False, "视觉", 10, False),
        (10, "lmarena_dataset", "vision", "overall", True, "视觉 · 风格控制", 9, False),
        (11, "lmarena_dataset", "webdev", "overall", False, "WebDev 编程", None, False),
        (12, "lmarena_dataset", "webdev", "webdev-html", False, "WebDev 编程 · HTML", None, False),
    ]


def test_every_history_table_references_a_board_and_agrees_with_its_four_columns(conn):
    for table in ANALYTICS_TABLES:  # constant names
        assert conn.execute(f"""
            select count(*) filter (where b.board_id is null),
                   count(*) filter (where (t.source, t.arena, t.category, t.style_control)
                                          <> (b.source, b.arena, b.category, b.style_control))
            from {table} as t left join boards as b using (board_id)""").fetchone() == (0, 0), table
    assert conn.execute("select count(*) from analytics_inputs anti join boards using (board_id)").fetchone() == (0,)
    assert conn.execute("select count(*), count(distinct board_id) from analytics_inputs").fetchone() == (12, 12)


def test_a_board_loaded_later_gets_the_next_key_and_no_stored_row_changes(tmp_path):
    with duckdb.connect() as connection:
        load(connection, tmp_path / "first", subsets=["webdev"])
        refresh_analytics(connection, overrides_path=None)
        webdev = connection.execute(f"select {COLUMNS} from boards order by board_id").fetchall()
        assert [row[:5] for row in webdev] == [(1, "lmarena_dataset", "webdev", "overall", False),
                                               (2, "lmarena_dataset", "webdev", "webdev-html", False)]
        stored = connection.execute("select * from model_versions order by all").fetchall()
        load(connection, tmp_path / "second", subsets=["webdev", "text", "text_style_control"])
        refresh_analytics(connection, overrides_path=None)
        boards = connection.execute(f"select {COLUMNS} from boards order by board_id").fetchall()
        assert boards[:2] == webdev
        assert [row[:5] for row in boards[2:]] == [
            (3, "lmarena_dataset", "text", "chinese", False), (4, "lmarena_dataset", "text", "chinese", True),
            (5, "lmarena_dataset", "text", "coding", False), (6, "lmarena_dataset", "text", "coding", True),
            (7, "lmarena_dataset", "text", "overall", False), (8, "lmarena_dataset", "text", "overall", True)]
        assert connection.execute("select * from model_versions where board_id <= 2 order by all").fetchall() == stored


@pytest.mark.skipif(not HISTORY_DIR.is_dir(), reason=f"no real history at {HISTORY_DIR}")
def test_the_csv_boards_beside_the_dataset(ingested_history, tmp_path):
    with duckdb.connect(str(copy_of(ingested_history, tmp_path))) as connection:
        refresh_analytics(connection, overrides_path=None)
        load(connection, tmp_path / "dataset")
        refresh_analytics(connection, overrides_path=None)
        assert connection.execute(f"select {COLUMNS} from boards where board_id <= 3 or is_headline "
                                  "order by board_id").fetchall() == [
            (1, "fboulnois", "image", "overall", False, "文生图", None, False),
            (2, "fboulnois", "text", "overall", False, "文本", None, True),
            (3, "fboulnois", "vision", "overall", False, "视觉", None, False),
            (4, "lmarena_dataset", "text", "chinese", False, "文本 · 中文提示词", 5, True),
            (6, "lmarena_dataset", "text", "coding", False, "文本 · 编程", 7, True),
            (8, "lmarena_dataset", "text", "overall", False, "文本", 9, True),
            (9, "lmarena_dataset", "text", "overall", True, "文本 · 风格控制", 8, True),
        ]
        # The CSV text board's keys in the history tables: 16,319 rows of model_versions in all.
        assert connection.execute("select count(*) from model_versions where board_id = 2").fetchone() \
            == connection.execute("select count(*) from model_versions where source = 'fboulnois' "
                                  "and arena = 'text'").fetchone()


def test_the_checked_in_definitions():
    titles = board_titles()
    assert titles[("arena", "text")] == "文本" and titles[("category", "chinese")] == "中文提示词"
    assert titles[("style_control", "true")] == "风格控制"
    assert headline_boards() == (
        Board("fboulnois", "text"), Board("lmarena_dataset", "text"),
        Board("lmarena_dataset", "text", "overall", True), Board("lmarena_dataset", "text", "chinese"),
        Board("lmarena_dataset", "text", "coding"))
    # Every headline board's arena and category has a title.
    assert all(("arena", board.arena) in titles and ("category", board.category) in titles
               for board in headline_boards())
