"""refresh_analytics keeps its tables when nothing they depend on changed, and only then.

On the real history loaded by the real ingestion (tests/history_fixture.py).
"""

import duckdb
import pytest

from arena_pipeline.history.analytics import ALL_TABLES, refresh_analytics
from arena_pipeline.history.identity import RenameRules
from tests.history_fixture import load_history

NEWEST_TEXT = "(select max(snapshot_date) from snapshots where arena = 'text')"


@pytest.fixture
def db(tmp_path):
    with duckdb.connect(str(tmp_path / "arena.duckdb")) as conn:
        load_history(conn)
        refresh_analytics(conn)
        yield conn


def computed_at(conn):
    return conn.execute("select computed_at from analytics_inputs").fetchall()


def tables(conn) -> dict[str, list]:
    """Every analytics row; floats to 9 decimals (DuckDB's parallel aggregates, regr_slope among
    them, differ in the last bits from one full recompute to the next)."""
    return {table: [tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                    for row in conn.execute(f"select * from {table} order by all").fetchall()]  # constant names
            for table in ALL_TABLES}


@pytest.mark.slow
def test_a_run_without_new_data_keeps_the_tables(db):
    stamp, before = computed_at(db), tables(db)
    counts = refresh_analytics(db)
    assert computed_at(db) == stamp
    assert counts == {table: len(rows) for table, rows in before.items()}
    # A repeated release (the upstream's usual day) is not a data version: nothing to redo.
    db.execute(f"insert into snapshots select * replace (snapshot_date + 1 as snapshot_date) "
               f"from snapshots where arena = 'text' and snapshot_date = {NEWEST_TEXT}")
    db.execute(f"insert into leaderboard_entries select * replace (snapshot_date + 1 as snapshot_date) "
               f"from leaderboard_entries where arena = 'text' and snapshot_date = {NEWEST_TEXT} - 1")
    refresh_analytics(db)
    assert computed_at(db) == stamp
    assert tables(db) == before


@pytest.mark.slow
def test_a_changed_row_of_an_old_data_version_recomputes_as_from_scratch(db, tmp_path):
    stamp = computed_at(db)
    old_version = db.execute("select snapshot_date from data_versions where arena = 'text' "
                             "order by snapshot_date limit 1 offset 20").fetchall()[0][0]
    db.execute("update leaderboard_entries set score = score + 40, votes = votes + 1000 "
               "where arena = 'text' and snapshot_date = ? and position <= 3", [old_version])
    refresh_analytics(db)
    assert computed_at(db) != stamp
    incremental = tables(db)
    # The same data computed with no stored fingerprint at all.
    db.execute("delete from analytics_inputs")
    refresh_analytics(db)
    assert tables(db) == incremental


@pytest.mark.slow
def test_a_missing_table_or_other_rules_recompute(db, tmp_path):
    stamp = computed_at(db)
    db.execute("drop table rank_movements")
    refresh_analytics(db)
    assert computed_at(db) != stamp
    assert db.execute("select count(*) from rank_movements").fetchall()[0][0] > 0
    stamp = computed_at(db)
    refresh_analytics(db, rules=RenameRules(max_votes_ratio=1.4))
    assert computed_at(db) != stamp
