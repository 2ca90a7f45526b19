"""Analytics assets and their checks: thin wrappers around arena_pipeline.history.analytics.

One Dagster asset per analytics table and view, all produced by one multi-asset so that the
recompute stays a single DuckDB transaction. The lineage between them and each asset's
description are read from the SQL itself, so the graph in the UI cannot drift from what runs.
"""

import re
from graphlib import TopologicalSorter

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.automation import DOWNSTREAM_OF_INGESTION
from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.history.analytics import (
    ALL_TABLES,
    ANALYTICS_CHECKS,
    CHECKED_TABLES,
    DIMENSION_TABLES,
    SOFT_CHECKS,
    VIEWS,
    CheckOutcome,
    refresh_analytics,
)
from arena_pipeline.warehouse.database import load_sql, query_dicts

# Ingested tables and the views over both sources that the analytics SQL reads, and the
# ingestion assets that write them (the CSV source's and the official dataset's).
BOTH_SOURCES = ["leaderboard_entries", "lmarena_dataset"]
INGESTED_TABLES = {"snapshots": ["leaderboard_entries"], "leaderboard_entries": ["leaderboard_entries"],
                   "v_board_entries": BOTH_SOURCES, "v_board_snapshots": BOTH_SOURCES,
                   # The data-version days (a table macro) and a batch's rows (a temporary table).
                   "data_version_days": BOTH_SOURCES, "board_rows": BOTH_SOURCES}

# model_aliases and model_identities are built in Python from these queries' rows, then
# inserted; boards are numbered, then described from config/.
EXTRA_SQL = {"model_aliases": ["history/stg_identity_inputs"],
             "model_identities": ["history/stg_cross_source_names", "history/stg_cross_source_evidence",
                                  "history/stg_cross_source_listings"],
             "boards": ["history/update_boards"]}
# The statement that fills each table, where it is not history/<table>.sql.
FILLED_BY = {"boards": "history/insert_new_boards"}
TABLES = [*DIMENSION_TABLES, *ALL_TABLES]

# Views with one row per row of a table (v_model_history: model_versions left-joined on its
# key): that table's count, instead of counting a million-row join (0.5 s per run at 1 M rows).
VIEW_ROWS_OF = {"v_model_history": "model_versions"}

# Reads that are not lineage (none now: data_versions reads the identified rows of model_versions,
# which is computed first).
EARLIER_ROWS_READ: dict[str, list[str]] = {}


def _sql_files(name: str) -> list[str]:
    """The statements that fill a table or define a view."""
    if name in VIEWS:
        return [f"views/{name}"]
    return [FILLED_BY.get(name, f"history/{name}"), *EXTRA_SQL.get(name, [])]


def upstream_assets(name: str) -> list[str]:
    """Assets a table or view reads, from the `from` / `join` clauses of its SQL."""
    known = {*TABLES, *VIEWS}
    found: list[str] = []
    for sql_name in _sql_files(name):
        for referenced in re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", load_sql(sql_name)):
            assets = INGESTED_TABLES.get(referenced) or ([referenced] if referenced in known else [])
            found += [asset for asset in assets
                      if asset != name and asset not in found and asset not in EARLIER_ROWS_READ.get(name, [])]
    return found


def _description(name: str) -> str:
    """The leading comment of the file that creates the table or view."""
    text = load_sql(_sql_files(name)[0] if name in VIEWS else f"history/create_{name}")
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    kind = "View" if name in VIEWS else "Table"
    return f"{kind} `{name}` in the DuckDB file. " + " ".join(lines)


# Dagster wants a multi-asset's outputs in dependency order.
ANALYTICS_ASSETS = [
    name for name in TopologicalSorter(
        {name: upstream_assets(name) for name in [*TABLES, *VIEWS]}).static_order()
    if name in {*TABLES, *VIEWS}
]

analytics_specs = [
    dg.AssetSpec(
        name,
        deps=upstream_assets(name),
        description=_description(name),
        group_name="analytics",
        kinds={"duckdb", "view" if name in VIEWS else "table"},
        automation_condition=DOWNSTREAM_OF_INGESTION,
    )
    for name in ANALYTICS_ASSETS
]


def column_comments(name: str) -> dict[str, str]:
    """The comment after each column of `history/create_<name>.sql`: its description in the UI."""
    if name in VIEWS:
        return {}
    return dict(re.findall(r"^\s+([a-z_][a-z0-9_]*)\s+[a-z].*?--\s*(.+?)\s*$", load_sql(f"history/create_{name}"),
                           flags=re.MULTILINE))


def table_schema(conn, name: str) -> dg.TableSchema:
    comments = column_comments(name)
    return dg.TableSchema(columns=[
        dg.TableColumn(
            column["column_name"], column["data_type"], description=comments.get(column["column_name"]),
            constraints=dg.TableColumnConstraints(nullable=column["nullable"]),
        )
        for column in query_dicts(conn, "history/table_columns", table_name=name)
    ])


@dg.multi_asset(
    specs=analytics_specs,
    name="analytics",
    description="Computes every analytics table and view per board (source, arena, category, "
                "style_control) from both sources, in one transaction; only the boards whose "
                "inputs changed are recomputed.",
    pool=DUCKDB_WRITER_POOL,
)
def analytics(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Turns the daily snapshots into history a user can trust: data versions (repeated releases
    collapsed), model identities across renames, movements, events and the user views.
    After each ingestion, each board whose inputs changed is recomputed whole: a late rename or
    re-ingested day changes that board's past.
    """
    with duckdb.get_connection() as conn:
        counts = refresh_analytics(conn)
        for name in ANALYTICS_ASSETS:
            rows = counts.get(name, counts.get(VIEW_ROWS_OF.get(name)))
            if rows is None:  # a small view or boards: counted here, cheap next to the recompute
                rows = conn.execute(f'select count(*) from "{name}"').fetchone()[0]  # name is a constant
            yield dg.MaterializeResult(asset_key=name, metadata={
                "dagster/row_count": rows,
                "dagster/column_schema": table_schema(conn, name),
                "dagster/table_name": f"main.{name}",
            })
    context.log.info(f"analytics rows: {counts}")


def _check_spec(name: str, check) -> dg.AssetCheckSpec:
    """One Dagster asset check per named predicate, placed on the table it tests. Hard
    invariants block what is downstream (reports); the soft ones only warn."""
    table = CHECKED_TABLES.get(name)
    if table not in ANALYTICS_ASSETS:
        raise ValueError(f"analytics check {name!r}: CHECKED_TABLES names no analytics table "
                         f"({table!r}); add it to arena_pipeline.history.analytics.CHECKED_TABLES")
    return dg.AssetCheckSpec(name, asset=table, description=check.__doc__,
                             blocking=name not in SOFT_CHECKS)


@dg.multi_asset_check(
    specs=[_check_spec(name, check) for name, check in ANALYTICS_CHECKS.items()],
    name="analytics_checks",
    description="Every analytics check in one step (one step each cost ~40 ms of Dagster's "
                "step overhead in every run); each result is still its own check in the UI.",
    can_subset=True,
    pool=DUCKDB_WRITER_POOL,
)
def analytics_checks_step(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
    """The selected analytics checks, each a named predicate of analytics.ANALYTICS_CHECKS."""
    selected = {key.name for key in context.selected_asset_check_keys}
    with duckdb.get_connection() as conn:
        for name, check in ANALYTICS_CHECKS.items():
            if name not in selected:
                continue
            outcome: CheckOutcome = check(conn)
            yield dg.AssetCheckResult(
                asset_key=CHECKED_TABLES[name],
                check_name=name,
                passed=outcome.passed,
                severity=dg.AssetCheckSeverity.ERROR if outcome.severity == "error" else dg.AssetCheckSeverity.WARN,
                description=outcome.description,
                metadata=outcome.metadata,
            )


analytics_checks = [analytics_checks_step]
analytics_assets = [analytics]
