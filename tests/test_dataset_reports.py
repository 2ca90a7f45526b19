"""The book around the official dataset's pages: SUMMARY.md and the trends index list every page
written, grouped by arena, with links that resolve; each dataset page names its source, publish
date and the dataset revision checked. Real DuckDB files loaded from generated parquet files
(tests/dataset_fixtures.py) and from real CSV releases."""

import datetime as dt
import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.defs.analytics import analytics_assets
from arena_pipeline.defs.ingest import ingest_assets
from arena_pipeline.defs.partitions import range_tags
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.history.analytics import refresh_analytics
from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.build import write_all_reports
from arena_pipeline.settings import load_settings
from arena_pipeline.sources.dataset import DatasetSource
from tests.conftest import RELEASES, release_file
from tests.dataset_fixtures import (
    REVISION,
    STYLE_TYPES,
    TEXT_TYPES,
    board_from_csv,
    rows_of,
    subset_path,
    write_dataset,
    write_parquet,
)

NOW = dt.datetime(2025, 8, 6, 11, 44, 37, tzinfo=dt.UTC)
SUBSETS = ["text", "text_style_control", "vision", "vision_style_control", "webdev"]
DATASET_PAGE_NAMES = ["leaderboard_zh_text_chinese.md", "leaderboard_zh_text_coding.md",
                      "leaderboard_zh_webdev.md"]


def links(page: str) -> list[str]:
    return re.findall(r"\]\(([^)#]+)\)", page)


def markdown_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}


def assert_links_resolve(folder: Path) -> None:
    """Every relative link of every page points at a file that exists."""
    for page in folder.rglob("*.md"):
        for target in links(page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).is_file(), f"{page.relative_to(folder)} -> {target}"


@pytest.fixture
def dataset_only(tmp_path):
    write_dataset(tmp_path / "dataset")
    with duckdb.connect(str(tmp_path / "arena.duckdb")) as conn:
        refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")), SUBSETS)
        refresh_analytics(conn)
        written = write_all_reports(conn, tmp_path / "reports", as_of=None, now=NOW)
    return tmp_path / "reports", written


def test_summary_lists_every_dataset_page_under_its_arena(dataset_only):
    folder, written = dataset_only
    summary = (folder / "SUMMARY.md").read_text(encoding="utf-8")
    # Every page written is in the book, each once, and nothing else is.
    listed = links(summary)
    assert sorted(listed) == sorted(markdown_files(folder) - {"SUMMARY.md"})
    assert len(listed) == len(set(listed))
    assert set(DATASET_PAGE_NAMES) <= set(listed)
    # Grouped by arena: the Chinese-prompt and coding boards under the text arena; webdev apart.
    parts = dict(re.findall(r"^## (.+)\n\n((?:\*|  ).*(?:\n(?:\*|  ).*)*)", summary, re.M))
    assert list(parts) == ["文本竞技场", "视觉竞技场", "WebDev 编程竞技场"]
    text_items = [line for line in parts["文本竞技场"].splitlines() if line.startswith("* ")]
    assert text_items == ["* [当前排行榜](leaderboard_zh.md)",
                          "* [官方数据集综合榜动态](trends/dataset_text/weekly.md)",
                          "* [中文提示词排行榜](leaderboard_zh_text_chinese.md)",
                          "* [编程排行榜](leaderboard_zh_text_coding.md)"]
    assert "* [当前排行榜](leaderboard_zh_webdev.md)" in parts["WebDev 编程竞技场"]
    assert_links_resolve(folder)


def test_index_has_a_section_per_dataset_board(dataset_only):
    folder, _ = dataset_only
    index = (folder / "trends" / "index.md").read_text(encoding="utf-8")
    headings = [line for line in index.splitlines() if line.startswith("## ")]
    assert "## 文本竞技场 · 中文提示词排行榜" in headings
    assert "## 文本竞技场 · 编程排行榜" in headings
    assert "## WebDev 编程竞技场" in headings
    assert "- [当前排行榜](../leaderboard_zh_text_chinese.md)" in index


def test_each_dataset_page_names_source_publish_date_and_revision_checked(dataset_only):
    folder, _ = dataset_only
    checked = dt.datetime.now(dt.UTC).date()
    for name, subset, category in (("leaderboard_zh_text_chinese.md", "text", "chinese"),
                                   ("leaderboard_zh_text_coding.md", "text", "coding"),
                                   ("leaderboard_zh_webdev.md", "webdev", "overall"),
                                   ("leaderboard_zh.md", "text", "overall")):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        assert "> **数据版本**: 2025-08-04，距今 2 天（LMArena 官方数据集中该榜单的发布日期，按生成日 2025-08-06 计）" in lines, name
        assert (f"> **数据来源**: LMArena 官方数据集 `lmarena-ai/leaderboard-dataset`"
                f"（子集 `{subset}`，类别 `{category}`）") in lines, name
        revision_line = next(line for line in lines if line.startswith("> **最新检查的数据集版本**"))
        # The check ran a moment ago (today, or yesterday if the test straddled midnight UTC).
        assert revision_line in {f"> **最新检查的数据集版本**: `{REVISION[:12]}`（{day.isoformat()} 检查）"
                                 for day in (checked, checked - dt.timedelta(days=1))}


def test_csv_and_dataset_pages_share_one_book(tmp_path):
    settings = load_settings({"ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(tmp_path / "arena.duckdb")})
    assert dg.materialize([*ingest_assets, *analytics_assets], resources=build_resources(settings),
                          instance=dg.DagsterInstance.ephemeral(),
                          tags=range_tags(dt.date(2025, 8, 4), dt.date(2025, 8, 6))).success
    write_dataset(tmp_path / "dataset", subsets=("text", "text_style_control", "webdev"))
    with duckdb.connect(str(settings.db_path)) as conn:
        refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")), ["text", "text_style_control", "webdev"])
        refresh_analytics(conn)  # as dataset_refresh does after a load
        write_all_reports(conn, tmp_path / "reports", as_of=None, now=NOW)
    folder = tmp_path / "reports"
    summary = (folder / "SUMMARY.md").read_text(encoding="utf-8")
    assert sorted(links(summary)) == sorted(markdown_files(folder) - {"SUMMARY.md"})
    text_part = summary.split("## 文本竞技场\n")[1].split("\n## ")[0]
    # The arena's current leaderboard, the dataset's (live) boards, then the CSV source's trend
    # reports as one entry.
    assert text_part.startswith("\n* [当前排行榜](leaderboard_zh.md)\n")
    assert text_part.index("[中文提示词排行榜](leaderboard_zh_text_chinese.md)") < text_part.index(
        f"[{zh.SUMMARY_MAIN_BOARD_TRENDS}](trends/weekly.md)")
    assert "[当前排行榜](leaderboard_zh_webdev.md)" in summary.split("## WebDev 编程竞技场\n")[1]
    assert_links_resolve(folder)
    # Side by side in one book, each trend page names the source it shows.
    csv_source = ("> **数据来源**: 开源项目 [fboulnois/llm-leaderboard-csv](https://github.com/fboulnois/"
                  "llm-leaderboard-csv) 每天发布的 LMArena 排行榜 CSV")
    for name in ("trends/2025-08-04.md", "trends/weekly.md"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        assert csv_source in lines and not any("官方数据集" in line for line in lines), name
    for name in ("trends/text_chinese/2025-08-04.md", "trends/dataset_text/weekly.md"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        assert csv_source not in lines and any(line.startswith("> **数据来源**: LMArena 官方数据集") for line in lines), name


# --- trend reports of the dataset's boards ------------------------------------------------------

NEWCOMER = "deepseek-v3.1"  # listed on the Chinese-prompt board from the last publish date on


def write_chinese_story(root: Path) -> None:
    """The fixture's dataset, and on the text arena's `chinese` board: a re-scaling from
    2025-08-01 on (the field stretched 1.5x around 1360, bounds moved with their score, as when
    upstream re-anchors a category), and a new model on 2025-08-04 on the raw and the
    style-controlled board. The fixture's rename (claude-opus-4-6-thinking -> -high on
    2025-08-04) stays as it is."""
    write_dataset(root)
    text = rows_of("text")
    for row in text:
        if row["category"] == "chinese" and row["leaderboard_publish_date"] >= "2025-08-01":
            stretched = 1360 + 1.5 * (row["rating"] - 1360)
            moved = {bound: row[bound] + stretched - row["rating"]
                     for bound in ("rating_lower", "rating_upper") if row[bound] is not None}
            row.update(rating=stretched, **moved)
    newcomer = {"model_name": NEWCOMER, "organization": "deepseek", "license": "MIT",
                "rating": 1440.0, "rating_lower": 1431.0, "rating_upper": 1449.0, "variance": 21.0,
                "vote_count": 2500.0, "rank": 3.0, "category": "chinese",
                "leaderboard_publish_date": "2025-08-04"}
    write_parquet(subset_path(root, "text"), [*text, newcomer], TEXT_TYPES)
    styled = dict(newcomer, rating=1400.0, rating_lower=1391.0, rating_upper=1409.0, rank=6)
    write_parquet(subset_path(root, "text_style_control"), [*rows_of("text_style_control"), styled],
                  STYLE_TYPES)


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    root = tmp_path_factory.mktemp("story")
    write_chinese_story(root / "dataset")
    with duckdb.connect(str(root / "arena.duckdb")) as conn:
        refresh_dataset(conn, DatasetSource(str(root / "dataset")), SUBSETS)
        refresh_analytics(conn)
        written = write_all_reports(conn, root / "reports", as_of=None, now=NOW)
    return root / "reports", written


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def section(page: str, heading: str) -> str:
    return page.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0].strip()


def test_dataset_boards_get_digests_rolling_reports_charts_and_feeds(story):
    folder, written = story
    files = {w.path.relative_to(folder).as_posix() for w in written}
    for key, days in (("text_chinese", ["2025-05-11", "2025-05-19", "2025-08-01", "2025-08-04"]),
                      ("text_coding", ["2025-05-11", "2025-05-19", "2025-08-01", "2025-08-04"]),
                      ("webdev", ["2025-08-01", "2025-08-04"])):
        digests = sorted(p for p in files if re.fullmatch(rf"trends/{key}/\d{{4}}-\d\d-\d\d\.md", p))
        assert digests == [f"trends/{key}/{day}.md" for day in days]
        assert {f"trends/{key}/weekly.md", f"trends/{key}/monthly.md", f"trends/{key}/months/2025-08.md",
                f"trends/charts/{key}_score_90d.svg", f"trends/charts/{key}_rank_90d.svg",
                f"feeds/{key}.atom", f"feeds/{key}.json"} <= files
    # The overall boards of text and vision too (no page of their own: the main pages show
    # them), listed under their arena; the style-controlled boards get none.
    for key in ("dataset_text", "dataset_vision"):
        assert {f"trends/{key}/weekly.md", f"trends/{key}/2025-08-04.md", f"feeds/{key}.atom"} <= files
    assert read(folder, "trends/dataset_text/2025-08-04.md").startswith(
        "# LLM Arena 文本（官方数据集）排行榜动态：2025-08-04\n")
    assert not any("style" in p for p in files)
    summary = read(folder, "SUMMARY.md")
    assert sorted(links(summary)) == sorted(markdown_files(folder) - {"SUMMARY.md"})
    assert ("* [中文提示词排行榜](leaderboard_zh_text_chinese.md)\n"
            "  * [最近 7 天周报](trends/text_chinese/weekly.md)\n"
            "  * [最近 30 天月报](trends/text_chinese/monthly.md)\n"
            "  * [2025 年 8 月](trends/text_chinese/months/2025-08.md)\n"
            "    * [2025-08-04](trends/text_chinese/2025-08-04.md)\n"
            "    * [2025-08-01](trends/text_chinese/2025-08-01.md)\n") in summary
    assert_links_resolve(folder)


def test_chinese_digest_names_source_date_rename_and_newcomer_with_both_ranks(story):
    folder, _ = story
    page = read(folder, "trends/text_chinese/2025-08-04.md")
    lines = page.splitlines()
    assert lines[0] == "# LLM Arena 中文提示词排行榜动态：2025-08-04"
    assert "> **数据版本**: 2025-08-04（LMArena 官方数据集中该榜单的发布日期）" in lines  # a digest: no age
    assert ("> **数据来源**: LMArena 官方数据集 `lmarena-ai/leaderboard-dataset`（子集 `text`，类别 `chinese`）"
            in lines)
    assert "> **对比区间**: 2025-08-01 → 2025-08-04（相邻两个数据版本）" in lines
    assert section(page, "## 改名记录").strip() == "- claude-opus-4-6-thinking → claude-opus-4-6-high"
    # The renamed model is not news: the only new model is the newcomer, with the UB rank of the
    # raw board and the style-controlled rank beside it (the leaderboard page shows the same two).
    new_models = section(page, "## 新上榜模型").strip().splitlines()
    assert new_models[0] == "| 模型 | 排名(UB) | 排名(StyleCtrl) | 分数 | 票数 | 服务商 |"
    # Its published rank 3 ties with another model's: that publish date's rank column reads as an
    # upper bound (dataset_snapshots.rank_kind) and is shown as is.
    assert new_models[2:] == [f"| {NEWCOMER} | 3 | 4 | 1440 | 2,500 | deepseek |"]
    board = read(folder, "leaderboard_zh_text_chinese.md")
    assert f"| 3 | 4 | {NEWCOMER} | 1440 | +9/-9 | 2,500 | deepseek | MIT | 暂无数据 |" in board


def test_rescaling_is_a_method_change_not_movers(story):
    folder, _ = story
    page = read(folder, "trends/text_chinese/2025-08-01.md")
    assert "## 显著上升" not in page and "## 显著下降" not in page
    method = section(page, "## 方法变更提示")
    assert method.startswith("- 2025-08-01：上游重新标定了分数尺度（新旧分数的斜率为 1.500，")
    assert "本期另有 8 条显著的分数变化因前后口径不可比而未列入升降榜。" in method
    index = read(folder, "trends/index.md")
    assert "- [2025-08-01](text_chinese/2025-08-01.md)：方法变更" in index
    # The coding board of the same subset was not re-scaled: no method change there that day.
    assert "重新标定" not in read(folder, "trends/text_coding/2025-08-01.md")
    feed = json.loads(read(folder, "feeds/text_chinese.json"))
    assert [(item["title"], item["url"]) for item in feed["items"]] == [
        (f"[中文提示词] 新模型：{NEWCOMER}", "../trends/text_chinese/2025-08-04.md"),
        ("[中文提示词] 改名：claude-opus-4-6-thinking → claude-opus-4-6-high", "../trends/text_chinese/2025-08-04.md"),
        ("[中文提示词] 方法变更", "../trends/text_chinese/2025-08-01.md"),
    ]
    every = json.loads(read(folder, "feeds/all.json"))
    assert {item["id"] for item in feed["items"]} <= {item["id"] for item in every["items"]}


def test_rolling_reports_name_publish_date_revision_checked_and_source(story):
    folder, _ = story
    checked = dt.datetime.now(dt.UTC).date()
    for name in ("trends/text_chinese/weekly.md", "trends/text_chinese/monthly.md", "trends/webdev/weekly.md"):
        lines = read(folder, name).splitlines()
        assert "> **数据版本**: 2025-08-04，距今 2 天（LMArena 官方数据集中该榜单的发布日期，按生成日 2025-08-06 计）" in lines, name
        assert any(line in lines for line in (
            f"> **最新检查的数据集版本**: `{REVISION[:12]}`（{day.isoformat()} 检查）"
            for day in (checked, checked - dt.timedelta(days=1)))), name
        assert not any(line.startswith("> **最新检查的发布**") for line in lines), name  # the CSV's wording
    monthly = read(folder, "trends/text_chinese/monthly.md")
    assert monthly.startswith("# LLM Arena 中文提示词排行榜月报\n")
    assert "> **统计区间**: 2025-07-06 至 2025-08-04（与 2025-05-19 的数据版本相比）" in monthly
    assert "- 2025-08-04：claude-opus-4-6-thinking → claude-opus-4-6-high" in section(monthly, "## 改名记录")
    month = read(folder, "trends/text_chinese/months/2025-08.md")
    assert month.startswith("# LLM Arena 中文提示词排行榜动态：2025 年 8 月\n")


def test_report_command_on_a_dataset_only_database(tmp_path, monkeypatch):
    from arena_pipeline.cli import main

    write_dataset(tmp_path / "dataset")
    with duckdb.connect(str(tmp_path / "arena.duckdb")) as conn:
        refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")), SUBSETS)
        refresh_analytics(conn)
    monkeypatch.setenv("ARENA_REPORTS_DIR", str(tmp_path / "reports"))
    base = ["--db", str(tmp_path / "arena.duckdb"), "report", "--now", "2025-08-06T11:44:37+00:00"]
    # The newest publish date is the live book; an earlier day is a look back beside it.
    assert main([*base, "--date", "2025-08-04"]) == 0
    assert "2025-08-04.md" in {p.name for p in (tmp_path / "reports" / "trends" / "text_chinese").iterdir()}
    assert main([*base, "--date", "2025-08-01"]) == 0
    look_back = tmp_path / "reports" / "as-of" / "2025-08-01"
    assert (look_back / "SUMMARY.md").is_file()
    assert not (look_back / "trends" / "text_chinese" / "2025-08-04.md").exists()
    assert (look_back / "trends" / "text_chinese" / "2025-08-01.md").is_file()


def test_dataset_pages_go_on_when_the_csv_source_stops(tmp_path):
    # The CSV source's last release is 2025-08-06; the dataset publishes the text arena on 2025-08-08.
    settings = load_settings({"ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(tmp_path / "arena.duckdb")})
    assert dg.materialize([*ingest_assets, *analytics_assets], resources=build_resources(settings),
                          instance=dg.DagsterInstance.ephemeral(),
                          tags=range_tags(dt.date(2025, 8, 4), dt.date(2025, 8, 6))).success
    later = board_from_csv(release_file("2025.08.04", "lmarena_text.csv"), dt.date(2025, 8, 8), {}, {})
    write_dataset(tmp_path / "dataset", subsets=("text", "text_style_control"), text_overall=later)
    with duckdb.connect(str(settings.db_path)) as conn:
        refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")), ["text", "text_style_control"])
        refresh_analytics(conn)
        write_all_reports(conn, tmp_path / "reports", as_of=None, now=NOW)
    folder = tmp_path / "reports"
    assert "> **数据版本**: 2025-08-08，距今 -2 天（LMArena 官方数据集中该榜单的发布日期，按生成日 2025-08-06 计）" in read(folder, "leaderboard_zh.md")
    assert (folder / "trends" / "dataset_text" / "2025-08-08.md").is_file()
    assert "> **统计区间**: 2025-08-02 至 2025-08-08" in read(folder, "trends/dataset_text/weekly.md")
    # The CSV source's pages stay as of its newest release, which they name as such.
    csv_weekly = read(folder, "trends/weekly.md")
    assert "> **最新检查的发布**: 2025-08-06（上游每天发布一次，内容可能与上一次相同）" in csv_weekly
    assert "> **统计区间**: 2025-07-31 至 2025-08-06" in csv_weekly
    assert "> **最新检查的发布**" not in read(folder, "trends/index.md")  # older than the dataset's data
    assert sorted(links(read(folder, "SUMMARY.md"))) == sorted(markdown_files(folder) - {"SUMMARY.md"})
    assert_links_resolve(folder)
