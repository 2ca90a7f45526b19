"""Seconds to recompute every analytics table over the full real history (from scratch), to
find that nothing changed, and to append the newest release day's data versions (the analytics
of the history before it stored, as after the previous day's update).

    python benchmarks/analytics_recompute.py [repeats] [history_copies]

history_copies > 1 appends shifted copies of the history (each one ~14 months later, with the
model names suffixed so they stay distinct) to show how the cost grows with years of history.
"""

import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arena_pipeline.history.analytics import refresh_analytics  # noqa: E402
from tests.history_fixture import load_history  # noqa: E402


def extend_history(conn: duckdb.DuckDBPyConnection, copies: int) -> None:
    """Append copies of the history shifted by its own span, so versions stay consecutive."""
    span = conn.execute("select max(snapshot_date) - min(snapshot_date) + 1 from snapshots").fetchall()[0][0]
    for copy in range(1, copies):
        shift = span * copy
        conn.execute(
            "insert into snapshots select arena, snapshot_date + $shift, file_name, sha256, "
            "schema_version, row_count, duplicate_rows, data_hash || $tag, same_as_previous "
            "from snapshots where snapshot_date < (select min(snapshot_date) from snapshots) + $span",
            {"shift": shift, "tag": f"#{copy}", "span": span},
        )
        conn.execute(
            "insert into leaderboard_entries select arena, snapshot_date + $shift, model || $tag, "
            "rank_ub, rank_stylectrl, position, score, ci_plus, ci_minus, votes, organization, "
            "license, knowledge_cutoff, url from leaderboard_entries "
            "where snapshot_date < (select min(snapshot_date) from leaderboard_entries) + $span",
            {"shift": shift, "tag": f" #{copy}", "span": span},
        )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    copies = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    conn = duckdb.connect()
    load_history(conn)
    extend_history(conn, copies)
    rows = conn.execute("select count(*) from leaderboard_entries").fetchall()[0][0]
    timings, skips, counts = [], [], {}
    for _ in range(repeats):
        # Without a stored fingerprint everything is recomputed (what a change of code does).
        conn.execute("drop table if exists analytics_inputs")
        started = time.perf_counter()
        counts = refresh_analytics(conn)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        refresh_analytics(conn)  # nothing changed: the fingerprint check alone
        skips.append(time.perf_counter() - started)
    newest = conn.execute("select max(snapshot_date) from data_versions").fetchall()[0][0]
    for table in ("snapshots", "leaderboard_entries"):
        conn.execute(f"create table held_{table} as select * from {table} where snapshot_date >= ?", [newest])
    appends = []
    for _ in range(repeats):
        for table in ("snapshots", "leaderboard_entries"):
            conn.execute(f"delete from {table} where snapshot_date >= ?", [newest])
        refresh_analytics(conn)  # the analytics as of the day before (recomputes the boards)
        for table in ("snapshots", "leaderboard_entries"):
            conn.execute(f"insert into {table} select * from held_{table}")
        started = time.perf_counter()
        refresh_analytics(conn)
        appends.append(time.perf_counter() - started)
    print(f"history copies: {copies}, leaderboard rows: {rows}, analytics rows: {counts}")
    print(f"refresh_analytics from scratch: median {statistics.median(timings):.2f} s, "
          f"min {min(timings):.2f} s over {repeats} runs")
    print(f"refresh_analytics with nothing changed: median {statistics.median(skips):.3f} s")
    print(f"refresh_analytics appending the data versions of {newest}: median {statistics.median(appends):.3f} s, "
          f"min {min(appends):.3f} s")


if __name__ == "__main__":
    main()
