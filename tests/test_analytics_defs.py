"""The analytics assets and their checks run through Dagster against a DuckDB file."""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.analytics import analytics_assets, analytics_checks
from arena_pipeline.history.analytics import ALL_TABLES, CHECKED_TABLES, DIMENSION_TABLES, VIEWS
from tests.test_analytics_sql import load, release


def test_each_table_is_an_asset_with_row_count_and_column_schema(tmp_path):
    database = str(tmp_path / "arena.duckdb")
    with duckdb.connect(database) as conn:
        load(conn, release(1, ("A", 1300), ("B", 1200)), release(2, ("a", 1300), ("B", 1350)))
    result = dg.materialize(
        [*analytics_assets, *analytics_checks], resources={"duckdb": DuckDBResource(database=database)}
    )
    assert result.success
    materialized = {m.asset_key.to_user_string(): m.metadata for m in result.get_asset_materialization_events()
                    for m in [m.step_materialization_data.materialization]}
    assert set(materialized) == {*DIMENSION_TABLES, *ALL_TABLES, *VIEWS}
    assert materialized["boards"]["dagster/row_count"].value == 1  # the CSV source's text board
    assert materialized["model_events"]["dagster/row_count"].value == 2  # renamed a <- A, new_leader B
    assert materialized["data_versions"]["dagster/row_count"].value == 2
    schema = materialized["model_versions"]["dagster/column_schema"].value
    columns = {column.name: column for column in schema.columns}
    assert columns["score"].type == "DOUBLE" and not columns["score"].constraints.nullable
    assert columns["rank_stylectrl"].constraints.nullable
    assert columns["ci"].description == "mean of the two half-widths"  # from create_model_versions.sql
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    # The synthetic data is dated years ago: only the (warning) freshness check fails.
    assert {name for name, e in checks.items() if not e.passed} == {"data_changed_recently"}
    assert len(checks) == len(CHECKED_TABLES)
    assert checks["renamed_events_link_one_model"].metadata["renamed_events"].value == 1
    assert checks["renamed_events_link_one_model"].asset_key == dg.AssetKey("model_events")


def test_every_check_hangs_on_the_table_it_tests():
    placed = {check.key.name: check.key.asset_key.to_user_string()
              for checks in analytics_checks for check in checks.check_specs}
    assert placed == CHECKED_TABLES
    assert placed["row_count_drop_under_20_percent"] == "data_versions"


def test_a_failed_hard_check_blocks_what_is_downstream_and_a_soft_one_does_not(tmp_path):
    database = str(tmp_path / "arena.duckdb")
    with duckdb.connect(database) as conn:
        load(conn, release(1, ("A", 1300), ("B", 1200)), release(2, ("A", 1300), ("B", 1350)))
        conn.execute("update leaderboard_entries set rank_ub = 0 where model = 'B'")

    @dg.asset(deps=["model_versions"])
    def page_from_model_versions() -> None:
        pass

    @dg.asset(deps=["data_versions"])
    def page_from_data_versions_only() -> None:
        pass

    result = dg.materialize(
        [*analytics_assets, *analytics_checks, page_from_model_versions, page_from_data_versions_only],
        resources={"duckdb": DuckDBResource(database=database)}, raise_on_error=False)
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not checks["ranks_at_least_one"].passed
    assert checks["ranks_at_least_one"].metadata["rank_ub_below_1"].value == 2
    assert not checks["data_changed_recently"].passed  # a warning: years-old synthetic data
    assert len(checks) == len(CHECKED_TABLES)  # every check ran, in one step
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "model_versions" in materialized
    assert "page_from_model_versions" not in materialized
    assert "page_from_data_versions_only" in materialized  # its table's checks only warn
    assert not result.success
