"""The Chinese leaderboard page (`leaderboard_zh.md` and its vision/image siblings).

Pure: takes leaderboard_entries rows as mappings (column names of that table) and returns the
page. The same rows and the same `generated_at` always give the same bytes.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.markdown import (
    BEIJING,
    as_date,
    as_utc,
    escape_cell,
    fmt_ci,
    fmt_int,
    fmt_thousands,
    is_missing,
    link,
    table,
)
from arena_pipeline.settings import stale_data_days

# Upstream spellings that mean "not known"; normalize maps them to None already, this is a
# second line of defence so the page never shows a bare "Unknown" next to "暂无数据".
_UNKNOWN = {"", "unknown", "n/a", "na", "none", "null"}

# Right-align the numbers so digits line up; the rest stays left.
_ALIGN = "rrlrcrlll"
# Descriptive columns (服务商, 许可协议, 知识截止日期) that are left out of a page on which no
# model has a value: a column of 暂无数据 tells the reader nothing (e.g. cutoffs of image models).
_OMITTABLE = (6, 7, 8)


def generated_lines(generated_at: datetime) -> list[str]:
    """The quote line with the generation time in UTC and Beijing time."""
    utc = as_utc(generated_at)
    return [
        zh.GENERATED_AT.format(
            utc=utc.strftime("%Y-%m-%d %H:%M:%S"),
            beijing=utc.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        )
    ]


def age_fields(data_version_date: date | str, generated_at: datetime) -> dict[str, object]:
    """{date, days, today}: the data version and its age in days on the generation day (UTC)."""
    day, today = as_date(data_version_date), as_utc(generated_at).date()
    return {"date": day.isoformat(), "days": (today - day).days, "today": today.isoformat()}


def dates_lines(generated_at: datetime, data_version_date: date | str,
                latest_release_date: date | str | None) -> list[str]:
    """The three dates a current page keeps apart: generated, data last changed (with its age on
    the generation day), release checked."""
    lines = [*generated_lines(generated_at), ">",
             zh.DATA_VERSION_DATE.format(**age_fields(data_version_date, generated_at))]
    if latest_release_date is not None:
        lines += [">", zh.LATEST_RELEASE_DATE.format(date=as_date(latest_release_date).isoformat())]
    return lines


def stale_notice(data_version_date: date | str, latest_release_date: date | str | None,
                 generated_at: datetime, *, dataset: bool = False) -> list[str]:
    """A warning block when the data is older, on the generation day, than the freshness check
    allows (ARENA_STALE_DATA_DAYS, the same limit and the same count of days). dataset: worded
    for a board of the official dataset (latest_release_date unused)."""
    age = age_fields(data_version_date, generated_at)
    if age["days"] <= stale_data_days():
        return []
    if dataset:
        return [zh.DATASET_STALE_NOTICE.format(**age), ""]
    if latest_release_date is None:
        return []
    return [zh.STALE_NOTICE.format(**age, checked=as_date(latest_release_date).isoformat()), ""]


def known_or_no_data(value: object) -> str:
    """Published text, escaped, or 暂无数据 when the upstream left it empty or Unknown."""
    if is_missing(value) or str(value).strip().casefold() in _UNKNOWN:
        return zh.NO_DATA
    return escape_cell(value)


def leaderboard_row(row: Mapping[str, object]) -> list[str]:
    """One table row; cells in the order of zh.LEADERBOARD_COLUMNS."""
    stylectrl = row.get("rank_stylectrl")
    return [
        str(int(row["rank_ub"])),
        zh.NOT_PUBLISHED if is_missing(stylectrl) else str(int(stylectrl)),
        link(row["model"], row.get("url")),
        fmt_int(row["score"]),
        fmt_ci(row["ci_plus"], row["ci_minus"]),
        fmt_thousands(row["votes"]),
        known_or_no_data(row.get("organization")),
        known_or_no_data(row.get("license")),
        known_or_no_data(row.get("knowledge_cutoff")),
    ]


def render_leaderboard(
    rows: Iterable[Mapping[str, object]],
    *,
    arena: str,
    snapshot_date: date | str,
    schema_version: str,
    generated_at: datetime,
    latest_release_date: date | str | None = None,
) -> str:
    """The whole page for one arena and data version; rows are shown in upstream order.

    snapshot_date is the data version (the day the data last changed); latest_release_date the
    newest release checked, which may repeat it.
    """
    # Upstream order is the published row position, whatever order the query returned.
    ordered = sorted(rows, key=lambda r: int(r["position"]))
    arena_name = zh.ARENA_NAMES.get(arena, arena)
    title = zh.LEADERBOARD_TITLE.get(arena) or zh.LEADERBOARD_TITLE_OTHER.format(arena=arena_name)

    lines = [
        title,
        "",
        zh.LEADERBOARD_INTRO.format(arena=arena_name, count=len(ordered)),
        "",
        *dates_lines(generated_at, snapshot_date, latest_release_date),
        "",
        *stale_notice(snapshot_date, latest_release_date, generated_at),
        '{% hint style="info" %}',
        zh.LEADERBOARD_HINT,
        "{% endhint %}",
        "",
        zh.LEADERBOARD_HEADING,
        "",
    ]
    # Say so when a column is not the upstream's own number, so the page stays honest.
    if schema_version == "v3":
        lines += [zh.NOTE_V3_RANKS, ""]
    elif ordered and all(is_missing(r.get("rank_stylectrl")) for r in ordered):
        lines += [zh.NOTE_NO_STYLECTRL, ""]
    holders = [r for r in ordered if int(r["rank_ub"]) == 1]
    if len(holders) > 1:
        names = zh.LEADER_TIED_SEPARATOR.join(f"**{escape_cell(r['model'])}**" for r in holders)
        lines += [zh.LEADER_TIED.format(models=names), ""]
    if ordered:
        rows = [leaderboard_row(r) for r in ordered]
        empty = [i for i in _OMITTABLE if all(row[i] == zh.NO_DATA for row in rows)]
        if empty:
            names = "、".join(f"「{zh.LEADERBOARD_COLUMNS[i]}」" for i in empty)
            lines += [zh.NOTE_OMITTED_COLUMNS.format(columns=names), ""]
        keep = [i for i in range(len(zh.LEADERBOARD_COLUMNS)) if i not in empty]
        lines += table([zh.LEADERBOARD_COLUMNS[i] for i in keep],
                       [[row[i] for i in keep] for row in rows], "".join(_ALIGN[i] for i in keep))
    else:
        lines.append(zh.LEADERBOARD_EMPTY)
    lines += ["", zh.EXPLANATION_HEADING, "", *zh.EXPLANATION]
    lines += ["", zh.SOURCE_HEADING, "", *zh.SOURCE]
    lines += ["", zh.DISCLAIMER_HEADING, "", *zh.DISCLAIMER]
    return "\n".join(lines) + "\n"
