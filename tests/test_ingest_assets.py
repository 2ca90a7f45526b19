"""Real Dagster materializations of real release days, served by a loopback HTTP server."""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from arena_pipeline.defs.ingest import ingest_assets, ingest_checks
from arena_pipeline.defs.partitions import range_tags
from arena_pipeline.defs.resources import build_resources
from arena_pipeline.settings import load_settings
from tests.conftest import release_file

DATA_TABLES = ["raw_files", "snapshots", "leaderboard_entries"]


@pytest.fixture
def ingest(tmp_path, loopback):
    """Materialize the ingestion assets for one day or a range, against the loopback server."""
    settings = load_settings({
        "ARENA_SOURCE": loopback.url, "ARENA_DB": str(tmp_path / "arena.duckdb"),
        "ARENA_REPORTS_DIR": str(tmp_path / "reports"), "DAGSTER_HOME": str(tmp_path),
    })
    instance = dg.DagsterInstance.ephemeral()

    def run(first: str, last: str | None = None) -> dg.ExecuteInProcessResult:
        options = ({"tags": range_tags(dt.date.fromisoformat(first), dt.date.fromisoformat(last))}
                   if last else {"partition_key": first})
        return dg.materialize([*ingest_assets, *ingest_checks], resources=build_resources(settings),
                              instance=instance, raise_on_error=False, **options)

    run.db_path = settings.db_path
    return run


def query(db_path, sql, params=None):
    with duckdb.connect(str(db_path), read_only=True) as conn:
        return conn.execute(sql, params).fetchall()


def fingerprints(db_path) -> dict[str, tuple]:
    return {
        table: query(db_path, f"select count(*), md5(string_agg(cast(t as varchar), '|' "
                              f"order by cast(t as varchar))) from {table} t")[0]
        for table in DATA_TABLES
    }


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    return "\n".join(e.step_failure_data.user_failure_data.description
                     for e in result.all_events if e.is_step_failure)


def test_switch_day_loads_three_arenas(ingest, loopback):
    for name in ("lmarena_text.csv", "lmarena_vision.csv", "lmarena_image.csv"):
        loopback.publish("2025.07.27", name)
    assert ingest("2025-07-27").success

    assert query(ingest.db_path, "select arena, file_name, schema_version, row_count, "
                 "duplicate_rows from snapshots order by arena") == [
        ("image", "lmarena_image.csv", "v3", 19, 1),
        ("text", "lmarena_text.csv", "v3", 259, 1),
        ("vision", "lmarena_vision.csv", "v3", 86, 0),
    ]
    assert query(ingest.db_path, "select file_name, http_status from fetch_log order by 1") == [
        ("lmarena_image.csv", 200), ("lmarena_text.csv", 200), ("lmarena_vision.csv", 200),
        ("lmsys.csv", 404),
    ]
    raw = query(ingest.db_path, "select content from raw_files where first_url like '%text.csv'")
    assert bytes(raw[0][0]) == release_file("2025.07.27", "lmarena_text.csv")
    assert query(ingest.db_path, "select count(*) from leaderboard_entries "
                 "where model = 'Yi-34B-Chat'") == [(1,)]


def test_rerunning_a_day_and_a_range_changes_nothing(ingest, loopback):
    for tag in ("2024.11.04", "2024.11.05", "2024.11.06"):
        loopback.publish(tag, "lmsys.csv")
    assert ingest("2024-11-04", "2024-11-06").success
    before = fingerprints(ingest.db_path)
    assert before["snapshots"][0] == 3

    assert ingest("2024-11-05").success
    assert ingest("2024-11-04", "2024-11-06").success
    assert fingerprints(ingest.db_path) == before


def test_a_day_without_release_is_recorded_not_failed(ingest):
    assert ingest("2024-08-13").success
    assert query(ingest.db_path, "select count(*), max(http_status) from fetch_log") == [(4, 404)]
    assert query(ingest.db_path, "select count(*) from snapshots") == [(0,)]


def test_a_bad_file_fails_its_day_and_keeps_everything_else(ingest, loopback):
    loopback.publish("2024.11.05", "lmsys.csv")
    assert ingest("2024-11-05").success
    good = fingerprints(ingest.db_path)

    # The upstream now serves a broken file for the same day.
    broken = release_file("2024.11.05", "lmsys.csv").replace(b",+4/-4,", b",+4/-4,", 1)
    lines = broken.split(b"\n")
    fields = lines[7].split(b",")
    fields[5] = b"lots"  # votes of the 7th data row (line 8 of the file)
    lines[7] = b",".join(fields)
    broken = b"\n".join(lines)
    loopback.publish("2024.11.05", "lmsys.csv", broken)
    result = ingest("2024-11-05")

    assert not result.success
    message = failure_message(result)
    assert "2024.11.05/lmsys.csv, line 8, column 'votes': not a whole number (value 'lots')" \
        in message
    after = fingerprints(ingest.db_path)
    assert after["snapshots"] == good["snapshots"]
    assert after["leaderboard_entries"] == good["leaderboard_entries"]
    # The broken bytes are archived next to the good ones, for inspection.
    assert after["raw_files"][0] == 2
    assert query(ingest.db_path, "select count(*) from raw_files where content = ?",
                 [broken]) == [(1,)]
    assert query(ingest.db_path, "select snapshot_date, file_name from load_errors") == [
        (dt.date(2024, 11, 5), "lmsys.csv")]


def test_one_bad_day_in_a_range_does_not_block_the_others(ingest, loopback):
    loopback.publish("2024.11.04", "lmsys.csv")
    loopback.publish("2024.11.05", "lmsys.csv", b"<html><body>rate limited</body></html>\n")
    loopback.publish("2024.11.06", "lmsys.csv")
    result = ingest("2024-11-04", "2024-11-06")

    assert not result.success
    assert "1 of 3 day(s) failed" in failure_message(result)
    assert "an HTML page, not a CSV file" in failure_message(result)
    assert query(ingest.db_path, "select snapshot_date from snapshots order by 1") == [
        (dt.date(2024, 11, 4),), (dt.date(2024, 11, 6),)]


def _partition_metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    return {m.partition: {key: value.value for key, value in m.metadata.items()}
            for m in result.asset_materializations_for_node("leaderboard_entries")}


def test_each_partition_says_what_happened_to_its_own_day(ingest, loopback):
    loopback.publish("2024.11.04", "lmsys.csv")
    loopback.publish("2024.11.05", "lmsys.csv", b"<html><body>rate limited</body></html>\n")
    result = ingest("2024-11-03", "2024-11-05")

    metadata = _partition_metadata(result)
    assert metadata["2024-11-03"] == {"outcome": "no release"}
    loaded = metadata["2024-11-04"]
    rows = query(ingest.db_path, "select row_count from snapshots")[0][0]
    assert (loaded["outcome"], loaded["rows"], loaded["files"]) == ("loaded", rows, "lmsys.csv")
    assert loaded["arenas"].startswith(f"text {rows} rows (v2, sha256 ")
    assert metadata["2024-11-05"]["outcome"] == "failed"
    assert "2024.11.05/lmsys.csv, line 1" in metadata["2024-11-05"]["error"]
    # The check failed the run after the asset materialized every day of the range.
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    assert failed_steps == ["leaderboard_entries_every_day_fetched_and_loaded"]


def test_a_sharp_row_count_drop_loads_and_warns(ingest, loopback):
    loopback.publish("2024.11.04", "lmsys.csv")
    cut = b"\n".join(release_file("2024.11.05", "lmsys.csv").split(b"\n")[:100]) + b"\n"
    loopback.publish("2024.11.05", "lmsys.csv", cut)
    result = ingest("2024-11-04", "2024-11-05")

    assert result.success
    assert query(ingest.db_path, "select row_count from snapshots order by snapshot_date")[1] == (99,)
    warning = _partition_metadata(result)["2024-11-05"]["warning"]
    assert warning.startswith("2024-11-05 text: 99 rows, ")
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.description == warning
