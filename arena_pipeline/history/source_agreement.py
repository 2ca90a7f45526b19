"""Do the two sources agree where they overlap? Each CSV arena (text, vision, image) against the
dataset's raw `overall` board of the same arena, per publish date both have, on scores and ranks
(the `sources_agree` asset check). Names are matched by spelling (sql/checks/sources_agree.sql)."""

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from arena_pipeline.history import cross_source
from arena_pipeline.warehouse.database import query_dicts

# The top-level config/ folder through the package (a link in the source tree, a copy in a wheel).
DEFAULT_NAME_MAP = resources.files("arena_pipeline") / "config" / "dataset_name_map.csv"
# Per arena and shared publish date, the share of matched models that must agree: on the score
# (within rounding) and on the rank among the models both list (within one place). One date below
# either fails the check. Measured on LMArena's real snapshots against the CSV history (text,
# 8 shared dates of 2025-03 .. 05): scores 98.6-100%, ranks 93.7-100% per date.
MIN_AGREEING_SHARE = 0.95
MIN_RANK_AGREEING_SHARE = 0.90
WORST_DATES_LISTED = 5
# An arena and date with fewer names matched than this is listed, not judged: too few to say the
# sources disagree (e.g. a board whose names the rule cannot link at all).
MIN_MATCHED_TO_JUDGE = 10


@dataclass
class Agreement:
    passed: bool
    description: str
    metadata: dict
    dates: list[dict]


def load_name_map(path: Path | None = DEFAULT_NAME_MAP) -> list[tuple[str, str]]:
    """The text arena's `link` pairs of the cross-source map (cross_source.load_name_map)."""
    return [(row.csv_model, row.dataset_model) for row in cross_source.load_name_map(path)
            if row.arena == "text" and row.action == "link"]


def _shares(d: dict) -> tuple[float, float]:
    """(score share, rank share) of one arena and date; 0 when nothing matched."""
    if not d["matched"]:
        return 0.0, 0.0
    return d["agreeing"] / d["matched"], d["ranks_agreeing"] / d["matched"]


def _date_line(d: dict) -> str:
    score, rank = _shares(d)
    line = (f"{d['arena']} {d['snapshot_date']}: scores {d['agreeing']}/{d['matched']} ({score:.1%}), ranks "
            f"{d['ranks_agreeing']}/{d['matched']} ({rank:.1%}), {d['csv_models'] - d['matched']} CSV names "
            f"unmatched, max diff {d['max_score_diff']:.2f} points / {d['max_rank_diff']} places")
    details = "; ".join(x for x in (d["disagreements"], d["rank_disagreements"]) if x)
    return line + (f" ({details[:300]})" if details else "")


def compare_sources(conn: duckdb.DuckDBPyConnection, name_map_path: Path | None = DEFAULT_NAME_MAP) -> Agreement:
    """Per arena and shared publish date: fails when any one of them falls below
    MIN_AGREEING_SHARE (scores) or MIN_RANK_AGREEING_SHARE (ranks); the worst dates first in the
    metadata."""
    pairs = load_name_map(name_map_path)
    dates = query_dicts(conn, "checks/sources_agree",
                        map_csv=[p[0] for p in pairs], map_dataset=[p[1] for p in pairs])
    matched = sum(d["matched"] for d in dates)
    agreeing = sum(d["agreeing"] for d in dates)
    ranks_agreeing = sum(d["ranks_agreeing"] for d in dates)
    csv_models = sum(d["csv_models"] for d in dates)
    judged = [d for d in dates if d["matched"] >= MIN_MATCHED_TO_JUDGE]
    failing = [d for d in judged if _shares(d)[0] < MIN_AGREEING_SHARE or _shares(d)[1] < MIN_RANK_AGREEING_SHARE]
    worst = sorted(judged, key=lambda d: (min(_shares(d)[0] / MIN_AGREEING_SHARE,
                                             _shares(d)[1] / MIN_RANK_AGREEING_SHARE), str(d["snapshot_date"])))
    per_arena = {}
    for d in dates:
        arena = per_arena.setdefault(d["arena"], {"shared_publish_dates": 0, "matched": 0, "agreeing": 0,
                                                  "ranks_agreeing": 0})
        arena["shared_publish_dates"] += 1
        for key in ("matched", "agreeing", "ranks_agreeing"):
            arena[key] += d[key]
    metadata = {
        "shared_publish_dates": len(dates),
        "csv_models_on_shared_dates": csv_models,
        "matched_models": matched,
        "agreeing_models": agreeing,
        "rank_agreeing_models": ranks_agreeing,
        "agreeing_share": round(agreeing / matched, 4) if matched else "n/a",
        "unmatched_csv_models": csv_models - matched,
        "max_score_diff": round(max((d["max_score_diff"] for d in dates), default=0.0), 3),
        "min_score_share": MIN_AGREEING_SHARE,
        "min_rank_share": MIN_RANK_AGREEING_SHARE,
        "dates_judged": len(judged),
        "dates_below": len(failing),
        "per_arena": per_arena,
        "worst_dates": "\n".join(_date_line(d) for d in worst[:WORST_DATES_LISTED]) or "none",
        "per_date": "\n".join(_date_line(d) for d in dates) or "none",
    }
    if not dates:
        return Agreement(True, "no publish date is in both sources: nothing to compare", metadata, dates)
    description = (f"{len(judged) - len(failing)} of {len(judged)} shared (arena, publish date) pairs with "
                   f"{MIN_MATCHED_TO_JUDGE}+ names matched agree "
                   f"on at least {MIN_AGREEING_SHARE:.0%} of matched scores and {MIN_RANK_AGREEING_SHARE:.0%} "
                   f"of ranks; over all: {agreeing} of {matched} scores, {ranks_agreeing} ranks; "
                   f"{csv_models - matched} CSV names found no dataset name")
    if failing:
        description += "; below: " + ", ".join(f"{d['arena']} {d['snapshot_date']}" for d in failing[:5])
    return Agreement(not failing, description, metadata, dates)
