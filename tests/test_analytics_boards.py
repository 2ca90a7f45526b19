"""The history analytics per board (source, arena, category, style_control), on the official
dataset's fixtures (tests/dataset_fixtures.py) and beside the real CSV history.

The `chinese` board of the text arena is computed like any other: its versions, rename, common
offsets, a row without bounds, leaders and movements are asserted below from the fixture's
construction (ratings drift by +1.75 a date, the style-controlled board is re-scaled by +60 on
2025-05-19, claude-opus-4-6-thinking is renamed claude-opus-4-6-high from 2025-08-04).
"""

from datetime import date

import duckdb
import pytest

from arena_pipeline.history.analytics import ANALYTICS_CHECKS, ANALYTICS_TABLES, refresh_analytics
from arena_pipeline.history.identity import RENAMED_BY_NUMBERS
from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.sources.dataset import DatasetSource
from tests.dataset_fixtures import NO_BOUNDS, RENAMED, write_dataset
from tests.history_fixture import HISTORY_DIR, copy_of
from tests.test_analytics_history import sql_examples

SUBSETS = ["text", "text_style_control", "vision", "vision_style_control", "webdev"]
CHINESE = ("lmarena_dataset", "text", "chinese", False)
CHINESE_SC = ("lmarena_dataset", "text", "chinese", True)
ON_BOARD = "source = ? and arena = ? and category = ? and style_control = ?"


def load_dataset(conn, folder) -> None:
    write_dataset(folder, subsets=tuple(SUBSETS))
    report = refresh_dataset(conn, DatasetSource(str(folder)), SUBSETS)
    assert not report.failures


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    connection = duckdb.connect()
    load_dataset(connection, tmp_path_factory.mktemp("dataset"))
    refresh_analytics(connection, overrides_path=None)
    yield connection
    connection.close()


def on_board(conn, board, sql, *params):
    return conn.execute(sql.replace("{board}", ON_BOARD), [*board, *params]).fetchall()


def test_the_chinese_board_has_its_versions_rename_offsets_and_leader(conn):
    versions = on_board(conn, CHINESE, """
        select snapshot_date, version_no, previous_date, schema_version, row_count, models_in_common,
               round(score_shift, 6), method_changes, is_method_change, method_era
        from data_versions where {board} order by snapshot_date""")
    assert [(v[0], v[1], v[3], v[4]) for v in versions] == [
        (date(2025, 5, 11), 1, "dataset", 11), (date(2025, 5, 19), 2, "dataset", 11),
        (date(2025, 8, 1), 3, "dataset", 11), (date(2025, 8, 4), 4, "dataset", 11)]
    # Every later date moves the whole field by the fixture's drift: an offset, not a break.
    assert [(v[5], v[6], v[7], v[8], v[9]) for v in versions[1:]] == [(11, 1.75, ["score_offset"], False, 1)] * 3
    # The rename is found on the chinese board itself, by the numbers (same org, votes continue).
    events = on_board(conn, CHINESE, """
        select snapshot_date, event_type, model_id, model, previous_model, details
        from model_events where {board} and event_type <> 'method_change' order by all""")
    assert events == [(date(2025, 8, 4), "renamed", RENAMED[0], RENAMED[1], RENAMED[0], RENAMED_BY_NUMBERS)]
    renamed = on_board(conn, CHINESE, """
        select snapshot_date, rank_ub_delta, round(score_delta, 6), round(score_delta_adj, 6), significant, comparable
        from rank_movements where {board} and model_id = ? order by snapshot_date""", RENAMED[0])
    assert renamed[-1] == (date(2025, 8, 4), 0, 1.75, 0.0, False, True)
    # Its leader, like any board's: the sole holder of rank 1 of the newest version.
    latest = on_board(conn, CHINESE, """
        select model, rank_ub, position from v_latest_leaderboard where {board} order by position limit 2""")
    assert latest[0] == ("gemini-2.5-pro", 1, 1)


def test_the_style_controlled_chinese_board_reads_the_rescaling_as_an_offset(conn):
    rescale = on_board(conn, CHINESE_SC, """
        select round(score_shift, 6), offset_agreement, method_changes, is_method_change, method_change_reason
        from data_versions where {board} and snapshot_date = '2025-05-19'""")
    assert rescale == [(61.75, 1.0, ["score_offset"], False,
                        "common offset of +61.75 points (100% of the 11 models in common agree); "
                        "removed from score_delta_adj")]
    # Removed from every movement: nobody moved relative to the field, nothing is significant.
    moved = on_board(conn, CHINESE_SC, """
        select count(*), count(*) filter (where significant), max(abs(score_delta_adj))
        from rank_movements where {board} and snapshot_date = '2025-05-19'""")
    assert moved[0][:2] == (11, 0) and moved[0][2] < 1


def test_a_row_without_bounds_is_unknown_not_a_method_change(conn):
    model, _, day = NO_BOUNDS
    row = on_board(conn, CHINESE, """
        select rank_ub, ci_plus, ci_minus, ci, position from model_versions
        where {board} and model_id = ? and snapshot_date = ?""", model, day)
    assert row == [(None, None, None, None, 11)]
    significance = on_board(conn, CHINESE, """
        select snapshot_date, significant, comparable from rank_movements
        where {board} and model_id = ? and snapshot_date >= ? order by snapshot_date""", model, day)
    assert significance == [(day, None, True), (date(2025, 8, 4), None, True)]
    shares = on_board(conn, CHINESE, """
        select round(bounded_share, 4), symmetric_ci_share, method_changes from data_versions
        where {board} and snapshot_date = ?""", day)
    assert shares == [(round(10 / 11, 4), 1.0, ["score_offset"])]


def test_the_end_of_the_elo_era_is_a_ci_method_change(conn):
    """The raw text overall board's first date has integer ratings and no bounds or votes."""
    overall = ("lmarena_dataset", "text", "overall", False)
    switch = on_board(conn, overall, """
        select previous_date, bounded_share, method_changes, is_method_change, method_era, method_change_reason
        from data_versions where {board} and snapshot_date = '2025-05-11'""")
    assert switch[0][:5] == (date(2023, 12, 20), 1.0, ["score_offset", "ci_method"], True, 2)
    assert "CI method changed: bounds published for 0% -> 100% of the rows" in switch[0][5]
    movements = on_board(conn, overall, """
        select count(*), count(significant), count(*) filter (where comparable)
        from rank_movements where {board} and snapshot_date = '2025-05-11'""")
    assert movements == [(11, 0, 0)]
    first = on_board(conn, overall, "select details from model_events where {board} and model_id = 'glm-4.5'")
    assert first == []  # listed since the first version: no event
    # No board has a sole leader in the Elo era (no rank upper bound): no leader change is invented.
    assert conn.execute("select count(*) from model_events where event_type = 'new_leader'").fetchone() == (0,)


def test_every_board_is_computed_and_the_checks_pass(conn):
    boards = conn.execute("select distinct source, arena, category, style_control from data_versions").fetchall()
    loaded = conn.execute("select distinct source, arena, category, style_control from dataset_snapshots").fetchall()
    assert sorted(boards) == sorted(loaded) and len(boards) == 12
    renames = conn.execute("select count(*) from model_events where event_type = 'renamed'").fetchone()[0]
    assert renames == 12  # the rename on every board that lists the model on both dates
    outcomes = {name: check(conn) for name, check in ANALYTICS_CHECKS.items() if name != "data_changed_recently"}
    assert all(outcome.passed for outcome in outcomes.values()), outcomes
    assert outcomes["ci_parsed_for_every_row"].metadata["dataset_rows_without_bounds"] == 11 + 1
    assert outcomes["derived_rank_ub_agrees_with_published"].metadata == {"versions_derived_this_run": 0}  # CSV only
    stale = ANALYTICS_CHECKS["data_changed_recently"](conn, today=date(2025, 8, 20), max_age_days=14)
    assert "lmarena_dataset/text/chinese/style_control: data unchanged for 16 days" in stale.metadata["stale_boards"]


def test_a_republication_with_the_same_data_is_not_a_version(conn):
    """A publish date whose rows hash like the board's previous date's adds no data version."""
    board = ("lmarena_dataset", "webdev", "overall", False)
    before = on_board(conn, board, "select count(*) from data_versions where {board}")
    conn.execute("begin")
    try:
        conn.execute("""insert into dataset_snapshots select * replace (date '2025-08-05' as snapshot_date)
                        from dataset_snapshots where {board} and snapshot_date = '2025-08-04'"""
                     .replace("{board}", ON_BOARD), list(board))
        assert on_board(conn, board, "select count(*) from data_version_days() where {board}") == before
    finally:
        conn.execute("rollback")


def board_rows(conn, where: str = "true") -> dict[str, list]:
    """Every analytics row (floats to 9 decimals: parallel aggregates differ in the last bits)."""
    return {table: [tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                    for row in conn.execute(f"select * from {table} where {where} order by all").fetchall()]
            for table in ANALYTICS_TABLES}  # constant names


def computed_at(conn) -> dict[tuple, object]:
    return {tuple(row[:4]): row[4] for row in conn.execute(
        "select source, arena, category, style_control, computed_at from analytics_inputs "
        "join boards using (board_id)").fetchall()}


@pytest.fixture
def both_sources(ingested_history, tmp_path):
    """The real CSV history and the dataset fixtures in one database, analytics computed."""
    (tmp_path / "both").mkdir()
    with duckdb.connect(str(copy_of(ingested_history, tmp_path / "both"))) as connection:
        load_dataset(connection, tmp_path / "dataset")
        refresh_analytics(connection, overrides_path=None)
        yield connection


@pytest.mark.slow
@pytest.mark.skipif(not HISTORY_DIR.is_dir(), reason=f"no real history at {HISTORY_DIR}")
def test_csv_boards_are_the_same_beside_the_dataset(both_sources, ingested_history, tmp_path):
    (tmp_path / "csv_only").mkdir()
    with duckdb.connect(str(copy_of(ingested_history, tmp_path / "csv_only"))) as csv_only:
        refresh_analytics(csv_only, overrides_path=None)
        assert board_rows(both_sources, "source = 'fboulnois'") == board_rows(csv_only)
        # The README's examples (they filter on the CSV source) return what they return without the dataset.
        for example in sql_examples():
            if "source = 'fboulnois'" in example:
                assert both_sources.execute(example).fetchall() == csv_only.execute(example).fetchall(), example
    assert {board[0] for board in computed_at(both_sources)} == {"fboulnois", "lmarena_dataset"}


@pytest.mark.slow
@pytest.mark.skipif(not HISTORY_DIR.is_dir(), reason=f"no real history at {HISTORY_DIR}")
def test_only_the_boards_whose_inputs_changed_are_recomputed(both_sources):
    conn = both_sources
    stamps, before = computed_at(conn), board_rows(conn)
    # Nothing changed: nothing is recomputed.
    refresh_analytics(conn, overrides_path=None)
    assert computed_at(conn) == stamps
    # One dataset board changes (a late correction of one score on the chinese board).
    conn.execute(f"update dataset_entries set score = score + 30 where {ON_BOARD} "
                 "and snapshot_date = '2025-08-01' and model = 'kimi-k2'", list(CHINESE))
    refresh_analytics(conn, overrides_path=None)
    after = computed_at(conn)
    assert {board for board in after if after[board] != stamps[board]} == {CHINESE}
    others = "not (source = 'lmarena_dataset' and arena = 'text' and category = 'chinese' and not style_control)"
    # Each table's first column is board_id, then the board's four columns.
    assert board_rows(conn, others) == {table: [row for row in rows if tuple(row[1:5]) != CHINESE]
                                        for table, rows in before.items()}
    assert board_rows(conn) != before
    moved = conn.execute(f"select round(score_delta_adj, 6), significant from rank_movements where {ON_BOARD} "
                         "and model_id = 'kimi-k2' and snapshot_date = '2025-08-01'", list(CHINESE)).fetchall()
    assert moved == [(30.0, True)]
    incremental = board_rows(conn)
    # The same data computed from scratch (no stored fingerprint) gives the same rows.
    conn.execute("delete from analytics_inputs")
    refresh_analytics(conn, overrides_path=None)
    assert board_rows(conn) == incremental
    # A new CSV release with new data recomputes that CSV board only.
    stamps = computed_at(conn)
    newest = "(select max(snapshot_date) from snapshots where arena = 'vision')"
    conn.execute(f"insert into snapshots select * replace (snapshot_date + 1 as snapshot_date, data_hash || '+' "
                 f"as data_hash) from snapshots where arena = 'vision' and snapshot_date = {newest}")
    conn.execute(f"insert into leaderboard_entries select * replace (snapshot_date + 1 as snapshot_date, "
                 f"votes + 100 as votes) from leaderboard_entries where arena = 'vision' "
                 f"and snapshot_date = {newest} - 1")
    refresh_analytics(conn, overrides_path=None)
    after = computed_at(conn)
    assert {board for board in after if after[board] != stamps[board]} == {("fboulnois", "vision", "overall", False)}


def test_a_database_of_the_previous_release_is_recomputed_per_board(tmp_path):
    """analytics_inputs with one row for everything and tables without board columns (what the
    release before boards wrote): dropped and computed anew, board by board."""
    with duckdb.connect() as connection:
        load_dataset(connection, tmp_path / "dataset")
        connection.execute("create table analytics_inputs (singleton boolean primary key default true "
                           "check (singleton), fingerprint varchar not null, computed_at timestamp not null)")
        connection.execute("insert into analytics_inputs values (true, 'old', now())")
        for table in ANALYTICS_TABLES:  # constant names
            connection.execute(f"create table {table} (arena varchar, snapshot_date date)")
        counts = refresh_analytics(connection, overrides_path=None)
        assert counts["data_versions"] == 37
        assert connection.execute("select count(*) from analytics_inputs").fetchone() == (12,)
        assert on_board(connection, CHINESE, "select count(*) from data_versions where {board}") == [(4,)]


def test_a_board_that_is_no_longer_loaded_loses_its_rows(tmp_path):
    with duckdb.connect() as connection:
        load_dataset(connection, tmp_path / "dataset")
        refresh_analytics(connection, overrides_path=None)
        html = ("lmarena_dataset", "webdev", "webdev-html", False)
        assert on_board(connection, html, "select count(*) from model_versions where {board}") == [(14,)]
        for table in ("dataset_entries", "dataset_snapshots"):  # constant names
            connection.execute(f"delete from {table} where {ON_BOARD}", list(html))
        refresh_analytics(connection, overrides_path=None)
        for table in ANALYTICS_TABLES:
            assert on_board(connection, html, f"select count(*) from {table} where {{board}}") == [(0,)], table
        assert on_board(connection, html, "select count(*) from analytics_inputs join boards using (board_id) "
                                          "where {board}") == [(0,)]
        # The board keeps its row and key in boards: were it loaded again, its rows would get the same key.
        assert on_board(connection, html, "select count(*) from boards where {board}") == [(1,)]
        assert connection.execute("select count(distinct (source, arena, category, style_control)) "
                                  "from data_versions").fetchone() == (11,)
