"""A new publish date of the official dataset costs that date: the reload replaces only its rows
and the analytics append only its boards' new data versions, and every table equals a recompute
from scratch. On generated `text/full`-like files (tests/dataset_fixtures.write_text_history: the
churn of the real one, small), both subsets, so that rank_stylectrl crosses them."""

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from arena_pipeline.history import analytics
from arena_pipeline.history.analytics import refresh_analytics
from arena_pipeline.ingest.dataset import create_dataset_tables, load_dataset_file
from arena_pipeline.sources.dataset import DatasetFile, utc_now
from tests.dataset_fixtures import write_text_history
from tests.test_analytics_append import JITTERY_COLUMNS


def tables(conn) -> dict[str, list]:
    """Every analytics row (tests/test_analytics_append.py), by its board's four columns: a board
    that appears in a later load gets a later board_id than in a database loaded at once."""
    result = {}
    for table in analytics.ANALYTICS_TABLES:
        columns = [name for (name,) in conn.execute(
            "select column_name from information_schema.columns where table_name = ? and column_name <> 'board_id' "
            "order by ordinal_position", [table]).fetchall()]
        select = ", ".join(f"round({name}, 9)" if name in JITTERY_COLUMNS else name for name in columns)
        result[table] = conn.execute(f"select {select} from {table} order by all").fetchall()  # constant names
    return result

SUBSETS = {"text": False, "text_style_control": True}
# Categories overall (from date 0), english (14), chinese (16), coding (18), math (20),
# hard_prompts (22), then hard_prompts_english from date 24: the new date's.
DATES = 24


def load(conn, folder: Path) -> dict[str, int]:
    create_dataset_tables(conn)
    replaced = {}
    for subset in SUBSETS:
        path = folder / subset / "full-00000-of-00001.parquet"
        fetched = DatasetFile(subset, "full", str(path), path.read_bytes(), utc_now())
        replaced[subset] = load_dataset_file(conn, fetched)["days_replaced"]
    return replaced


@pytest.mark.parametrize("batch_rows", [analytics.BATCH_ROWS, 2_000])  # all boards in one batch, or in ten
def test_one_new_publish_date_recomputes_that_date_and_equals_a_recompute(tmp_path, monkeypatch, batch_rows):
    monkeypatch.setattr(analytics, "BATCH_ROWS", batch_rows)
    for dates in (DATES, DATES + 1):
        for subset, style_control in SUBSETS.items():
            write_text_history(tmp_path / str(dates) / subset / "full-00000-of-00001.parquet",
                               style_control=style_control, dates=dates)
    with duckdb.connect(str(tmp_path / "appended.duckdb")) as appended, \
            duckdb.connect(str(tmp_path / "fresh.duckdb")) as fresh:
        load(appended, tmp_path / str(DATES))
        refresh_analytics(appended)
        before = appended.execute("select max(computed_at) from analytics_inputs").fetchone()[0]
        # A row keeps its rowid while it is not deleted: which boards' old rows are rewritten.
        for table in ("model_versions", "rank_movements"):
            appended.execute(f"create temp table before_{table} as select rowid as before_rowid, * from {table}")
        # The new date lists seven boards of each subset, one of them new: seven board-days each.
        assert load(appended, tmp_path / str(DATES + 1)) == {"text": 7, "text_style_control": 7}
        # Batches are sized by the rows to compute: the new date's, not each board's history.
        batches = []
        recompute = analytics._recompute_boards
        monkeypatch.setattr(analytics, "_recompute_boards",
                            lambda conn, ids, boards, *args, **kwargs: (batches.append(len(boards)),
                                                                        recompute(conn, ids, boards, *args, **kwargs)))
        refresh_analytics(appended)
        assert sum(batches) == 14 and len(batches) == (1 if batch_rows > 2_000 else 2)
        recomputed = appended.execute("select count(*) from analytics_inputs where computed_at > ?",
                                      [before]).fetchone()[0]
        assert recomputed == 14  # the boards of that date, and no other
        newest = appended.execute("select max(snapshot_date) from data_versions").fetchone()[0]
        assert newest == dt.date(2023, 5, 8) + dt.timedelta(days=5 * DATES)
        # Old rows are kept as they were, except on hard_prompts, two versions old: model-066 was
        # missing from its second version beside the newcomer model-177 (same organization,
        # votes and score alike: a rename), and is listed again with it on the new date; two
        # names listed together are two models, so that board's past changed and it is
        # recomputed whole.
        for table in ("model_versions", "rank_movements"):
            rewritten = appended.execute(f"""
                select distinct category from before_{table} as b
                left join {table} as t using (source, arena, category, style_control, snapshot_date, model_id)
                where t.rowid is distinct from b.before_rowid order by 1""").fetchall()
            assert rewritten == [("hard_prompts",)]

        load(fresh, tmp_path / str(DATES + 1))
        refresh_analytics(fresh)
        assert tables(appended) == tables(fresh)
        assert appended.execute("select count(*) from rank_movements").fetchone()[0] > 10_000


def test_boards_recomputed_in_batches_give_the_tables_of_one_batch(tmp_path, monkeypatch):
    for subset, style_control in SUBSETS.items():
        write_text_history(tmp_path / subset / "full-00000-of-00001.parquet", style_control=style_control, dates=DATES)
    results = []
    for batch_rows in (analytics.BATCH_ROWS, 2_000):  # 12 boards in one batch, then in ten
        monkeypatch.setattr(analytics, "BATCH_ROWS", batch_rows)
        with duckdb.connect(str(tmp_path / f"{batch_rows}.duckdb")) as conn:
            load(conn, tmp_path)
            refresh_analytics(conn)
            ids = {analytics.Board(*row[:4]): row[4] for row in conn.execute(
                "select source, arena, category, style_control, board_id from boards order by all").fetchall()}
            batches = analytics._batches(conn, ids, sorted(ids))
            assert [len(batch) for batch in batches] == ([12] if batch_rows > 2_000 else [1, 1, 1, 1, 1, 1, 3, 1, 1, 1])
            results.append(tables(conn))
    assert results[0] == results[1]
