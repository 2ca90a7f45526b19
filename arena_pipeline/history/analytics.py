"""The analytics layer: data versions, model identities, movements, events and user views.

Everything is computed per board (source, arena, category, style_control; boards.board_id in
every history table and join, history/boards.py) from both sources' rows (v_board_snapshots,
v_board_entries), in one transaction. Boards whose inputs did not change
keep their rows. A board whose only change is new data versions after its newest stored one gets
only those versions' rows appended, provided the rename rule (which looks at the whole history of
a board: two names ever listed together are two models) still gives every stored row the same
identity; any other change recomputes the board whole.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import duckdb

from arena_pipeline.history import boards as board_dimension
from arena_pipeline.history import cross_source, identity
from arena_pipeline.history.boards import refresh_boards
from arena_pipeline.history.identity import (
    DEFAULT_RULES,
    Board,
    DataVersion,
    ListedModel,
    RenameRules,
    build_aliases,
    extend_aliases,
    load_rename_overrides,
)
from arena_pipeline.ingest import normalize
from arena_pipeline.ingest.dataset import create_dataset_tables
from arena_pipeline.ingest.normalize import rank_upper_bounds
from arena_pipeline.settings import stale_data_days
from arena_pipeline.warehouse import schema
from arena_pipeline.warehouse.database import SQL_DIR, query_dicts, run_sql, transaction

# The top-level config/ folder through the package (a link in the source tree, a copy in a wheel).
DEFAULT_OVERRIDES = resources.files("arena_pipeline") / "config" / "rename_overrides.csv"
# The checked-in pairs of CSV and dataset names that evidence cannot settle (cross_source.py).
DEFAULT_NAME_MAP = resources.files("arena_pipeline") / "config" / "dataset_name_map.csv"

# Tables computed per board; model_identities links the models of all boards at once.
ANALYTICS_TABLES = ["data_versions", "model_aliases", "model_versions", "rank_movements", "model_events"]
ALL_TABLES = [*ANALYTICS_TABLES, "model_identities"]
# Kept across recomputes (never re-created): the keys the tables above reference (history/boards.py).
DIMENSION_TABLES = ["boards"]
VIEWS = ["v_latest_leaderboard", "v_model_history", "v_biggest_movers", "v_model_names"]
MACROS = ["macro_ci_half_width", "macro_combined_ci", "macro_beyond_uncertainty", "macro_data_version_days"]

# The method-change rules of sql/history/data_versions.sql. Each threshold was measured on the
# real history (README, "Kinds of method change": the measured distributions); none fires on
# the first year of it.
METHOD_CHANGE_RULES = {
    # Fewer models in common than this say nothing about the field as a whole.
    "min_models_in_common": 10,
    # A common offset: the median score change, accepted when at least 90% of the models in
    # common changed by within 1 point of it (published scores are whole numbers, so rounding
    # alone adds +-1) and it is larger than that tolerance. Ordinary versions have a median
    # change of 0. The tolerance is also the offset's error for one model, added to the
    # significance threshold of shift-adjusted changes.
    "offset_tolerance": 1,
    # Scale-aware: on unrounded ratings with wide CIs (the dataset's minor categories, combined
    # CIs up to ~55 points) the tolerance is 15% of the board's median combined CI when that is
    # more. Measured on LMArena's real snapshots (benchmarks/method_rules.py): with 1 point alone
    # 10 re-anchors of 2025-05-27 (korean -177, japanese -144, french +61, german -15, ...) were
    # missed as offsets; 15% finds them and flags no ordinary version (10%: 2 ordinary ones).
    # The CSV source (median combined 7-16) keeps its 1 point.
    "offset_tolerance_ci_share": 0.15,
    "min_offset_agreement": 0.9,
    # A re-scaling that is not an offset: the least-squares slope of new on old scores stretches
    # the field (|slope - 1| x score range) by more than 5 points (ordinary versions: at most
    # 1.4), or over half of the models in common still move beyond their combined CI once the
    # common offset is removed. Scale-aware: the stretch must also exceed the board's median
    # combined CI (a stretch within a typical model's uncertainty is noise); on the real
    # snapshots 11 ordinary versions of wide-CI boards stretched 5.2-9.7 points (0.09-0.83 of
    # their median combined CI), the CSV's one real re-scaling 2.2 times it.
    "max_scale_stretch": 5.0,
    "max_scale_stretch_ci_share": 1.0,
    "max_share_moved": 0.5,
    # A listing change: at least 10 models hidden, or 10 listed again, at once (ordinary
    # versions drop or bring back at most 4), and (scale-aware) at least 10% of the models in
    # common: a ~300-model board with weekly versions drops up to 10 in ordinary churn (generated
    # text/full-sized history: 30 versions flagged at 10 alone, none at 10%; the real flags
    # hide 15-50% of a board: LMArena's 2025-11-06 snapshot, the CSV's 2024-08 listing change).
    "min_listing_change": 10,
    "min_listing_change_share": 0.1,
    # A change of CI method: the share of symmetric CIs moves by over half of the rows between
    # two versions (ordinary versions: 33-51% symmetric, moving by at most 17 points).
    "max_symmetry_change": 0.5,
}

# A version listing over 20% fewer models than the previous one is worth a warning.
ROW_DROP_WARN_SHARE = 0.2

# The derived rank upper bound works on rounded (v3: truncated) scores and CIs; measured within
# one place of the published rank on 97% of v1/v2 rows and 96% of v3 rows.
DERIVED_RANK_MIN_WITHIN_ONE = 0.9

# The upstream publishes a release every day even when its data did not change: settings'
# stale_data_days() (ARENA_STALE_DATA_DAYS), which the pages' notice reads too.


def refresh_analytics(
    conn: duckdb.DuckDBPyConnection,
    overrides_path: Path | None = DEFAULT_OVERRIDES,
    rules: RenameRules = DEFAULT_RULES,
    name_map_path: Path | None = DEFAULT_NAME_MAP,
) -> dict[str, int]:
    """Recompute the analytics tables and views of every board whose inputs changed.

    Returns the row count of each table (all boards). overrides_path=None runs the automatic
    rename rule alone (what the tests and the precision benchmark measure).

    A board (source, arena, category, style_control) is a function of its own data-version rows
    and rename overrides: each board's fingerprint of them is stored in analytics_inputs, and
    only the boards whose fingerprint changed (or that appeared or disappeared) are deleted and
    computed anew, so a CSV daily update leaves the dataset's boards alone and the other way
    round. A board whose stored versions are unchanged and that only gained newer ones gets only
    the rows of those appended (_append_or_whole). A change of the code, SQL, rename rules or
    method-change thresholds recomputes every board from scratch. All of it in one transaction.
    """
    overrides = load_rename_overrides(overrides_path) if overrides_path else []
    name_map = _name_map(name_map_path)
    with transaction(conn):
        create_dataset_tables(conn)  # both sources' tables and the v_board_* views, even if empty
        ids = refresh_boards(conn)  # every board loaded gets its board_id before any step reads it
        board_of = {board_id: board for board, board_id in ids.items()}
        for macro in MACROS:
            run_sql(conn, f"history/{macro}")
        if run_sql(conn, "history/analytics_inputs_columns").fetchone()[0]:
            run_sql(conn, "history/drop_analytics_inputs")
        run_sql(conn, "history/create_analytics_inputs")
        code = _code_fingerprint(rules, name_map)
        current = _board_fingerprints(conn, overrides, board_of)
        stored = {board_of[board_id]: (fingerprint, stored_code, newest)
                  for board_id, fingerprint, stored_code, newest
                  in run_sql(conn, "history/stored_analytics_inputs").fetchall()}
        # Nothing stored (a first run, or analytics_inputs of an older release) or other code:
        # the tables may be missing or have other columns, so every board is computed anew.
        # Also when the tables are not as this version's last refresh left them: an older version
        # (which knows nothing of the mark) rewrote them, perhaps with its own columns.
        from_scratch = (not stored or not _tables_exist(conn)
                        or any(stored_code != code for _, stored_code, _ in stored.values())
                        or not schema.analytics_mark_unchanged(conn))
        if from_scratch:
            # `create or replace` also lets a table's columns change between releases of this project.
            for table in ALL_TABLES:
                run_sql(conn, f"history/create_{table}")
            stale = sorted(set(current) | set(stored))
        else:
            stale = sorted(board for board in set(current) | set(stored)
                           if board not in current or stored.get(board, (None,))[0] != current[board].fingerprint)
        if not stale:
            if from_scratch:  # nothing loaded yet: the tables were just created, the views too
                for view in VIEWS:
                    run_sql(conn, f"views/{view}")
            schema.store_analytics_mark(conn)
            return _row_counts(conn)
        # A board whose stored versions still give the stored fingerprint only gained newer ones.
        appended_after = {
            board: stored[board][2] for board in stale
            if not from_scratch and board in current and board in stored
            and current[board].stored_fingerprint == stored[board][0]
            and stored[board][2] is not None and current[board].newest_version_date > stored[board][2]
        }
        # In batches of boards: each step's joins and windows hold one batch's rows, not every
        # board's (from scratch, two text/full-sized subsets peaked at 2.6 GiB in one batch).
        for batch in _batches(conn, ids, stale, appended_after):
            appended = {board: appended_after[board] for board in batch if board in appended_after}
            _recompute_boards(conn, ids, batch, rules, overrides, appended, delete_first=not from_scratch)
        run_sql(conn, "history/drop_board_rows")
        _set_boards_to_compute(conn, ids, stale, appended_after)  # all of them again, not the last batch
        link_models(conn, name_map)
        for view in VIEWS:
            run_sql(conn, f"views/{view}")
        run_sql(conn, "history/delete_analytics_inputs_of_boards")
        recomputed = [board for board in stale if board in current]
        run_sql(conn, "history/store_analytics_inputs", {
            "board_id": [ids[board] for board in recomputed],
            "fingerprint": [current[board].fingerprint for board in recomputed],
            "newest_version_date": [current[board].newest_version_date for board in recomputed],
            "code_fingerprint": code,
            "computed_at": datetime.now(UTC).replace(tzinfo=None),
        })
        schema.store_analytics_mark(conn)
    return _row_counts(conn)


def _recompute_boards(conn, ids: dict[Board, int], boards: list[Board], rules: RenameRules, overrides,
                      appended_after: dict[Board, date], *, delete_first: bool) -> None:
    """Delete the boards' rows (unless the tables were just created) and compute them anew; of a
    board in appended_after, only the rows of its versions after that date, if the rename rule
    still gives its stored rows the same identities."""
    _set_boards_to_compute(conn, ids, boards, appended_after)
    # Identities first: the listing signals of data_versions count models, not names.
    board_of = {board_id: board for board, board_id in ids.items()}
    if appended_after:
        undone = {board_of[board_id] for (board_id,) in run_sql(
            conn, "history/appended_boards_with_undone_renames").fetchall()}
        if undone:
            run_sql(conn, "history/whole_boards_to_compute", {"board_id": [ids[board] for board in undone]})
            appended_after = {board: day for board, day in appended_after.items() if board not in undone}
    run_sql(conn, "history/create_board_rows")  # the batch's rows, read by the steps below
    versions = read_data_versions(conn, board_of)
    aliases = build_aliases([v for v in versions if v.board not in appended_after], rules, overrides)
    if appended_after:
        aliases += _extended_aliases(conn, [v for v in versions if v.board in appended_after], board_of,
                                     rules, overrides)
    if delete_first:
        for table in ANALYTICS_TABLES:
            run_sql(conn, f"history/delete_{table}_of_boards")
    if aliases:
        run_sql(conn, "history/model_aliases", {
            "board_id": [ids[alias.board] for alias in aliases],
            **{column: [getattr(alias, column) for alias in aliases]
               for column in ("model", "model_id", "valid_from", "valid_to", "method")},
        })
    # model_versions before data_versions: the version signals read the identified rows from it.
    run_sql(conn, "history/model_versions")
    run_sql(conn, "history/data_versions", METHOD_CHANGE_RULES)
    for step in ["history/rank_movements", "history/model_events"]:
        run_sql(conn, step)


def _set_boards_to_compute(conn, ids: dict[Board, int], boards: list[Board],
                           appended_after: dict[Board, date]) -> None:
    run_sql(conn, "history/create_boards_to_compute")
    run_sql(conn, "history/insert_boards_to_compute", {
        "board_id": [ids[board] for board in boards],
        "appended_after": [appended_after.get(board) for board in boards]})


# Rows of the loaded days per batch of boards recomputed together: ~0.3 GiB of peak memory.
BATCH_ROWS = 300000


def _batches(conn, ids: dict[Board, int], boards: list[Board],
             appended_after: dict[Board, date] | None = None) -> list[list[Board]]:
    """The boards in batches of at most BATCH_ROWS rows to compute (a bigger board alone), in
    order: a board's loaded rows, or of a board in appended_after only those of its newer days."""
    appended_after = appended_after or {}
    sizes = dict(run_sql(conn, "history/board_sizes", {
        "board_id": [ids[board] for board in boards if board in ids],
        "appended_after": [appended_after.get(board) for board in boards if board in ids]}).fetchall())
    batches: list[list[Board]] = [[]]
    rows = 0
    for board in boards:
        size = sizes.get(ids.get(board), 0)
        if batches[-1] and rows + size > BATCH_ROWS:
            batches.append([])
            rows = 0
        batches[-1].append(board)
        rows += size
    return batches


def _extended_aliases(conn, versions: list[DataVersion], board_of: dict[int, Board], rules: RenameRules,
                      overrides) -> list:
    """The aliases of the boards appended to, from their stored aliases and their versions from
    the newest stored one on (identity.extend_aliases): the rename rule walks only the new
    versions, not the whole history again."""
    stored = defaultdict(list)
    for board_id, model, model_id, valid_from, valid_to, method in run_sql(
            conn, "history/stored_aliases_of_appended_boards").fetchall():
        board = board_of[board_id]
        stored[board].append(identity.Alias(board, model, model_id, valid_from, valid_to, method))
    last_ids = defaultdict(dict)
    for board_id, model, model_id in run_sql(conn, "history/stg_identity_last_ids").fetchall():
        last_ids[board_of[board_id]][model] = model_id
    listed_in = defaultdict(dict)
    for board_id, model, dates in run_sql(conn, "history/stg_identity_listings").fetchall():
        listed_in[board_of[board_id]][model] = set(dates)
    by_board = defaultdict(list)
    for version in versions:
        by_board[version.board].append(version)
    aliases = []
    for board, board_versions in by_board.items():
        aliases += extend_aliases(board, stored[board], last_ids[board],
                                  sorted(board_versions, key=lambda v: v.snapshot_date), listed_in[board],
                                  rules, overrides)
    return aliases


def _row_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        table: conn.execute(f"select count(*) from {table}").fetchall()[0][0]  # names are constants
        for table in ALL_TABLES
    }


def _tables_exist(conn: duckdb.DuckDBPyConnection) -> bool:
    names = {name for (name,) in conn.execute(
        "select table_name from information_schema.tables where table_schema = current_schema()").fetchall()}
    return set(ALL_TABLES) | set(VIEWS) <= names


class BoardInputs(NamedTuple):
    fingerprint: str  # all its data versions and rows, and its rename overrides
    newest_version_date: date
    stored_fingerprint: str  # the same of its versions up to its stored newest_version_date


def _board_fingerprints(conn: duckdb.DuckDBPyConnection, overrides,
                        board_of: dict[int, Board]) -> dict[Board, BoardInputs]:
    """Per board, a hash of what its rows are a function of in the data: its data-version days
    and their rows (one query for all boards), and the rename overrides about it; and the same
    hash of its versions up to its stored newest version (analytics_inputs)."""
    def digest(board, inputs):
        digest = hashlib.sha256(repr(inputs).encode())
        digest.update(repr([o for o in overrides if o.board == board]).encode())
        return digest.hexdigest()
    fingerprints = {}
    for board_id, newest, inputs, stored_inputs in run_sql(conn, "history/inputs_fingerprint").fetchall():
        board = board_of[board_id]
        fingerprints[board] = BoardInputs(digest(board, inputs), newest, digest(board, stored_inputs))
    return fingerprints


def link_models(conn: duckdb.DuckDBPyConnection, name_map: list[cross_source.MapRow]) -> int:
    """model_identities anew from every board's aliases and both sources' rows (cross_source.py):
    a link is a fact about two boards of two sources, so it is not kept per board. Returns the
    number of rows."""
    arenas = {"csv_arenas": list(cross_source.ARENA_PAIRS), "dataset_arenas": list(cross_source.ARENA_PAIRS.values())}
    names = [cross_source.SourceName(source, arena, model, tuple(board_model_ids), url)
             for source, arena, model, board_model_ids, url in run_sql(
                 conn, "history/stg_cross_source_names").fetchall()]
    evidence = [cross_source.PairEvidence(*row) for row in run_sql(
        conn, "history/stg_cross_source_evidence", arenas).fetchall()]
    listings = [cross_source.Listing(source, arena, model, frozenset(dates)) for source, arena, model, dates in run_sql(
        conn, "history/stg_cross_source_listings", arenas).fetchall()]
    identities = cross_source.build_identities(names, evidence, listings, name_map)
    run_sql(conn, "history/create_model_identities")
    if identities:
        run_sql(conn, "history/model_identities", {
            column: [getattr(row, column if column != "model" else "name") for row in identities]
            for column in ("model_id", "source", "arena", "model", "linked_by")})
    return len(identities)


@cache
def _code_fingerprint(rules: RenameRules, name_map: tuple = ()) -> str:
    """The analytics code and SQL, the rename rules, the method-change thresholds and the
    cross-source name map: a change to any of them recomputes every board."""
    digest = hashlib.sha256(repr((rules, METHOD_CHANGE_RULES, name_map)).encode())
    for path in (__file__, identity.__file__, cross_source.__file__, normalize.__file__,
                 board_dimension.__file__):
        digest.update(Path(path).read_bytes())
    for stage in ("history", "views"):
        for path in sorted(SQL_DIR.joinpath(stage).iterdir(), key=lambda p: p.name):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _name_map(name_map_path: Path | None) -> tuple:
    return tuple(cross_source.load_name_map(name_map_path)) if name_map_path else ()


def analytics_code_fingerprint(overrides_path: Path | None = DEFAULT_OVERRIDES,
                               rules: RenameRules = DEFAULT_RULES,
                               name_map_path: Path | None = DEFAULT_NAME_MAP) -> str:
    """What the analytics are a function of besides the rows: the code fingerprint (with the
    cross-source name map) and the rename overrides (for the dataset command's check that
    nothing changed)."""
    digest = hashlib.sha256(_code_fingerprint(rules, _name_map(name_map_path)).encode())
    if overrides_path is not None:
        digest.update(overrides_path.read_bytes())
    return digest.hexdigest()


def analytics_code_current(conn: duckdb.DuckDBPyConnection, rules: RenameRules = DEFAULT_RULES,
                           name_map_path: Path | None = DEFAULT_NAME_MAP) -> bool:
    """Whether the analytics tables exist and every stored board was computed by this code (a
    new release of it recomputes them all)."""
    tables = {name for (name,) in run_sql(conn, "checks/existing_tables").fetchall()}
    if not _tables_exist(conn) or "analytics_inputs" not in tables:
        return False
    stored = {code for (code,) in run_sql(conn, "history/stored_code_fingerprints").fetchall()}
    return stored == {_code_fingerprint(rules, _name_map(name_map_path))}


def read_data_versions(conn: duckdb.DuckDBPyConnection, board_of: dict[int, Board]) -> list[DataVersion]:
    """The rename detector's input for the boards in boards_to_compute (from the batch's
    board_rows: of an appended board, its versions from appended_after on), in the compact form of
    identity.DataVersion: every name of every data version, but the details only of the models
    that appear or disappear at the next version (a million-row history is mostly models listed
    again, and one Python object per row took most of its recompute)."""
    return [
        DataVersion(
            board_of[board_id], day,
            tuple(ListedModel(m["name"], m["organization"], m["score"], m["ci"], m["votes"]) for m in churn),
            names=tuple(names), score_shift=score_shift if score_shift is not None else 0.0,
        )
        for board_id, day, names, churn, score_shift in run_sql(
            conn, "history/stg_identity_inputs").fetchall()
    ]


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    severity: str  # "error" blocks trust in the tables; "warn" asks for a look
    description: str
    metadata: dict


def check_one_row_per_model_version(conn) -> CheckOutcome:
    """Each model_id is listed once per data version, and every row of a version has an identity."""
    counts = query_dicts(conn, "checks/one_row_per_model_version")[0]
    passed = (counts["duplicated_model_ids"] == 0 and counts["duplicated_movements"] == 0
              and counts["entry_rows"] == counts["model_version_rows"])
    return CheckOutcome(passed, "error", "one row per model_id per data version (and per movement), every row "
                        "identified", counts)


def check_ranks_positive(conn) -> CheckOutcome:
    """rank_ub, rank_stylectrl and position are all >= 1."""
    counts = query_dicts(conn, "checks/ranks_positive")[0]
    bad = counts["rank_ub_below_1"] + counts["rank_stylectrl_below_1"] + counts["position_below_1"]
    return CheckOutcome(bad == 0, "error", "ranks and positions are >= 1", counts)


def check_ci_parsed(conn) -> CheckOutcome:
    """Every CSV row carries both CI half-widths (not negative); a dataset row both or neither
    (the dataset's Elo era published no bounds: counted in the metadata)."""
    counts = query_dicts(conn, "checks/ci_parsed")[0]
    return CheckOutcome(counts["rows_without_ci"] == 0, "error",
                        "CI parsed for every row (dataset rows: both bounds or none)", counts)


def check_row_count_drops(conn) -> CheckOutcome:
    """Warns when a data version lists over 20% fewer models than the previous one of its board."""
    drops = run_sql(conn, "checks/row_count_drops", {"max_drop_share": ROW_DROP_WARN_SHARE}).fetchall()
    return CheckOutcome(
        not drops,
        "warn",
        f"no data version lists over {ROW_DROP_WARN_SHARE:.0%} fewer models than the previous one",
        {
            "versions_with_drop": len(drops),
            "drops": [f"{Board(*board).label} {day}: {before} -> {now}" for *board, day, before, now in drops],
        },
    )


def check_renamed_events(conn) -> CheckOutcome:
    """Every `renamed` event links two different names that are aliases of its model_id."""
    counts = query_dicts(conn, "checks/renamed_events")[0]
    return CheckOutcome(
        counts["broken_links"] == 0, "error", "every renamed event links two names of one model_id", counts
    )


def check_derived_rank_ub_agrees(conn) -> CheckOutcome:
    """Warns when the rank upper bound derived from scores and CIs (normalize.rank_upper_bounds)
    agrees with the published one within one place on fewer than 90% of a CSV schema's rows.
    For the official dataset's board dates that publish an upper-bound rank (rank_kind), the
    agreement of our derivation is reported per arena, not judged: LMArena leaves deprecated
    models out of its count, which the bounds alone cannot tell."""
    # Each data version is counted once and its tally kept (derived_rank_tallies): a run
    # derives the ranks of new or changed versions only, not of the whole history.
    code_hash = _derivation_code_hash()
    with transaction(conn):
        run_sql(conn, "checks/create_derived_rank_tallies")
        # Plain tuples, not Entry objects: a backfill reads every row of the history here.
        grouped: dict[tuple, list[tuple]] = defaultdict(list)
        version_of: dict[tuple, tuple[str, str]] = {}
        for schema, arena, day, data_hash, rank_ub, score, ci_plus, ci_minus in run_sql(
                conn, "checks/derived_rank_ub_inputs", {"code_hash": code_hash}).fetchall():
            grouped[(arena, day)].append((rank_ub, (score, ci_plus, ci_minus)))
            version_of[(arena, day)] = (schema, data_hash)
        tallies = []
        for (arena, day), rows in grouped.items():
            derived = rank_upper_bounds([bounds for _, bounds in rows])
            gaps = [abs(published - derived_rank_ub)
                    for (published, _), derived_rank_ub in zip(rows, derived, strict=True)]
            schema, data_hash = version_of[(arena, day)]
            tallies.append((arena, day, data_hash, schema, len(gaps), gaps.count(0),
                            sum(gap <= 1 for gap in gaps), max(gaps)))
        run_sql(conn, "checks/delete_stale_derived_rank_tallies", {"code_hash": code_hash})
        if tallies:
            columns = ("arena", "snapshot_date", "data_hash", "schema_version", "row_total",
                       "exact_rows", "within_one_rows", "largest_gap")
            run_sql(conn, "checks/insert_derived_rank_tallies", {
                "code_hash": code_hash,
                **{column: [tally[i] for tally in tallies] for i, column in enumerate(columns)}})
        by_schema = run_sql(conn, "checks/derived_rank_ub_by_schema").fetchall()
    per_schema = {
        schema: {
            "rows": int(rows),
            "exact_share": round(exact / rows, 3),
            "within_one_share": round(within_one / rows, 3),
            "largest_gap": largest_gap,
        }
        for schema, rows, exact, within_one, largest_gap in by_schema
    }
    passed = all(s["within_one_share"] >= DERIVED_RANK_MIN_WITHIN_ONE for s in per_schema.values())
    dataset = {}
    if _has_table(conn, "dataset_snapshots"):
        dataset["dataset_rank_kinds"] = {kind: int(n) for kind, n in
                                         run_sql(conn, "checks/dataset_rank_kinds").fetchall()}
        for arena, board_dates, rows, exact, within_one, largest_gap in run_sql(
                conn, "checks/dataset_derived_rank_agreement").fetchall():
            dataset[f"dataset_{arena}"] = {
                "board_dates": int(board_dates), "rows": int(rows),
                "exact_share": round(exact / rows, 3), "within_one_share": round(within_one / rows, 3),
                "largest_gap": largest_gap}
    return CheckOutcome(
        passed,
        "warn",
        f"derived rank upper bound within one place of the published one on at least "
        f"{DERIVED_RANK_MIN_WITHIN_ONE:.0%} of each schema's rows",
        per_schema | {"versions_derived_this_run": len(tallies)} | dataset,
    )


def _has_table(conn, name: str) -> bool:
    return name in {row[0] for row in run_sql(conn, "checks/existing_tables").fetchall()}


@cache
def _derivation_code_hash() -> str:
    """What the derived ranks are a function of besides the rows: the derivation's module."""
    return hashlib.sha256(Path(normalize.__file__).read_bytes()).hexdigest()[:16]


def check_data_freshness(conn, today: date | None = None, max_age_days: int | None = None) -> CheckOutcome:
    """Warns when a board's newest data version is older than ARENA_STALE_DATA_DAYS days (7 by
    default): the CSV upstream keeps publishing releases that repeat old data."""
    today = today or datetime.now(UTC).date()
    max_age_days = stale_data_days() if max_age_days is None else max_age_days
    boards = [(Board(b["source"], b["arena"], b["category"], b["style_control"]).label, b)
              for b in query_dicts(conn, "checks/data_freshness")]
    stale = {
        label: (today - b["data_version_date"]).days
        for label, b in boards
        if (today - b["data_version_date"]).days > max_age_days
    }
    return CheckOutcome(
        not stale,
        "warn",
        f"every board's data changed within the last {max_age_days} days",
        {
            "max_age_days": max_age_days,
            "stale_boards": [f"{label}: data unchanged for {days} days" for label, days in stale.items()],
            "data_version_dates": {label: b["data_version_date"].isoformat() for label, b in boards},
            "latest_release_dates": {label: b["latest_release_date"].isoformat() for label, b in boards},
        },
    )


ANALYTICS_CHECKS = {
    "one_row_per_model_id_per_version": check_one_row_per_model_version,
    "ranks_at_least_one": check_ranks_positive,
    "ci_parsed_for_every_row": check_ci_parsed,
    "row_count_drop_under_20_percent": check_row_count_drops,
    "renamed_events_link_one_model": check_renamed_events,
    "derived_rank_ub_agrees_with_published": check_derived_rank_ub_agrees,
    "data_changed_recently": check_data_freshness,
}

# The table each check reads, so a Dagster wrapper can attach the check to that table's asset.
CHECKED_TABLES = {
    "one_row_per_model_id_per_version": "model_versions",
    "ranks_at_least_one": "model_versions",
    "ci_parsed_for_every_row": "model_versions",
    "row_count_drop_under_20_percent": "data_versions",
    "renamed_events_link_one_model": "model_events",
    "derived_rank_ub_agrees_with_published": "data_versions",
    "data_changed_recently": "data_versions",
}

# Checks that only warn: a large drop can be the upstream's own clean-up of its listing.
SOFT_CHECKS = {
    "row_count_drop_under_20_percent",
    "derived_rank_ub_agrees_with_published",
    "data_changed_recently",
}
