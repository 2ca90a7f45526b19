"""Seconds to compute the history analytics over every board of a `text/full`-sized dataset.

    python benchmarks/dataset_analytics.py [workdir] [--with-csv] [--profile]

Generates (or reuses, in workdir) the deterministic `text` and `text_style_control` full files of
benchmarks/dataset_load.py (~1.16 M rows each, 29 categories: 58 boards), loads them, then times
refresh_analytics: from scratch over all boards, again with nothing changed, after one board's
rows changed (only that board is recomputed), and with --with-csv the real CSV history loaded
beside it and a new CSV release (only that CSV board is recomputed). --profile prints where the
time of the full recompute goes (the rename rule in Python, the SQL steps).
"""

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arena_pipeline.history.analytics import refresh_analytics  # noqa: E402
from arena_pipeline.ingest.dataset import create_dataset_tables, load_dataset_file  # noqa: E402
from arena_pipeline.sources.dataset import DatasetFile, utc_now  # noqa: E402
from tests.dataset_fixtures import write_text_full  # noqa: E402


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def changed_boards(conn, before: dict) -> list[str]:
    after = dict(conn.execute("select (source, arena, category, style_control)::varchar, computed_at "
                              "from analytics_inputs join boards using (board_id)").fetchall())
    return sorted(board for board, stamp in after.items() if before.get(board) != stamp)


def stamps(conn) -> dict:
    return dict(conn.execute("select (source, arena, category, style_control)::varchar, computed_at "
                             "from analytics_inputs join boards using (board_id)").fetchall())


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    with_csv = "--with-csv" in sys.argv
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    workdir = Path(args[0]) if args else Path(tempfile.mkdtemp(prefix="dataset-analytics-"))
    db = workdir / "analytics.duckdb"
    db.unlink(missing_ok=True)
    with duckdb.connect(str(db)) as conn:
        if with_csv:
            from tests.history_fixture import load_history

            timed("load the real CSV history", lambda: load_history(conn))
        create_dataset_tables(conn)
        for subset, style_control in (("text", False), ("text_style_control", True)):
            path = workdir / subset / "full-00000-of-00001.parquet"
            if not path.exists():
                write_text_full(path, style_control=style_control)
            fetched = DatasetFile(subset, "full", str(path), path.read_bytes(), utc_now())
            counts = timed(f"load {subset}", lambda fetched=fetched: load_dataset_file(conn, fetched))
            print(f"  {counts['rows_loaded']:,} rows, {counts['boards']} boards")
        counts = timed("refresh_analytics, every board from scratch",
                       lambda: profile.runcall(refresh_analytics, conn, None) if profile
                       else refresh_analytics(conn, None))
        print(f"  rows: {counts}")
        boards = conn.execute("select count(*) from analytics_inputs").fetchone()[0]
        print(f"  boards: {boards}")
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(r"analytics|identity|warehouse", 12)
        before = stamps(conn)
        timed("refresh_analytics, nothing changed", lambda: refresh_analytics(conn, None))
        assert changed_boards(conn, before) == []
        conn.execute("update dataset_entries set score = score + 30 where arena = 'text' and category = 'chinese' "
                     "and not style_control and model = 'model-005' "
                     "and snapshot_date = (select max(snapshot_date) from dataset_entries)")
        timed("refresh_analytics, one dataset board changed", lambda: refresh_analytics(conn, None))
        print(f"  recomputed: {changed_boards(conn, before)}")
        if with_csv:
            before = stamps(conn)
            newest = "(select max(snapshot_date) from snapshots where arena = 'text')"
            conn.execute(f"insert into snapshots select * replace (snapshot_date + 1 as snapshot_date, "
                         f"data_hash || '+' as data_hash) from snapshots "
                         f"where arena = 'text' and snapshot_date = {newest}")
            conn.execute(f"insert into leaderboard_entries select * replace (snapshot_date + 1 as snapshot_date, "
                         f"votes + 100 as votes) from leaderboard_entries where arena = 'text' "
                         f"and snapshot_date = {newest} - 1")
            timed("refresh_analytics, a new CSV text release", lambda: refresh_analytics(conn, None))
            print(f"  recomputed: {changed_boards(conn, before)}")
    print(f"database {db.stat().st_size / 1e6:.0f} MB in {workdir}")


if __name__ == "__main__":
    main()
