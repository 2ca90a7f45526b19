"""Rename detection on small hand-made lists: one test per rule and per edge case."""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest

from arena_pipeline.history.analytics import DEFAULT_OVERRIDES
from arena_pipeline.history.identity import (
    DEFAULT_RULES,
    FIRST_LISTED,
    LISTED_AGAIN,
    RENAMED_BY_NAME,
    RENAMED_BY_NUMBERS,
    RENAMED_BY_OVERRIDE,
    Board,
    DataVersion,
    ListedModel,
    RenameOverride,
    build_aliases,
    extend_aliases,
    load_rename_overrides,
    normalize_name,
    pair_renames,
    rename_candidate,
)


def model(name, score=1200.0, votes=10_000, org="Org", ci=5.0):
    return ListedModel(name=name, organization=org, score=score, ci=ci, votes=votes)


def version(day: int, *models, arena="text", board=None):
    return DataVersion(board or Board("fboulnois", arena), date(2025, 1, day), tuple(models))


def pairs_of(result):
    return {(p.old, p.new) for p in result}


def test_names_equal_apart_from_case_and_punctuation():
    assert normalize_name("Gemma-2-27B-it") == normalize_name("gemma 2 27b IT")
    assert normalize_name("Command R (08-2024)") == normalize_name("command-r-08-2024")
    assert normalize_name("Gemma-2-27B-it") != normalize_name("Gemma-2-9B-it")


def test_case_only_change_is_a_rename_whatever_the_numbers():
    # Llama-3.1-Nemotron-51b -> 51B on 2024-11-05: votes grew 74%, still the same model.
    pair = rename_candidate(model("Nemotron-51b", votes=1816), model("Nemotron-51B", votes=3153, org=None))
    assert pair.method == RENAMED_BY_NAME


def test_same_org_continuing_votes_and_score_within_ci_is_a_rename():
    pair = rename_candidate(model("Claude 3.5 Sonnet", 1268, 79710), model("Claude 3.5 Sonnet (20240620)", 1268, 81086))
    assert pair.method == RENAMED_BY_NUMBERS


@pytest.mark.parametrize(
    "new, why",
    [
        (model("v2", votes=2_000), "votes restart: a new version of the model"),
        (model("v2", votes=20_000), "far more votes than the old name ever had"),
        (model("v2", votes=8_500), "votes fell by 15%"),
        (model("v2", org="Other"), "another organization"),
        (model("v2", score=1200 + 7.1 * 2**0.5 + 0.1), "score moved beyond the combined CI"),
    ],
)
def test_not_a_rename(new, why):
    assert rename_candidate(model("v1"), new) is None, why


def test_score_within_ci_is_judged_after_a_whole_scale_shift():
    old, new = model("A", score=1200), model("B", score=1212)
    assert rename_candidate(old, new) is None
    assert rename_candidate(old, new, score_shift=10).method == RENAMED_BY_NUMBERS


def test_pairs_are_one_to_one_closest_match_first():
    # 2024-08-07: both Gemini 1.5 Pro rows could continue as Gemini-1.5-Pro-001 by the numbers.
    gone = [model("Pro-API-0514", 1260, 63758, ci=2.5), model("Pro-API-0409", 1257, 55661, ci=2.5)]
    appeared = [model("Pro-001", 1260, 64638, ci=3), model("Pro-Preview-0409", 1257, 55593, ci=3.5)]
    assert pairs_of(pair_renames(gone, appeared)) == {
        ("Pro-API-0514", "Pro-001"),
        ("Pro-API-0409", "Pro-Preview-0409"),
    }


def test_never_many_to_one():
    gone = [model("A", votes=10_000), model("B", votes=10_100)]
    appeared = [model("C", votes=10_050)]
    result = pair_renames(gone, appeared)
    assert len(result) == 1 and result[0].new == "C"


def test_a_name_match_is_not_stolen_by_a_closer_number_match():
    gone = [model("Gemma-2-27B-it", votes=10_000), model("Other", votes=10_400)]
    appeared = [model("Gemma-2-27b-it", votes=10_400)]
    assert pairs_of(pair_renames(gone, appeared)) == {("Gemma-2-27B-it", "Gemma-2-27b-it")}


def test_forbidden_and_forced_pairs():
    gone, appeared = [model("A")], [model("B"), model("C", org="Else", votes=1)]
    assert pair_renames(gone, appeared, forbidden={("A", "B")}) == []
    forced = pair_renames(gone, appeared, forced=[("A", "C")])
    assert [(p.old, p.new, p.method) for p in forced] == [("A", "C", RENAMED_BY_OVERRIDE)]


def aliases_by_name(aliases):
    return {(a.model, a.valid_from.day): (a.model_id, a.valid_to and a.valid_to.day, a.method) for a in aliases}


def test_rename_and_rename_back_keep_the_earliest_name_as_model_id():
    # Like Gemini-2.5-Pro-Exp-03-25 -> Preview-03-25 -> Exp-03-25 (2025-04-05 and 04-06).
    aliases = build_aliases([
        version(1, model("Exp"), model("Other", 1300, 5000)),
        version(2, model("Preview", votes=10_100), model("Other", 1300, 5000)),
        version(3, model("Exp", votes=10_200), model("Other", 1300, 5000)),
    ])
    assert aliases_by_name(aliases) == {
        ("Exp", 1): ("Exp", 2, FIRST_LISTED),
        ("Other", 1): ("Other", None, FIRST_LISTED),
        ("Preview", 2): ("Exp", 3, RENAMED_BY_NUMBERS),
        ("Exp", 3): ("Exp", None, LISTED_AGAIN),  # the name is back after a rename away
    }


def test_names_ever_listed_together_are_two_models():
    # Like Qwen3-235B-A22B-Instruct-2507 / Qwen3-Coder on 2025-07-28: the numbers fit, but the
    # old name is back next to the new one a few days later.
    versions = [
        version(1, model("Qwen3-235B")),
        version(2, model("Qwen3-Coder", votes=10_500)),
        version(3, model("Qwen3-235B", votes=10_300), model("Qwen3-Coder", votes=10_900)),
    ]
    ids = {(a.model, a.valid_from.day): a.model_id for a in build_aliases(versions)}
    assert ids == {("Qwen3-235B", 1): "Qwen3-235B", ("Qwen3-Coder", 2): "Qwen3-Coder"}


def test_a_dropped_name_that_returns_keeps_its_identity():
    aliases = build_aliases([
        version(1, model("A"), model("B", 1300)),
        version(2, model("B", 1300)),
        version(3, model("A"), model("B", 1300)),
    ])
    assert [(a.model, a.model_id, a.valid_to) for a in aliases if a.model == "A"] == [("A", "A", None)]


def test_an_old_name_back_while_its_identity_is_listed_under_a_new_name_is_a_new_identity():
    # A -> B is a rename; B -> C is a rename; then "A" reappears next to C: A and C are never
    # listed together at rename time, so only a fresh identity keeps one row per model_id.
    aliases = build_aliases([
        version(1, model("A")),
        version(2, model("B", votes=10_100)),
        version(3, model("C", votes=10_200)),
        version(4, model("C", votes=10_300), model("A", 900, 50, org="Else")),
    ])
    latest = {a.model: (a.model_id, a.method) for a in aliases if a.valid_to is None}
    assert latest == {"C": ("A", RENAMED_BY_NUMBERS), "A": ("A [2025-01-04]", FIRST_LISTED)}


def test_listed_again_after_being_renamed_away():
    aliases = build_aliases([
        version(1, model("A")),
        version(2, model("B", votes=10_100)),
        version(3, model("Z", 1500, 50, org="Else")),
        version(4, model("A", votes=10_200), model("Z", 1500, 50, org="Else")),
    ])
    rows = [(a.model, a.model_id, a.valid_from.day, a.method) for a in aliases if a.model == "A"]
    assert rows == [("A", "A", 1, FIRST_LISTED), ("A", "A", 4, LISTED_AGAIN)]


def test_overrides_add_and_veto_pairs():
    versions = [version(1, model("A"), model("X", 1500)), version(2, model("B"), model("Y", 1000, 10))]
    veto = RenameOverride(Board("fboulnois", "text"), date(2025, 1, 2), "A", "B", "veto", "two models")
    add = RenameOverride(Board("fboulnois", "text"), date(2025, 1, 2), "X", "Y", "add", "announced rename")
    ids = {a.model: a.model_id for a in build_aliases(versions, DEFAULT_RULES, [veto, add])}
    assert ids == {"A": "A", "B": "B", "X": "X", "Y": "X"}


def test_overrides_apply_to_their_arena_only():
    versions = [version(1, model("A"), arena="vision"), version(2, model("B"), arena="vision")]
    veto = RenameOverride(Board("fboulnois", "text"), date(2025, 1, 2), "A", "B", "veto", "")
    assert {a.model: a.model_id for a in build_aliases(versions, overrides=[veto])}["B"] == "A"


def test_boards_of_one_arena_are_apart_and_overrides_name_their_board():
    """The text arena's chinese board and its style-controlled twin have their own identities: a
    name listed on one board never blocks a rename on another, and an override applies to its
    board only."""
    chinese = Board("lmarena_dataset", "text", "chinese", False)
    chinese_sc = Board("lmarena_dataset", "text", "chinese", True)
    versions = [version(1, model("A"), board=chinese), version(2, model("B"), board=chinese),
                version(1, model("A"), model("B", 1000, 10), board=chinese_sc),
                version(2, model("B", 1000, 10), board=chinese_sc)]
    ids = {(a.board, a.model): a.model_id for a in build_aliases(versions)}
    assert ids[(chinese, "B")] == "A" and ids[(chinese_sc, "B")] == "B"
    veto = RenameOverride(chinese, date(2025, 1, 2), "A", "B", "veto", "two models")
    ids = {(a.board, a.model): a.model_id for a in build_aliases(versions, overrides=[veto])}
    assert ids[(chinese, "B")] == "B"


def test_without_bounds_or_votes_only_the_name_rule_applies():
    """The dataset's Elo era publishes neither CI bounds nor votes: the numbers cannot tell."""
    elo = {"ci": None, "votes": None}
    assert rename_candidate(model("gpt-4", **elo), model("gpt-4-0613", **elo)) is None
    assert rename_candidate(model("gpt-4", ci=None), model("gpt-4-0613", ci=None)) is None
    assert rename_candidate(model("GPT-4", **elo), model("gpt 4", **elo)).method == RENAMED_BY_NAME


def test_checked_in_overrides_file_loads():
    assert all(o.action in ("add", "veto") for o in load_rename_overrides(DEFAULT_OVERRIDES))


def test_overrides_file_with_comments_and_a_bad_action(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text(
        "# comment\narena,snapshot_date,old_model,new_model,action,reason\n"
        "text,2025-07-28,\"Qwen, old\",New,veto,listed together later\n",
        encoding="utf-8",
    )
    [override] = load_rename_overrides(path)
    assert (override.old_model, override.snapshot_date, override.action) == ("Qwen, old", date(2025, 7, 28), "veto")
    path.write_text("arena,snapshot_date,old_model,new_model,action,reason\ntext,2025-07-28,A,B,merge,\n")
    with pytest.raises(ValueError, match="action must be add or veto, got 'merge'"):
        load_rename_overrides(path)
    assert load_rename_overrides(tmp_path / "missing.csv") == []
    path.write_text("arena,snapshot_date,old_model,new_model,action,reason,source,category,style_control\n"
                    "text,2025-08-04,a,b,add,,lmarena_dataset,chinese,true\n"
                    "text,2025-08-04,c,d,add,,,,\n", encoding="utf-8")
    dataset, csv = load_rename_overrides(path)
    assert dataset.board == Board("lmarena_dataset", "text", "chinese", True)
    assert csv.board == Board("fboulnois", "text", "overall", False)


def churning_versions(seed: int, count: int = 40) -> list[DataVersion]:
    """A board's versions with every kind of churn the rule decides on: new models, models
    dropped for a version and listed again, renames by numbers and by case, an old name listed
    again next to its new one, and a name coming back after its identity was renamed away."""
    rng = random.Random(seed)
    listed = {f"m{i}": model(f"m{i}", 1000 + 7 * i, 1000 * (i + 1)) for i in range(8)}
    retired: dict[str, ListedModel] = {}
    versions = []
    for day in range(count):
        dropped = {name for name in listed if rng.random() < 0.06}
        for name in [n for n in listed if n not in dropped and rng.random() < 0.08]:
            old = listed.pop(name)
            retired[name] = old
            new = name.upper() if rng.random() < 0.3 else f"{name}x"
            listed[new] = model(new, old.score, old.votes, old.organization)
        if retired and rng.random() < 0.15:  # an old name back (next to its new one, or alone)
            name = rng.choice(sorted(retired))
            listed[name] = retired.pop(name)
        if rng.random() < 0.3:
            name = f"n{day}"
            listed[name] = model(name, 900 + day, 200 + day)
        shown = [m for name, m in sorted(listed.items()) if name not in dropped]
        versions.append(DataVersion(Board("fboulnois", "text"), date(2025, 1, 1) + timedelta(days=day), tuple(shown)))
    return versions


def alias_rows(aliases) -> set:
    return {(a.model, a.model_id, a.valid_from, a.valid_to, a.method) for a in aliases}


@pytest.mark.parametrize("seed", range(12))
def test_extending_stored_aliases_equals_the_rule_over_every_version(seed):
    """identity.extend_aliases (the append path) gives build_aliases' rows over the whole history
    whenever no new version lists two names of one stored identity together (analytics checks
    that and recomputes the board whole otherwise), at every split of the history into stored
    and new versions, one to three new versions at a time."""
    versions = churning_versions(seed)
    whole = alias_rows(build_aliases(versions))
    extended = undone = 0
    for stored_count in range(1, len(versions) - 1):
        for new_count in (1, 3):
            stored_versions, new = versions[:stored_count], versions[stored_count:stored_count + new_count]
            stored = build_aliases(stored_versions)
            last = stored_versions[-1]
            ids = {a.model: a.model_id for a in stored
                   if a.valid_from <= last.snapshot_date and (a.valid_to is None or last.snapshot_date < a.valid_to)}
            names_of = defaultdict(set)
            for alias in stored:
                names_of[alias.model_id].add(alias.model)
            if any(len(names & set(v.listed_names)) > 1 for v in new for names in names_of.values()):
                undone += 1
                continue
            listed_in = defaultdict(set)
            for version in stored_versions + new:
                for name in version.listed_names:
                    listed_in[name].add(version.snapshot_date)
            result = extend_aliases(last.board, stored, {name: ids[name] for name in last.listed_names},
                                    [last, *new], listed_in)
            assert alias_rows(result) == alias_rows(build_aliases(stored_versions + new)), (stored_count, new_count)
            extended += 1
    # Both paths taken, over a history with renames of both kinds and names listed again.
    assert extended >= 15 and undone >= 5
    assert {RENAMED_BY_NAME, RENAMED_BY_NUMBERS} <= {method for *_, method in whole}


def test_the_churning_histories_list_renamed_names_again():
    # 8 of the 12 histories above have a name listed again under its old identity.
    assert sum(LISTED_AGAIN in {a.method for a in build_aliases(churning_versions(seed))} for seed in range(12)) == 8
