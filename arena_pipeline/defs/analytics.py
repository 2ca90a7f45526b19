"""Analytics asset and its checks: thin wrappers around arena_pipeline.analytics."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.analytics import ANALYTICS_CHECKS, SOFT_CHECKS, CheckOutcome, refresh_analytics


@dg.asset(
    deps=[dg.AssetKey("leaderboard_entries")],
    group_name="analytics",
    kinds={"duckdb"},
)
def analytics(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """Turns the daily snapshots into history a user can trust: data versions (repeated releases
    collapsed), model identities across renames (`model_aliases`), `rank_movements`,
    `model_events`, and the views `v_latest_leaderboard`, `v_model_history`, `v_biggest_movers`.
    Recomputed in full after each ingestion: the whole history takes about a second.
    """
    with duckdb.get_connection() as conn:
        counts = refresh_analytics(conn)
    context.log.info(f"analytics rows: {counts}")
    return dg.MaterializeResult(metadata={f"{table}_rows": count for table, count in counts.items()})


def _asset_check(name: str, check, blocking: bool) -> dg.AssetChecksDefinition:
    """One Dagster asset check per named predicate of arena_pipeline.analytics."""

    @dg.asset_check(asset=analytics, name=name, description=check.__doc__, blocking=blocking)
    def _check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as conn:
            outcome: CheckOutcome = check(conn)
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR if outcome.severity == "error" else dg.AssetCheckSeverity.WARN,
            description=outcome.description,
            metadata=outcome.metadata,
        )

    return _check


# Hard invariants block what is downstream (reports); the row-count drop only warns.
analytics_checks = [
    _asset_check(name, check, blocking=name not in SOFT_CHECKS)
    for name, check in ANALYTICS_CHECKS.items()
]

analytics_assets = [analytics]
