"""The full real history, backfilled from ../shared/arena-history/releases in one run."""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from arena_pipeline.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def db(history):
    with duckdb.connect(str(history["ARENA_DB"]), read_only=True) as conn:
        yield conn


def test_every_release_day_is_snapshotted(db):
    assert db.sql("select count(distinct snapshot_date), min(snapshot_date), "
                  "max(snapshot_date) from snapshots").fetchall() == [
        (420, dt.date(2024, 7, 7), dt.date(2025, 9, 2))]


def test_days_without_release_are_recorded(db):
    missing = db.sql("""
        select snapshot_date from fetch_log group by snapshot_date
        having max(http_status) = 404 and min(http_status) = 404 order by 1""").fetchall()
    assert missing == [(dt.date(2024, 8, 13),), (dt.date(2025, 4, 9),), (dt.date(2025, 4, 10),)]


def test_files_switch_on_2025_07_27(db):
    per_file = db.sql("""
        select file_name, arena, min(snapshot_date), max(snapshot_date), count(*)
        from snapshots group by all order by 3, 1""").fetchall()
    assert per_file == [
        ("lmsys.csv", "text", dt.date(2024, 7, 7), dt.date(2025, 7, 26), 382),
        ("lmarena_image.csv", "image", dt.date(2025, 7, 27), dt.date(2025, 9, 2), 38),
        ("lmarena_text.csv", "text", dt.date(2025, 7, 27), dt.date(2025, 9, 2), 38),
        ("lmarena_vision.csv", "vision", dt.date(2025, 7, 27), dt.date(2025, 9, 2), 38),
    ]
    assert db.sql("select schema_version, count(*) from snapshots group by 1 order by 1"
                  ).fetchall() == [("v1", 100), ("v2", 282), ("v3", 114)]


def test_raw_files_are_deduplicated_and_repeats_detected(db):
    assert db.sql("select count(*) from raw_files").fetchall() == [(99,)]
    # A data version is a snapshot whose data differs from the arena's previous one.
    assert db.sql("select count(*) from snapshots where not same_as_previous").fetchall() == [(99,)]
    assert db.sql("select same_as_previous from snapshots where arena = 'text' "
                  "and snapshot_date = '2024-07-07'").fetchall() == [(False,)]


def test_duplicates_are_counted_once(db):
    assert db.sql("""
        select arena, sum(duplicate_rows) from snapshots where duplicate_rows > 0
        group by 1 order by 1""").fetchall() == [("image", 8), ("text", 38)]
    assert db.sql("""
        select count(*) from (select arena, snapshot_date, model from leaderboard_entries
                              group by all having count(*) > 1)""").fetchall() == [(0,)]
    assert db.sql("select sum(row_count) from snapshots").fetchall() == \
        db.sql("select count(*) from leaderboard_entries").fetchall()


def test_backfill_run_is_recorded_in_dagster_home(history):
    with dg.DagsterInstance.from_config(str(history["DAGSTER_HOME"])) as instance:
        runs = instance.get_runs()
        assert [run.job_name for run in runs] == ["refresh"]
        assert runs[0].tags["dagster/asset_partition_range_start"] == "2024-07-07"
        assert runs[0].tags["dagster/asset_partition_range_end"] == "2025-09-02"


def test_sql_command_prints_a_table(history, capsys, monkeypatch):
    monkeypatch.setenv("ARENA_DB", str(history["ARENA_DB"]))
    assert main(["sql", "select model, score from leaderboard_entries where arena = 'text' "
                 "and snapshot_date = '2025-07-07' order by position limit 2"]) == 0
    out = capsys.readouterr().out
    assert "Gemini-2.5-Pro" in out and "1477.0" in out


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("delete from snapshots", "read-only"),
        ("create table t as select 1", "read-only"),
        ("select * from read_csv('/etc/passwd')", "disabled"),
        ("attach '/tmp/other.duckdb' as other", "disabled"),
        ("set enable_external_access = true", "locked"),
    ],
)
def test_sql_command_cannot_write_or_reach_files(history, capsys, monkeypatch, query, message):
    monkeypatch.setenv("ARENA_DB", str(history["ARENA_DB"]))
    assert main(["sql", query]) == 1
    assert message in capsys.readouterr().err
