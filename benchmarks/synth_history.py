"""A synthetic upstream history of N years, in the real `<TAG>/<FILE>` layout, for benchmarks.

    python benchmarks/synth_history.py /tmp/arena-synth-10y --years 10 [--seed 7]

What it imitates (measured on ../shared/arena-history, see its README):
- release folders `YYYY.MM.DD` from 2024-07-07, one a day, a few days without any folder;
- the header variants in the real order: v1 `lmsys.csv` (rank, arena_score), v2 `lmsys.csv` with
  `rank_stylectrl`, then v3 `lmarena_text.csv` / `lmarena_vision.csv` / `lmarena_image.csv`
  (rank = row position, rank_stylectrl = rank upper bound, truncated scores, symmetric CIs,
  empty knowledge cutoff, an occasional duplicated row); the eras keep the real history's shares;
- about 80% of releases repeat the previous day's files byte for byte (written as hard links);
- churn at each data version: scores drift within their CI, votes grow, new models arrive with
  few votes, models are dropped and some return, renames (case, suffix, new name) keep score
  and votes, now and then a deprecation sweep hides many models at once and a re-anchoring
  moves the whole field;
- the text arena grows from ~110 models towards ~900 (the real one went 115 -> 219 in a year).

The output is deterministic for a given seed. Write it under /tmp, never inside the project.
"""

import argparse
import bisect
import csv
import datetime as dt
import io
import os
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

FIRST_DAY = dt.date(2024, 7, 7)
SYNTH_VERSION = 2  # part of compare.py's folder name: a changed generator writes a new folder
# The real history's eras as shares of its length: v1 93 days, v2 283 days, v3 the rest.
V2_FROM_SHARE, V3_FROM_SHARE = 0.22, 0.91
REPEAT_SHARE = 0.80  # releases whose data equals the previous day's
MISSING_DAY_SHARE = 0.007  # 3 of 420 real days have no release at all

HEADER_V1 = "rank,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url"
HEADER_V2 = "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url"
# Per arena: starting size, new models per data version, size the churn settles at.
ARENA_SHAPE = {"text": (110, 2.5, 900), "vision": (60, 0.8, 160), "image": (15, 0.3, 45)}
ORGANIZATIONS = ["OpenAI", "Google", "Anthropic", "Meta", "Mistral", "Alibaba", "DeepSeek", "xAI",
                 "01 AI", "Cohere", "Microsoft", "Amazon", "Nvidia", "Zhipu", "Moonshot", "Tencent",
                 "Reka AI", "AI21 Labs", "IBM", "Nexusflow", "Allen AI", "Baidu", "StepFun", "MiniMax"]
LICENSES = ["Proprietary", "Apache 2.0", "MIT", "Llama 3 Community", "CC-BY-NC-4.0", "Gemma license"]


@dataclass
class Model:
    name: str
    organization: str
    license: str
    cutoff: str
    url: str
    score: float
    votes: int

    @property
    def ci(self) -> float:
        # Real files: ~+4 at 55k votes, ~+12 at 3k votes.
        return max(2.0, 900 / (self.votes ** 0.5))


class Arena:
    def __init__(self, name: str, rng: random.Random):
        self.name, self.rng = name, rng
        start, self.arrivals, self.capacity = ARENA_SHAPE[name]
        self.listed: list[Model] = []
        self.dropped: list[Model] = []
        self.serial = 0
        for _ in range(start):
            self.listed.append(self._new_model(votes=rng.randint(2_000, 60_000)))

    def _new_model(self, votes: int) -> Model:
        self.serial += 1
        org = self.rng.choice(ORGANIZATIONS)
        slug = f"{org.split()[0].lower()}-{self.name}-model-{self.serial}"
        mean = sum(m.score for m in self.listed) / len(self.listed) if self.listed else 1200.0
        return Model(
            name=f"{org.split()[0]}-{self.name.capitalize()}-{self.serial}",
            organization=org, license=self.rng.choice(LICENSES),
            cutoff=self.rng.choice(["2023/10", "2024/4", "Unknown", "Online", "2024/12"]),
            url=f"https://example.com/{slug}", score=self.rng.gauss(mean + 30, 60), votes=votes)

    def next_version(self) -> None:
        """One data version of churn."""
        rng = self.rng
        for model in self.listed:
            # Votes accrue by a few hundred to a couple of thousand per version, as in the real
            # files; over ten years a model stays far below the loader's plausibility cap.
            model.votes += rng.randint(100, 2_000)
            model.score += rng.gauss(0, model.ci / 3)
        if rng.random() < 0.01:  # the upstream re-anchors its scale: everyone moves together
            shift = rng.choice([-12, -8, 8, 10, 14])
            for model in self.listed:
                model.score += shift
        if rng.random() < 0.008 and len(self.listed) > 40:  # a deprecation sweep hides many
            swept = rng.sample(self.listed, len(self.listed) // 7)
            self.listed = [m for m in self.listed if m not in swept]
            self.dropped += swept
        for _ in range(_poisson(rng, self.arrivals)):
            self.listed.append(self._new_model(votes=rng.randint(300, 3_000)))
        drop_chance = self.arrivals / self.capacity
        kept = []
        for model in self.listed:
            (self.dropped if rng.random() < drop_chance else kept).append(model)
        self.listed = kept
        if self.dropped and rng.random() < 0.3:  # a dropped model is listed again
            self.listed.append(self.dropped.pop(rng.randrange(len(self.dropped))))
        if self.listed and rng.random() < 0.35:
            self._rename(rng.randrange(len(self.listed)))

    def _rename(self, index: int) -> None:
        model = self.listed[index]
        kind = self.rng.choice(["case", "suffix", "new"])
        if kind == "case":
            name = model.name.swapcase() if self.rng.random() < 0.5 else model.name.lower()
        elif kind == "suffix":
            name = f"{model.name} ({self.rng.randint(2024, 2034)}-{self.rng.randint(1, 12):02d}-01)"
        else:
            self.serial += 1
            name = f"{model.organization.split()[0]}-Renamed-{self.serial}"
        if name not in {m.name for m in self.listed}:
            self.listed[index] = replace(model, name=name)


def _poisson(rng: random.Random, mean: float) -> int:
    count, threshold, product = 0, pow(2.718281828459045, -mean), rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def render(arena: Arena, schema: str, rng: random.Random) -> bytes:
    """One CSV file of the arena's current listing in the given header variant."""
    models = sorted(arena.listed, key=lambda m: -m.score)
    if schema == "v3":
        scored = [(int(m.score), int(m.ci), int(m.ci)) for m in models]
    else:
        scored = [(round(m.score), max(1, round(m.ci * rng.uniform(0.85, 1.15))), max(1, round(m.ci)))
                  for m in models]
    lowers = sorted(score - minus for score, _, minus in scored)
    # 1 + the number of models whose lower bound is above this model's upper bound.
    rank_ub = [1 + len(lowers) - bisect.bisect_right(lowers, score + plus) for score, plus, _ in scored]
    rows = sorted(zip(rank_ub, models, scored, strict=True), key=lambda r: (r[0], -r[2][0]))
    out = io.StringIO()
    out.write((HEADER_V1 if schema == "v1" else HEADER_V2) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    for position, (rank, model, (score, plus, minus)) in enumerate(rows, start=1):
        cutoff = "" if schema == "v3" else model.cutoff
        cells = [model.name, score, f"+{plus}/-{minus}", model.votes, model.organization,
                 model.license, cutoff, model.url]
        if schema == "v1":
            writer.writerow([rank, *cells])
        elif schema == "v2":
            writer.writerow([rank, max(1, rank + rng.randint(-3, 3)), *cells])
        else:
            writer.writerow([position, rank, *cells])
            if position == 5 and rng.random() < 0.5:  # the upstream's duplicated rows
                writer.writerow([position + 1, rank, *cells])
    return out.getvalue().encode("utf-8")


def generate(out: Path, years: float, seed: int = 7) -> dict[str, int]:
    """Write the history into `out` (replaced). Returns counts: days, folders, files, rows."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    total_days = round(years * 365.25)
    arenas = {name: Arena(name, rng) for name in ARENA_SHAPE}
    previous: dict[str, Path] = {}
    previous_schema = None
    counts = {"days": total_days, "folders": 0, "files": 0, "rows": 0, "distinct_files": 0}
    for index in range(total_days):
        day = FIRST_DAY + dt.timedelta(days=index)
        share = index / total_days
        schema = "v1" if share < V2_FROM_SHARE else "v2" if share < V3_FROM_SHARE else "v3"
        files = {"lmsys.csv": "text"} if schema != "v3" else {
            "lmarena_text.csv": "text", "lmarena_vision.csv": "vision", "lmarena_image.csv": "image"}
        # Every arena changes on a data-version day; the first day of an era always does.
        repeat = schema == previous_schema and rng.random() < REPEAT_SHARE
        if 0 < index < total_days - 1 and rng.random() < MISSING_DAY_SHARE:
            continue
        folder = out / day.strftime("%Y.%m.%d")
        folder.mkdir()
        counts["folders"] += 1
        current = {}
        for file_name, arena_name in files.items():
            target = folder / file_name
            if repeat:
                os.link(previous[file_name], target)
            else:
                arenas[arena_name].next_version()
                target.write_bytes(render(arenas[arena_name], schema, rng))
                counts["distinct_files"] += 1
            current[file_name] = target
            counts["files"] += 1
            counts["rows"] += target.read_bytes().count(b"\n") - 1
        previous, previous_schema = current, schema
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to (re)create, e.g. /tmp/arena-synth-3y")
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    counts = generate(args.out.resolve(), args.years, args.seed)
    print(", ".join(f"{value:,} {key}" for key, value in counts.items()), f"in {args.out}")


if __name__ == "__main__":
    main()
