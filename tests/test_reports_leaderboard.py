"""The Chinese leaderboard page, checked against the spec with the real 2025.07.07 release."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from arena_pipeline.reports.leaderboard_zh import render_leaderboard
from arena_pipeline.reports.markdown import write_text
from tests.report_fixtures import assert_golden, read_leaderboard

DAY = date(2025, 7, 7)
CLOCK = datetime(2025, 7, 9, 11, 44, 37, tzinfo=UTC)
HEADER = ("| 排名(UB) | 排名(StyleCtrl) | 模型名 | 分数 | 置信区间 | 票数 | 服务商 | 许可协议 "
          "| 知识截止日期 |")


def render(rows, schema_version="v2", generated_at=CLOCK, arena="text"):
    return render_leaderboard(rows, arena=arena, snapshot_date=DAY,
                              schema_version=schema_version, generated_at=generated_at,
                              latest_release_date=DAY)


@pytest.fixture(scope="module")
def rows():
    return read_leaderboard(DAY)


def test_golden_2025_07_07(rows):
    assert_golden("leaderboard_zh_2025-07-07.md", render(rows))


def test_spec_lines_appear_verbatim(rows):
    page = render(rows)
    lines = page.splitlines()
    assert lines[0] == "# LLM Arena 排行榜 (实时更新)"
    assert ("> **数据更新时间**: 2025-07-09 11:44:37 UTC / 2025-07-09 19:44:37 CST (北京时间)"
            in lines)
    assert any("2025-07-07" in line for line in lines if line.startswith("> "))
    assert '{% hint style="info" %}' in lines and "{% endhint %}" in lines
    assert HEADER in lines
    # The two example rows of the issue, byte for byte.
    assert ("| 1 | 1 | [Gemini-2.5-Pro](http://aistudio.google.com/app/prompts/new_chat?model="
            "gemini-2.5-pro) | 1477 | +5/-5 | 15,769 | Google | Proprietary | 暂无数据 |") in lines
    assert ("| 3 | 2 | [o3-2025-04-16](https://openai.com/index/introducing-o3-and-o4-mini/) "
            "| 1427 | +3/-4 | 21,965 | OpenAI | Proprietary | 暂无数据 |") in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## 排行榜", "## 说明", "## 数据来源与更新频率", "## 免责声明"]


def test_one_row_per_model_in_upstream_order(rows):
    page = render(list(reversed(rows)))  # the query's order must not matter
    table = [line for line in page.splitlines() if line.startswith("| ") and "](" in line]
    assert len(table) == len(rows) == 213
    assert table[0].startswith("| 1 | 1 | [Gemini-2.5-Pro]")
    assert table[-1].startswith("| 212 | 210 | [LLaMA-13B]")
    # Known cutoffs are shown as published.
    assert table[-1].endswith("| Meta | Non-commercial | 2023/2 |")


def test_rerender_is_byte_identical_and_so_is_the_written_file(rows, tmp_path):
    first, second = render(rows), render([dict(r) for r in rows])
    assert first == second
    path = tmp_path / "leaderboard_zh.md"
    write_text(path, first)
    before = path.read_bytes()
    write_text(path, second)
    assert path.read_bytes() == before


def test_generation_time_is_shown_in_utc_and_beijing_time(rows):
    beijing = timezone(timedelta(hours=8))
    page = render(rows[:1], generated_at=datetime(2025, 1, 1, 2, 30, tzinfo=beijing))
    assert "2024-12-31 18:30:00 UTC / 2025-01-01 02:30:00 CST (北京时间)" in page
    with pytest.raises(ValueError, match="timezone-aware"):
        render(rows[:1], generated_at=datetime(2025, 1, 1))


def entry(**overrides):
    base = {
        "arena": "text", "snapshot_date": DAY, "model": "M", "rank_ub": 1, "rank_stylectrl": 1,
        "position": 1, "score": 1300.0, "ci_plus": 5, "ci_minus": 4, "votes": 1000,
        "organization": "Org", "license": "MIT", "knowledge_cutoff": "Online", "url": None,
    }
    return base | overrides


def test_missing_values_are_said_not_hidden():
    page = render([entry(rank_stylectrl=None, knowledge_cutoff=None, organization=None,
                         license="", url="javascript:alert(1)"),
                   entry(model="N", position=2, rank_stylectrl=None)], schema_version="v1")
    assert "| 1 | — | M | 1300 | +5/-4 | 1,000 | 暂无数据 | 暂无数据 | 暂无数据 |" in page
    assert "尚未发布风格控制排名" in page  # the note explaining the dash


def test_a_descriptive_column_empty_for_every_model_is_left_out_and_said_so():
    page = render([entry(knowledge_cutoff=None), entry(model="N", position=2, knowledge_cutoff="Unknown")],
                  arena="image")
    assert "| 排名(UB) | 排名(StyleCtrl) | 模型名 | 分数 | 置信区间 | 票数 | 服务商 | 许可协议 |\n" in page
    assert "| 1 | 1 | M | 1300 | +5/-4 | 1,000 | Org | MIT |" in page
    assert "上游没有为本榜单的任何模型发布「知识截止日期」，这些列已省略。" in page
    assert "暂无数据 |" not in page
    assert "省略" not in render([entry(), entry(model="N", position=2, knowledge_cutoff=None)])


def test_v3_pages_say_where_rank_ub_comes_from_and_why_stylectrl_is_empty():
    page = render([entry(rank_stylectrl=None)], schema_version="v3")
    assert "名为 `rank_stylectrl` 的列" in page and "显示为 —" in page
    assert "名为 `rank_stylectrl` 的列" not in render([entry()], schema_version="v2")


def test_hostile_model_name_cannot_break_the_table():
    page = render([entry(model="Evil | </td><script>x</script>\n| 9 | [y](z)",
                         url="https://example.com/a)b")])
    row = next(line for line in page.splitlines() if line.startswith("| 1 |"))
    assert row.replace("\\|", "").count("|") == 10  # nine cells
    assert "<script>" not in page
    assert "[Evil \\| &lt;/td&gt;&lt;script&gt;x&lt;/script&gt; \\| 9 \\| \\[y\\](z)]" in row
    assert "(https://example.com/a%29b)" in row


def test_other_arenas_get_their_own_title():
    assert render([entry()], arena="vision").startswith("# LLM Arena 视觉排行榜 (实时更新)\n")


def test_empty_leaderboard_says_so():
    page = render([])
    assert "本数据版本中没有可展示的模型。" in page
    assert HEADER not in page
