"""Precision and recall of the automatic rename rule (no manual overrides) on the labelled list
tests/data/rename_labels.csv, over the real history in ../shared/arena-history.

    python benchmarks/rename_precision.py [releases_dir]

A predicted pair missing from the list counts as a false positive: the list holds every true
rename plus the hard negatives, so an unlabelled prediction is a pair nobody vouched for.
"""

import csv
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arena_pipeline.history.analytics import refresh_analytics  # noqa: E402
from tests.history_fixture import HISTORY_DIR, load_history  # noqa: E402

LABELS = ROOT / "tests" / "data" / "rename_labels.csv"


def read_labels(path: Path = LABELS) -> dict[tuple[str, str, str, str], bool]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["arena"], row["date"], row["old_name"], row["new_name"]): row["is_rename"] == "true"
            for row in csv.DictReader(handle)
        }


def predicted_renames(conn: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str, str]]:
    rows = conn.execute(
        "select arena, strftime(snapshot_date, '%Y-%m-%d'), previous_model, model "
        "from model_events where event_type = 'renamed'"
    ).fetchall()
    return set(rows)


def score(labels: dict, predicted: set) -> dict:
    true_pairs = {pair for pair, is_rename in labels.items() if is_rename}
    true_positives = predicted & true_pairs
    return {
        "labels": len(labels),
        "labelled_renames": len(true_pairs),
        "labelled_non_renames": len(labels) - len(true_pairs),
        "predicted": len(predicted),
        "true_positives": len(true_positives),
        "false_positives": sorted(predicted - true_pairs),
        "unlabelled_predictions": sorted(predicted - set(labels)),
        "missed": sorted(true_pairs - predicted),
        "precision": len(true_positives) / len(predicted) if predicted else 1.0,
        "recall": len(true_positives) / len(true_pairs) if true_pairs else 1.0,
    }


def main() -> None:
    releases = Path(sys.argv[1]) if len(sys.argv) > 1 else HISTORY_DIR
    conn = duckdb.connect()
    load_history(conn, releases)
    refresh_analytics(conn, overrides_path=None)
    result = score(read_labels(), predicted_renames(conn))
    print(
        f"labelled pairs: {result['labels']} "
        f"({result['labelled_renames']} renames, {result['labelled_non_renames']} non-renames)"
    )
    print(f"predicted renames: {result['predicted']}, true positives: {result['true_positives']}")
    print(f"precision: {result['precision']:.3f}  recall: {result['recall']:.3f}")
    for name in ("false_positives", "unlabelled_predictions", "missed"):
        for pair in result[name]:
            print(f"  {name}: {pair}")


if __name__ == "__main__":
    main()
