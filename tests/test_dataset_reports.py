"""The book around the official dataset's pages: SUMMARY.md and the trends index list every page
written, grouped by arena, with links that resolve; each dataset page names its source, publish
date and the dataset revision checked. Real DuckDB files loaded from generated parquet files
(tests/dataset_fixtures.py) and from real CSV releases."""

import datetime as dt
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.analytics import refresh_analytics
from arena_pipeline.dataset_ingest import refresh_dataset
from arena_pipeline.dataset_source import DatasetSource
from arena_pipeline.defs.analytics import analytics_assets
from arena_pipeline.defs.ingest import ingest_assets
from arena_pipeline.defs.partitions import range_tags
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.reports.build import write_all_reports
from arena_pipeline.settings import load_settings
from tests.conftest import RELEASES
from tests.dataset_fixtures import REVISION, write_dataset

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
        assert "> **数据版本**: 2025-08-04（LMArena 官方数据集中该榜单的发布日期）" in lines, name
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
        write_all_reports(conn, tmp_path / "reports", as_of=None, now=NOW)
    folder = tmp_path / "reports"
    summary = (folder / "SUMMARY.md").read_text(encoding="utf-8")
    assert sorted(links(summary)) == sorted(markdown_files(folder) - {"SUMMARY.md"})
    text_part = summary.split("## 文本竞技场\n")[1].split("\n## ")[0]
    # The CSV source's trend reports of the text arena, then the dataset's boards of that arena.
    assert text_part.index("[最近 7 天周报](trends/weekly.md)") < text_part.index(
        "[中文提示词排行榜](leaderboard_zh_text_chinese.md)")
    assert "[当前排行榜](leaderboard_zh_webdev.md)" in summary.split("## WebDev 编程竞技场\n")[1]
    assert_links_resolve(folder)
