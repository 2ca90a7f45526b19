"""Real Dagster materializations of the official dataset asset and its `sources_agree` check,
against a loopback server laid out like the Hub and the real CSV history for the overlap."""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from arena_pipeline.definitions import build_definitions
from arena_pipeline.defs.dataset import dataset_assets, dataset_checks
from arena_pipeline.defs.ingest import ingest_assets
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.history.source_agreement import compare_sources, load_name_map
from arena_pipeline.settings import load_settings
from tests.conftest import RELEASES, release_file
from tests.dataset_fixtures import HUB_REPO, NEXT_REVISION, REVISION, board_from_csv

OVERLAP_DAY = dt.date(2025, 8, 4)  # a publish date of the fixture that the real CSV history also has
RENAMED_IN_DATASET = {"ChatGPT-4o-latest (2025-03-26)": "gpt-4o-chat-2025-03-26"}
SHIFTED = {"GLM-4.5": 5.0}


@pytest.fixture
def pipeline(tmp_path, dataset_server):
    settings = load_settings({
        "ARENA_SOURCE": str(RELEASES), "ARENA_DB": str(tmp_path / "arena.duckdb"),
        "ARENA_REPORTS_DIR": str(tmp_path / "reports"), "DAGSTER_HOME": str(tmp_path),
        "ARENA_DATASET_SOURCE": dataset_server.hub_base,
        "ARENA_DATASET_SUBSETS": "text,text_style_control,vision,vision_style_control,webdev",
    })
    instance = dg.DagsterInstance.ephemeral()

    def run(assets, checks=(), **options) -> dg.ExecuteInProcessResult:
        return dg.materialize([*assets, *checks], resources=build_resources(settings), instance=instance,
                              raise_on_error=False, **options)

    run.db_path = settings.db_path
    run.settings = settings
    return run


def _materialization(result, key="lmarena_dataset"):
    return result.asset_materializations_for_node(key)[0]


def test_dataset_asset_loads_then_costs_one_request(pipeline, dataset_server):
    csv_board = board_from_csv(release_file("2025.08.04", "lmarena_text.csv"), OVERLAP_DAY, {}, {})
    dataset_server.publish_hub(REVISION, text_overall=csv_board)
    first = pipeline(dataset_assets)
    assert first.success
    metadata = _materialization(first).metadata
    assert metadata["revision"].value == REVISION and metadata["unchanged"].value is False
    assert metadata["boards_loaded"].value == 13 + 12 + 4 + 4 + 4
    assert "webdev: loaded, 28 rows, 4 boards" in metadata["subsets"].value
    assert _materialization(first).tags["dagster/data_version"] == REVISION

    dataset_server.requests.clear()
    second = pipeline(dataset_assets)
    # Nothing loaded and nothing downstream in this job: observed, not materialized again.
    assert second.success and not second.asset_materializations_for_node("lmarena_dataset")
    observation = second.asset_observations_for_node("lmarena_dataset")[0]
    assert observation.metadata["unchanged"].value is True
    assert dataset_server.requests == [f"/api/datasets/{HUB_REPO}"]


def test_a_bad_file_fails_the_run_and_names_it(pipeline, dataset_server):
    folder = dataset_server.publish_hub(NEXT_REVISION, subsets=("text", "text_style_control", "vision",
                                                                 "vision_style_control", "webdev"))
    (folder / "vision" / "full-00000-of-00001.parquet").write_bytes(b"<html>oops</html>")
    result = pipeline(dataset_assets)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data.user_failure_data
    assert "1 of 5 dataset file(s) failed" in failure.description
    assert "vision: vision/full-00000-of-00001.parquet" in failure.description
    with duckdb.connect(str(pipeline.db_path), read_only=True) as conn:
        loaded = conn.execute("select distinct arena, style_control from dataset_entries order by all").fetchall()
    assert loaded == [("text", False), ("text", True), ("vision", True), ("webdev", False)]


def test_sources_agree_on_the_shared_publish_date(pipeline, dataset_server, tmp_path):
    csv_board = board_from_csv(release_file("2025.08.04", "lmarena_text.csv"), OVERLAP_DAY,
                               RENAMED_IN_DATASET, SHIFTED)
    dataset_server.publish_hub(REVISION, text_overall=csv_board)
    assert pipeline(ingest_assets, partition_key=OVERLAP_DAY.isoformat()).success
    result = pipeline(dataset_assets, dataset_checks)
    assert result.success
    check = result.get_asset_check_evaluations()[0]
    csv_models = len(csv_board)  # the CSV's duplicate Yi-34B-Chat row is loaded once, like here
    # The checked-in map sends these CSV names to slugs this generated board does not have.
    on_board = {r["model_name"] for r in csv_board}  # the CSV names lowered
    mapped_away = sum(csv.lower() in on_board and slug not in on_board for csv, slug in load_name_map())
    metadata = {key: value.value for key, value in check.metadata.items()}
    assert metadata["shared_publish_dates"] == 1  # 2023-12-20 .. 2025-08-01 are not in the CSV history
    assert metadata["csv_models_on_shared_dates"] == csv_models
    assert metadata["matched_models"] == csv_models - 1 - mapped_away  # the renamed one finds no name
    assert metadata["agreeing_models"] == csv_models - 2 - mapped_away  # GLM-4.5 is 5 points off
    assert "GLM-4.5 1434.0 vs glm-4.5 1439.42" in metadata["per_date"]
    assert check.passed  # 97% agree: above the 95% bar

    name_map = tmp_path / "names.csv"
    name_map.write_text("# test\ncsv_model,dataset_model\nChatGPT-4o-latest (2025-03-26),gpt-4o-chat-2025-03-26\n")
    with duckdb.connect(str(pipeline.db_path), read_only=True) as conn:
        mapped = compare_sources(conn, name_map)
    assert mapped.metadata["matched_models"] == csv_models
    assert mapped.metadata["unmatched_csv_models"] == 0


def test_off_means_no_request_and_the_refresh_job_leaves_the_dataset_alone(tmp_path, dataset_server):
    settings = load_settings({"ARENA_DB": str(tmp_path / "arena.duckdb"), "ARENA_DATASET_SOURCE": "off"})
    result = dg.materialize(dataset_assets, resources=build_resources(settings),
                            instance=dg.DagsterInstance.ephemeral())
    assert _materialization(result).metadata["source"].value == "off"
    assert dataset_server.requests == []
    defs = build_definitions(settings)
    refresh_keys = defs.resolve_job_def("refresh").asset_layer.executable_asset_keys
    assert dg.AssetKey("lmarena_dataset") not in refresh_keys
    # The dataset's job runs what reads it: the analytics of its boards, then every page.
    dataset_keys = defs.resolve_job_def("dataset_refresh").asset_layer.executable_asset_keys
    assert {dg.AssetKey(name) for name in ("lmarena_dataset", "data_versions", "model_events",
                                           "leaderboard_reports", "trend_reports", "event_feeds")} <= dataset_keys
    assert dg.AssetKey("leaderboard_entries") not in dataset_keys  # the CSV ingestion is not re-run


def test_revision_sensor_requests_a_run_once_per_new_revision(dataset_server):
    from arena_pipeline.defs.dataset import DatasetSourceResource, new_dataset_revision_sensor
    from tests.dataset_fixtures import NEXT_REVISION

    resource = DatasetSourceResource(base=dataset_server.hub_base, subsets=["text"])

    def tick(cursor):
        return new_dataset_revision_sensor(dg.build_sensor_context(cursor=cursor, resources={"dataset_source": resource}))

    dataset_server.publish_hub(REVISION, subsets=("text",))
    first = tick(None)
    assert [r.run_key for r in first.run_requests] == [f"dataset {REVISION}"] and first.cursor == REVISION
    assert isinstance(tick(REVISION), dg.SkipReason)
    dataset_server.publish_hub(NEXT_REVISION, subsets=("text",))
    assert tick(REVISION).cursor == NEXT_REVISION
    assert all(path == f"/api/datasets/{HUB_REPO}" for path in dataset_server.requests)  # never a download
    off = DatasetSourceResource(base="off", subsets=["text"])
    assert "off" in new_dataset_revision_sensor(
        dg.build_sensor_context(resources={"dataset_source": off})).skip_message
