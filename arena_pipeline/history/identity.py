"""Model identity across renames: which published names are one model.

Pure Python on plain values (no Dagster, no DuckDB) so every rule is testable on small lists.

The upstream renames models between releases (case changes, added date suffixes, new product
names). Between two consecutive *data versions* of one board (a source's leaderboard: arena,
category, with or without style control), a name that disappears and a name
that appears are one model (a rename) when either

* the names are equal apart from case and punctuation, or
* the organization is the same, the votes continue (roughly the same count, not restarted) and
  the score is the same within the combined CI of the two rows.

A new version of a model restarts its votes low, so it fails the votes test and becomes a new
model. Two names that are ever published together in one data version are two models, whatever
the numbers say (the upstream sometimes drops a model for a day and lists it again next to a
look-alike). When several candidates compete, they are paired one to one, closest match first.
Without published CI bounds or votes (the official dataset's 2023 Elo era) the numbers cannot
tell, so only the name rule applies there.
"""

import csv
import itertools
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

# Methods recorded in model_aliases.method and in the details of `renamed` events.
FIRST_LISTED = "first_listed"
LISTED_AGAIN = "listed_again"
RENAMED_BY_NAME = "renamed_same_name_apart_from_case_punctuation"
RENAMED_BY_NUMBERS = "renamed_same_org_votes_continue_score_within_ci"
RENAMED_BY_OVERRIDE = "renamed_by_override"


# The CSV source (fboulnois/llm-leaderboard-csv): one board per arena, overall, no style control.
CSV_SOURCE = "fboulnois"


class Board(NamedTuple):
    """One leaderboard of one source. The CSV source's boards are (fboulnois, text|vision|image,
    overall, False); the official dataset's are (lmarena_dataset, subset without
    `_style_control`, category, style control)."""

    source: str
    arena: str
    category: str = "overall"
    style_control: bool = False

    @property
    def label(self) -> str:
        """`fboulnois/text/overall`, `lmarena_dataset/text/chinese/style_control`: for messages."""
        return "/".join([self.source, self.arena, self.category] + ["style_control"] * self.style_control)


@dataclass(frozen=True)
class ListedModel:
    """One model as published in one data version."""

    name: str
    organization: str | None
    score: float
    ci: float | None  # mean of the published upper and lower CI half-widths; None without bounds
    votes: int | None  # None when not published


@dataclass(frozen=True)
class DataVersion:
    """One distinct data version of one board (repeated releases are not versions).

    `models` lists every model of the version, or, in the compact form that the database hands
    over (analytics.read_data_versions), only those the rename rule can look at: the models not
    listed in the board's previous version and those not listed in its next one. The compact
    form also carries every name listed (`names`) and the median score change of the models
    listed in both this and the previous version (`score_shift`). Both forms give the same
    aliases; the compact one spares a Python object per row of a million-row history.
    """

    board: Board
    snapshot_date: date
    models: tuple[ListedModel, ...]
    names: tuple[str, ...] | None = None
    score_shift: float | None = None

    @property
    def listed_names(self) -> tuple[str, ...]:
        return self.names if self.names is not None else tuple(m.name for m in self.models)


@dataclass(frozen=True)
class RenameRules:
    """Thresholds of the automatic rule; the defaults are what the labelled benchmark measures."""

    # Votes continue when new/old lies in this band. Below: restarted (a new version) or a
    # different model; above: far more votes than the old name ever had.
    min_votes_ratio: float = 0.9
    max_votes_ratio: float = 1.5


DEFAULT_RULES = RenameRules()


@dataclass(frozen=True)
class RenamePair:
    old: str
    new: str
    method: str
    distance: float  # 0 = identical evidence; smaller is a closer match


@dataclass(frozen=True)
class RenameOverride:
    """A hand decision from config/rename_overrides.csv: force (`add`) or forbid (`veto`) a pair."""

    board: Board
    snapshot_date: date
    old_model: str
    new_model: str
    action: str  # add | veto
    reason: str


@dataclass
class Alias:
    """One row of model_aliases: `model` names identity `model_id` on `board` from valid_from until
    valid_to (exclusive; None while the name still stands for that identity)."""

    board: Board
    model: str
    model_id: str
    valid_from: date
    valid_to: date | None
    method: str


@cache  # called for every pair of names that leave and arrive at once: few distinct names
def normalize_name(name: str) -> str:
    """Lowercase letters and digits only: `Gemma-2-27B-it` and `gemma 2 27b it` are equal."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def combined_ci(old: ListedModel, new: ListedModel) -> float | None:
    if old.ci is None or new.ci is None:
        return None
    return math.sqrt(old.ci**2 + new.ci**2)


def rename_candidate(
    old: ListedModel, new: ListedModel, score_shift: float = 0.0, rules: RenameRules = DEFAULT_RULES
) -> RenamePair | None:
    """The evidence that `new` is `old` renamed, or None.

    score_shift is the median score change of the models listed in both versions: when the
    upstream moves the whole scale at once, a renamed model moves with it.
    """
    if normalize_name(old.name) == normalize_name(new.name):
        return RenamePair(old.name, new.name, RENAMED_BY_NAME, 0.0)
    if not old.organization or (old.organization or "").casefold() != (
        new.organization or ""
    ).casefold():
        return None
    # Without votes or bounds on either side the numbers cannot tell (the dataset's Elo era).
    ci = combined_ci(old, new)
    if ci is None or old.votes is None or new.votes is None or old.votes <= 0:
        return None
    votes_ratio = new.votes / old.votes
    if not rules.min_votes_ratio <= votes_ratio <= rules.max_votes_ratio:
        return None
    score_gap = abs(new.score - old.score - score_shift)
    if score_gap > ci:
        return None
    # Score gap in CI units plus relative votes gap: both 0 for an untouched row.
    distance = (score_gap / ci if ci > 0 else 0.0) + abs(math.log(votes_ratio))
    return RenamePair(old.name, new.name, RENAMED_BY_NUMBERS, distance)


def pair_renames(
    gone: list[ListedModel],
    appeared: list[ListedModel],
    score_shift: float = 0.0,
    rules: RenameRules = DEFAULT_RULES,
    forbidden: set[tuple[str, str]] = frozenset(),
    forced: list[tuple[str, str]] = (),
) -> list[RenamePair]:
    """Pair disappeared and appeared names one to one, closest match first.

    `forced` pairs (manual overrides) are taken first; `forbidden` pairs are never taken.
    Name matches (distance 0) beat number matches, so a case-only rename is never stolen by a
    look-alike with similar votes.
    """
    gone_names = {m.name for m in gone}
    appeared_names = {m.name for m in appeared}
    pairs: list[RenamePair] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for old_name, new_name in forced:
        if (old_name in gone_names and new_name in appeared_names
                and old_name not in used_old and new_name not in used_new):
            pairs.append(RenamePair(old_name, new_name, RENAMED_BY_OVERRIDE, 0.0))
            used_old.add(old_name)
            used_new.add(new_name)

    candidates = [
        candidate
        for old in gone
        for new in appeared
        if (old.name, new.name) not in forbidden
        and (candidate := rename_candidate(old, new, score_shift, rules)) is not None
    ]
    method_order = {RENAMED_BY_NAME: 0, RENAMED_BY_NUMBERS: 1}
    candidates.sort(key=lambda c: (method_order[c.method], c.distance, c.old, c.new))
    for candidate in candidates:
        if candidate.old in used_old or candidate.new in used_new:
            continue
        pairs.append(candidate)
        used_old.add(candidate.old)
        used_new.add(candidate.new)
    return pairs


def median_score_shift(previous: dict[str, ListedModel], current: dict[str, ListedModel]) -> float:
    shifts = [current[name].score - previous[name].score for name in current if name in previous]
    return statistics.median(shifts) if shifts else 0.0


@dataclass
class _BoardState:
    """Running identity bookkeeping of one board while walking its versions in order."""

    name_to_id: dict[str, str] = field(default_factory=dict)  # identity each name last had
    open_alias: dict[str, Alias] = field(default_factory=dict)  # name -> alias row still open
    known_ids: set[str] = field(default_factory=set)


def build_aliases(
    versions: list[DataVersion],
    rules: RenameRules = DEFAULT_RULES,
    overrides: list[RenameOverride] = (),
) -> list[Alias]:
    """model_aliases rows for every name of every data version.

    model_id is the identity's earliest published name on the board. A name that comes back
    after being dropped keeps its identity unless that identity is listed under another name
    at the time; then it starts a new identity whose id carries its first date.
    """
    aliases: list[Alias] = []
    for board, board_versions in _by_board(versions).items():
        _walk(aliases, board, board_versions, _listed_in(board_versions), _BoardState(), {}, rules, overrides)
    return aliases


def extend_aliases(
    board: Board,
    stored: list[Alias],
    last_ids: dict[str, str],
    versions: list[DataVersion],
    listed_in: dict[str, set[date]],
    rules: RenameRules = DEFAULT_RULES,
    overrides: list[RenameOverride] = (),
) -> list[Alias]:
    """build_aliases of a board that only gained versions, from what was stored of the others:
    `stored` (its aliases as computed up to its newest stored version), `last_ids` (name ->
    model_id in that version), `versions` (that version, then the new ones, in date order) and
    `listed_in` (the version dates of every name that is not listed in all of `versions`, over
    the board's whole history). The stored aliases and their rows stay valid only when no new
    version lists two names of one stored identity together (such a rename is undone: the
    caller recomputes the board whole); then this equals build_aliases over every version.
    Returns every alias of the board: the stored ones (an open one closed where a new version
    ends it) and the new ones."""
    state = _BoardState()
    for alias in sorted(stored, key=lambda a: a.valid_from):
        state.name_to_id[alias.model] = alias.model_id
        state.known_ids.add(alias.model_id)
        if alias.valid_to is None:
            state.open_alias[alias.model] = alias
        else:
            state.open_alias.pop(alias.model, None)
    aliases = list(stored)
    _walk(aliases, board, versions, listed_in, state, dict(last_ids), rules, overrides, skip_first=True)
    return aliases


def _listed_in(board_versions: list[DataVersion]) -> dict[str, set[date]]:
    """The version dates of each name: two names ever listed together are two models."""
    listed_in: dict[str, set[date]] = defaultdict(set)
    for version in board_versions:
        for name in version.listed_names:
            listed_in[name].add(version.snapshot_date)
    return listed_in


def _walk(aliases: list[Alias], board: Board, board_versions: list[DataVersion], listed_in, state: _BoardState,
          previous_ids: dict[str, str], rules, overrides, skip_first: bool = False) -> None:
    """Walk one board's versions in date order, opening and closing aliases; previous_ids is
    name -> id in the version before the first (with skip_first: the first version itself,
    already walked)."""
    renames_at = defaultdict(list)
    for version, pair in _board_renames(board_versions, listed_in, rules, overrides):
        renames_at[version.snapshot_date].append(pair)
    for version in board_versions[1:] if skip_first else board_versions:
        day = version.snapshot_date
        names = version.listed_names
        if not renames_at[day] and len(names) == len(previous_ids) and all(n in previous_ids for n in names):
            continue  # the same names as the previous version: the same identities
        current_ids: dict[str, str] = {}
        for pair in renames_at[day]:
            model_id = previous_ids[pair.old]
            state.open_alias.pop(pair.old).valid_to = day
            current_ids[pair.new] = model_id
            # A name that stood for this identity before is back after a rename away.
            method = LISTED_AGAIN if state.name_to_id.get(pair.new) == model_id else pair.method
            _open(aliases, state, board, pair.new, model_id, day, method)
        # Identities taken in this version: the names listed again, the renamed ones and (as the
        # loop goes) the names that arrive; one set kept up to date, not rebuilt per arrival.
        taken = {previous_ids[n] for n in names if n in previous_ids} | set(current_ids.values())
        for name in names:
            if name in current_ids:
                continue
            if name in previous_ids:
                current_ids[name] = previous_ids[name]
                continue
            model_id = state.name_to_id.get(name)
            if model_id is None or model_id in taken:
                model_id = name if name not in state.known_ids else f"{name} [{day.isoformat()}]"
                method = FIRST_LISTED
            else:
                method = LISTED_AGAIN
            current_ids[name] = model_id
            taken.add(model_id)
            alias = state.open_alias.get(name)
            if alias is None or alias.model_id != model_id:
                _open(aliases, state, board, name, model_id, day, method)
        previous_ids = current_ids


def _open(aliases, state: _BoardState, board: Board, name, model_id, day, method) -> None:
    # A name stands for one identity at a time: close whatever it stood for until today.
    if (still_open := state.open_alias.get(name)) is not None:
        still_open.valid_to = day
    alias = Alias(board, name, model_id, day, None, method)
    aliases.append(alias)
    state.open_alias[name] = alias
    state.name_to_id[name] = model_id
    state.known_ids.add(model_id)


def _by_board(versions: list[DataVersion]) -> dict[Board, list[DataVersion]]:
    grouped: dict[Board, list[DataVersion]] = defaultdict(list)
    for version in versions:
        grouped[version.board].append(version)
    return {board: sorted(vs, key=lambda v: v.snapshot_date) for board, vs in grouped.items()}


def _board_renames(board_versions: list[DataVersion], listed_in: dict[str, set[date]], rules, overrides):
    """(version, pair) for each rename of one board between consecutive versions, in date
    order; listed_in: the version dates of each name that leaves or arrives."""
    board = board_versions[0].board if board_versions else None
    by_day = defaultdict(lambda: ([], set()))
    for o in overrides:
        if o.board == board:
            forced, vetoed = by_day[o.snapshot_date]
            if o.action == "add":
                forced.append((o.old_model, o.new_model))
            else:
                vetoed.add((o.old_model, o.new_model))

    for previous, current in itertools.pairwise(board_versions):
        before_names, after_names = set(previous.listed_names), set(current.listed_names)
        gone = [m for m in previous.models if m.name not in after_names]
        appeared = [m for m in current.models if m.name not in before_names]
        if not gone or not appeared:
            continue
        forced, vetoed = by_day[current.snapshot_date]
        listed_together = {
            (old.name, new.name)
            for old in gone
            for new in appeared
            if not listed_in.get(old.name, set()).isdisjoint(listed_in.get(new.name, ()))
        }
        pairs = pair_renames(
            gone,
            appeared,
            current.score_shift if current.score_shift is not None else median_score_shift(
                {m.name: m for m in previous.models}, {m.name: m for m in current.models}),
            rules,
            forbidden=listed_together | vetoed,
            forced=forced,
        )
        for pair in pairs:
            yield current, pair


def load_rename_overrides(path: Path) -> list[RenameOverride]:
    """Read the checked-in overrides file; lines starting with `#` are documentation.

    Columns source, category and style_control are optional: without them (or empty) a row is
    about the CSV source's board of its arena (fboulnois, overall, no style control)."""
    if not path.is_file():  # a Path or an importlib.resources Traversable
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    overrides = []
    for line_no, row in enumerate(csv.DictReader(lines), start=2):
        action = (row.get("action") or "").strip()
        if action not in ("add", "veto"):
            raise ValueError(f"{path}: data row {line_no - 1}: action must be add or veto, got {action!r}")
        style_control = (row.get("style_control") or "false").strip().lower()
        if style_control not in ("true", "false"):
            raise ValueError(f"{path}: data row {line_no - 1}: style_control must be true or false, "
                             f"got {style_control!r}")
        overrides.append(
            RenameOverride(
                board=Board(
                    (row.get("source") or "").strip() or CSV_SOURCE,
                    row["arena"].strip(),
                    (row.get("category") or "").strip() or "overall",
                    style_control == "true",
                ),
                snapshot_date=date.fromisoformat(row["snapshot_date"].strip()),
                old_model=row["old_model"],
                new_model=row["new_model"],
                action=action,
                reason=(row.get("reason") or "").strip(),
            )
        )
    return overrides
