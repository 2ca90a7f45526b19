"""Known facts of the real history (../shared/arena-history), checked on the full analytics.

The automatic rename rule runs without the manual overrides, so these tests pin the rule itself.
"""

import csv
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from arena_pipeline.analytics import ANALYTICS_CHECKS, refresh_analytics
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


def test_models_back_on_2025_07_27_are_returned_not_new(conn):
    returned = events_on(conn, "2025-07-27", "returned")
    assert len(returned) == 40
    assert ("ChatGPT-4o-latest (2024-09-03)", None) in returned
    # Listed before only as "Bard (Gemini Pro)": its identity carries the older name.
    assert rows(conn, "select model_id from model_events where event_type = 'returned' and model = 'Gemini App (2024-01-24)'") == [
        ("Bard (Gemini Pro)",)
    ]
    assert events_on(conn, "2025-07-27", "new_model") == {("Qwen3-235B-A22B-Instruct-2507", None)}


def test_2025_07_27_is_a_method_change_and_its_movements_are_not_comparable(conn):
    [(reason,)] = rows(conn, "select details from model_events where event_type = 'method_change' and arena = 'text' and snapshot_date = '2025-07-27'")
    assert "v2 -> v3" in reason
    assert rows(conn, "select bool_or(comparable), count(*) from rank_movements where arena = 'text' and snapshot_date = '2025-07-27'") == [(False, 218)]
    assert rows(conn, "select count(*) from v_biggest_movers where snapshot_date = '2025-07-27'") == [(0,)]


def test_the_whole_scale_moving_on_2025_06_03_is_a_method_change(conn):
    assert rows(conn, "select arena, snapshot_date from data_versions where is_method_change order by 2") == [
        ("text", date(2025, 6, 3)),
        ("text", date(2025, 7, 27)),
    ]


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
    outcomes = {name: check(conn) for name, check in ANALYTICS_CHECKS.items()}
    assert {name for name, outcome in outcomes.items() if not outcome.passed} == set()
    assert outcomes["renamed_events_link_one_model"].metadata["renamed_events"] == 56


def sql_examples() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", SQL_CONTRACT.read_text(encoding="utf-8"), flags=re.S)


def test_the_documented_contract_has_examples():
    assert len(sql_examples()) >= 5


@pytest.mark.parametrize("example", sql_examples(), ids=lambda sql: sql.split("from")[1].split()[0])
def test_documented_example_query_runs_and_returns_rows(conn, example):
    assert rows(conn, example), "each documented example shows something on the real history"
