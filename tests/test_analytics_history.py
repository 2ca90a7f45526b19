"""Known facts of the real history (../shared/arena-history), checked on the full analytics.

The automatic rename rule runs without the manual overrides, so these tests pin the rule itself.
"""

import csv
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from arena_pipeline.history.analytics import ANALYTICS_CHECKS, refresh_analytics
from tests.history_fixture import HISTORY_DIR, copy_of

pytestmark = pytest.mark.skipif(not HISTORY_DIR.is_dir(), reason=f"no real history at {HISTORY_DIR}")

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "rename_labels.csv"
SQL_CONTRACT = ROOT / "README.md"


@pytest.fixture(scope="module")
def conn(ingested_history, tmp_path_factory):
    connection = duckdb.connect(str(copy_of(ingested_history, tmp_path_factory.mktemp("analytics"))))
    refresh_analytics(connection, overrides_path=None)
    yield connection
    connection.close()


def rows(conn, sql, params=None):
    return conn.execute(sql, params).fetchall()


def events_on(conn, day: str, event_type: str) -> set[tuple]:
    return set(rows(
        conn,
        "select model, previous_model from model_events where arena = 'text' and snapshot_date = ? and event_type = ?",
        [date.fromisoformat(day), event_type],
    ))


def test_case_only_renames_of_2024_11_05_are_renames_not_new_models(conn):
    renamed = events_on(conn, "2024-11-05", "renamed")
    assert ("Gemma-2-27B-it", "Gemma-2-27b-it") in renamed
    assert ("Meta-Llama-3.1-405B-Instruct-fp8", "Meta-Llama-3.1-405b-Instruct-fp8") in renamed
    assert len(renamed) == 29 and all(new.lower() == old.lower() for new, old in renamed)
    # The only new models that day are the two Reka releases; nothing was dropped.
    assert events_on(conn, "2024-11-05", "new_model") == {("Reka-Core-20240904", None), ("Reka-Flash-20240904", None)}
    assert events_on(conn, "2024-11-05", "dropped") == set()


def test_a_case_change_and_its_undoing_keep_one_identity(conn):
    assert rows(
        conn,
        "select model, valid_from, valid_to from model_aliases where arena = 'text' and model_id = 'Gemma-2-27B-it' order by valid_from",
    ) == [
        ("Gemma-2-27B-it", date(2024, 7, 7), date(2024, 8, 7)),
        ("Gemma-2-27b-it", date(2024, 8, 7), date(2024, 11, 5)),
        ("Gemma-2-27B-it", date(2024, 11, 5), None),
    ]


def test_chatgpt_4o_latest_2024_11_20_is_a_new_model_not_a_rename(conn):
    assert ("ChatGPT-4o-latest (2024-11-20)", None) in events_on(conn, "2024-11-21", "new_model")
    assert ("ChatGPT-4o-latest (2024-09-03)", None) in events_on(conn, "2024-11-21", "dropped")
    ids = dict(rows(conn, "select model, model_id from model_aliases where model like 'ChatGPT-4o-latest (2024-%'"))
    assert len(set(ids.values())) == len(ids) == 3


def test_models_back_on_2025_07_27_are_relisted_not_new_nor_returned(conn):
    relisted = events_on(conn, "2025-07-27", "relisted")
    assert len(relisted) == 40 and events_on(conn, "2025-07-27", "returned") == set()
    assert ("ChatGPT-4o-latest (2024-09-03)", None) in relisted
    # Listed before only as "Bard (Gemini Pro)": its identity carries the older name.
    assert rows(conn, "select model_id from model_events where event_type = 'relisted' and model = 'Gemini App (2024-01-24)'") == [
        ("Bard (Gemini Pro)",)
    ]
    assert events_on(conn, "2025-07-27", "new_model") == {("Qwen3-235B-A22B-Instruct-2507", None)}


def test_the_2025_02_16_clean_up_is_a_listing_change_with_no_ordinary_drop(conn):
    assert len(events_on(conn, "2025-02-16", "delisted")) == 30
    assert events_on(conn, "2025-02-16", "dropped") == set()
    [(details,)] = rows(conn, "select min(details) from model_events where event_type = 'delisted'")
    assert details.startswith("last listed 2025-02-12")


def test_2025_07_27_is_a_method_change_of_four_kinds_and_not_comparable(conn):
    [(reason,)] = rows(conn, "select details from model_events where event_type = 'method_change' and arena = 'text' and snapshot_date = '2025-07-27'")
    assert "v2 -> v3" in reason
    assert rows(conn, "select method_changes from data_versions where arena = 'text' and snapshot_date = '2025-07-27'") == [
        (["rank_meaning", "listing_reshown", "score_scale", "ci_method"],)
    ]
    assert rows(conn, "select bool_or(comparable), count(*), count(*) filter (where significant) from rank_movements"
                      " where arena = 'text' and snapshot_date = '2025-07-27'") == [(False, 218, 49)]
    assert rows(conn, "select count(*) from v_biggest_movers where snapshot_date = '2025-07-27'") == [(0,)]


def test_method_changes_per_kind_with_the_offsets_sizes(conn):
    flagged = rows(conn, """
        select arena, strftime(snapshot_date, '%Y-%m-%d'), method_changes, is_method_change, score_shift
        from data_versions where len(method_changes) > 0 order by 1, 2""")
    assert flagged == [
        ("text", "2025-02-16", ["listing_hidden"], True, 0.0),
        ("text", "2025-05-20", ["score_offset"], False, -3.0),
        ("text", "2025-06-03", ["score_offset"], False, 10.0),
        ("text", "2025-06-06", ["score_offset"], False, 2.0),
        ("text", "2025-06-12", ["score_offset"], False, 5.0),
        ("text", "2025-06-17", ["score_offset"], False, 2.0),
        ("text", "2025-06-25", ["score_offset"], False, 2.0),
        ("text", "2025-07-07", ["score_offset"], False, -2.0),
        ("text", "2025-07-27", ["rank_meaning", "listing_reshown", "score_scale", "ci_method"], True, 0.0),
    ]
    assert rows(conn, "select count(*) from data_versions where year(snapshot_date) = 2024 and (len(method_changes) > 0 or score_shift <> 0)") == [(0,)]


def test_offsets_leave_only_the_real_movers(conn):
    # Before the adjustment 107 text movements were significant and comparable, nearly all of
    # them models that moved with the field.
    movers = rows(conn, """
        select strftime(snapshot_date, '%Y-%m-%d'), model, score_delta, score_delta_adj
        from v_biggest_movers order by snapshot_date""")
    assert movers == [
        ("2024-08-14", "Meta-Llama-3.1-8b-Instruct", 8.0, 8.0),
        ("2024-09-28", "o1-preview", -16.0, -16.0),
        ("2025-07-01", "Hunyuan-Large-Vision", 17.0, 17.0),
        ("2025-07-16", "Minimax-M1", -10.0, -10.0),
    ]
    # No significant-and-comparable movement on a version whose change is a common offset.
    assert rows(conn, """
        select count(*) from rank_movements as m join data_versions as v using (arena, snapshot_date)
        where m.significant and m.comparable and v.score_shift <> 0""") == [(0,)]
    assert rows(conn, "select count(*) from rank_movements where abs(score_delta) > combined_ci(ci_prev, ci)"
                      " and arena = 'text' and snapshot_date = '2025-06-03'") == [(143,)]


def test_leaders_are_sole_holders_of_rank_one(conn):
    assert rows(conn, "select count(*) from model_events where arena = 'vision' and event_type = 'new_leader'") == [(0,)]
    leaders = rows(conn, "select strftime(snapshot_date, '%Y-%m-%d'), previous_model, model from model_events"
                         " where event_type = 'new_leader' order by snapshot_date")
    assert len(leaders) == 11
    assert ("2024-09-19", "ChatGPT-4o-latest (2024-09-03)", "o1-preview") in leaders
    # Every new leader holds rank 1 alone that day.
    assert rows(conn, """
        select count(*) from model_events as e
        where e.event_type = 'new_leader'
          and (select count(*) from model_versions as m where m.arena = e.arena
               and m.snapshot_date = e.snapshot_date and m.rank_ub = 1) <> 1""") == [(0,)]


def test_v3_rank_ub_is_the_published_final_ranking_for_every_row(conn):
    published = {}
    for path in sorted(HISTORY_DIR.glob("*/lmarena_*.csv")):
        day = date.fromisoformat(path.parent.name.replace(".", "-"))
        arena = path.stem.removeprefix("lmarena_")
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                published.setdefault((arena, day, record["model"]), int(record["rank_stylectrl"]))
    loaded = {(a, d, m): (ub, sc) for a, d, m, ub, sc in rows(conn, """
        select e.arena, e.snapshot_date, e.model, e.rank_ub, e.rank_stylectrl
        from leaderboard_entries as e join snapshots as s using (arena, snapshot_date)
        where s.schema_version = 'v3'""")}
    assert len(loaded) == 14_018  # every v3 row of every release day
    assert {key: ub for key, (ub, _) in loaded.items()} == {key: published[key] for key in loaded}
    assert {sc for _, sc in loaded.values()} == {None}


def test_seven_and_thirty_day_columns_are_null_when_the_model_was_not_listed_then(conn):
    assert rows(conn, """
        select count(*) from rank_movements as m
        where (m.date_7d is not null and not exists (select 1 from model_versions as w where w.arena = m.arena
                   and w.snapshot_date = m.date_7d and w.model_id = m.model_id))
           or (m.date_30d is not null and not exists (select 1 from model_versions as w where w.arena = m.arena
                   and w.snapshot_date = m.date_30d and w.model_id = m.model_id))
           or (m.date_7d is null and m.score_delta_7d is not null)""") == [(0,)]
    drifts = rows(conn, "select count(*) filter (where significant_7d and comparable_7d),"
                        " count(*) filter (where significant_30d and comparable_30d) from rank_movements")
    assert drifts == [(8, 21)]


def test_listed_again_is_produced_for_a_name_back_after_a_rename_away(conn):
    assert ("Gemini-2.5-Pro-Exp-03-25", date(2025, 4, 6)) in rows(
        conn, "select model, valid_from from model_aliases where method = 'listed_again'")


def test_a_repeated_release_yields_no_event_and_no_movement(conn):
    repeats = rows(conn, """
        select count(*) filter (where same), count(*) filter (where same and exists (
                   select 1 from model_events e where e.arena = s.arena and e.snapshot_date = s.snapshot_date)
               or same and exists (
                   select 1 from rank_movements m where m.arena = s.arena and m.snapshot_date = s.snapshot_date))
        from (select *, data_hash = lag(data_hash) over (partition by arena order by snapshot_date) as same
              from snapshots) as s
    """)
    assert repeats == [(397, 0)]  # 496 files, 99 distinct data versions
    assert rows(conn, "select count(*) from data_versions") == [(99,)]


def test_undone_rename_and_look_alike_listed_together(conn):
    assert events_on(conn, "2025-04-06", "renamed") == {("Gemini-2.5-Pro-Exp-03-25", "Gemini-2.5-Pro-Preview-03-25")}
    # Qwen3-Coder fits Qwen3-235B's numbers on 2025-07-28, but both are listed from 2025-08-01.
    assert events_on(conn, "2025-07-28", "renamed") == set()
    assert ("Qwen3-Coder-480B-A35B-Instruct", None) in events_on(conn, "2025-07-28", "new_model")


def test_rename_rule_matches_every_labelled_pair(conn):
    with LABELS.open(encoding="utf-8", newline="") as handle:
        labels = {(r["arena"], r["date"], r["old_name"], r["new_name"]): r["is_rename"] == "true" for r in csv.DictReader(handle)}
    predicted = set(rows(conn, """
        select arena, strftime(snapshot_date, '%Y-%m-%d'), previous_model, model
        from model_events where event_type = 'renamed'
    """))
    wrong = {pair: is_rename for pair, is_rename in labels.items() if (pair in predicted) != is_rename}
    assert wrong == {}
    assert predicted - set(labels) == set(), "every predicted rename is labelled"


def test_checks_pass_on_the_real_history(conn):
    outcomes = {name: check(conn) for name, check in ANALYTICS_CHECKS.items() if name != "data_changed_recently"}
    assert {name for name, outcome in outcomes.items() if not outcome.passed} == set()
    assert outcomes["renamed_events_link_one_model"].metadata["renamed_events"] == 56
    assert outcomes["derived_rank_ub_agrees_with_published"].metadata["v3"] == {
        "rows": 1464, "exact_share": 0.722, "within_one_share": 0.962, "largest_gap": 4}
    fresh = ANALYTICS_CHECKS["data_changed_recently"]
    assert fresh(conn, today=date(2025, 8, 11)).passed
    stale = fresh(conn, today=date(2025, 9, 2))
    assert not stale.passed and "fboulnois/text/overall: data unchanged for 29 days" in stale.metadata["stale_boards"]


def sql_examples() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", SQL_CONTRACT.read_text(encoding="utf-8"), flags=re.S)


def test_the_documented_contract_has_examples():
    assert len(sql_examples()) >= 5


@pytest.mark.parametrize("example", sql_examples(), ids=lambda sql: sql.split("from")[1].split()[0])
def test_documented_example_query_runs_and_returns_rows(conn, example):
    assert rows(conn, example), "each documented example shows something on the real history"
