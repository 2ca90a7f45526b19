"""refresh_analytics appends the rows of new data versions to a board whose stored versions did
not change, and the result equals a from-scratch recompute; any change to an old version or to
an old row's identity recomputes the board whole.

On the real history loaded by the real ingestion (tests/history_fixture.py): the analytics of the
history up to a day, then the release days after it added one by one.
"""

from datetime import date, timedelta

import duckdb
import pytest

from arena_pipeline.history.analytics import ANALYTICS_TABLES, refresh_analytics

# Rebuilt per board from the rename rule: compared, but never appended to.
APPENDED_TABLES = [table for table in ANALYTICS_TABLES if table != "model_aliases"]
# DuckDB's parallel regr_slope differs in the last bits from one computation to the next.
JITTERY_COLUMNS = {"score_slope", "scale_stretch"}
TEXT = ("fboulnois", "text", "overall", False)
START = date(2025, 2, 4)
# New data versions of the text board on most of these days; renames on 2025-02-06 (Qwen2.5-Max)
# and 2025-02-10, a listing change on 2025-02-16 (30 models hidden), then a jump of five months
# in one step and the v2 -> v3 header change (rank changes meaning) on 2025-07-27.
STEPS = [START + timedelta(days=i) for i in range(1, 14)] + [date(2025, 7, 26), date(2025, 7, 27), date(2025, 7, 28)]


@pytest.fixture
def db(ingested_history):
    """The ingested real history in memory, its releases after START held back."""
    conn = duckdb.connect()
    conn.execute("attach ? as src (read_only)", [str(ingested_history)])
    conn.execute("copy from database src to memory")
    conn.execute("detach src")
    for table in ("snapshots", "leaderboard_entries"):
        conn.execute(f"create table held_{table} as select * from {table} where snapshot_date > ?", [START])
        conn.execute(f"delete from {table} where snapshot_date > ?", [START])
    refresh_analytics(conn)
    yield conn
    conn.close()


def release(conn, after: date, until: date) -> None:
    for table in ("snapshots", "leaderboard_entries"):
        conn.execute(f"insert into {table} select * from held_{table} where snapshot_date > ? and snapshot_date <= ?",
                     [after, until])


def tables(conn) -> dict[str, list]:
    """Every analytics row, every column exact but the jittery floats (to 9 decimals)."""
    result = {}
    for table in ANALYTICS_TABLES:
        columns = [name for (name,) in conn.execute(
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
            [table]).fetchall()]
        select = ", ".join(f"round({name}, 9)" if name in JITTERY_COLUMNS else name for name in columns)
        result[table] = conn.execute(f"select {select} from {table} order by all").fetchall()  # constant names
    return result


def row_ids(conn, until: date) -> dict[str, set]:
    """The physical row ids of the text board's rows up to a day: kept only by an append."""
    return {table: set(conn.execute(
        f"select rowid from {table} where source = ? and arena = ? and category = ? and style_control = ? "
        f"and snapshot_date <= ?", [*TEXT, until]).fetchall())
        for table in APPENDED_TABLES}


def from_scratch(conn) -> dict[str, list]:
    conn.execute("delete from analytics_inputs")
    refresh_analytics(conn)
    return tables(conn)


def text_versions(conn) -> list[date]:
    return [day for (day,) in conn.execute(
        "select snapshot_date from data_versions where source = ? and arena = ? and category = ? "
        "and style_control = ? order by snapshot_date", TEXT).fetchall()]


@pytest.mark.slow
def test_appending_release_days_one_by_one_equals_a_recompute_from_scratch(db):
    previous = START
    appended_steps = []
    for day in STEPS:
        stored_newest = text_versions(db)[-1]
        kept = row_ids(db, stored_newest)
        release(db, previous, day)
        refresh_analytics(db)
        appended = tables(db)
        if text_versions(db)[-1] > stored_newest:
            # The stored rows of the old versions were kept, not deleted and inserted again.
            assert row_ids(db, stored_newest) == kept, day
            appended_steps.append(day)
        assert appended == from_scratch(db), day
        previous = day
    # The steps with a new text version, among them both renames and both method changes.
    assert {date(2025, 2, 6), date(2025, 2, 10), date(2025, 2, 16), date(2025, 7, 27)} <= set(appended_steps)
    events = db.execute("select snapshot_date, event_type, model from model_events "
                        "where arena = 'text' and event_type in ('renamed', 'method_change') and snapshot_date > ?",
                        [START]).fetchall()
    assert (date(2025, 2, 6), "renamed", "Qwen2.5-Max") in events
    assert (date(2025, 2, 16), "method_change", None) in events
    assert (date(2025, 7, 27), "method_change", None) in events
    # The era count went on from the stored versions' (a running sum over the whole board).
    eras = db.execute("select snapshot_date, method_era from data_versions where source = ? and arena = ? "
                      "and category = ? and style_control = ? order by snapshot_date", TEXT).fetchall()
    at_rank_change = [i for i, (day, _) in enumerate(eras) if day == date(2025, 7, 27)][0]
    assert eras[at_rank_change][1] == eras[at_rank_change - 1][1] + 1 > 2


@pytest.mark.slow
def test_a_changed_old_version_with_new_ones_recomputes_the_board_whole(db):
    stored_newest = text_versions(db)[-1]
    kept = row_ids(db, stored_newest)
    old_version = text_versions(db)[20]
    db.execute("update leaderboard_entries set score = score + 40 "
               "where arena = 'text' and snapshot_date = ? and position <= 3", [old_version])
    release(db, START, STEPS[5])
    refresh_analytics(db)
    assert text_versions(db)[-1] > stored_newest
    recomputed = row_ids(db, stored_newest)
    assert all(not (recomputed[table] & kept[table]) for table in APPENDED_TABLES)
    assert tables(db) == from_scratch(db)


@pytest.mark.slow
def test_a_new_version_that_undoes_an_old_rename_recomputes_the_board_whole(db):
    """Qwen-Max-2025-01-25 became Qwen2.5-Max on 2025-02-06; a new version listing both names
    makes them two models (names listed together), which changes old rows' model_id."""
    release(db, START, date(2025, 2, 8))
    refresh_analytics(db)
    newest = text_versions(db)[-1]
    assert db.execute("select count(distinct model_id) from model_versions where arena = 'text' "
                      "and model in ('Qwen-Max-2025-01-25', 'Qwen2.5-Max')").fetchall() == [(1,)]
    kept = row_ids(db, newest)
    last = db.execute("select max(snapshot_date) from snapshots where arena = 'text'").fetchall()[0][0]
    day = last + timedelta(days=1)
    db.execute("insert into snapshots select * replace (?::date as snapshot_date, data_hash || '+old name' as data_hash) "
               "from snapshots where arena = 'text' and snapshot_date = ?", [day, last])
    db.execute("insert into leaderboard_entries select * replace (?::date as snapshot_date) "
               "from leaderboard_entries where arena = 'text' and snapshot_date = ?", [day, last])
    db.execute("insert into leaderboard_entries select * replace (?::date as snapshot_date, 'Qwen-Max-2025-01-25' as model) "
               "from leaderboard_entries where arena = 'text' and snapshot_date = ? and model = 'Qwen2.5-Max'",
               [day, last])
    refresh_analytics(db)
    assert text_versions(db)[-1] == day
    assert db.execute("select count(distinct model_id) from model_versions where arena = 'text' "
                      "and model in ('Qwen-Max-2025-01-25', 'Qwen2.5-Max')").fetchall() == [(2,)]
    recomputed = row_ids(db, newest)
    assert all(not (recomputed[table] & kept[table]) for table in APPENDED_TABLES)
    assert tables(db) == from_scratch(db)


@pytest.mark.slow
def test_analytics_inputs_of_the_release_before_the_append_path_are_replaced(db):
    """A database whose analytics_inputs has no newest_version_date recomputes every board."""
    newest_before = text_versions(db)[-1]
    db.execute("alter table analytics_inputs drop column newest_version_date")
    release(db, START, STEPS[3])
    refresh_analytics(db)
    assert db.execute("select count(*) from analytics_inputs where newest_version_date is null").fetchall() == [(0,)]
    assert text_versions(db)[-1] > newest_before
    assert tables(db) == from_scratch(db)


@pytest.mark.slow
def test_a_database_of_the_release_before_the_board_key_is_recomputed(db):
    """What the release before the boards table wrote (analytics_inputs and every history table
    keyed by the four board columns, no boards table): every board is numbered and recomputed,
    and the rows are those of a recompute from scratch."""
    db.execute("create or replace table analytics_inputs as select b.source, b.arena, b.category, b.style_control, "
               "i.* exclude (board_id) from analytics_inputs as i join boards as b using (board_id)")
    for table in ANALYTICS_TABLES:  # constant names
        db.execute(f"create or replace table {table} as select * exclude (board_id) from {table}")
    db.execute("drop table boards")
    release(db, START, STEPS[3])
    refresh_analytics(db)
    assert db.execute("select column_name from information_schema.columns where table_name = 'analytics_inputs' "
                      "order by ordinal_position limit 1").fetchall() == [("board_id",)]
    # Only the text arena had releases by then (vision and image from 2025-07-27).
    assert db.execute("select board_id, source, arena, category, style_control, title_zh, is_headline "
                      "from boards").fetchall() == [(1, "fboulnois", "text", "overall", False, "文本", True)]
    assert tables(db) == from_scratch(db)
