"""Do the two sources agree where they overlap? The CSV text board against the dataset's raw text
`overall` board, on the publish dates both have (the `sources_agree` asset check)."""

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from arena_pipeline.history import cross_source
from arena_pipeline.warehouse.database import query_dicts

# The top-level config/ folder through the package (a link in the source tree, a copy in a wheel).
DEFAULT_NAME_MAP = resources.files("arena_pipeline") / "config" / "dataset_name_map.csv"
# Share of matched models whose scores agree within rounding, below which the check warns.
MIN_AGREEING_SHARE = 0.95


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


def compare_sources(conn: duckdb.DuckDBPyConnection, name_map_path: Path | None = DEFAULT_NAME_MAP) -> Agreement:
    pairs = load_name_map(name_map_path)
    dates = query_dicts(conn, "checks/sources_agree",
                        map_csv=[p[0] for p in pairs], map_dataset=[p[1] for p in pairs])
    matched = sum(d["matched"] for d in dates)
    agreeing = sum(d["agreeing"] for d in dates)
    csv_models = sum(d["csv_models"] for d in dates)
    share = agreeing / matched if matched else None
    metadata = {
        "shared_publish_dates": len(dates),
        "csv_models_on_shared_dates": csv_models,
        "matched_models": matched,
        "agreeing_models": agreeing,
        "agreeing_share": round(share, 4) if share is not None else "n/a",
        "unmatched_csv_models": csv_models - matched,
        "max_score_diff": round(max((d["max_score_diff"] for d in dates), default=0.0), 3),
        "per_date": "\n".join(
            f"{d['snapshot_date']}: {d['agreeing']}/{d['matched']} agree, {d['csv_models'] - d['matched']} "
            f"CSV names unmatched, max diff {d['max_score_diff']:.2f}"
            + (f" ({d['disagreements'][:300]})" if d["disagreements"] else "")
            for d in dates
        ) or "none",
    }
    if not dates:
        return Agreement(True, "no publish date is in both sources: nothing to compare", metadata, dates)
    passed = share is not None and share >= MIN_AGREEING_SHARE
    description = (f"{agreeing} of {matched} matched models agree within rounding on {len(dates)} shared "
                   f"publish date(s); {csv_models - matched} CSV names found no dataset name")
    return Agreement(passed, description, metadata, dates)
