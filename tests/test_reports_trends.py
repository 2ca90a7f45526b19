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
HEADINGS = ["## 新上榜模型", "## 榜首变更", "## 显著上升", "## 显著下降", "## 改名记录",
            "## 下榜与回归", "## 方法变更提示", "## 厂商格局", "## 走势图"]


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
    assert "| 2025-02-16 | Yi-Lightning-lite | 下榜 |" in page
    assert sum(1 for e in week["events"] if e["event_type"] == "dropped") == 30
    assert "- 2025-02-10：Gemini-2.0-Flash-Lite-Preview → Gemini-2.0-Flash-Lite-Preview-02-05" in page
    assert "| 2025-02-12 | [ChatGPT-4o-latest (2025-01-29)](" in page
    assert page.count("| 2025-02-16 |") == 30
    # Scores did not move this week; ranks did (after the removals), which is not significant.
    assert zh.UP_EMPTY in page and zh.DOWN_EMPTY in page


def test_golden_week_2025_06_07_with_a_score_recompute():
    # 2025-06-01 .. 2025-06-07: new models, removals, a new leader, scores shifted on 06-03.
    inputs = period_inputs(date(2025, 6, 1), date(2025, 6, 7))
    page = weekly(inputs, start_date=date(2025, 6, 1), end_date=date(2025, 6, 7),
                  generated_at=datetime(2025, 6, 8, 12, 0, tzinfo=UTC))
    assert_golden("trends_week_2025-06-07.md", page)
    up = section(page, "## 显著上升")
    assert up.count("| 2025-06-03 |") == 20  # capped, the rest counted
    assert zh.MOVES_TRUNCATED.split("{")[0] in up
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


def test_every_section_is_present_and_says_when_nothing_happened():
    page = render_digest(arena="text", snapshot_date="2025-01-01", previous_date=None,
                         events=[], movements=[], leaderboard=[], previous_leaderboard=None,
                         generated_at=CLOCK)
    assert [line for line in page.splitlines() if line.startswith("## ")] == HEADINGS
    for sentence in (zh.NEW_MODELS_EMPTY, zh.LEADER_EMPTY, zh.UP_EMPTY, zh.DOWN_EMPTY,
                     zh.RENAME_EMPTY, zh.DROP_EMPTY, zh.METHOD_EMPTY, zh.ORG_EMPTY,
                     zh.CHARTS_EMPTY, zh.DIGEST_FIRST.format(current="2025-01-01")):
        assert sentence in page


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
    assert zh.UP_EMPTY in page and zh.DOWN_EMPTY in page


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
