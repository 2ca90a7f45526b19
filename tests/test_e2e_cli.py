"""End to end: the CLI against a real loopback HTTP server serving real release files."""

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from arena_pipeline.cli import main

SWITCH_DAYS = {
    "2025.07.26": ["lmsys.csv"],
    "2025.07.27": ["lmarena_text.csv", "lmarena_vision.csv", "lmarena_image.csv"],
    "2025.07.28": ["lmarena_text.csv", "lmarena_vision.csv", "lmarena_image.csv"],
}


@pytest.fixture
def cli(tmp_path, loopback, monkeypatch):
    for tag, names in SWITCH_DAYS.items():
        for name in names:
            loopback.publish(tag, name)
    paths = {"ARENA_SOURCE": loopback.url, "ARENA_DB": str(tmp_path / "arena.duckdb"),
             "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
             "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    for name, value in paths.items():
        monkeypatch.setenv(name, value)  # the CLI exports them; monkeypatch restores them
    return paths


def test_backfill_then_update_over_http(cli):
    assert main(["backfill", "--start", "2025-07-26", "--end", "2025-07-28"]) == 0
    with duckdb.connect(cli["ARENA_DB"], read_only=True) as conn:
        assert conn.sql("select snapshot_date, count(*) from snapshots group by 1 order by 1"
                        ).fetchall() == [(dt.date(2025, 7, 26), 1), (dt.date(2025, 7, 27), 3),
                                         (dt.date(2025, 7, 28), 3)]
        # Analytics ran downstream in the same run: the v2 -> v3 switch is a method change.
        assert conn.sql("select snapshot_date from model_events where event_type = "
                        "'method_change'").fetchall() == [(dt.date(2025, 7, 27),)]
        before = conn.sql("select count(*), sum(hash(model, score)) from leaderboard_entries"
                          ).fetchall()

    # An http source's newest day is today: nothing is published there yet, which is recorded.
    assert main(["update"]) == 0
    today = dt.datetime.now(dt.UTC).date()
    with duckdb.connect(cli["ARENA_DB"], read_only=True) as conn:
        assert conn.sql("select count(*), max(http_status) from fetch_log where snapshot_date = ?",
                        params=[today]).fetchall() == [(4, 404)]
        assert conn.sql("select count(*), sum(hash(model, score)) from leaderboard_entries"
                        ).fetchall() == before

    with dg.DagsterInstance.from_config(cli["DAGSTER_HOME"]) as instance:
        runs = instance.get_runs()
        assert len(runs) == 2 and all(run.job_name == "refresh" for run in runs)
        assert all(run.is_success for run in runs)


def test_backfill_rejects_a_range_before_the_first_release(cli, capsys):
    assert main(["backfill", "--start", "2024-01-01", "--end", "2024-07-08"]) == 2
    assert "the first release is 2024-07-07" in capsys.readouterr().err


def test_dataset_command_loads_the_official_dataset_then_writes_its_pages(cli, dataset_server, monkeypatch):
    from tests.dataset_fixtures import HUB_REPO, REVISION

    monkeypatch.setenv("ARENA_DATASET_SUBSETS", "text,text_style_control,webdev")
    dataset_server.publish_hub(REVISION, subsets=("text", "text_style_control", "webdev"))
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0
    with duckdb.connect(cli["ARENA_DB"], read_only=True) as conn:
        assert conn.sql("select subset, revision, rows_loaded from dataset_files order by 1").fetchall() == [
            ("text", REVISION, 143), ("text_style_control", REVISION, 132), ("webdev", REVISION, 28)]
    chinese = (cli["ARENA_REPORTS_DIR"] + "/leaderboard_zh_text_chinese.md")
    with open(chinese, encoding="utf-8") as page:
        assert page.readline() == "# LLM Arena 中文提示词排行榜 (实时更新)\n"
    # The same run computed the dataset boards' analytics and wrote their trend reports and the book.
    reports = Path(cli["ARENA_REPORTS_DIR"])
    digest = (reports / "trends" / "text_chinese" / "2025-08-04.md").read_text(encoding="utf-8")
    assert "- claude-opus-4-6-thinking → claude-opus-4-6-high" in digest
    assert "[中文提示词排行榜](leaderboard_zh_text_chinese.md)" in (reports / "SUMMARY.md").read_text(encoding="utf-8")
    assert (reports / "feeds" / "webdev.atom").is_file()
    # Unchanged dataset: the second run asks one small question and loads nothing.
    dataset_server.requests.clear()
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0
    assert dataset_server.requests == [f"/api/datasets/{HUB_REPO}"]


def test_an_unchanged_dataset_costs_one_request_and_no_downstream_work(cli, dataset_server, monkeypatch):
    from tests.dataset_fixtures import HUB_REPO, NEXT_REVISION, REVISION

    monkeypatch.setenv("ARENA_DATASET_SUBSETS", "text,webdev")
    dataset_server.publish_hub(REVISION, subsets=("text", "webdev"))
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0

    def runs():
        with dg.DagsterInstance.from_config(cli["DAGSTER_HOME"]) as instance:
            return [(run.run_id, run.is_success, {s.step_key: s.status.value for s in instance.get_run_step_stats(run.run_id)})
                    for run in instance.get_runs()]

    assert len(runs()) == 1
    # The command's own check: the last complete refresh is at this revision. No Dagster run.
    dataset_server.requests.clear()
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0
    assert dataset_server.requests == [f"/api/datasets/{HUB_REPO}"]
    assert len(runs()) == 1
    with duckdb.connect(cli["ARENA_DB"]) as conn:
        assert conn.execute("select count(*) from dataset_fetch_log where what = 'revision'").fetchone() == (2,)
        conn.execute("delete from dataset_refreshes")  # as after a run launched from the UI
    # Without that record the job runs, but the asset finds nothing loaded and everything
    # downstream current: only it runs; the analytics, checks and pages are skipped.
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0
    newest = runs()[0]
    assert newest[1] and newest[2]["lmarena_dataset"] == "SUCCESS"
    assert {step: status for step, status in newest[2].items() if step != "lmarena_dataset"} == {
        "analytics": "SKIPPED", "analytics_checks": "SKIPPED", "lmarena_dataset_sources_agree": "SKIPPED",
        "leaderboard_reports": "SKIPPED", "trend_reports": "SKIPPED", "event_feeds": "SKIPPED"}
    # A new revision with the same files: nothing loaded, nothing downstream run.
    dataset_server.publish_hub(NEXT_REVISION, subsets=("text", "webdev"))
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0
    assert runs()[0][2]["analytics"] == "SKIPPED"
    # New rows (the raw text overall board of 2025-08-04 replaced): loaded, then everything downstream.
    from tests.conftest import release_file
    from tests.dataset_fixtures import board_from_csv

    board = board_from_csv(release_file("2025.08.04", "lmarena_text.csv"), dt.date(2025, 8, 4), {}, {})
    dataset_server.publish_hub("fedcba9876543210fedcba9876543210fedcba98", subsets=("text", "webdev"),
                               text_overall=board)
    assert main(["--dataset-source", dataset_server.hub_base, "dataset"]) == 0
    newest = runs()[0]
    assert newest[1] and newest[2]["analytics"] == "SUCCESS" and newest[2]["trend_reports"] == "SUCCESS"
