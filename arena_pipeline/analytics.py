"""The analytics layer: data versions, model identities, movements, events and user views.

Everything is recomputed from `snapshots` and `leaderboard_entries` in one transaction: the
whole history takes about a second, so a daily refresh recomputes everything instead of carrying
incremental state that a late rename or a re-ingested day could invalidate. The rename rule
looks at the whole history of an arena (two names ever listed together are two models), which
an incremental update could not honour without revisiting the past anyway.
"""

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from arena_pipeline.identity import (
    DEFAULT_RULES,
    DataVersion,
    ListedModel,
    RenameRules,
    build_aliases,
    load_rename_overrides,
)
from arena_pipeline.warehouse import load_sql, query_dicts, run_sql, transaction

# The top-level config/ folder through the package (a link in the source tree, a copy in a wheel).
DEFAULT_OVERRIDES = resources.files("arena_pipeline") / "config" / "rename_overrides.csv"

ANALYTICS_TABLES = ["data_versions", "model_aliases", "model_versions", "rank_movements", "model_events"]
VIEWS = ["v_latest_leaderboard", "v_model_history", "v_biggest_movers"]
MACROS = ["macro_ci_half_width", "macro_combined_ci"]

# An abrupt shift of most scores at once is a change of method, not of the models. The upstream
# re-anchored the whole text scale on 2025-06-03 (72% of the models moved beyond their CI, all
# up by ~10 points); ordinary versions move 0-2% of the models, the largest other one 38%.
METHOD_CHANGE_RULES = {"min_models_in_common": 10, "max_share_shifted": 0.5}

# A version listing over 20% fewer models than the previous one is worth a warning.
ROW_DROP_WARN_SHARE = 0.2


def refresh_analytics(
    conn: duckdb.DuckDBPyConnection,
    overrides_path: Path | None = DEFAULT_OVERRIDES,
    rules: RenameRules = DEFAULT_RULES,
) -> dict[str, int]:
    """Recompute every analytics table and view from the ingested snapshots.

    Returns the row count of each table. overrides_path=None runs the automatic rename rule
    alone (what the tests and the precision benchmark measure).
    """
    overrides = load_rename_overrides(overrides_path) if overrides_path else []
    with transaction(conn):
        for macro in MACROS:
            run_sql(conn, f"history/{macro}")
        # Derived data, rebuilt from scratch each time: `create or replace` also lets a table's
        # columns change between releases of this project.
        for table in ANALYTICS_TABLES:
            run_sql(conn, f"history/create_{table}")
        run_sql(conn, "history/data_versions", METHOD_CHANGE_RULES)
        aliases = build_aliases(read_data_versions(conn), rules, overrides)
        if aliases:
            conn.executemany(
                load_sql("history/model_aliases"),
                [
                    {
                        "arena": a.arena, "model": a.model, "model_id": a.model_id,
                        "valid_from": a.valid_from, "valid_to": a.valid_to, "method": a.method,
                    }
                    for a in aliases
                ],
            )
        for step in ["history/model_versions", "history/rank_movements", "history/model_events"]:
            run_sql(conn, step)
        for view in VIEWS:
            run_sql(conn, f"views/{view}")
    return {
        table: conn.execute(f"select count(*) from {table}").fetchall()[0][0]  # names are constants
        for table in ANALYTICS_TABLES
    }


def read_data_versions(conn: duckdb.DuckDBPyConnection) -> list[DataVersion]:
    """The rename detector's input: every model of every data version, as plain values."""
    grouped: dict[tuple, list[ListedModel]] = {}
    for arena, day, model, organization, score, ci, votes in run_sql(conn, "history/stg_identity_inputs").fetchall():
        grouped.setdefault((arena, day), []).append(ListedModel(model, organization, score, ci, votes))
    return [DataVersion(arena, day, tuple(models)) for (arena, day), models in grouped.items()]


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    severity: str  # "error" blocks trust in the tables; "warn" asks for a look
    description: str
    metadata: dict


def check_one_row_per_model_version(conn) -> CheckOutcome:
    """Each model_id is listed once per data version, and every row of a version has an identity."""
    counts = query_dicts(conn, "checks/one_row_per_model_version")[0]
    passed = counts["duplicated_model_ids"] == 0 and counts["entry_rows"] == counts["model_version_rows"]
    return CheckOutcome(passed, "error", "one row per model_id per data version, every row identified", counts)


def check_ranks_positive(conn) -> CheckOutcome:
    """rank_ub, rank_stylectrl and position are all >= 1."""
    counts = query_dicts(conn, "checks/ranks_positive")[0]
    bad = counts["rank_ub_below_1"] + counts["rank_stylectrl_below_1"] + counts["position_below_1"]
    return CheckOutcome(bad == 0, "error", "ranks and positions are >= 1", counts)


def check_ci_parsed(conn) -> CheckOutcome:
    """Every row carries both CI half-widths (not negative)."""
    counts = query_dicts(conn, "checks/ci_parsed")[0]
    return CheckOutcome(counts["rows_without_ci"] == 0, "error", "CI parsed for every row", counts)


def check_row_count_drops(conn) -> CheckOutcome:
    """Warns when a data version lists over 20% fewer models than the previous one."""
    drops = run_sql(conn, "checks/row_count_drops", {"max_drop_share": ROW_DROP_WARN_SHARE}).fetchall()
    return CheckOutcome(
        not drops,
        "warn",
        f"no data version lists over {ROW_DROP_WARN_SHARE:.0%} fewer models than the previous one",
        {
            "versions_with_drop": len(drops),
            "drops": [f"{arena} {day}: {before} -> {now}" for arena, day, before, now in drops],
        },
    )


def check_renamed_events(conn) -> CheckOutcome:
    """Every `renamed` event links two different names that are aliases of its model_id."""
    counts = query_dicts(conn, "checks/renamed_events")[0]
    return CheckOutcome(
        counts["broken_links"] == 0, "error", "every renamed event links two names of one model_id", counts
    )


ANALYTICS_CHECKS = {
    "one_row_per_model_id_per_version": check_one_row_per_model_version,
    "ranks_at_least_one": check_ranks_positive,
    "ci_parsed_for_every_row": check_ci_parsed,
    "row_count_drop_under_20_percent": check_row_count_drops,
    "renamed_events_link_one_model": check_renamed_events,
}

# Checks that only warn: a large drop can be the upstream's own clean-up (2025-02-16 removed 15%).
SOFT_CHECKS = {"row_count_drop_under_20_percent"}
