"""Report-test inputs built straight from the real upstream CSV files, with the csv module only.

Deliberately independent of arena_pipeline.ingest.normalize / identity / analytics: the golden files
check the renderers against the spec, so their input must not depend on the code under test
elsewhere. The rules here are the simplest ones that are obviously right for the chosen days
(v1/v2 `lmsys.csv` files, where `rank` is the published rank upper bound).
"""

import csv
import os
import statistics
from collections import Counter
from datetime import date
from math import hypot
from pathlib import Path

RELEASES = (Path(__file__).resolve().parents[2] / "shared" / "arena-history" / "releases").resolve()


def release_file(day: date, name: str = "lmsys.csv") -> Path:
    return RELEASES / day.strftime("%Y.%m.%d") / name


def read_leaderboard(day: date, name: str = "lmsys.csv", arena: str = "text") -> list[dict]:
    """leaderboard_entries-shaped rows for one release file (v1/v2 headers)."""
    rows = []
    with release_file(day, name).open(newline="", encoding="utf-8") as handle:
        for position, rec in enumerate(csv.DictReader(handle), start=1):
            ci_plus, ci_minus = rec["95_pct_ci"].split("/")
            cutoff = rec["knowledge_cutoff"].strip()
            rows.append(
                {
                    "arena": arena,
                    "snapshot_date": day,
                    "model": rec["model"],
                    "rank_ub": int(rec["rank"]),
                    "rank_stylectrl": int(rec["rank_stylectrl"]) if rec.get("rank_stylectrl") else None,
                    "position": position,
                    "score": float(rec["arena_score"]),
                    "ci_plus": int(ci_plus.lstrip("+")),
                    "ci_minus": int(ci_minus.lstrip("-")),
                    "votes": int(rec["votes"]),
                    "organization": rec["organization"],
                    "license": rec["license"],
                    "knowledge_cutoff": None if cutoff in ("", "Unknown") else cutoff,
                    "url": rec["url"],
                }
            )
    return rows


def distinct_versions(first: date, last: date) -> list[date]:
    """Release days in [first, last] whose lmsys.csv differs from the release before it.

    A repeated file is not a change of the leaderboard, so trend inputs compare versions only.
    """
    days, previous = [], None
    for folder in sorted(RELEASES.iterdir()):
        day = date(*map(int, folder.name.split(".")))
        path = folder / "lmsys.csv"
        if day > last or not path.exists():
            continue
        content = path.read_bytes()
        if day >= first and content != previous:
            days.append(day)
        previous = content
    return days


def previous_version(day: date) -> date | None:
    """The latest distinct version strictly before `day`."""
    before = [d for d in distinct_versions(date(2000, 1, 1), day) if d < day]
    return before[-1] if before else None


def names_before(day: date) -> set[str]:
    """Every model name listed in any lmsys.csv released before `day` (for 'returned')."""
    names = set()
    for folder in sorted(RELEASES.iterdir()):
        path = folder / "lmsys.csv"
        if folder.name < day.strftime("%Y.%m.%d") and path.exists():
            with path.open(newline="", encoding="utf-8") as handle:
                names |= {rec["model"] for rec in csv.DictReader(handle)}
    return names


def _ci(row: dict) -> float:
    return (row["ci_plus"] + row["ci_minus"]) / 2


def _leader(rows: list[dict]) -> str:
    return min(rows, key=lambda r: (r["rank_ub"], r["position"]))["model"]


def diff_versions(prev_day: date, day: date) -> tuple[list[dict], list[dict]]:
    """model_events and rank_movements rows between two consecutive distinct versions.

    Events by name-set difference: a name that only changed case, or that only gained a suffix
    and kept its link, is a rename; a new name seen in an earlier file is a return, otherwise a
    new model. A movement is 'significant' when the score moved by more than the two CIs
    combined (the project's rule, sql/history/rank_movements.sql); rank-only moves, e.g. after
    other models were removed, are not. Both files are v2, so every movement is comparable.
    """
    prev_rows, rows = read_leaderboard(prev_day), read_leaderboard(day)
    prev_by, cur_by = {r["model"]: r for r in prev_rows}, {r["model"]: r for r in rows}
    added, removed = set(cur_by) - set(prev_by), set(prev_by) - set(cur_by)
    seen = names_before(day)

    def event(kind, model, previous=None):
        return {
            "arena": "text", "snapshot_date": day, "event_type": kind, "model_id": model,
            "model": model, "previous_model": previous, "details": None,
        }

    def renamed_from(name):
        # Case-only change, or a suffix added to the same name with the same link.
        for old in sorted(removed):
            if name.casefold() == old.casefold() or (
                name.casefold().startswith(old.casefold()) and cur_by[name]["url"] == prev_by[old]["url"]
            ):
                return old
        return None

    # The history's rules, recomputed independently (sql/history/data_versions.sql): a common
    # offset is the median change when 90% of the models agree on it within 1 point and it is
    # larger than 1 point; 10 or more models leaving (or coming back) at once is a listing change.
    changes = [cur_by[n]["score"] - prev_by[n]["score"] for n in cur_by if n in prev_by]
    median = statistics.median(changes)
    agree = sum(abs(c - median) <= 1 for c in changes) / len(changes)
    shift = median if len(changes) >= 10 and agree >= 0.9 and abs(median) > 1 else 0

    events, back = [], []
    for name in sorted(added):
        old = renamed_from(name)
        if old is not None:
            events.append(event("renamed", name, old))
            removed.discard(old)
        elif name in seen:
            back.append(name)
        else:
            events.append(event("new_model", name))
    hidden, reshown = len(removed) >= 10, len(back) >= 10
    events += [event("relisted" if reshown else "returned", name) for name in back]
    events += [event("delisted" if hidden else "dropped", name) for name in sorted(removed)]
    kinds = [kind for kind, seen_now in (("listing_hidden", hidden), ("listing_reshown", reshown),
                                         ("score_offset", shift != 0)) if seen_now]
    if kinds:
        events.append(event("method_change", None) | {
            "model_id": None, "method_changes": kinds, "is_method_change": hidden or reshown,
            "models_hidden": len(removed), "models_reshown": len(back), "score_shift": shift,
        })
    before, now = _sole_leader(prev_rows), _sole_leader(rows)
    if before and now and before != now:
        events.append(event("new_leader", now, before))

    movements = []
    for name, cur in cur_by.items():
        prev = prev_by.get(name)
        if prev is None:
            continue
        rank_delta, score_delta = cur["rank_ub"] - prev["rank_ub"], cur["score"] - prev["score"]
        movements.append(
            {
                "arena": "text", "snapshot_date": day, "previous_date": prev_day,
                "model_id": name, "model": name,
                "rank_ub_prev": prev["rank_ub"], "rank_ub": cur["rank_ub"],
                "rank_ub_delta": rank_delta,
                "score_prev": prev["score"], "score": cur["score"], "score_delta": score_delta,
                "score_delta_adj": score_delta - shift,
                "votes_prev": prev["votes"], "votes": cur["votes"],
                "significant": abs(score_delta - shift) > hypot(_ci(prev), _ci(cur)) + (1 if shift else 0),
                "comparable": not (hidden or reshown),
                "rank_ub_delta_7d": None, "score_delta_7d": None,
                "rank_ub_delta_30d": None, "score_delta_30d": None,
            }
        )
    return events, movements


def _sole_leader(rows: list[dict]) -> str | None:
    holders = [r["model"] for r in rows if r["rank_ub"] == 1]
    return holders[0] if len(holders) == 1 else None


def period_inputs(first: date, last: date) -> dict:
    """Events and movements of every distinct version in [first, last], plus the baseline."""
    events, movements = [], []
    versions = distinct_versions(first, last)
    prev = previous_version(versions[0])
    baseline = prev
    for day in versions:
        day_events, day_movements = diff_versions(prev, day)
        events += day_events
        movements += day_movements
        prev = day
    return {
        "events": events,
        "movements": movements,
        "leaderboard": read_leaderboard(versions[-1]),
        "baseline_date": baseline,
        "baseline_leaderboard": read_leaderboard(baseline),
        "versions": versions,
    }


def count_by_org(rows: list[dict], top: int) -> Counter:
    """Independent recount for the org-share test."""
    ordered = sorted(rows, key=lambda r: (r["rank_ub"], r["position"]))[:top]
    return Counter(r["organization"] for r in ordered)


GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/<name>; UPDATE_GOLDEN=1 rewrites it (then read the diff!)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} differs from the golden file; rerun with UPDATE_GOLDEN=1 and review"
