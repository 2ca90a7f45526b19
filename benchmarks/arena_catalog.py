"""Lay out LMArena's real leaderboard snapshots as the official dataset, for measuring on real data.

    python benchmarks/arena_catalog.py [--mirror GIT_DIR] [--out FOLDER]

LMArena's public repository `lmarena/arena-catalog` keeps per-category snapshots of its
leaderboard in its git history (`data/leaderboard-<arena>.json`, 2025-03 .. 2025-12: float
ratings and bounds per model slug, no votes, no rank). Get it with the search tool's `fetch`
(a bare mirror); this script reads that history with `git` and writes, under FOLDER, the layout
`ARENA_DATASET_SOURCE` accepts for a local copy: `<subset>/full-00000-of-00001.parquet` with
the dataset's columns, plus `revision.json` naming the mirror's commit. Point the pipeline at
FOLDER to run on real, unrounded ratings:

    ARENA_DATASET_SOURCE=/work/catalog-dataset arena-pipeline dataset

Nothing of it belongs in the repository: it is LMArena's data. Tests use generated fixtures
that reproduce what was learned from it.

What the conversion decides, since the snapshots are not the dataset:
- publish date = the commit's date (UTC); several commits on one day keep the last one;
- category `full` is the dataset's `overall`; the `image` file is the `text_to_image` subset;
- `rank` is LMArena's own upper-bound rank ("final ranking"): 1 + the models whose lower bound
  is above this model's upper bound, on the same board (the snapshots list no deprecated flag,
  so none is left out); `vote_count`, `variance`, `organization` and `license` are unknown
  (null); the column types are those of the published files.
"""

import argparse
import bisect
import datetime as dt
import json
import subprocess
from pathlib import Path

import duckdb

DEFAULT_MIRROR = Path("/work/.mirror/lmarena+arena-catalog/repo")
DEFAULT_OUT = Path("/work/catalog-dataset")
SUBSET_OF_FILE = {
    "data/leaderboard-text.json": "text",
    "data/leaderboard-text-style-control.json": "text_style_control",
    "data/leaderboard-vision.json": "vision",
    "data/leaderboard-vision-style-control.json": "vision_style_control",
    "data/leaderboard-image.json": "text_to_image",
}
CATEGORY_NAMES = {"full": "overall"}
# `text` publishes vote_count and rank as doubles, the other subsets rank as an integer.
RANK_TYPE = {"text": "double"}


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(mirror), *args], check=True, capture_output=True,
                          text=True).stdout


def snapshots(mirror: Path, path: str) -> dict[dt.date, str]:
    """The newest commit of each UTC day that changed `path`."""
    newest: dict[dt.date, str] = {}
    for line in reversed(git(mirror, "log", "--format=%H %ct", "--", path).splitlines()):
        commit, seconds = line.split()
        newest[dt.datetime.fromtimestamp(int(seconds), dt.UTC).date()] = commit
    return newest


def upper_bound_ranks(models: dict[str, dict]) -> dict[str, int]:
    lowers = sorted(m["rating_q025"] for m in models.values())
    ranks = {}
    for name, model in models.items():
        # models whose lower bound is above this upper bound: all lowers past the insertion point
        above = len(lowers) - bisect.bisect_right(lowers, model["rating_q975"])
        ranks[name] = 1 + above
    return ranks


def rows_of(snapshot: dict, publish_date: dt.date) -> list[tuple]:
    rows = []
    for category, models in snapshot.items():
        ranks = upper_bound_ranks(models)
        for name, model in models.items():
            rows.append((name, None, None, model["rating"], model["rating_q025"], model["rating_q975"], None,
                         None, ranks[name], CATEGORY_NAMES.get(category, category), publish_date.isoformat()))
    return rows


def write_subset(conn: duckdb.DuckDBPyConnection, rows: list[tuple], subset: str, out: Path) -> None:
    rank_type = RANK_TYPE.get(subset, "bigint")
    conn.execute(f"""
        create or replace temp table subset_rows (
            model_name varchar, organization varchar, license varchar, rating double,
            rating_lower double, rating_upper double, variance double, vote_count double,
            rank {rank_type}, category varchar, leaderboard_publish_date varchar)""")
    conn.executemany("insert into subset_rows values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    target = out / subset / "full-00000-of-00001.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    conn.sql("select * from subset_rows order by leaderboard_publish_date, category, rank, model_name"
             ).write_parquet(str(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="git dir of the arena-catalog mirror")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the dataset layout into")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as conn:
        for path, subset in SUBSET_OF_FILE.items():
            rows = []
            days = snapshots(args.mirror, path)
            for publish_date, commit in days.items():
                rows += rows_of(json.loads(git(args.mirror, "show", f"{commit}:{path}")), publish_date)
            write_subset(conn, rows, subset, args.out)
            categories = len({row[9] for row in rows})
            print(f"{subset}: {len(days)} publish dates {min(days)} .. {max(days)}, {categories} categories, "
                  f"{len(rows):,} rows")
    head = git(args.mirror, "rev-parse", "HEAD").strip()
    (args.out / "revision.json").write_text(json.dumps({"sha": head}) + "\n")
    print(f"wrote {args.out} (revision {head[:12]})")


if __name__ == "__main__":
    main()
