"""Book navigation: SUMMARY.md grouped by arena and month, the index with a heading per arena
and a line per version saying what happened, month pages; links relative to each page."""

import re
from datetime import UTC, date, datetime

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.book import (
    ArenaPages,
    Digest,
    month_page_path,
    render_index,
    render_month,
    render_summary,
    version_summary,
)

CLOCK = datetime(2025, 9, 3, 12, 0, tzinfo=UTC)
TEXT = ArenaPages(
    arena="text", leaderboard="leaderboard_zh.md", weekly="trends/weekly.md",
    monthly="trends/monthly.md",
    digests=[Digest(date(2025, 7, 28), "trends/2025-07-28.md", "1 个新模型"),
             Digest(date(2025, 8, 4), "trends/2025-08-04.md", "榜首变更"),
             Digest(date(2025, 8, 1), "trends/2025-08-01.md", "无显著变化")],
)
VISION = ArenaPages(
    arena="vision", leaderboard="leaderboard_zh_vision.md", weekly="trends/vision/weekly.md",
    monthly="trends/vision/monthly.md",
    digests=[Digest(date(2025, 8, 4), "trends/vision/2025-08-04.md", "2 个新模型")],
)


def links(page: str) -> list[str]:
    return re.findall(r"\]\(([^)]+)\)", page)


def test_version_summary_counts_what_happened():
    events = [{"event_type": t} for t in ("new_model", "new_model", "new_leader", "method_change",
                                          "some_future_type")]
    moves = [{"significant": True, "comparable": True}, {"significant": True, "comparable": False},
             {"significant": False, "comparable": True}]
    assert version_summary(events, moves) == "榜首变更 · 2 个新模型 · 1 个显著变动 · 方法变更"
    assert version_summary([], []) == zh.VERSION_SUMMARY_NOTHING
    assert version_summary([], [], first=True) == zh.VERSION_SUMMARY_FIRST


def test_summary_groups_every_page_by_arena_then_month_newest_first():
    page = render_summary([TEXT, VISION], "trends/index.md")
    assert page.startswith("# 目录\n\n* [排行榜动态索引](trends/index.md)\n")
    text_part, vision_part = page.split("## 视觉竞技场")
    assert "## 文本竞技场" in text_part
    assert ("* [2025 年 8 月](trends/months/2025-08.md)\n"
            "  * [2025-08-04](trends/2025-08-04.md)\n"
            "  * [2025-08-01](trends/2025-08-01.md)\n"
            "* [2025 年 7 月](trends/months/2025-07.md)\n"
            "  * [2025-07-28](trends/2025-07-28.md)") in text_part
    assert "* [2025 年 8 月](trends/vision/months/2025-08.md)" in vision_part
    for pages in (TEXT, VISION):
        for target in (pages.leaderboard, pages.weekly, pages.monthly, *(d.path for d in pages.digests)):
            assert target in links(page)


def test_index_has_a_heading_per_arena_and_a_line_per_version():
    page = render_index([TEXT, VISION], index_path="trends/index.md", generated_at=CLOCK)
    assert page.count("\n## ") == 2
    assert "## 文本竞技场" in page and "## 视觉竞技场" in page
    assert "- [2025-08-04](2025-08-04.md)：榜首变更\n- [2025-08-01](2025-08-01.md)：无显著变化" in page
    assert "- [2025-08-04](vision/2025-08-04.md)：2 个新模型" in page
    assert "- [当前排行榜](../leaderboard_zh_vision.md)" in page
    assert "### [2025 年 7 月](months/2025-07.md)" in page
    assert zh.INDEX_DIGESTS_EMPTY in render_index([], index_path="trends/index.md", generated_at=CLOCK)


def test_month_page_links_its_digests_from_its_own_folder():
    assert month_page_path(VISION, "2025-08") == "trends/vision/months/2025-08.md"
    page = render_month(VISION, "2025-08", VISION.digests)
    assert page.startswith("# LLM Arena 视觉排行榜动态：2025 年 8 月\n")
    assert "- [2025-08-04](../2025-08-04.md)：2 个新模型" in page


def test_index_names_the_data_version_and_the_release_checked():
    page = render_index([TEXT, VISION], index_path="trends/index.md", generated_at=CLOCK,
                        latest_release_date=date(2025, 9, 2))
    assert zh.DATA_VERSION_DATE.format(date="2025-08-04", days=30, today="2025-09-03") in page
    assert zh.LATEST_RELEASE_DATE.format(date="2025-09-02") in page
    # Counted to the day the page is generated (2025-09-03), not to the release checked (29 days).
    assert "上游数据自 2025-08-04 起未更新，到本页生成日 2025-09-03 已 30 天" in page
    fresh = render_index([TEXT], index_path="trends/index.md", generated_at=datetime(2025, 8, 5, tzinfo=UTC),
                         latest_release_date=date(2025, 8, 5))
    assert "上游数据自" not in fresh


def test_an_arenas_other_boards_come_before_the_csv_sources_trend_pages():
    live = ArenaPages(arena="dataset_text", leaderboard=None, weekly="trends/dataset_text/weekly.md",
                      monthly="trends/dataset_text/monthly.md",
                      digests=[Digest(date(2025, 11, 20), "trends/dataset_text/2025-11-20.md", "1 个新模型")],
                      group="text", title=zh.DATASET_MAIN_BOARD_LABEL)
    page = render_summary([TEXT, live, VISION], "trends/index.md")
    text_part = page.split("## 视觉竞技场")[0]
    entries = [line for line in text_part.splitlines() if line.startswith("* ")]
    assert entries == [
        "* [排行榜动态索引](trends/index.md)",
        "* [当前排行榜](leaderboard_zh.md)",
        f"* [{zh.DATASET_MAIN_BOARD_LABEL}](trends/dataset_text/weekly.md)",
        f"* [{zh.SUMMARY_MAIN_BOARD_TRENDS}](trends/weekly.md)",
    ]
    # The CSV source's pages are all still there, nested under their entry.
    assert "  * [最近 30 天月报](trends/monthly.md)" in text_part
    assert "    * [2025-08-04](trends/2025-08-04.md)" in text_part
    # An arena with one board keeps its flat list.
    assert "* [最近 7 天周报](trends/vision/weekly.md)" in page


def test_the_index_says_what_counts_as_news_on_the_other_boards():
    page = render_index([TEXT, VISION], index_path="trends/index.md", generated_at=CLOCK,
                        minor_news=(["文本", "中文提示词"], 20))
    assert ("头条榜单（文本、中文提示词）报告每一条动态；其余榜单只把进入前 20 名的新模型与改名算作动态，"
            "新榜首、进入前十、方法变更照常报告（订阅源同此）。") in page.splitlines()
    assert "头条榜单" not in render_index([TEXT], index_path="trends/index.md", generated_at=CLOCK)
