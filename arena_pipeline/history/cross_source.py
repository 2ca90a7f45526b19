"""One identity per model and arena across both sources: which CSV display name (`Claude 3.7
Sonnet`) and which dataset slug (`claude-3-7-sonnet-20250219`) are one model.

Pure Python on plain values (no Dagster, no DuckDB); analytics.refresh_analytics feeds it and
writes its result to the table model_identities.

Within a source, the names of one arena that the rename rule (identity.py) gives one model_id on
any board are one *source model*. A CSV model and a dataset model of the same arena are linked
by evidence, strongest first:

1. the checked-in map (config/dataset_name_map.csv): `link` forces a pair, `veto` forbids it;
2. numbers: on publish dates both sources list them, the CSV row and the dataset's `overall` row
   (raw or style-controlled) have the same score and CI half-widths within a point (the CSV
   rounds or truncates to whole points) and the same votes where both publish votes, and each is
   the other's only such row that day. With votes one such date is enough; without, two; and
   the dates where both are listed and disagree must be fewer than those where they agree;
3. the same two names linked by the map or by numbers in another arena (text settles most of
   vision: the same display name and slug there are the same model);
4. spelling: the CSV link names the slug (`...?model=gemini-2.5-pro`) or the names are equal
   apart from case and punctuation (`+` spelled `plus`), and the numbers do not contradict it
   (listed together on more shared dates where they disagree than where they agree vetoes it).

A wrong link is worse than a missing one: links are one to one; of competing candidates the
strongest is taken, and two equally strong ones for one model take neither.
"""

import csv
import re
from collections import defaultdict
from dataclasses import dataclass

from arena_pipeline.history.identity import CSV_SOURCE, normalize_name

DATASET_SOURCE = "lmarena_dataset"
# The CSV source's arenas and the dataset's subset (without `_style_control`) of the same arena.
ARENA_PAIRS = {"text": "text", "vision": "vision", "image": "text_to_image"}

# How a cross-source link was made, in model_identities.linked_by (null: not linked).
BY_MAP = "map"
BY_NUMBERS = "numbers"
BY_LINK_SLUG = "link_slug"
BY_NAME = "name"
BY_OTHER_ARENA = "other_arena"

# Numbers evidence without votes: at least this many matched dates.
MIN_MATCHED_DATES_WITHOUT_VOTES = 2

_SLUG_IN_LINK = re.compile(r"[?&]model=([^&#]+)")


@dataclass(frozen=True)
class SourceName:
    """One published name of one source's arena, with the identity the rename rule gave it (on
    any board) and its newest link."""

    source: str
    arena: str
    name: str
    board_model_ids: tuple[str, ...]  # (board label, model_id) joined: names sharing one are one model
    url: str | None = None


@dataclass(frozen=True)
class PairEvidence:
    """The numbers of one CSV name and one dataset slug on the publish dates both list them."""

    csv_arena: str
    csv_name: str
    dataset_name: str
    matched_dates: int  # dates each was the other's only row with the same score, CI (and votes)
    matched_with_votes: int  # of those, dates where both published votes (and they were equal)
    agreeing_dates: int = 0  # dates the numbers agree, the other's only such row or not


@dataclass(frozen=True)
class Listing:
    """The publish dates both sources have on which one name is listed (the dataset: on an
    `overall` board); arena is the CSV source's arena."""

    source: str
    arena: str
    name: str
    dates: frozenset


@dataclass(frozen=True)
class MapRow:
    arena: str  # the CSV source's arena
    csv_model: str
    dataset_model: str
    action: str  # link | veto
    reason: str


@dataclass(frozen=True)
class Identity:
    """One row of model_identities."""

    model_id: str
    source: str
    arena: str
    name: str
    linked_by: str | None  # how the identity's other source was linked; None: one source only


def slug_in_link(url: str | None) -> str | None:
    """`gemini-2.5-pro` of `https://aistudio.google.com/...?model=gemini-2.5-pro`."""
    found = _SLUG_IN_LINK.search(url or "")
    return found.group(1).strip().lower() if found else None


def name_key(name: str) -> str:
    """Equal apart from case and punctuation; `+` spelled `plus` (Command R+ is not Command R)."""
    return normalize_name(name.replace("+", "plus"))


def load_name_map(path) -> list[MapRow]:
    """The checked-in map; lines starting with `#` are documentation. Raises ValueError naming
    the row and value of a bad line."""
    if path is None or not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    rows = []
    for number, row in enumerate(csv.DictReader(lines), start=1):
        arena = (row.get("arena") or "text").strip()
        action = (row.get("action") or "link").strip()
        if arena not in ARENA_PAIRS:
            raise ValueError(f"{path}: data row {number}: arena must be one of {', '.join(ARENA_PAIRS)}, got {arena!r}")
        if action not in ("link", "veto"):
            raise ValueError(f"{path}: data row {number}: action must be link or veto, got {action!r}")
        if not (row.get("csv_model") or "").strip() or not (row.get("dataset_model") or "").strip():
            raise ValueError(f"{path}: data row {number}: csv_model and dataset_model must both be given")
        rows.append(MapRow(arena, row["csv_model"].strip(), row["dataset_model"].strip(), action,
                           (row.get("reason") or "").strip()))
    return rows


class _Components:
    """Union-find over one source's names of one arena."""

    def __init__(self, names: list[SourceName]):
        self.parent = {n.name: n.name for n in names}
        by_id = defaultdict(list)
        for n in names:
            for board_model_id in n.board_model_ids:
                by_id[board_model_id].append(n.name)
        for members in by_id.values():
            for other in members[1:]:
                self._union(members[0], other)

    def find(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def _union(self, a: str, b: str) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> dict[str, list[str]]:
        grouped = defaultdict(list)
        for name in self.parent:
            grouped[self.find(name)].append(name)
        return grouped


@dataclass(frozen=True)
class Link:
    csv_root: str
    dataset_root: str
    linked_by: str
    strength: tuple  # larger wins


def candidate_links(
    csv_names: list[SourceName], dataset_names: list[SourceName], evidence: list[PairEvidence],
    listings: list[Listing], name_map: list[MapRow], csv_arena: str,
    proven_elsewhere: set[tuple[str, str]] = frozenset(),
) -> tuple[list[Link], _Components, _Components]:
    """Every candidate link of one arena between a CSV model and a dataset model, before the one
    to one choice; and the components of each side."""
    csv_parts, dataset_parts = _Components(csv_names), _Components(dataset_names)
    vetoed = {(csv_parts.find(r.csv_model), dataset_parts.find(r.dataset_model))
              for r in name_map if r.action == "veto" and r.arena == csv_arena
              and r.csv_model in csv_parts.parent and r.dataset_model in dataset_parts.parent}
    # Shared dates each model is listed on (its names together).
    listed_on: dict[tuple[str, str], set] = defaultdict(set)
    for listing in listings:
        if listing.arena != csv_arena:
            continue
        parts = csv_parts if listing.source == CSV_SOURCE else dataset_parts
        if listing.name in parts.parent:
            listed_on[(listing.source, parts.find(listing.name))] |= listing.dates

    def listed_together(pair) -> int:
        return len(listed_on[(CSV_SOURCE, pair[0])] & listed_on[(DATASET_SOURCE, pair[1])])

    # Numbers per pair of models (a model's names summed): matched, with votes, agreeing.
    numbers: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in evidence:
        if e.csv_arena != csv_arena or e.csv_name not in csv_parts.parent or e.dataset_name not in dataset_parts.parent:
            continue
        tally = numbers[(csv_parts.find(e.csv_name), dataset_parts.find(e.dataset_name))]
        tally[0] += e.matched_dates
        tally[1] += e.matched_with_votes
        tally[2] += max(e.agreeing_dates, e.matched_dates)

    def disagreeing(pair) -> int:
        """Shared dates both were listed and their numbers disagreed."""
        return max(listed_together(pair) - numbers.get(pair, (0, 0, 0))[2], 0)

    def contradicted(pair) -> bool:
        return disagreeing(pair) > numbers.get(pair, (0, 0, 0))[2]

    links: list[Link] = []
    for r in name_map:
        if r.action == "link" and r.arena == csv_arena and r.csv_model in csv_parts.parent \
                and r.dataset_model in dataset_parts.parent:
            links.append(Link(csv_parts.find(r.csv_model), dataset_parts.find(r.dataset_model), BY_MAP, (3,)))
    for pair, (matched, with_votes, agreeing) in numbers.items():
        disagreed = disagreeing(pair)
        if pair in vetoed or disagreed >= agreeing:
            continue
        if with_votes >= 1 or matched >= MIN_MATCHED_DATES_WITHOUT_VOTES:
            links.append(Link(*pair, BY_NUMBERS, (2, with_votes, matched, -disagreed)))
    for csv_name, dataset_name in proven_elsewhere:
        if csv_name in csv_parts.parent and dataset_name in dataset_parts.parent:
            pair = (csv_parts.find(csv_name), dataset_parts.find(dataset_name))
            if pair not in vetoed and not contradicted(pair):
                links.append(Link(*pair, BY_OTHER_ARENA, (1.5,)))
    # Spelling: the slug in a CSV link, or the same name apart from case and punctuation.
    dataset_by_key = defaultdict(set)
    for n in dataset_names:
        dataset_by_key[name_key(n.name)].add(dataset_parts.find(n.name))
    dataset_by_slug = defaultdict(set)
    for n in dataset_names:
        dataset_by_slug[n.name.lower()].add(dataset_parts.find(n.name))
    for n in csv_names:
        root = csv_parts.find(n.name)
        spelled = [(BY_LINK_SLUG, d) for d in dataset_by_slug.get(slug_in_link(n.url) or "", ())]
        spelled += [(BY_NAME, d) for d in dataset_by_key.get(name_key(n.name), ())]
        for how, dataset_root in spelled:
            pair = (root, dataset_root)
            if pair in vetoed or contradicted(pair):
                continue
            matched = numbers.get(pair, (0, 0, 0))[0]
            links.append(Link(root, dataset_root, how, (1, matched)))
    return links, csv_parts, dataset_parts


def choose_links(links: list[Link]) -> dict[str, Link]:
    """One to one, strongest first; a model whose two best candidates are equally strong (and
    different) is left unlinked, and so is each of them."""
    best: dict[str, Link] = {}
    for link in links:  # the strongest link of each pair
        key = (link.csv_root, link.dataset_root)
        if key not in best or link.strength > best[key].strength:
            best[key] = link
    ordered = sorted(best.values(), key=lambda link: link.strength, reverse=True)
    strongest_csv: dict[str, tuple] = {}
    strongest_dataset: dict[str, tuple] = {}
    ambiguous: set[tuple[str, str]] = set()
    for link in ordered:
        for side, root in (("c", link.csv_root), ("d", link.dataset_root)):
            seen = (strongest_csv if side == "c" else strongest_dataset)
            if root not in seen:
                seen[root] = link.strength
            elif seen[root] == link.strength:
                ambiguous.add((side, root))
    chosen: dict[str, Link] = {}
    taken_dataset: set[str] = set()
    for link in ordered:
        if link.csv_root in chosen or link.dataset_root in taken_dataset:
            continue
        if ("c", link.csv_root) in ambiguous or ("d", link.dataset_root) in ambiguous:
            continue
        chosen[link.csv_root] = link
        taken_dataset.add(link.dataset_root)
    return chosen


def build_identities(
    names: list[SourceName], evidence: list[PairEvidence], listings: list[Listing] = (),
    name_map: list[MapRow] = (),
) -> list[Identity]:
    """model_identities rows: every published name of both sources under one model_id per model
    and arena. A linked model's id is its dataset id (the slug the rename rule's identity carries:
    its earliest slug); a model of one source keeps that source's id. An id that would name two
    models of one arena (a CSV name spelled like an unlinked slug) gets the source in brackets."""
    by_arena: dict[tuple[str, str], list[SourceName]] = defaultdict(list)
    for n in names:
        by_arena[(n.source, n.arena)].append(n)
    identities: list[Identity] = []
    proven: set[tuple[str, str]] = set()  # name pairs of links by the map or by numbers
    for csv_arena, dataset_arena in ARENA_PAIRS.items():  # text first: it has the most evidence
        csv_names = by_arena.pop((CSV_SOURCE, csv_arena), [])
        dataset_names = by_arena.pop((DATASET_SOURCE, dataset_arena), [])
        links, csv_parts, dataset_parts = candidate_links(
            csv_names, dataset_names, evidence, listings, name_map, csv_arena, proven)
        chosen = choose_links(links)
        # The very names the map or the numbers paired (not every name of the two models).
        for pair in [(e.csv_name, e.dataset_name) for e in evidence if e.csv_arena == csv_arena and e.matched_dates] \
                + [(r.csv_model, r.dataset_model) for r in name_map if r.arena == csv_arena and r.action == "link"]:
            if pair[0] in csv_parts.parent and pair[1] in dataset_parts.parent:
                link = chosen.get(csv_parts.find(pair[0]))
                if link and link.linked_by in (BY_MAP, BY_NUMBERS) and link.dataset_root == dataset_parts.find(pair[1]):
                    proven.add(pair)
        dataset_groups = dataset_parts.groups()
        dataset_ids = {root: _identity_name(dataset_groups[root], dataset_names) for root in dataset_groups}
        linked_dataset = {link.dataset_root: link for link in chosen.values()}
        for root, members in dataset_groups.items():
            how = linked_dataset[root].linked_by if root in linked_dataset else None
            identities += [Identity(dataset_ids[root], DATASET_SOURCE, dataset_arena, m, how) for m in members]
        taken = set(dataset_ids.values())
        for root, members in csv_parts.groups().items():
            if root in chosen:
                model_id, how = dataset_ids[chosen[root].dataset_root], chosen[root].linked_by
            else:
                model_id, how = _identity_name(members, csv_names), None
                if model_id in taken:
                    model_id = f"{model_id} [{CSV_SOURCE}]"
            identities += [Identity(model_id, CSV_SOURCE, csv_arena, m, how) for m in members]
    for (source, arena), rest in by_arena.items():  # arenas only one source has
        parts = _Components(rest)
        for members in parts.groups().values():
            model_id = _identity_name(members, rest)
            identities += [Identity(model_id, source, arena, m, None) for m in members]
    return identities


def _identity_name(members: list[str], names: list[SourceName]) -> str:
    """The id the rename rule gave the model on most of its boards (its earliest name), else
    its first member alphabetically."""
    member_set = set(members)
    votes: dict[str, int] = defaultdict(int)
    for n in names:
        if n.name in member_set:
            for board_model_id in n.board_model_ids:
                votes[board_model_id.split("\t", 1)[1]] += 1
    if votes:
        return max(sorted(votes), key=lambda model_id: votes[model_id])
    return min(members)
