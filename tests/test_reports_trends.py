"""Trend reports: goldens from real history, plus the rules each section must keep."""

from datetime import UTC, date, datetime

import pytest

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.trends import org_shares, render_digest, render_period
from tests.report_fixtures import (
    assert_golden,
    count_by_org,
    diff_versions,
    period_inputs,
    previous_version,
    read_leaderboard,
)

CLOCK = datetime(2025, 2, 17, 12, 0, tzinfo=UTC)
CHARTS = {"score": "charts/text_score_90d.svg", "rank": "charts/text_rank_90d.svg"}

@pytest.fixture(scope="module")
def week():
    # 2025-02-10 .. 2025-02-16: a suffix rename, three new models, ~30 models removed.
    return period_inputs(date(2025, 2, 10), date(2025, 2, 16))


def weekly(inputs, **overrides):
    kwargs = dict(
        arena="text", start_date=date(2025, 2, 10), end_date=date(2025, 2, 16),
        baseline_date=inputs["baseline_date"], events=inputs["events"],
        movements=inputs["movements"], leaderboard=inputs["leaderboard"],
        baseline_leaderboard=inputs["baseline_leaderboard"], generated_at=CLOCK, charts=CHARTS,
    )
    return render_period("weekly", **(kwargs | overrides))


def test_golden_week_2025_02_16(week):
    assert week["versions"] == [date(2025, 2, 10), date(2025, 2, 12), date(2025, 2, 16)]
    assert_golden("trends_week_2025-02-16.md", weekly(week))


def test_week_content_matches_the_real_history(week):
    page = weekly(week)
    # The 30 models hidden at once are one folded line, not 30 rows of news.
    drops = section(page, "## 下榜与回归")
    assert "- 2025-02-16：" + zh.LISTING_HIDDEN.format(count=30) in drops
    assert "<details><summary>" in drops and "- Yi-Lightning-lite" in drops and "下榜" not in drops
    assert sum(1 for e in week["events"] if e["event_type"] == "delisted") == 30
    assert not [e for e in week["events"] if e["event_type"] == "dropped"]
    assert "- 2025-02-10：Gemini-2.0-Flash-Lite-Preview → Gemini-2.0-Flash-Lite-Preview-02-05" in page
    assert "| 2025-02-12 | [ChatGPT-4o-latest (2025-01-29)](" in page
    assert page.count("| 2025-02-16 |") == 0
    # Scores did not move this week; ranks did (after the removals), which is not significant:
    # sections with nothing to report are left out.
    assert "## 显著上升" not in page and "## 显著下降" not in page and zh.UP_EMPTY not in page


def test_golden_week_2025_06_07_with_a_score_recompute():
    # 2025-06-01 .. 2025-06-07: new models, removals, a new leader, scores shifted on 06-03.
    inputs = period_inputs(date(2025, 6, 1), date(2025, 6, 7))
    page = weekly(inputs, start_date=date(2025, 6, 1), end_date=date(2025, 6, 7),
                  generated_at=datetime(2025, 6, 8, 12, 0, tzinfo=UTC))
    assert_golden("trends_week_2025-06-07.md", page)
    # Every model moved +10 with the field on 06-03: the offset is explained, nobody "rose".
    assert "## 显著上升" not in page
    assert "- 2025-06-03：" + zh.METHOD_SCORE_OFFSET.format(shift="+10") in section(page, "## 方法变更提示")
    assert "- 2025-06-06：" in section(page, "## 榜首变更")


def test_golden_digest_2024_11_05_case_only_renames():
    day, previous = date(2024, 11, 5), previous_version(date(2024, 11, 5))
    events, movements = diff_versions(previous, day)
    page = render_digest(
        arena="text", snapshot_date=day, previous_date=previous, events=events,
        movements=movements, leaderboard=read_leaderboard(day),
        previous_leaderboard=read_leaderboard(previous),
        generated_at=datetime(2024, 11, 5, 12, 0, tzinfo=UTC),
        charts={"score": "charts/score.svg"},
    )
    assert_golden("trends_digest_2024-11-05.md", page)
    assert sum(1 for e in events if e["event_type"] == "renamed") == 29


def test_rerender_is_byte_identical(week):
    shuffled = dict(week, events=list(reversed(week["events"])),
                    movements=list(reversed(week["movements"])))
    assert weekly(week) == weekly(shuffled)


def test_empty_sections_are_left_out_and_a_quiet_version_says_so_once():
    empties = (zh.NEW_MODELS_EMPTY, zh.LEADER_EMPTY, zh.UP_EMPTY, zh.DOWN_EMPTY, zh.RENAME_EMPTY,
               zh.DROP_EMPTY, zh.METHOD_EMPTY, zh.ORG_EMPTY, zh.CHARTS_EMPTY)
    # The first version: nothing to compare, which the header says; no section, no "no change".
    first = render_digest(arena="text", snapshot_date="2025-01-01", previous_date=None,
                          events=[], movements=[], leaderboard=[], previous_leaderboard=None,
                          generated_at=CLOCK)
    assert zh.DIGEST_FIRST.format(current="2025-01-01") in first
    assert not [line for line in first.splitlines() if line.startswith("## ")]
    assert zh.NOTHING_CHANGED not in first and not any(sentence in first for sentence in empties)
    # A quiet version: one line, then the state sections (organizations) only.
    board = [{"model": "A", "rank_ub": 1, "position": 1, "organization": "Org"}]
    quiet = digest(leaderboard=board, previous=board)
    assert [line for line in quiet.splitlines() if line.startswith("## ")] == ["## 厂商格局"]
    assert quiet.count(zh.NOTHING_CHANGED) == 1 and not any(sentence in quiet for sentence in empties)
    # News in one section: that section only, and no "no change" line.
    news = digest(events=[event("renamed", "B", previous="b")], leaderboard=board, previous=board)
    assert [line for line in news.splitlines() if line.startswith("## ")] == ["## 改名记录", "## 厂商格局"]
    assert zh.NOTHING_CHANGED not in news


def test_a_top_twenty_without_any_organization_gets_a_sentence_not_a_table():
    unknown = [{"model": name, "rank_ub": rank, "position": rank, "organization": org}
               for rank, (name, org) in enumerate([("A", None), ("B", ""), ("C", " ")], start=1)]
    page = digest(leaderboard=unknown, previous=unknown)
    assert zh.ORG_UNKNOWN in page and "| 前 10 席位 |" not in page
    # One organization known among them: the table, with the rest counted as no data.
    known = [dict(unknown[0], organization="Org"), *unknown[1:]]
    page = digest(leaderboard=known, previous=unknown)
    assert zh.ORG_UNKNOWN not in page
    assert "| Org | 1（33%） | +1 | 1（33%） | +1 |" in page and f"| {zh.NO_DATA} | 2（67%） | -1 | 2（67%） | -1 |" in page


def move(model, rank_prev, rank, score_prev, score, significant=True, comparable=True,
         day=date(2025, 7, 27)):
    return {
        "arena": "text", "snapshot_date": day, "previous_date": date(2025, 7, 26),
        "model_id": model, "model": model, "rank_ub_prev": rank_prev, "rank_ub": rank,
        "rank_ub_delta": rank - rank_prev, "score_prev": score_prev, "score": score,
        "score_delta": score - score_prev, "votes_prev": 100, "votes": 120,
        "significant": significant, "comparable": comparable,
        "rank_ub_delta_7d": None, "score_delta_7d": None,
        "rank_ub_delta_30d": None, "score_delta_30d": None,
    }


def event(kind, model, previous=None, details=None, day=date(2025, 7, 27)):
    return {"arena": "text", "snapshot_date": day, "event_type": kind, "model_id": model,
            "model": model, "previous_model": previous, "details": details}


def digest(events=(), movements=(), leaderboard=(), previous=None):
    return render_digest(arena="text", snapshot_date=date(2025, 7, 27),
                         previous_date=date(2025, 7, 26), events=list(events),
                         movements=list(movements), leaderboard=list(leaderboard),
                         previous_leaderboard=previous, generated_at=CLOCK)


def section(page, heading):
    body = page.split(heading + "\n", 1)[1]
    return body.split("\n## ", 1)[0]


def test_only_significant_comparable_moves_are_listed_in_the_right_direction():
    page = digest(movements=[
        move("Climber", 12, 7, 1350, 1362),
        move("Faller", 3, 9, 1400, 1390),
        move("ScoreUpRankDown", 5, 6, 1380, 1395),  # the score decides the direction
        move("RankOnly", 9, 4, 1300, 1300),  # no score change: the rank decides
        move("Quiet", 20, 10, 1300, 1330, significant=False),
        move("Rebased", 10, 40, 1300, 1300, comparable=False),
    ])
    up, down = section(page, "## 显著上升"), section(page, "## 显著下降")
    assert "| Climber | 12 → 7 | ↑5 | 1350 → 1362 | +12 |" in up
    assert "| ScoreUpRankDown | 5 → 6 | ↓1 | 1380 → 1395 | +15 |" in up
    assert "| RankOnly | 9 → 4 | ↑5 | 1300 → 1300 | 0 |" in up
    # Bigger score gain first.
    assert up.index("ScoreUpRankDown") < up.index("Climber") < up.index("RankOnly")
    assert "| Faller | 3 → 9 | ↓6 | 1400 → 1390 | -10 |" in down
    assert "Quiet" not in page and "Rebased" not in page.split("## 方法变更提示")[0]
    assert zh.METHOD_EXCLUDED.format(count=1) in section(page, "## 方法变更提示")


def test_method_change_is_explained_and_its_details_escaped():
    page = digest(events=[event("method_change", "-", details="schema v2 -> v3 <rank> | row")],
                  movements=[move("A", 5, 35, 1300, 1300, comparable=False)])
    text = section(page, "## 方法变更提示")
    assert "- 2025-07-27：schema v2 -&gt; v3 &lt;rank&gt; \\| row" in text
    assert zh.METHOD_WHY in text
    assert "## 显著上升" not in page and "## 显著下降" not in page


def test_events_are_rendered_and_escaped():
    leaderboard = [{"model": "New <b>", "rank_ub": 4, "position": 4, "score": 1401.0,
                    "votes": 2345, "organization": "Org|X", "url": "https://x.org/n"}]
    page = digest(events=[
        event("new_model", "New <b>"),
        event("new_leader", "King", previous="Old King"),
        event("renamed", "gpt-4o", previous="GPT-4o"),
        event("dropped", "Gone"),
        event("returned", "Back"),
    ], leaderboard=leaderboard)
    assert "| [New &lt;b&gt;](https://x.org/n) | 4 | 1401 | 2,345 | Org\\|X |" in page
    assert "- Old King → **King**" in page
    assert "- GPT-4o → gpt-4o" in page
    assert "| Back | 回归 |\n| Gone | 下榜 |" in page


def test_org_shares_match_an_independent_count(week):
    current, baseline = week["leaderboard"], week["baseline_leaderboard"]
    shares = {s["organization"]: s for s in org_shares(current, baseline)}
    for n in (10, 20):
        now, before = count_by_org(current, n), count_by_org(baseline, n)
        assert {o: s["seats"][n] for o, s in shares.items() if s["seats"][n]} == dict(now)
        assert {o: s["baseline_seats"][n] for o, s in shares.items()
                if s["baseline_seats"][n]} == dict(before)
    page = weekly(week)
    google = shares["Google"]
    assert (f"| Google | {google['seats'][10]}（{google['seats'][10] * 10}%） | "
            f"{google['seats'][10] - google['baseline_seats'][10]:+d} |") in page


def test_period_ignores_rows_outside_its_range(week):
    stray = event("renamed", "Stray", previous="Old", day=date(2025, 2, 20))
    assert "Stray" not in weekly(week, events=week["events"] + [stray])


def test_period_kind_is_checked(week):
    with pytest.raises(ValueError, match="period"):
        render_period("daily", arena="text", start_date="2025-01-01", end_date="2025-01-07",
                      baseline_date=None, events=[], movements=[], leaderboard=[],
                      baseline_leaderboard=None, generated_at=CLOCK)


def method_event(kinds, **facts):
    base = {"method_changes": kinds, "is_method_change": kinds != ["score_offset"],
            "schema_before": "v2", "schema_after": "v3", "models_hidden": 30, "models_reshown": 40,
            "score_shift": 5.0, "score_slope": 0.9734, "scale_stretch": 16.45,
            "scores_moved_adj": 49, "models_in_common": 218, "symmetric_ci_share_before": 0.381,
            "symmetric_ci_share": 1.0}
    return event("method_change", None, details="english reason") | base | facts


def test_every_kind_of_method_change_has_its_chinese_explanation():
    page = digest(events=[method_event(
        ["rank_meaning", "listing_hidden", "listing_reshown", "score_offset", "score_scale", "ci_method"])])
    text = section(page, "## 方法变更提示")
    assert "- 2025-07-27：" + zh.METHOD_SEVERAL.format(count=6) in text
    for sentence in (
        zh.METHOD_RANK_IS_POSITION.format(before="v2", after="v3"),
        zh.METHOD_LISTING_HIDDEN.format(count=30),
        zh.METHOD_LISTING_RESHOWN.format(count=40),
        zh.METHOD_SCORE_OFFSET.format(shift="+5"),
        zh.METHOD_SCORE_SCALE.format(slope="0.973", stretch="16", moved=49, common=218),
        zh.METHOD_CI_METHOD.format(before="38", after="100"),
        zh.METHOD_WHY,
    ):
        assert sentence in text
    assert "english reason" not in text


def test_a_pure_offset_is_explained_without_calling_it_incomparable():
    page = digest(events=[method_event(["score_offset"], score_shift=-3.0)])
    text = section(page, "## 方法变更提示")
    assert "上游整体平移了 -3 分，已从分数变化中扣除" in text and zh.METHOD_WHY not in text


def test_moves_use_the_shift_adjusted_change():
    with_field = move("WithField", 5, 5, 1300, 1310, significant=False) | {"score_delta_adj": 0.0}
    against = move("Against", 5, 6, 1300, 1300) | {"score_delta_adj": -10.0}
    page = digest(movements=[with_field, against])
    assert "## 显著上升" not in page
    assert "| Against | 5 → 6 | ↓1 | 1300 → 1300 | -10 |" in section(page, "## 显著下降")


def test_listing_changes_are_one_folded_line_per_version_not_news():
    page = digest(events=[event("delisted", f"Old <{i}>") for i in range(12)]
                  + [event("relisted", "Back-1"), event("dropped", "Gone")])
    drops = section(page, "## 下榜与回归")
    assert zh.ITEM.format(text=zh.LISTING_HIDDEN.format(count=12)) in drops
    assert zh.ITEM.format(text=zh.LISTING_RESHOWN.format(count=1)) in drops
    assert drops.count("<details><summary>") == 2 and drops.count("</details>") == 2
    assert "- Old &lt;3&gt;" in drops
    assert "| Gone | 下榜 |" in drops and "| Old" not in drops


def test_several_models_at_rank_one_are_tied_not_a_leader():
    board = [{"model": "A", "rank_ub": 1, "position": 1}, {"model": "B <x>", "rank_ub": 1, "position": 2},
             {"model": "C", "rank_ub": 3, "position": 3}]
    leaders = section(digest(leaderboard=board), "## 榜首变更")
    assert zh.LEADER_TIED.format(models="**A**、**B &lt;x&gt;**") in leaders
    assert "当前榜首" not in leaders
    # A sole leader that did not change is no news: the section is left out.
    assert "## 榜首变更" not in digest(leaderboard=board[:1] + board[2:])
    sole = section(digest(events=[event("new_leader", "A", previous="C")], leaderboard=board[:1] + board[2:]),
                   "## 榜首变更")
    assert zh.LEADER_CURRENT.format(model="A") in sole


def test_rolling_reports_list_significant_drifts_and_say_when_the_data_is_stale(week):
    climber = move("Climber", 9, 4, 1300, 1303, significant=False, day=date(2025, 2, 16)) | {
        "date_7d": date(2025, 2, 7), "rank_ub_delta_7d": -5, "score_delta_adj_7d": 12.0,
        "significant_7d": True, "comparable_7d": True}
    across = move("Across", 9, 4, 1300, 1303, significant=False, day=date(2025, 2, 16)) | {
        "date_7d": date(2025, 2, 7), "rank_ub_delta_7d": -5, "score_delta_adj_7d": 30.0,
        "significant_7d": True, "comparable_7d": False}
    page = weekly(week, movements=[climber, across], data_version_date=date(2025, 2, 16))
    drifts = section(page, zh.DRIFT_HEADING)
    assert "| Climber | 2025-02-07 | ↑5 | 1303 | +12 |" in drifts and "Across" not in drifts
    assert "上游数据自" not in page  # the data changed on the last day of the week
    stale = weekly(week, end_date=date(2025, 2, 24), data_version_date=date(2025, 2, 16),
                   generated_at=datetime(2025, 2, 25, 9, 0, tzinfo=UTC))
    assert "上游数据自 2025-02-16 起未更新，到本页生成日 2025-02-25 已 9 天" in stale
    assert zh.LATEST_RELEASE_DATE.format(date="2025-02-24") in stale
    assert zh.DATA_VERSION_DATE.format(date="2025-02-16", days=9, today="2025-02-25") in stale
    # The age is counted to the generation day: the same week generated a day after its data is fresh.
    assert "上游数据自" not in weekly(week, end_date=date(2025, 2, 24), data_version_date=date(2025, 2, 16))



def test_new_models_are_listed_best_rank_first():
    board = [{"model": name, "rank_ub": rank, "position": pos, "score": 1400.0 - rank, "votes": 100,
              "organization": "Org", "url": None}
             for pos, (name, rank) in enumerate([("Aardvark", 30), ("Mid", 7), ("Zebra", 2)], start=1)]
    page = digest(events=[event("new_model", name) for name in ("Aardvark", "Gone", "Mid", "Zebra")],
                  leaderboard=board)
    rows = [line.split(" | ")[0].lstrip("| ") for line in section(page, "## 新上榜模型").splitlines()
            if line.startswith("| ") and "---" not in line][1:]
    assert rows == ["Zebra", "Mid", "Aardvark", "Gone"]  # no longer listed: last


def test_bounds_appearing_or_vanishing_is_said_in_words():
    appeared = section(digest(events=[method_event(["ci_method"], symmetric_ci_share_before=None)]),
                       "## 方法变更提示")
    assert zh.METHOD_CI_APPEARED in appeared and "—%" not in appeared
    vanished = section(digest(events=[method_event(["ci_method"], symmetric_ci_share=None)]), "## 方法变更提示")
    assert zh.METHOD_CI_VANISHED in vanished


def dataset_row(name, rank_ub, position, rank_stylectrl=None, votes=100):
    return {"model": name, "rank_ub": rank_ub, "rank_stylectrl": rank_stylectrl, "position": position,
            "score": 1400.0 - position, "votes": votes, "organization": "Org", "url": None}


def test_a_dataset_board_digest_names_its_source_and_shows_both_ranks():
    board = [dataset_row("top", 1, 1, 2), dataset_row("newcomer", 3, 2, None), dataset_row("climber", 3, 3, 1)]
    page = render_digest(
        arena="text", snapshot_date=date(2025, 8, 4), previous_date=date(2025, 8, 1),
        events=[event("new_model", "newcomer", day=date(2025, 8, 4))],
        movements=[move("climber", 9, 3, 1380.0, 1397.0, day=date(2025, 8, 4))],
        leaderboard=board, previous_leaderboard=board, generated_at=CLOCK,
        name="中文提示词", source_lines=[">", "> **数据来源**: 官方数据集"], style_control=True)
    lines = page.splitlines()
    assert lines[0] == "# LLM Arena 中文提示词排行榜动态：2025-08-04"
    assert lines[2:6] == [lines[2], ">", "> **数据来源**: 官方数据集", ">"] and lines[2].startswith("> **数据更新时间**")
    new_models = section(page, "## 新上榜模型")
    assert "| 模型 | 排名(UB) | 排名(StyleCtrl) | 分数 | 票数 | 服务商 |" in new_models
    assert "| newcomer | 3 | — | 1398 | 100 | Org |" in new_models  # not on the style-controlled board
    assert "| climber | 9 → 3 | 1 | ↑6 | 1380 → 1397 | +17 |" in section(page, "## 显著上升")


def test_rows_without_a_rank_upper_bound_come_after_the_ranked_ones():
    # The official dataset's Elo era publishes no bounds, so no rank upper bound can be derived.
    board = [dataset_row("unbounded", None, 1, votes=None), dataset_row("ranked", 1, 2)]
    page = digest(events=[event("new_model", "unbounded"), event("new_model", "ranked")], leaderboard=board)
    rows = [line for line in section(page, "## 新上榜模型").splitlines() if line.startswith("| ")][2:]
    assert rows == ["| ranked | 1 | 1398 | 100 | Org |", "| unbounded | — | 1399 | — | Org |"]
