"""What the Dagster UI shows and does, asserted through Dagster's own APIs: table assets with
descriptions, the DuckDB pool (limit 1 in the CLI's dagster.yaml, honoured by an in-process run),
the release sensor over a loopback source, automation of the downstream assets, run tags."""

import datetime as dt
import threading

import dagster as dg
import pytest

from arena_pipeline.cli import _prepare_dagster_home
from arena_pipeline.definitions import build_definitions
from arena_pipeline.defs.partitions import range_tags
from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.defs.reports import report_assets
from arena_pipeline.defs.resources import DATABASE_TAG, SOURCE_TAG, ReleaseSourceResource, build_resources
from arena_pipeline.defs.sensors import days_to_probe, new_release_sensor, pool_housekeeping
from arena_pipeline.history.analytics import ALL_TABLES, DIMENSION_TABLES, VIEWS
from arena_pipeline.settings import load_settings
from tests.conftest import RELEASES


@pytest.fixture
def settings(tmp_path):
    return load_settings({"ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(tmp_path / "arena.duckdb"),
                          "ARENA_REPORTS_DIR": str(tmp_path / "reports"),
                          "DAGSTER_HOME": str(tmp_path / "dagster_home")})


@pytest.fixture
def definitions(settings):
    return build_definitions(settings)


def test_every_analytics_table_and_view_is_an_asset_downstream_of_ingestion(definitions):
    graph = definitions.resolve_asset_graph()
    for name in [*DIMENSION_TABLES, *ALL_TABLES, *VIEWS]:
        node = graph.get(dg.AssetKey(name))
        assert node.group_name == "analytics"
        assert graph.get(dg.AssetKey("leaderboard_entries")).key in graph.get_ancestor_asset_keys(node.key)
    assert dg.AssetKey("model_aliases") in graph.get(dg.AssetKey("model_versions")).parent_keys
    assert dg.AssetKey("boards") in graph.get(dg.AssetKey("model_aliases")).parent_keys
    assert dg.AssetKey("rank_movements") in graph.get(dg.AssetKey("trend_reports")).parent_keys


def test_job_schedule_sensors_and_every_asset_have_descriptions(definitions):
    graph = definitions.resolve_asset_graph()
    undescribed = [key.to_user_string() for key in graph.get_all_asset_keys()
                   if not (graph.get(key).description or "").strip()]
    assert undescribed == []
    assert definitions.resolve_job_def("refresh").description
    assert all(schedule.description for schedule in definitions.schedules)
    assert all(sensor.description for sensor in definitions.sensors)


def test_every_step_that_opens_duckdb_is_in_the_writer_pool(definitions):
    for job_name in ["refresh", "dataset_refresh"]:
        nodes = definitions.resolve_job_def(job_name).graph.nodes
        pools = {node.name: node.definition.pool for node in nodes
                 if "duckdb" in node.definition.required_resource_keys}
        assert pools and set(pools.values()) == {DUCKDB_WRITER_POOL}, (job_name, pools)
    graph = definitions.resolve_asset_graph()
    assert all(graph.get(dg.AssetKey(name)).pools == {DUCKDB_WRITER_POOL} for name in ALL_TABLES)


def test_cli_dagster_home_limits_every_pool_to_one(settings):
    _prepare_dagster_home(settings)
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_cli_dagster_home_shows_no_community_dialog(settings):
    # A new home, and one made by an earlier version (telemetry and the pool, no nux line).
    _prepare_dagster_home(settings)
    config = settings.dagster_home / "dagster.yaml"
    assert config.read_text().count("nux:") == 1
    config.write_text(config.read_text().replace("nux:\n  enabled: false\n", ""))
    _prepare_dagster_home(settings)
    _prepare_dagster_home(settings)
    assert config.read_text().count("nux:") == 1
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        assert instance.nux_enabled is False
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_an_in_process_run_waits_for_the_pool(settings, monkeypatch):
    """execute_in_process (what the CLI runs) honours the pool: while another run holds the
    DuckDB slot, its first DuckDB step waits; once the slot is freed, it completes."""
    _prepare_dagster_home(settings)
    job = build_definitions(settings).resolve_job_def("refresh")
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(DUCKDB_WRITER_POOL, 1)
        claim = storage.claim_concurrency_slot(DUCKDB_WRITER_POOL, "another-run", "its-step")
        assert claim.is_claimed
        results = {}
        runner = threading.Thread(target=lambda: results.update(result=job.execute_in_process(
            instance=instance, tags=range_tags(dt.date(2025, 8, 3), dt.date(2025, 8, 3)),
            asset_selection=[dg.AssetKey("leaderboard_entries")], raise_on_error=False)))
        runner.start()
        blocked = None
        while runner.is_alive() and blocked is None:
            runner.join(0.2)
            runs = instance.get_runs(limit=1)
            if runs:
                blocked = next((record for record in instance.all_logs(runs[0].run_id)
                                if "blocked by limit for pool" in (record.message or "")), None)
        assert blocked is not None, "the run did not wait for the pool"
        assert not settings.db_path.exists()  # nothing opened the database while it waited
        storage.free_concurrency_slots_for_run("another-run")
        runner.join()
    assert results["result"].success


def test_runs_carry_source_and_database_tags(definitions, settings):
    tags = definitions.resolve_job_def("refresh").run_tags
    assert tags[SOURCE_TAG] == settings.source and tags[DATABASE_TAG] == str(settings.db_path)
    # A run launched without our job's tags (the UI's Materialize button) gets them from the
    # DuckDB resource when it starts.
    from arena_pipeline.defs.ingest import ingest_assets

    with dg.instance_for_test() as instance:
        result = dg.materialize(ingest_assets[:1], partition_key="2025-08-03", instance=instance,
                                resources=build_resources(settings))
        run_tags = instance.get_run_by_id(result.run_id).tags
    assert run_tags[SOURCE_TAG] == settings.source and run_tags[DATABASE_TAG] == str(settings.db_path)


def test_downstream_assets_refresh_after_ingestion_alone(definitions):
    """A partition backfill of the ingestion asset alone (as from the UI) makes the automation
    request the analytics assets and the reports; a run that refreshed them itself does not."""
    with dg.instance_for_test() as instance:
        first = dg.evaluate_automation_conditions(defs=definitions, instance=instance)
        assert first.total_requested == 0  # nothing ingested yet
        for partition in ["2025-08-02", "2025-08-03"]:
            instance.report_runless_asset_event(
                dg.AssetMaterialization("leaderboard_entries", partition=partition))
        second = dg.evaluate_automation_conditions(defs=definitions, instance=instance,
                                                   cursor=first.cursor)
        requested = {key for key in definitions.resolve_asset_graph().get_all_asset_keys()
                     if second.get_num_requested(key)}
        reports = {key for asset in report_assets for key in asset.keys}
        assert {dg.AssetKey(name) for name in [*DIMENSION_TABLES, *ALL_TABLES, *VIEWS]} | reports == requested
        third = dg.evaluate_automation_conditions(defs=definitions, instance=instance,
                                                  cursor=second.cursor)
        assert third.total_requested == 0  # requested once, not on every tick


def test_days_to_probe_start_after_the_cursor_within_the_recent_window():
    today = dt.date(2025, 9, 10)
    assert days_to_probe("2025-09-08", today) == [dt.date(2025, 9, 9), dt.date(2025, 9, 10)]
    assert days_to_probe(None, today) == [dt.date(2025, 9, 8), dt.date(2025, 9, 9), dt.date(2025, 9, 10)]
    assert days_to_probe("2025-01-01", today)[0] == dt.date(2025, 9, 8)
    assert days_to_probe("2025-09-10", today) == []


def test_sensor_requests_the_new_day_once_it_is_published(loopback):
    today = dt.datetime.now(dt.UTC).date()
    yesterday = today - dt.timedelta(days=1)
    source = ReleaseSourceResource(base=loopback.url)

    def evaluate(cursor):
        context = dg.build_sensor_context(cursor=cursor, resources={"source": source})
        return new_release_sensor(context)

    assert isinstance(evaluate(yesterday.isoformat()), dg.SkipReason)  # not published yet
    loopback.publish(today.strftime("%Y.%m.%d"), "lmarena_text.csv",
                     (RELEASES / "2025.09.02" / "lmarena_text.csv").read_bytes())
    result = evaluate(yesterday.isoformat())
    assert [request.partition_key for request in result.run_requests] == [today.isoformat()]
    assert result.run_requests[0].run_key == f"release {today.strftime('%Y.%m.%d')}"
    assert result.cursor == today.isoformat()
    assert isinstance(evaluate(result.cursor), dg.SkipReason)  # requested once


def test_housekeeping_frees_a_slot_kept_by_a_run_that_is_over():
    """A CLI run killed mid-step keeps its slot even once marked failed; the sensor gives it back."""
    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(DUCKDB_WRITER_POOL, 1)
        killed = instance.create_run_for_job(dg.define_asset_job("killed").resolve(
            asset_graph=dg.Definitions(assets=[dg.AssetSpec("x")]).resolve_asset_graph()))
        assert storage.claim_concurrency_slot(DUCKDB_WRITER_POOL, killed.run_id, "step").is_claimed
        instance.report_run_failed(killed, "process gone")
        assert storage.get_concurrency_info(DUCKDB_WRITER_POOL).active_slot_count == 1
        result = pool_housekeeping(dg.build_sensor_context(instance=instance))
        assert killed.run_id in result.skip_message
        assert storage.get_concurrency_info(DUCKDB_WRITER_POOL).active_slot_count == 0
