"""Chinese trend reports: one digest per data version, rolling weekly/monthly reports.

Pure: inputs are rows of model_events, rank_movements and leaderboard_entries as mappings (the
tables' column names); organization shares are computed here from two leaderboards. Every
section that has nothing to report is left out, and a page on which nothing happened says so in
one line, so readers can tell "nothing changed" from "the report is broken".
"""

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.leaderboard_zh import dates_lines, generated_lines, stale_notice
from arena_pipeline.reports.markdown import (
    as_date,
    escape_cell,
    fmt_int,
    fmt_signed,
    fmt_thousands,
    image,
    is_missing,
    link,
    table,
)

Row = Mapping[str, object]

# Longer lists stop being read; the rest is counted instead of listed.
MAX_MOVES = 20

# The drift columns of rank_movements each rolling report reads.
PERIOD_DRIFT_DAYS = {"weekly": 7, "monthly": 30}


def top_n(rows: Iterable[Row], n: int) -> list[Row]:
    """The first n rows by rank upper bound, ties broken by upstream position (rows without a
    rank upper bound, e.g. the dataset's Elo era without bounds, by position after the others).
    heapq.nsmallest is sorted(...)[:n] (stable) without sorting the whole board for a top 20."""
    return heapq.nsmallest(n, rows, key=lambda r: (*_rank_key(r["rank_ub"]), int(r["position"])))


def _rank_key(rank: object) -> tuple[int, int]:
    return (1, 0) if is_missing(rank) else (0, int(rank))


def _rank_text(rank: object) -> str:
    return zh.NOT_PUBLISHED if is_missing(rank) else str(int(rank))


def org_shares(
    current: Sequence[Row], baseline: Sequence[Row] | None, tops: Sequence[int] = (10, 20)
) -> list[dict]:
    """Seats per organization in each top-N now and at the baseline.

    One dict per organization present in either top list: {"organization", "seats": {n: count},
    "baseline_seats": {n: count} or None}; ordered by seats in the smallest top, then the next,
    then name, so the page is stable.
    """
    def count(rows: Sequence[Row]) -> dict[int, Counter]:
        ranked = top_n(rows, max(tops))  # each smaller top is its head: one ranking per board
        return {n: Counter(_org(r) for r in ranked[:n]) for n in tops}

    now = count(current)
    before = count(baseline) if baseline else None
    names = set().union(*now.values(), *(before.values() if before else []))
    shares = [
        {
            "organization": name,
            "seats": {n: now[n][name] for n in tops},
            "baseline_seats": {n: before[n][name] for n in tops} if before else None,
        }
        for name in names
    ]
    shares.sort(key=lambda s: (*(-s["seats"][n] for n in tops), s["organization"].casefold(),
                               s["organization"]))
    return shares


def _org(row: Row) -> str:
    value = row.get("organization")
    return zh.NO_DATA if is_missing(value) or not str(value).strip() else str(value)


def _rank_one(rows: Sequence[Row]) -> list[str]:
    """Every model holding rank 1 (by rank upper bound), in upstream order."""
    holders = [r for r in rows if _rank_key(r["rank_ub"]) == (0, 1)]
    return [str(r["model"]) for r in sorted(holders, key=lambda r: int(r["position"]))]


def _item(text: str, day: object, dated: bool) -> str:
    if dated:
        return zh.DATED_ITEM.format(date=as_date(day).isoformat(), text=text)
    return zh.ITEM.format(text=text)


def _dated(cells: list[str], day: object, dated: bool) -> list[str]:
    return [as_date(day).isoformat(), *cells] if dated else cells


def _headers(columns: Sequence[str], dated: bool) -> list[str]:
    return [zh.DATE_COLUMN, *columns] if dated else list(columns)


def _by_date(rows: Iterable[Row]) -> list[Row]:
    """Events in time order, then by name, so equal inputs give equal pages."""
    return sorted(rows, key=lambda r: (as_date(r["snapshot_date"]), str(r["model"]).casefold(),
                                       str(r["model"])))


def _new_models(events: Sequence[Row], leaderboard: Sequence[Row], dated: bool,
                style_control: bool = False) -> list[str]:
    new = _by_date(e for e in events if e["event_type"] == "new_model")
    if not new:
        return [zh.NEW_MODELS_EMPTY]
    listed = {r["model"]: r for r in leaderboard}

    def by_rank(event: Row) -> tuple:
        """Best rank first; models no longer listed at the end (the sort is stable)."""
        entry = listed.get(event["model"])
        return (1, 0, 0, 0) if entry is None else (0, *_rank_key(entry["rank_ub"]), int(entry["position"]))

    rows = []
    for event in sorted(new, key=by_rank):
        entry = listed.get(event["model"])
        if entry is None:  # listed during the period but gone again by its end
            cells = [escape_cell(event["model"]), "—", "—", "—", "—"]
        else:
            cells = [
                link(entry["model"], entry.get("url")),
                _rank_text(entry["rank_ub"]),
                fmt_int(entry["score"]),
                zh.NOT_PUBLISHED if is_missing(entry["votes"]) else fmt_thousands(entry["votes"]),
                escape_cell(_org(entry)),
            ]
        if style_control:  # the same model's rank on the style-controlled board, beside the UB rank
            cells.insert(2, "—" if entry is None else _rank_text(entry.get("rank_stylectrl")))
        rows.append(_dated(cells, event["snapshot_date"], dated))
    columns, align = list(zh.NEW_MODELS_COLUMNS), "lrrrl"
    if style_control:
        columns.insert(2, zh.STYLECTRL_COLUMN)
        align = "lrrrrl"
    return table(_headers(columns, dated), rows, ("l" if dated else "") + align)


def _leaders(events: Sequence[Row], leaderboard: Sequence[Row], dated: bool) -> list[str]:
    changes = _by_date(e for e in events if e["event_type"] == "new_leader")
    lines = []
    for event in changes:
        model = escape_cell(event["model"])
        if is_missing(event.get("previous_model")):
            text = zh.LEADER_ITEM_NO_PREVIOUS.format(model=model)
        else:
            text = zh.LEADER_ITEM.format(previous=escape_cell(event["previous_model"]), model=model)
        lines.append(_item(text, event["snapshot_date"], dated))
    holders = _rank_one(leaderboard)
    if not lines and len(holders) < 2:
        return [zh.LEADER_EMPTY]  # nothing to report: the section is left out
    if len(holders) == 1:
        lines += ["", zh.LEADER_CURRENT.format(model=escape_cell(holders[0]))]
    elif holders:  # a tie at the top is worth saying even when no leader changed
        names = zh.LEADER_TIED_SEPARATOR.join(f"**{escape_cell(name)}**" for name in holders)
        lines += ["", zh.LEADER_TIED.format(models=names)] if lines else [zh.LEADER_TIED.format(models=names)]
    return lines + ["", zh.LEADER_RULE]


def _score_change(move: Row) -> object:
    """The score change with the field's common offset removed (the raw one when not given)."""
    adjusted = move.get("score_delta_adj")
    return move.get("score_delta") if is_missing(adjusted) else adjusted


def _direction(move: Row) -> int:
    """-1 up, +1 down, 0 neither. The score decides, since significance is a score test (a
    rank upper bound also moves when other models come and go); the rank breaks a score tie."""
    rank, score = move.get("rank_ub_delta"), _score_change(move)
    if not is_missing(score) and score != 0:
        return -1 if score > 0 else 1
    if not is_missing(rank) and rank != 0:
        return -1 if rank < 0 else 1  # a smaller rank number is a better place
    return 0


def _rank_change(delta: object) -> str:
    if is_missing(delta) or delta == 0:
        return zh.RANK_SAME
    return zh.RANK_UP.format(n=-int(delta)) if delta < 0 else zh.RANK_DOWN.format(n=int(delta))


def _arrow(before: object, after: object, fmt=fmt_int) -> str:
    if is_missing(before):
        return fmt(after)
    return f"{fmt(before)} → {fmt(after)}"


def _moves(movements: Sequence[Row], climbed: bool, dated: bool,
           stylectrl: Mapping[object, object] | None = None) -> list[str]:
    wanted = -1 if climbed else 1
    chosen = [m for m in movements
              if m.get("significant") and m.get("comparable") and _direction(m) == wanted]
    if not chosen:
        return [zh.UP_EMPTY if climbed else zh.DOWN_EMPTY]
    # Biggest movement first: score points, then rank places, then date and name for stability.
    sign = 1 if climbed else -1
    chosen.sort(key=lambda m: (
        -sign * (_score_change(m) or 0),
        sign * (m.get("rank_ub_delta") or 0),
        as_date(m["snapshot_date"]),
        str(m["model"]).casefold(),
        str(m["model"]),
    ))
    rows = [
        _dated([
            escape_cell(m["model"]),
            _arrow(m.get("rank_ub_prev"), m["rank_ub"], _rank_text),
            *([] if stylectrl is None else [_rank_text(stylectrl.get(m["model"]))]),
            _rank_change(m.get("rank_ub_delta")),
            _arrow(m.get("score_prev"), m["score"]),
            "—" if is_missing(_score_change(m)) else fmt_signed(_score_change(m)),
        ], m["snapshot_date"], dated)
        for m in chosen[:MAX_MOVES]
    ]
    columns, align = list(zh.MOVES_COLUMNS), "lrcrr"
    if stylectrl is not None:
        columns.insert(2, zh.STYLECTRL_COLUMN)
        align = "lrrcrr"
    lines = [zh.MOVES_INTRO, "", *table(_headers(columns, dated), rows, ("l" if dated else "") + align)]
    if len(chosen) > MAX_MOVES:
        lines += ["", zh.MOVES_TRUNCATED.format(shown=MAX_MOVES, count=len(chosen) - MAX_MOVES)]
    return lines


def _renames(events: Sequence[Row], dated: bool) -> list[str]:
    renames = _by_date(e for e in events if e["event_type"] == "renamed")
    if not renames:
        return [zh.RENAME_EMPTY]
    return [
        _item(zh.RENAME_ITEM.format(previous=escape_cell(e.get("previous_model")),
                                    model=escape_cell(e["model"])), e["snapshot_date"], dated)
        for e in renames
    ]


def _drops(events: Sequence[Row], dated: bool) -> list[str]:
    labels = {"dropped": zh.DROPPED, "returned": zh.RETURNED}
    changes = _by_date(e for e in events if e["event_type"] in labels)
    listing = _listing_changes(events, dated)
    if not changes and not listing:
        return [zh.DROP_EMPTY]
    lines = list(listing)
    if changes:
        rows = [_dated([escape_cell(e["model"]), labels[e["event_type"]]], e["snapshot_date"], dated)
                for e in changes]
        lines += ["", *table(_headers(zh.DROP_COLUMNS, dated), rows)] if lines else table(
            _headers(zh.DROP_COLUMNS, dated), rows)
    return lines


def _listing_changes(events: Sequence[Row], dated: bool) -> list[str]:
    """One line per version and direction for models hidden / shown again by a listing change,
    with their names folded into a <details> block instead of one row of news each."""
    wording = {"delisted": zh.LISTING_HIDDEN, "relisted": zh.LISTING_RESHOWN}
    groups: dict[tuple, list[str]] = {}
    for event in _by_date(e for e in events if e["event_type"] in wording):
        key = (as_date(event["snapshot_date"]), event["event_type"])
        groups.setdefault(key, []).append(escape_cell(event["model"]))
    lines = []
    for (day, kind), names in sorted(groups.items()):
        if lines:
            lines.append("")
        lines += [
            _item(wording[kind].format(count=len(names)), day, dated),
            "",
            f"<details><summary>{zh.LISTING_NAMES}</summary>",
            "",
            *(zh.ITEM.format(text=name) for name in names),
            "",
            "</details>",
        ]
    return lines


def _method_changes(events: Sequence[Row], movements: Sequence[Row], dated: bool) -> list[str]:
    changes = _by_date(e for e in events if e["event_type"] == "method_change")
    # Only real movers are counted: significant changes left out because they are not comparable.
    excluded = sum(1 for m in movements if m.get("significant") and not m.get("comparable"))
    if not changes and not excluded:
        return [zh.METHOD_EMPTY]
    lines = []
    for event in changes:
        # The date matters even in a daily digest: it names the version that changed method.
        reasons = _method_reasons(event)
        if len(reasons) == 1:
            lines.append(_item(reasons[0], event["snapshot_date"], True))
        else:  # one nested item per kind, so a version that changed several things stays readable
            lines.append(_item(zh.METHOD_SEVERAL.format(count=len(reasons)), event["snapshot_date"], True))
            lines += [zh.NESTED_ITEM.format(text=reason) for reason in reasons]
    if any(_breaks_comparability(e) for e in changes):
        lines += ["", zh.METHOD_WHY]
    if excluded:
        if lines:
            lines.append("")
        lines.append(zh.METHOD_EXCLUDED.format(count=excluded))
    return lines


def _breaks_comparability(event: Row) -> bool:
    flag = event.get("is_method_change")
    return True if is_missing(flag) else bool(flag)


def _percent(share: object) -> str:
    return "—" if is_missing(share) else fmt_int(100 * float(share))


def _method_reasons(event: Row) -> list[str]:
    """The method change in Chinese, one sentence per kind detected; the SQL's English reason as
    a fallback."""
    kinds = event.get("method_changes")
    kinds = [] if kinds is None else list(kinds)
    reasons = []
    for kind in kinds:
        if kind == "rank_meaning":
            wording = zh.METHOD_RANK_IS_POSITION if event["schema_after"] == "v3" else zh.METHOD_RANK_MEANING
            reasons.append(wording.format(before=escape_cell(event["schema_before"]),
                                          after=escape_cell(event["schema_after"])))
        elif kind == "listing_hidden":
            reasons.append(zh.METHOD_LISTING_HIDDEN.format(count=event["models_hidden"]))
        elif kind == "listing_reshown":
            reasons.append(zh.METHOD_LISTING_RESHOWN.format(count=event["models_reshown"]))
        elif kind == "score_offset":
            reasons.append(zh.METHOD_SCORE_OFFSET.format(shift=fmt_signed(event["score_shift"])))
        elif kind == "score_scale":
            reasons.append(zh.METHOD_SCORE_SCALE.format(
                slope=f"{float(event['score_slope']):.3f}", stretch=fmt_int(event["scale_stretch"]),
                moved=event["scores_moved_adj"], common=event["models_in_common"]))
        elif kind == "ci_method":
            before, after = event.get("symmetric_ci_share_before"), event.get("symmetric_ci_share")
            if is_missing(before) != is_missing(after):  # bounds published on one side only
                reasons.append(zh.METHOD_CI_APPEARED if is_missing(before) else zh.METHOD_CI_VANISHED)
            else:
                reasons.append(zh.METHOD_CI_METHOD.format(before=_percent(before), after=_percent(after)))
    if reasons:
        return reasons
    details = event.get("details")
    return [zh.METHOD_ITEM_NO_DETAILS if is_missing(details) else escape_cell(details)]


def _drifts(movements: Sequence[Row], days: int) -> list[str]:
    """Models whose score moved significantly over `days` days (the newest such row per model),
    with the common offsets removed: a steady climb of small steps shows here."""
    suffix = f"_{days}d"
    newest: dict[object, Row] = {}
    for m in sorted(movements, key=lambda m: as_date(m["snapshot_date"])):
        newest[m["model_id"]] = m
    chosen = [m for m in newest.values()
              if m.get("significant" + suffix) and m.get("comparable" + suffix)]
    if not chosen:
        return [zh.DRIFT_EMPTY]
    chosen.sort(key=lambda m: (-abs(m["score_delta_adj" + suffix]), str(m["model"]).casefold(),
                               str(m["model"])))
    rows = [
        [
            escape_cell(m["model"]),
            as_date(m["date" + suffix]).isoformat(),
            _rank_change(m.get("rank_ub_delta" + suffix)),
            fmt_int(m["score"]),
            fmt_signed(m["score_delta_adj" + suffix]),
        ]
        for m in chosen[:MAX_MOVES]
    ]
    lines = [zh.DRIFT_INTRO.format(days=days), "", *table(zh.DRIFT_COLUMNS, rows, "llcrr")]
    if len(chosen) > MAX_MOVES:
        lines += ["", zh.MOVES_TRUNCATED.format(shown=MAX_MOVES, count=len(chosen) - MAX_MOVES)]
    return lines


def _seats(count: int, n: int, total: int) -> str:
    size = min(n, total)
    return zh.ORG_SEATS.format(count=count, share=fmt_int(count * 100 / size) if size else "0")


def _organizations(leaderboard: Sequence[Row], baseline: Sequence[Row] | None,
                   baseline_date: object) -> list[str]:
    if not leaderboard:
        return [zh.ORG_EMPTY]
    # A table of one "no data" row says nothing (the dataset's rows may carry no organization).
    if all(_org(row) == zh.NO_DATA for row in top_n(leaderboard, 20)):
        return [zh.ORG_UNKNOWN]
    if not baseline or baseline_date is None:
        baseline, intro = None, zh.ORG_INTRO_NO_BASELINE
    else:
        intro = zh.ORG_INTRO.format(baseline=as_date(baseline_date).isoformat())
    rows = []
    for share in org_shares(leaderboard, baseline):
        cells = [escape_cell(share["organization"])]
        for n in (10, 20):
            cells.append(_seats(share["seats"][n], n, len(leaderboard)))
            before = share["baseline_seats"]
            cells.append("—" if before is None else fmt_signed(share["seats"][n] - before[n]))
        rows.append(cells)
    return [intro, "", *table(zh.ORG_COLUMNS, rows, "lrrrr")]


def _charts(charts: Mapping[str, str] | None) -> list[str]:
    alts = {"score": zh.CHART_SCORE_ALT, "rank": zh.CHART_RANK_ALT}
    images = [image(alts[kind], charts[kind]) for kind in ("score", "rank")
              if charts and charts.get(kind)]
    if not images:
        return [zh.CHARTS_EMPTY]
    lines = [images[0]]
    for extra in images[1:]:
        lines += ["", extra]  # a blank line keeps each chart its own paragraph
    return lines


def _body(events, movements, leaderboard, baseline, baseline_date, charts, dated,
          drift_days: int | None = None, style_control: bool = False) -> list[str]:
    # The style-controlled rank of each model of the page's leaderboard; movements of a digest
    # are of that same version, those of a rolling report of many (there only new models show it).
    stylectrl = ({r["model"]: r.get("rank_stylectrl") for r in leaderboard}
                 if style_control and not dated else None)
    sections = [
        (zh.NEW_MODELS_HEADING, _new_models(events, leaderboard, dated, style_control)),
        (zh.LEADER_HEADING, _leaders(events, leaderboard, dated)),
        (zh.UP_HEADING, _moves(movements, True, dated, stylectrl)),
        (zh.DOWN_HEADING, _moves(movements, False, dated, stylectrl)),
        *([(zh.DRIFT_HEADING, _drifts(movements, drift_days))] if drift_days else []),
        (zh.RENAME_HEADING, _renames(events, dated)),
        (zh.DROP_HEADING, _drops(events, dated)),
        (zh.METHOD_HEADING, _method_changes(events, movements, dated)),
        (zh.ORG_HEADING, _organizations(leaderboard, baseline, baseline_date)),
        (zh.CHARTS_HEADING, _charts(charts)),
    ]
    # A section with nothing to report is left out; a page on which no section has news says
    # so once. The organization shares and the charts are state, not news: they stay.
    state = {zh.ORG_HEADING, zh.CHARTS_HEADING}
    kept = [(heading, content) for heading, content in sections
            if content and content[0] not in _EMPTY_SECTIONS]
    lines = []
    # Without a baseline (the first version) the header already says there is nothing to compare.
    if baseline and not any(heading not in state for heading, _ in kept):
        lines += ["", zh.NOTHING_CHANGED]
    for heading, content in kept:
        lines += ["", heading, "", *content]
    return lines


# The first line of a section that has nothing to report.
_EMPTY_SECTIONS = {zh.NEW_MODELS_EMPTY, zh.LEADER_EMPTY, zh.UP_EMPTY, zh.DOWN_EMPTY,
                   zh.DRIFT_EMPTY, zh.RENAME_EMPTY, zh.DROP_EMPTY, zh.METHOD_EMPTY, zh.ORG_EMPTY,
                   zh.CHARTS_EMPTY}


def render_digest(
    *,
    arena: str,
    snapshot_date: date | str,
    previous_date: date | str | None,
    events: Sequence[Row],
    movements: Sequence[Row],
    leaderboard: Sequence[Row],
    previous_leaderboard: Sequence[Row] | None,
    generated_at: datetime,
    charts: Mapping[str, str] | None = None,
    name: str | None = None,
    source_lines: Sequence[str] = (),
    style_control: bool = False,
) -> str:
    """What changed in one data version against the previous distinct one (trends/DATE.md).

    `charts` maps "score" / "rank" to chart paths relative to the digest file. `name` names the
    board in the title (default: the arena's name); `source_lines` (quote lines) say which
    source and dates the page shows, after the generation time; `style_control` adds the
    排名(StyleCtrl) column beside 排名(UB) (the leaderboard rows carry `rank_stylectrl`).
    """
    day = as_date(snapshot_date).isoformat()
    arena_name = name or zh.ARENA_NAMES.get(arena, arena)
    if previous_date is None:
        compared = zh.DIGEST_FIRST.format(current=day)
    else:
        compared = zh.DIGEST_COMPARED.format(previous=as_date(previous_date).isoformat(),
                                             current=day)
    lines = [zh.DIGEST_TITLE.format(arena=arena_name, date=day), "",
             *generated_lines(generated_at), *source_lines, ">", compared]
    lines += _body(events, movements, leaderboard, previous_leaderboard, previous_date, charts,
                   dated=False, style_control=style_control)
    return "\n".join(lines) + "\n"


def render_period(
    period: str,
    *,
    arena: str,
    start_date: date | str,
    end_date: date | str,
    baseline_date: date | str | None,
    events: Sequence[Row],
    movements: Sequence[Row],
    leaderboard: Sequence[Row],
    baseline_leaderboard: Sequence[Row] | None,
    generated_at: datetime,
    charts: Mapping[str, str] | None = None,
    data_version_date: date | str | None = None,
    name: str | None = None,
    date_lines: Sequence[str] | None = None,
    style_control: bool = False,
    source_lines: Sequence[str] = (),
) -> str:
    """Everything that happened between start_date and end_date (trends/weekly.md, monthly.md).

    data_version_date is the newest data version at end_date (end_date being the newest release
    checked); given, the page shows both and warns when the data is older than a week.
    A "slow drift" section lists significant 7-day (weekly) or 30-day (monthly) changes.

    `name`, `style_control`, `source_lines`: as for render_digest (the source lines follow the
    dates block). `date_lines` (quote lines) replace the dates
    block of the CSV source (generation time, data version, newest release checked, staleness)
    for a source whose dates are told differently (the official dataset's publish date and
    revision checked).

    `period` is "weekly" or "monthly"; `leaderboard` is the latest version at end_date and
    `baseline_leaderboard` the last version before start_date, dated `baseline_date`. Events
    and movements outside the range are ignored, so a wider query cannot leak into the page.
    """
    if period not in zh.PERIOD_TITLE:
        raise ValueError(f"period must be one of {sorted(zh.PERIOD_TITLE)}, got {period!r}")
    start, end = as_date(start_date), as_date(end_date)

    def inside(rows: Sequence[Row]) -> list[Row]:
        return [r for r in rows if start <= as_date(r["snapshot_date"]) <= end]

    arena_name = name or zh.ARENA_NAMES.get(arena, arena)
    if baseline_date is None:
        span = zh.PERIOD_RANGE_NO_BASELINE.format(start=start.isoformat(), end=end.isoformat())
    else:
        span = zh.PERIOD_RANGE.format(start=start.isoformat(), end=end.isoformat(),
                                      baseline=as_date(baseline_date).isoformat())
    lines = [zh.PERIOD_TITLE[period].format(arena=arena_name), ""]
    if date_lines is not None:
        lines += [*date_lines, *source_lines, ">", span]
    elif data_version_date is None:
        lines += [*generated_lines(generated_at), *source_lines, ">", span]
    else:
        lines += [*dates_lines(generated_at, data_version_date, end), *source_lines, ">", span, "",
                  *stale_notice(data_version_date, end, generated_at)]
        if lines[-1] == "":
            lines.pop()
    lines += _body(inside(events), inside(movements), leaderboard, baseline_leaderboard,
                   baseline_date, charts, dated=True, drift_days=PERIOD_DRIFT_DAYS[period],
                   style_control=style_control)
    return "\n".join(lines) + "\n"
