"""Precision and recall of the cross-source linking (history/cross_source.py, with the checked-in
map) on the labelled pairs tests/data/cross_source_labels.csv, over the real CSV history in
../shared/arena-history and LMArena's real snapshots laid out as the official dataset by
benchmarks/arena_catalog.py.

    python benchmarks/arena_catalog.py            # once: writes /work/catalog-dataset
    python benchmarks/cross_source_precision.py [catalog_dataset_dir] [--no-map]

Scored per CSV name the labels cover: a link is the slug its identity shares in the dataset's
arena. A link to a slug labelled `true` is right; to any other slug (labelled `false` or not
labelled at all) it is wrong. Precision = right links / links made; recall = right links / CSV
names with a true slug. Printed for the held-out split (the rules and the map were settled before
the labels and not changed after; the map covers 2 held-out names, so `--no-map` gives the
clean held-out figure), the tuning split and both.
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arena_pipeline.history.analytics import refresh_analytics  # noqa: E402
from arena_pipeline.history.cross_source import ARENA_PAIRS  # noqa: E402
from arena_pipeline.ingest.dataset import refresh_dataset  # noqa: E402
from arena_pipeline.sources.dataset import DatasetSource  # noqa: E402
from tests.history_fixture import load_history  # noqa: E402

LABELS = ROOT / "tests" / "data" / "cross_source_labels.csv"
DEFAULT_CATALOG = Path("/work/catalog-dataset")
SUBSETS = ["text", "text_style_control", "vision", "vision_style_control", "text_to_image"]


def read_labels(path: Path = LABELS) -> dict[tuple[str, str], dict]:
    """(arena, csv_model) -> {"split": ..., "true": {slugs}, "false": {slugs}}."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    labels: dict[tuple[str, str], dict] = defaultdict(lambda: {"true": set(), "false": set()})
    for row in csv.DictReader(lines):
        label = labels[(row["arena"], row["csv_model"])]
        label["split"] = row["split"]
        label["true" if row["same"] == "true" else "false"].add(row["dataset_model"])
    return dict(labels)


def predicted_links(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], set[str]]:
    """(CSV arena, CSV name) -> the dataset slugs sharing its identity."""
    links = defaultdict(set)
    for csv_arena, dataset_arena in ARENA_PAIRS.items():
        for name, slug in conn.execute(
                "select c.model, d.model from model_identities as c join model_identities as d "
                "on d.model_id = c.model_id and d.source = 'lmarena_dataset' and d.arena = ? "
                "where c.source = 'fboulnois' and c.arena = ?", [dataset_arena, csv_arena]).fetchall():
            links[(csv_arena, name)].add(slug)
    return links


def score(labels: dict, links: dict, split: str | None) -> dict:
    chosen = {key: label for key, label in labels.items() if split is None or label["split"] == split}
    made = right = 0
    wrong, missed = [], []
    for key, label in sorted(chosen.items()):
        for slug in sorted(links.get(key, ())):
            made += 1
            if slug in label["true"]:
                right += 1
            else:
                wrong.append((*key, slug, "labelled false" if slug in label["false"] else "not labelled"))
        if label["true"] and not links.get(key, set()) & label["true"]:
            missed.append((*key, " | ".join(sorted(label["true"]))))
    positives = sum(1 for label in chosen.values() if label["true"])
    return {"names": len(chosen), "with_true_slug": positives, "links": made, "right": right,
            "precision": right / made if made else 1.0, "recall": right / positives if positives else 1.0,
            "wrong": wrong, "missed": missed}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    catalog = Path(args[0]) if args else DEFAULT_CATALOG
    if not (catalog / "text").is_dir():
        sys.exit(f"{catalog}: no dataset layout there; run benchmarks/arena_catalog.py first")
    conn = duckdb.connect()
    load_history(conn)
    refresh_dataset(conn, DatasetSource(str(catalog)), SUBSETS)
    if "--no-map" in sys.argv:
        refresh_analytics(conn, name_map_path=None)
    else:
        refresh_analytics(conn)
    links = predicted_links(conn)
    labels = read_labels()
    for split in ("held_out", "tune", None):
        result = score(labels, links, split)
        print(f"{split or 'all'}: {result['names']} CSV names ({result['with_true_slug']} with a true slug), "
              f"{result['links']} links, {result['right']} right: precision {result['precision']:.3f}, "
              f"recall {result['recall']:.3f}")
        if split is None:
            for row in result["wrong"]:
                print("  wrong:", " / ".join(row))
            for row in result["missed"]:
                print("  missed:", " / ".join(row))
    spanning = conn.execute(
        "select count(*) from (select model_id, case arena when 'text_to_image' then 'image' else arena end "
        "from model_identities group by all having count(distinct source) = 2)").fetchone()[0]
    print(f"identities spanning both sources: {spanning}")


if __name__ == "__main__":
    main()
