"""The analytics asset and its checks run through Dagster against a DuckDB file."""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.analytics import analytics_assets, analytics_checks
from tests.test_analytics_sql import load, release


def test_asset_materializes_and_checks_report_counts(tmp_path):
    database = str(tmp_path / "arena.duckdb")
    with duckdb.connect(database) as conn:
        load(conn, release(1, ("A", 1300), ("B", 1200)), release(2, ("a", 1300), ("B", 1350)))
    result = dg.materialize(
        [*analytics_assets, *analytics_checks], resources={"duckdb": DuckDBResource(database=database)}
    )
    assert result.success
    metadata = result.asset_materializations_for_node("analytics")[0].metadata
    assert metadata["model_events_rows"].value == 2  # renamed a <- A, new_leader B
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    # The synthetic data is dated years ago: only the (warning) freshness check fails.
    assert {name for name, e in checks.items() if not e.passed} == {"data_changed_recently"}
    assert len(checks) == 7
    assert checks["renamed_events_link_one_model"].metadata["renamed_events"].value == 1
