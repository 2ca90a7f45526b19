"""Pages for the official dataset's boards: the Chinese-prompt page, coding, arenas the CSV source
never had, and the main page taken from whichever source is fresher. Real DuckDB files loaded
from generated parquet files and from the real CSV history."""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from arena_pipeline.defs.analytics import analytics_assets
from arena_pipeline.defs.ingest import ingest_assets
from arena_pipeline.defs.partitions import range_tags
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.reports.build import write_leaderboards
from arena_pipeline.reports.dataset_build import dataset_pages, fresher_dataset_page
from arena_pipeline.settings import load_settings
from arena_pipeline.sources.dataset import DatasetSource
from tests.conftest import RELEASES, release_file
from tests.dataset_fixtures import board_from_csv, write_dataset

NOW = dt.datetime(2025, 8, 6, 11, 44, 37, tzinfo=dt.UTC)


@pytest.fixture
def dataset_db(tmp_path):
    write_dataset(tmp_path / "dataset")
    conn = duckdb.connect(str(tmp_path / "arena.duckdb"))
    refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")),
                    ["text", "text_style_control", "vision", "vision_style_control", "webdev"])
    yield conn
    conn.close()


def test_chinese_coding_and_webdev_pages_are_written_with_their_publish_date(dataset_db):
    pages = dict(dataset_pages(dataset_db, dt.date(2025, 8, 4), NOW))
    assert sorted(pages) == ["leaderboard_zh_text_chinese.md", "leaderboard_zh_text_coding.md",
                             "leaderboard_zh_webdev.md"]
    chinese = pages["leaderboard_zh_text_chinese.md"].splitlines()
    assert chinese[0] == "# LLM Arena 中文提示词排行榜 (实时更新)"
    assert "> **数据版本**: 2025-08-04，距今 2 天（LMArena 官方数据集中该榜单的发布日期，按生成日 2025-08-06 计）" in chinese
    assert "> **数据来源**: LMArena 官方数据集 `lmarena-ai/leaderboard-dataset`（子集 `text`，类别 `chinese`）" in chinese
    header = chinese.index("| 排名(UB) | 排名(StyleCtrl) | 模型名 | 分数 | 置信区间 | 票数 | 服务商 | 许可协议 | 知识截止日期 |")
    assert chinese[header + 2] == "| 1 | 1 | gemini-2.5-pro | 1455 | +5/-5 | 21,400 | google | Proprietary | 暂无数据 |"
    assert any("子集 `text_style_control`" in line for line in chinese)  # where StyleCtrl comes from
    assert "## 说明" in chinese and "## 免责声明" in chinese and "## 数据来源与更新频率" in chinese
    webdev = pages["leaderboard_zh_webdev.md"]
    assert webdev.startswith("# LLM Arena WebDev 编程排行榜 (实时更新)\n")
    assert "没有发布风格控制榜" in webdev
    assert "| 1 | — | gemini-2.5-pro | 1712 |" in webdev


def test_an_earlier_day_shows_the_board_published_then(dataset_db):
    pages = dict(dataset_pages(dataset_db, dt.date(2025, 8, 3), NOW))
    assert "> **数据版本**: 2025-08-01，距今 5 天（LMArena 官方数据集中该榜单的发布日期，按生成日 2025-08-06 计）" in pages["leaderboard_zh_text_chinese.md"]
    assert dataset_pages(dataset_db, dt.date(2020, 1, 1), NOW) == []
    assert dict(dataset_pages(dataset_db, dt.date(2025, 8, 4), NOW)) == dict(dataset_pages(dataset_db, dt.date(2025, 8, 4), NOW))


def test_a_csv_only_database_gets_no_dataset_page(tmp_path):
    with duckdb.connect(str(tmp_path / "csv_only.duckdb")) as conn:
        assert dataset_pages(conn, dt.date(2025, 8, 4), NOW) == []
        assert fresher_dataset_page(conn, "text", dt.date(2025, 8, 4), NOW) is None


def test_main_page_comes_from_the_fresher_source(tmp_path):
    settings = load_settings({"ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(tmp_path / "arena.duckdb")})
    first, last = dt.date(2025, 8, 4), dt.date(2025, 8, 6)  # three CSV releases of one data version
    assert dg.materialize([*ingest_assets, *analytics_assets], resources=build_resources(settings),
                          instance=dg.DagsterInstance.ephemeral(), tags=range_tags(first, last)).success
    csv_text = release_file("2025.08.04", "lmarena_text.csv")
    write_dataset(tmp_path / "dataset", subsets=("text", "text_style_control"),
                  text_overall=board_from_csv(csv_text, dt.date(2025, 8, 5), {}, {"GLM-4.5": 30.0}))
    with duckdb.connect(str(settings.db_path)) as conn:
        # Published after the CSV's newest data (2025-08-04, repeated on the 5th and 6th): fresher.
        refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")), ["text", "text_style_control"])
        page = fresher_dataset_page(conn, "text", last, NOW)
        assert page is not None and page.startswith("# LLM Arena 排行榜 (实时更新)\n")
        assert "> **数据版本**: 2025-08-05，距今 1 天（LMArena 官方数据集中该榜单的发布日期，按生成日 2025-08-06 计）" in page
        assert "| 1 | — | glm-4.5 | 1464 |" in page  # shifted to the top; the style-controlled board lists no glm-4.5
        assert fresher_dataset_page(conn, "vision", last, NOW) is None  # no dataset vision board loaded
        written = {w.path.name: w.text for w in write_leaderboards(conn, tmp_path / "reports", as_of=None, now=NOW)}
        boards = conn.execute("""select source, arena, category, style_control, count(distinct snapshot_date), count(*)
                                 from v_board_entries group by all order by all""").fetchall()
        assert ("fboulnois", "text", "overall", False, 3, 3 * 265) in boards  # three releases of 265 models
        assert ("lmarena_dataset", "text", "chinese", False, 4, 44) in boards
        assert conn.execute("""select count(*) from v_board_snapshots where source = 'fboulnois'""").fetchone() == (9,)
    assert written["leaderboard_zh.md"] == page
    assert "fboulnois" in written["leaderboard_zh_vision.md"]  # the CSV stays the source for vision
    assert "leaderboard_zh_text_chinese.md" in written
