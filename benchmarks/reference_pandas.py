"""Reference for benchmarks/compare.py: a plain pandas read-and-diff of a release folder.

    python benchmarks/reference_pandas.py <source folder of TAG/FILE>

Reads every CSV of every release, maps the header variants to one set of columns, and computes
each model's day-over-day score and rank deltas per arena. No archive, no validation, no history
tables: the floor a pipeline is compared against.
"""

import sys
from pathlib import Path

import pandas as pd

ARENA_OF_FILE = {"lmsys.csv": "text", "lmarena_text.csv": "text",
                 "lmarena_vision.csv": "vision", "lmarena_image.csv": "image"}


def main(source: Path) -> None:
    frames = []
    for path in sorted(source.glob("*/*.csv")):
        frame = pd.read_csv(path).rename(columns={"arena_elo": "score", "arena_score": "score"})
        frame["arena"] = ARENA_OF_FILE[path.name]
        frame["day"] = pd.to_datetime(path.parent.name, format="%Y.%m.%d")
        frames.append(frame[["arena", "day", "model", "rank", "score", "votes"]])
    rows = pd.concat(frames, ignore_index=True).drop_duplicates(["arena", "day", "model"])
    rows = rows.sort_values(["arena", "model", "day"])
    by_model = rows.groupby(["arena", "model"], sort=False)
    rows["score_delta"] = by_model["score"].diff()
    rows["rank_delta"] = by_model["rank"].diff()
    moved = rows[rows["score_delta"].fillna(0) != 0]
    print(f"{len(frames)} files, {len(rows)} rows, {len(moved)} day-over-day score changes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
