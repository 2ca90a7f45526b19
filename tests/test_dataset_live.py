"""The official dataset as the main path: the published rank read per board and publish date, the
subsets the source has, and both sources in the main job (real DuckDB files, local copies, the
real CSV history)."""

import contextlib
import datetime as dt
import io

import duckdb

from arena_pipeline.cli import main
from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.reports.dataset_zh import render_board
from arena_pipeline.sources.dataset import DatasetSource
from arena_pipeline.warehouse.database import query_dicts
from tests.conftest import RELEASES
from tests.dataset_fixtures import COLUMNS, SUBSET_TYPES, rows_of, subset_path, write_dataset, write_parquet

UB_DAY, POSITION_DAY = "2025-11-20", "2025-11-21"


def _board(day: str, ub: bool) -> list[dict]:
    """Five models; on an upper-bound day the published ranks tie (1, 1, 3, 3, 3) and the third
    group is listed by name, not score (grok scores highest of it), as the Hub's rows come."""
    models = [("alpha", 1500.0, 6.0), ("beta", 1497.0, 6.0), ("glm-4.6", 1441.0, 9.0),
              ("claude-opus-4-5", 1446.0, 9.0), ("grok-4.1-thinking", 1451.0, 9.0)]
    ranks = [1, 1, 3, 3, 3] if ub else [1, 2, 5, 4, 3]
    return [{"model_name": name, "organization": "org", "license": "Proprietary", "rating": score,
             "rating_lower": score - ci, "rating_upper": score + ci, "variance": 1.0, "vote_count": 1000.0,
             "rank": rank, "category": "overall", "leaderboard_publish_date": day}
            for (name, score, ci), rank in zip(models, ranks, strict=True)]


def test_the_published_rank_is_read_per_board_and_day_and_an_upper_bound_is_shown_as_is(tmp_path):
    write_parquet(subset_path(tmp_path, "text"), _board(UB_DAY, True) + _board(POSITION_DAY, False),
                  SUBSET_TYPES["text"])
    with duckdb.connect(str(tmp_path / "arena.duckdb")) as conn:
        report = refresh_dataset(conn, DatasetSource(str(tmp_path)), ["text"])
        assert [s.status for s in report.subsets] == ["loaded"]
        kinds = conn.execute("select cast(snapshot_date as varchar), rank_kind from dataset_snapshots "
                             "order by 1").fetchall()
        assert kinds == [(UB_DAY, "upper_bound"), (POSITION_DAY, "position")]
        ranks = dict(conn.execute("select model, [rank_ub, rank_ub_derived] from dataset_entries "
                                  "where snapshot_date = ?", [UB_DAY]).fetchall())
        # The published upper bound as is, and beside it the one derived from the bounds.
        assert ranks == {"alpha": [1, 1], "beta": [1, 1], "grok-4.1-thinking": [3, 3],
                         "claude-opus-4-5": [3, 3], "glm-4.6": [3, 3]}
        derived_day = dict(conn.execute("select model, rank_ub from dataset_entries where snapshot_date = ?",
                                        [POSITION_DAY]).fetchall())
        assert derived_day["beta"] == 1  # a row number is not an upper bound: derived (1500 ± 6 overlaps)
        rows = query_dicts(conn, "reports/dataset_board", arena="text", category="overall",
                           as_of=dt.date(2025, 11, 20))
    page = render_board(rows, arena="text", category="overall", publish_date=UB_DAY,
                        has_style_control_board=False, generated_at=dt.datetime(2026, 12, 7, tzinfo=dt.UTC))
    order = [line.split(" | ")[2] for line in page.splitlines() if line.startswith("| 3 |")]
    assert order == ["grok-4.1-thinking", "claude-opus-4-5", "glm-4.6"]  # a tie group by score
    assert "rank 列是排名上界" in page
    assert "> **数据版本**: 2025-11-20，距今 382 天" in page


def test_subsets_as_the_source_has_them(tmp_path):
    source = tmp_path / "copy"
    write_dataset(source, subsets=("text", "webdev"), revision=None)
    # A new Bradley-Terry subset, and a new one of another kind (no bounds, no votes).
    write_parquet(subset_path(source, "text_to_speech"), rows_of("webdev"), SUBSET_TYPES["webdev"])
    other = [c for c in COLUMNS if c not in ("rating_lower", "rating_upper", "variance")]
    write_parquet(subset_path(source, "agent_v2"), rows_of("webdev"), SUBSET_TYPES["webdev"], other)
    with duckdb.connect(str(tmp_path / "arena.duckdb")) as conn:
        configured = refresh_dataset(conn, DatasetSource(str(source)), ["text", "video_edit"])
        assert [(s.subset, s.status) for s in configured.subsets] == [("text", "loaded"), ("video_edit", "missing")]
        assert configured.failure_summary() is None
        assert configured.warnings[0].startswith("video_edit: the source has no video_edit/full-00000-of-00001.parquet")
        assert "ARENA_DATASET_SUBSETS" in configured.warnings[0]
        every = refresh_dataset(conn, DatasetSource(str(source)), None)
        assert [(s.subset, s.status) for s in every.subsets] == [
            ("text", "unchanged"), ("webdev", "loaded"), ("agent_v2", "skipped"), ("text_to_speech", "loaded")]
        assert every.failure_summary() is None and "not a Bradley-Terry subset" in every.warnings[0]
        assert conn.execute("select count(distinct arena) from dataset_entries").fetchone() == (3,)


def _cli(env: dict[str, str], monkeypatch, *args: str) -> tuple[int, str, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_the_main_job_refreshes_both_sources(tmp_path, monkeypatch):
    write_dataset(tmp_path / "dataset")
    env = {"ARENA_SOURCE": str(RELEASES), "ARENA_DATASET_SOURCE": str(tmp_path / "dataset"),
           "ARENA_DB": str(tmp_path / "arena.duckdb"), "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
           "DAGSTER_HOME": str(tmp_path / "home")}
    code, out, err = _cli(env, monkeypatch, "backfill", "--start", "2025-08-03", "--end", "2025-08-05")
    assert code == 0, err[-3000:]
    assert f"dataset {tmp_path / 'dataset'}" in out.splitlines()[0]
    with duckdb.connect(str(tmp_path / "arena.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(distinct snapshot_date) from snapshots").fetchone() == (3,)
        assert conn.execute("select count(distinct subset) from dataset_files").fetchone() == (len(SUBSET_TYPES),)
        sources = conn.execute("select distinct source from data_versions order by 1").fetchall()
    assert sources == [("fboulnois",), ("lmarena_dataset",)]
    assert (tmp_path / "reports" / "leaderboard_zh_text_chinese.md").exists()


def test_offline_the_main_job_names_both_settings(tmp_path, monkeypatch, loopback):
    dead = "http://127.0.0.1:9"  # discard port: nothing answers
    env = {"ARENA_SOURCE": dead, "ARENA_DATASET_SOURCE": f"{dead}/datasets/lmarena-ai/leaderboard-dataset/resolve/main",
           "ARENA_DB": str(tmp_path / "arena.duckdb"), "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
           "DAGSTER_HOME": str(tmp_path / "home")}
    code, _, err = _cli(env, monkeypatch, "backfill", "--start", "2025-08-01", "--end", "2025-08-04")
    assert code == 1
    last = err.strip().splitlines()[-1]
    assert "neither source answered (offline?)" in last
    assert "ARENA_SOURCE" in last and "ARENA_DATASET_SOURCE" in last
