"""The code location loads, and its partitions and schedule say what the README says."""

import datetime as dt

import dagster as dg

from arena_pipeline.definitions import build_definitions, defs
from arena_pipeline.defs.jobs import daily_refresh
from arena_pipeline.defs.partitions import RANGE_END_TAG, RANGE_START_TAG, daily_partitions
from arena_pipeline.settings import load_settings
from tests.conftest import RELEASES


def test_code_location_loads_with_environment_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("ARENA_DB", str(tmp_path / "arena.duckdb"))
    loaded = defs()
    dg.Definitions.validate_loadable(loaded)
    keys = {key.to_user_string() for key in loaded.resolve_asset_graph().get_all_asset_keys()}
    assert "leaderboard_entries" in keys and "release_files" not in keys
    assert loaded.resolve_job_def("refresh") is not None


def test_partitions_start_on_the_first_release_in_utc():
    assert daily_partitions.start.date() == dt.date(2024, 7, 7)
    assert daily_partitions.timezone == "UTC"
    assert daily_partitions.get_first_partition_key() == "2024-07-07"


def test_schedule_asks_for_today_and_the_two_days_before(tmp_path):
    settings = load_settings({"ARENA_SOURCE": str(RELEASES),
                              "ARENA_DB": str(tmp_path / "arena.duckdb")})
    build_definitions(settings)  # the schedule is part of a loadable Definitions
    noon = dt.datetime(2025, 9, 2, 12, 0, tzinfo=dt.UTC)
    context = dg.build_schedule_context(scheduled_execution_time=noon)
    request = daily_refresh(context)
    assert request.tags[RANGE_START_TAG] == "2025-08-31"
    assert request.tags[RANGE_END_TAG] == "2025-09-02"
    assert daily_refresh.cron_schedule == "0 12,18 * * *"
    assert daily_refresh.default_status == dg.DefaultScheduleStatus.RUNNING
