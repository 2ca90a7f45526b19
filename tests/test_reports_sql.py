"""sql/reports/leaderboard.sql against the real table definitions in an in-memory DuckDB.

The query feeds render_leaderboard as is, so the end-to-end check is the golden page itself.
"""

from datetime import UTC, date, datetime

import duckdb
import pytest

from arena_pipeline.history.analytics import refresh_analytics
from arena_pipeline.reports.boards import csv_board
from arena_pipeline.reports.leaderboard_zh import render_leaderboard
from arena_pipeline.warehouse.database import run_sql
from tests.report_fixtures import GOLDEN, read_leaderboard


@pytest.fixture(scope="module")
def conn():
    conn = duckdb.connect()
    for name in ("ingest/create_snapshots", "ingest/create_leaderboard_entries"):
        run_sql(conn, name)
    for day in (date(2025, 7, 1), date(2025, 7, 7)):
        conn.execute(
            "insert into snapshots (arena, snapshot_date, file_name, sha256, schema_version, "
            "row_count, duplicate_rows, data_hash, same_as_previous) "
            "values ('text', ?, 'lmsys.csv', 'sha', 'v2', 0, 0, ?, false)",
            [day, f"hash-{day}"],
        )
        rows = read_leaderboard(day)
        columns = list(rows[0])
        conn.executemany(
            f"insert into leaderboard_entries ({', '.join(columns)}) "
            f"values ({', '.join('?' for _ in columns)})",
            [list(r.values()) for r in rows],
        )
    refresh_analytics(conn, overrides_path=None)  # the query names the data version too
    yield conn
    conn.close()


def report_rows(conn, day: date) -> list[dict]:
    cursor = run_sql(conn, "reports/leaderboard", {**csv_board("text").params(), "snapshot_date": day})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def test_a_day_without_its_own_snapshot_gets_the_latest_one_before_it(conn):
    assert {r["snapshot_date"] for r in report_rows(conn, date(2025, 7, 9))} == {date(2025, 7, 7)}
    assert {r["snapshot_date"] for r in report_rows(conn, date(2025, 7, 3))} == {date(2025, 7, 1)}
    assert report_rows(conn, date(2025, 6, 30)) == []


def test_the_page_names_the_data_version_and_the_release_checked(conn):
    conn.execute("insert into snapshots select * replace (date '2025-07-08' as snapshot_date) from snapshots"
                 " where snapshot_date = '2025-07-07'")
    conn.execute("insert into leaderboard_entries select * replace (date '2025-07-08' as snapshot_date)"
                 " from leaderboard_entries where snapshot_date = '2025-07-07'")
    refresh_analytics(conn, overrides_path=None)
    rows = report_rows(conn, date(2025, 7, 9))
    assert {(r["data_version_date"], r["latest_release_date"]) for r in rows} == {(date(2025, 7, 7), date(2025, 7, 8))}
    conn.execute("delete from snapshots where snapshot_date = '2025-07-08'")
    conn.execute("delete from leaderboard_entries where snapshot_date = '2025-07-08'")
    refresh_analytics(conn, overrides_path=None)


def test_query_rows_render_the_golden_page(conn):
    rows = report_rows(conn, date(2025, 7, 7))
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
    page = render_leaderboard(
        rows, arena="text", snapshot_date=rows[0]["data_version_date"],
        schema_version=rows[0]["schema_version"], latest_release_date=rows[0]["latest_release_date"],
        generated_at=datetime(2025, 7, 9, 11, 44, 37, tzinfo=UTC),
    )
    assert page == (GOLDEN / "leaderboard_zh_2025-07-07.md").read_text(encoding="utf-8")
