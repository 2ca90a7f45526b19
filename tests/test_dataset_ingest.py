"""Loading the official dataset from generated parquet files served over loopback HTTP into a real
DuckDB file: boards, both ranks, renames, duplicates, the cheap revision check, and bad files."""

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.sources.dataset import DatasetSource
from tests.dataset_fixtures import (
    BAD_FILES,
    HUB_REPO,
    NEXT_REVISION,
    REVISION,
    SUBSET_TYPES,
    rows_of,
    subset_path,
    write_parquet,
)

SUBSETS = list(SUBSET_TYPES)


@pytest.fixture
def loaded(dataset_server, tmp_path):
    dataset_server.publish_hub(REVISION)
    conn = duckdb.connect(str(tmp_path / "arena.duckdb"))
    report = refresh_dataset(conn, DatasetSource(dataset_server.hub_base), SUBSETS)
    yield conn, report, dataset_server
    conn.close()


def _checksum(conn) -> str:
    rows = conn.execute("select * from dataset_entries order by all").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_every_subset_loads_as_boards(loaded):
    conn, report, _ = loaded
    assert report.failure_summary() is None and report.revision == REVISION
    assert [(s.subset, s.status, s.rows_loaded, s.boards) for s in report.subsets] == [
        ("text", "loaded", 143, 13),  # 1 + 3 categories x 4 dates; 11 models each
        ("text_style_control", "loaded", 132, 12),
        ("vision", "loaded", 44, 4),
        ("vision_style_control", "loaded", 44, 4),
        ("webdev", "loaded", 28, 4),
    ]
    boards = conn.execute("""select source, arena, category, style_control, count(distinct snapshot_date)
                             from dataset_entries group by all order by all""").fetchall()
    assert ("lmarena_dataset", "text", "chinese", False, 4) in boards
    assert ("lmarena_dataset", "text", "chinese", True, 4) in boards
    assert ("lmarena_dataset", "webdev", "webdev-html", False, 2) in boards
    assert len(boards) == 3 + 3 + 2 + 2 + 2
    # One row per board, publish date and model (kept by the insert; the table has no key index).
    assert conn.execute("""select count(*) - count(distinct (source, arena, category, style_control, snapshot_date, model))
                           from dataset_entries""").fetchone() == (0,)


def test_float_rank_null_bounds_and_derived_rank(loaded):
    conn, _, _ = loaded
    elo_era = conn.execute("""select model, position, score, ci_plus, ci_minus, votes, rank_ub from dataset_entries
                              where arena = 'text' and snapshot_date = '2023-12-20' order by position limit 2""").fetchall()
    assert elo_era == [("gemini-2.5-pro", 1, 1160.0, None, None, None, None),
                       ("claude-opus-4-6-thinking", 2, 1145.0, None, None, None, None)]
    top = conn.execute("""select model, position, rank_ub, rank_stylectrl, round(ci_plus, 6), organization
                          from dataset_entries where arena = 'text' and category = 'overall' and not style_control
                          and snapshot_date = '2025-08-04' order by position""").fetchall()
    assert top[0][:4] == ("gemini-2.5-pro", 1, 1, 1)
    assert [row[2] for row in top] == sorted(row[2] for row in top)  # rank_ub never falls as scores fall
    assert top[-1][5] is None  # published as an empty organization
    assert {row[4] for row in top} == {4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5}


def test_rename_duplicate_unrated_and_rescale_are_kept_as_published(loaded):
    conn, _, _ = loaded
    names = conn.execute("""select snapshot_date::varchar, model, votes from dataset_entries
                            where arena = 'text' and category = 'overall' and not style_control
                              and model like 'claude-opus-4-6-%' order by snapshot_date""").fetchall()
    assert [n[:2] for n in names[-2:]] == [("2025-08-01", "claude-opus-4-6-thinking"), ("2025-08-04", "claude-opus-4-6-high")]
    webdev = conn.execute("""select duplicate_rows from dataset_snapshots
                             where arena = 'webdev' and category = 'overall' order by snapshot_date""").fetchall()
    assert webdev == [(0,), (1,)]
    kept = conn.execute("""select count(*), min(position) from dataset_entries where arena = 'webdev'
                           and category = 'overall' and snapshot_date = '2025-08-04' and model = 'gpt-5-high'""").fetchone()
    assert kept == (1, 3)  # listed first at rank 8, then at rank 3: the better-ranked copy wins
    assert conn.execute("select unrated_rows, boards from dataset_files where subset = 'text'").fetchone() == (1, 13)
    assert conn.execute("select count(*) from dataset_entries where model = 'falcon-180b-chat'").fetchone() == (0,)
    shift = conn.execute("""select round(avg(b.score - a.score), 2) from dataset_entries a join dataset_entries b
                            using (source, arena, category, style_control, model)
                            where a.arena = 'text' and a.style_control and a.category = 'overall'
                              and a.snapshot_date = '2025-05-11' and b.snapshot_date = '2025-05-19'""").fetchone()
    assert shift == (61.75,)  # the +60 re-scaling plus the fixture's drift of 1.75 per date


def test_unchanged_dataset_costs_one_small_request(loaded):
    conn, _, server = loaded
    before = _checksum(conn)
    server.requests.clear()
    report = refresh_dataset(conn, DatasetSource(server.hub_base), SUBSETS)
    assert report.unchanged
    assert server.requests == [f"/api/datasets/{HUB_REPO}"]
    assert _checksum(conn) == before
    assert conn.execute("select count(*), count(distinct revision) from dataset_fetch_log where what = 'revision'").fetchone() == (2, 1)


def test_new_revision_reparses_only_changed_contents(loaded):
    conn, _, server = loaded
    before = _checksum(conn)
    folder = server.publish_hub(NEXT_REVISION)  # identical bytes at a new commit
    server.requests.clear()
    report = refresh_dataset(conn, DatasetSource(server.hub_base), SUBSETS)
    # The Hub's tree lists each file's sha256: nothing already loaded is downloaded again.
    assert server.requests == [f"/api/datasets/{HUB_REPO}", f"/api/datasets/{HUB_REPO}/tree/{NEXT_REVISION}?recursive=true"]
    assert report.revision == NEXT_REVISION
    assert {s.status for s in report.subsets} == {"unchanged"}
    assert _checksum(conn) == before
    assert conn.execute("select count(*) from dataset_files where revision = ?", [NEXT_REVISION]).fetchone() == (5,)
    # The cheap check now knows the new revision: the next run downloads nothing.
    assert refresh_dataset(conn, DatasetSource(server.hub_base), SUBSETS).unchanged
    assert folder.is_dir()


@pytest.mark.parametrize("case, message", [
    ("missing_column", r"text/full-00000-of-00001\.parquet \(.*\): missing column\(s\) 'rating_upper' \(the file has model_name, "),
    ("row_without_publish_date", r"text/full-00000-of-00001\.parquet \(.*\), row 7, column 'leaderboard_publish_date': no publish date \(value None\)"),
    ("unparseable_rank", r", row 5, column 'rank': not a whole number >= 1 \(value 'n/a'\)"),
    ("fractional_rank", r", row 4, column 'rank': not a whole number >= 1 \(value '3\.5'\)"),
    ("unparseable_rating", r", row 10, column 'rating': not a number \(value '1234,5'\)"),
])
def test_bad_file_fails_alone_and_nothing_is_lost(loaded, case, message):
    conn, _, server = loaded
    before = _checksum(conn)
    folder = server.publish_hub(NEXT_REVISION)
    rows, types, columns = BAD_FILES[case]()
    bad_bytes = write_parquet(subset_path(folder, "text"), rows, types, columns)
    report = refresh_dataset(conn, DatasetSource(server.hub_base), SUBSETS)
    assert [s.subset for s in report.failures] == ["text"]
    assert re.search(message, report.failure_summary()), report.failure_summary()
    sha = hashlib.sha256(bad_bytes).hexdigest()
    assert conn.execute("select content from raw_files where sha256 = ?", [sha]).fetchone()[0] == bad_bytes
    errors = conn.execute("select subset, error from dataset_load_errors").fetchall()
    assert len(errors) == 1 and errors[0][0] == "text" and re.search(message, errors[0][1])
    assert f"raw file kept in raw_files as sha256 {sha}" in errors[0][1]
    assert _checksum(conn) == before  # the text rows loaded earlier are untouched


def test_not_a_parquet_file_is_named(loaded):
    conn, _, server = loaded
    folder = server.publish_hub(NEXT_REVISION, subsets=("text",))
    subset_path(folder, "text").write_bytes(b"<html>rate limited</html>")
    report = refresh_dataset(conn, DatasetSource(server.hub_base), ["text"])
    assert "text/full-00000-of-00001.parquet" in report.failures[0].error
    assert "an HTML page, not a parquet file (starts '<html>rate limited</html>')" in report.failures[0].error
    # The magic bytes at both ends, garbage between: DuckDB's reader says what is wrong.
    subset_path(folder, "text").write_bytes(b"PAR1" + b"garbage" * 20 + b"PAR1")
    report = refresh_dataset(conn, DatasetSource(server.hub_base), ["text"])
    assert "text/full-00000-of-00001.parquet" in report.failures[0].error
    assert "not a readable parquet file" in report.failures[0].error


def test_loading_the_same_file_twice_gives_the_same_rows(dataset_server, tmp_path):
    dataset_server.publish_hub(REVISION, subsets=("text", "text_style_control"))
    first, second = (duckdb.connect(str(tmp_path / f"{n}.duckdb")) for n in ("a", "b"))
    refresh_dataset(first, DatasetSource(dataset_server.hub_base), ["text", "text_style_control"])
    refresh_dataset(second, DatasetSource(dataset_server.hub_base), ["text", "text_style_control"])
    second.execute("delete from dataset_files")  # forget the loads: the same files are parsed again
    refresh_dataset(second, DatasetSource(dataset_server.hub_base), ["text", "text_style_control"])
    assert _checksum(first) == _checksum(second)
    assert second.execute("select count(*) from dataset_entries").fetchone() == (275,)


def test_a_new_commit_downloads_only_the_file_whose_listed_hash_changed(loaded):
    conn, _, server = loaded
    folder = server.publish_hub(NEXT_REVISION)
    write_parquet(subset_path(folder, "webdev"), rows_of("webdev")[:-1], SUBSET_TYPES["webdev"])
    server.requests.clear()
    report = refresh_dataset(conn, DatasetSource(server.hub_base), SUBSETS)
    assert [(s.subset, s.status) for s in report.subsets] == [
        ("text", "unchanged"), ("text_style_control", "unchanged"), ("vision", "unchanged"),
        ("vision_style_control", "unchanged"), ("webdev", "loaded")]
    assert server.requests[2:] == [f"/datasets/{HUB_REPO}/resolve/{NEXT_REVISION}/webdev/full-00000-of-00001.parquet"]
    assert conn.execute("select count(*) from dataset_entries where arena = 'webdev'").fetchone() == (27,)
    # The tree is read on every new revision, the first load's included (it says which subsets exist).
    assert conn.execute("select count(*) from dataset_fetch_log where what = 'listing' and error is null").fetchone() == (2,)


def _tables(conn) -> dict[str, list]:
    return {table: conn.execute(f"select * exclude (rank_stylectrl) from {table} order by all").fetchall()  # noqa: S608
            if table == "dataset_entries" else conn.execute(f"select * from {table} order by all").fetchall()  # noqa: S608
            for table in ("dataset_entries", "dataset_snapshots")}


def _copy_with(conn, source: Path, target: Path, where_update: str) -> None:
    """The parquet file at source, with one publish date's ratings of one category raised and
    one publish date left out, written to target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    conn.execute(f"copy (select * replace (case when {where_update} then rating + 3 else rating end as rating) "  # noqa: S608
                 "from read_parquet(?) where leaderboard_publish_date <> '2023-05-13') to '" + str(target) + "' (format parquet)",
                 [str(source)])


def test_a_reload_replaces_only_the_changed_dates_and_equals_a_fresh_load(tmp_path):
    from arena_pipeline.ingest.dataset import create_dataset_tables, load_dataset_file
    from arena_pipeline.sources.dataset import DatasetFile, utc_now
    from tests.dataset_fixtures import write_text_history

    files = {}
    for subset, style_control in (("text", False), ("text_style_control", True)):
        for dates in (16, 17):
            write_text_history(tmp_path / str(dates) / subset / "full.parquet", style_control=style_control, dates=dates)
    with duckdb.connect() as scratch:  # the next file also changes one old date and drops the second
        _copy_with(scratch, tmp_path / "17" / "text_style_control" / "full.parquet",
                   tmp_path / "next" / "text_style_control" / "full.parquet",
                   "category = 'english' and leaderboard_publish_date = '2023-07-17'")
    files["first"] = {s: tmp_path / "16" / s / "full.parquet" for s in ("text", "text_style_control")}
    files["next"] = {"text": tmp_path / "17" / "text" / "full.parquet",
                     "text_style_control": tmp_path / "next" / "text_style_control" / "full.parquet"}

    def load(conn, which: str) -> dict[str, int]:
        create_dataset_tables(conn)
        # The next file drops a loaded date on purpose: a real rewrite upstream, loaded with the override.
        return {subset: load_dataset_file(conn, DatasetFile(subset, "full", str(path), path.read_bytes(), utc_now()),
                                          allow_shrink=True)["days_replaced"] for subset, path in files[which].items()}

    with duckdb.connect(str(tmp_path / "appended.duckdb")) as appended, \
            duckdb.connect(str(tmp_path / "fresh.duckdb")) as fresh:
        first = load(appended, "first")
        replaced = load(appended, "next")
        load(fresh, "next")
        # 16 dates of overall, english from date 14 on: 18 board-days; the next file adds date
        # 16 on 3 boards (chinese starts); style control also changes english of date 14 and
        # drops date 1 (overall only).
        assert first == {"text": 18, "text_style_control": 18}
        assert replaced == {"text": 3, "text_style_control": 3 + 1 + 1}
        assert _tables(appended) == _tables(fresh)
        stylectrl = "select category, snapshot_date, model, rank_stylectrl from dataset_entries where not style_control order by all"
        assert appended.execute(stylectrl).fetchall() == fresh.execute(stylectrl).fetchall()
        assert appended.execute("select count(distinct sha256) from dataset_snapshots").fetchone() == (2,)


def _files(conn) -> list[tuple]:
    """dataset_files in load order, without what differs between two loads of one file."""
    return conn.execute("select * exclude (url, revision, loaded_at) from dataset_files order by loaded_at").fetchall()


def test_a_reload_of_duplicates_unrated_rows_and_upper_bound_ranks_equals_a_fresh_load(tmp_path):
    """The reload reads only the changed days' rows again: a day whose rows all lose their rating
    goes (no board is left), a day that gains a worse copy of each model keeps the better one, an
    upper-bound rank is read as one, and rows of no board are still counted in dataset_files."""
    from arena_pipeline.ingest.dataset import create_dataset_tables, load_dataset_file
    from arena_pipeline.sources.dataset import DatasetFile, utc_now
    from tests.dataset_fixtures import write_text_history

    first, history, changed = (tmp_path / name / "text" / "full.parquet" for name in ("16", "17", "next"))
    write_text_history(first, style_control=False, dates=16)
    write_text_history(history, style_control=False, dates=17)
    changed.parent.mkdir(parents=True)
    with duckdb.connect() as scratch:
        scratch.execute(f"""
            copy (
                select * replace (
                    case when category = 'english' and leaderboard_publish_date = '2023-07-22'
                         then 'NaN'::double else rating end as rating,
                    case when category = 'english' and leaderboard_publish_date = '2023-07-27'
                         then 1 else "rank" end as "rank")
                from read_parquet($path)
                union all by name
                select * replace ("rank" + 1 as "rank", rating - 1 as rating)
                from read_parquet($path)
                where category = 'overall' and leaderboard_publish_date in ('2023-05-08', '2023-07-27')
                union all by name
                select * replace ('unrated_only' as category, null::double as rating)
                from read_parquet($path)
                where category = 'overall' and leaderboard_publish_date = '2023-07-27'
            ) to '{changed}' (format parquet)""", {"path": str(history)})  # noqa: S608 (a test's own path)

    def load(conn, path: Path) -> int:
        create_dataset_tables(conn)
        return load_dataset_file(conn, DatasetFile("text", "full", str(path), path.read_bytes(), utc_now()),
                                 allow_shrink=True)["days_replaced"]

    with duckdb.connect(str(tmp_path / "appended.duckdb")) as appended, \
            duckdb.connect(str(tmp_path / "fresh.duckdb")) as fresh:
        load(appended, first)
        # The new date's 3 boards, overall's first date (duplicates) and english of 2023-07-22
        # (no rated row left: removed).
        assert load(appended, changed) == 5
        load(fresh, changed)
        assert _tables(appended) == _tables(fresh)
        assert _files(appended)[-1:] == _files(fresh)
        kinds = appended.execute("select rank_kind, count(*) from dataset_snapshots group by all order by all").fetchall()
        assert kinds == [("position", 19), ("upper_bound", 1)]
        assert appended.execute("select count(*) from dataset_snapshots where category = 'english' "
                                "and snapshot_date = '2023-07-22'").fetchone() == (0,)
        rows_read, duplicate_rows, unrated_rows, boards = appended.execute(
            "select rows_read, duplicate_rows, unrated_rows, boards from dataset_files order by loaded_at desc limit 1").fetchone()
        # The 17-date file has 3,468 rows; 148 + 180 duplicates, 169 + 180 unrated rows added or made.
        assert (rows_read, duplicate_rows, unrated_rows, boards) == (3_468 + 148 + 180 + 180, 148 + 180, 169 + 180, 20)
