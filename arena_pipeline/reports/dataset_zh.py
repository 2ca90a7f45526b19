"""Chinese leaderboard pages for the boards of LMArena's official dataset (the `chinese` category
as 中文提示词排行榜, coding, webdev, search, text-to-image, ...), with the structure of
leaderboard_zh.md: title, generation time, the board's publish date and source, hint, table,
说明, 数据来源与更新频率, 免责声明. Pure: rows in, text out."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.leaderboard_zh import age_fields, generated_lines, known_or_no_data, stale_notice
from arena_pipeline.reports.markdown import as_date, escape_cell, fmt_int, fmt_thousands, is_missing, link, table

_ALIGN = "rrlrcrlll"


def board_title(arena: str, category: str) -> str:
    if (arena, category) in zh.DATASET_TITLE:
        return zh.DATASET_TITLE[(arena, category)]
    arena_name = zh.DATASET_ARENA_NAMES.get(arena, arena)
    if category == "overall":
        return zh.DATASET_TITLE_OVERALL.format(arena=arena_name)
    return zh.DATASET_TITLE_OTHER.format(arena=arena_name,
                                         category=zh.DATASET_CATEGORY_NAMES.get(category, category))


def _rank(value: object) -> str:
    return zh.NOT_PUBLISHED if is_missing(value) else str(int(value))


def dataset_ranks_note(rank_kind: str | None, style_control_arena: str | None) -> str:
    """The note above a dataset board's table: what 排名(UB) is on this publish date, and where
    排名(StyleCtrl) comes from (style_control_arena None: no style-controlled board that day)."""
    if rank_kind == "upper_bound":
        head = zh.DATASET_RANKS_PUBLISHED_UB
    else:
        head = zh.DATASET_RANKS_DERIVED.get(rank_kind, zh.DATASET_RANKS_DERIVED[None]) + zh.DATASET_RANKS_DERIVED_TAIL
    tail = (zh.DATASET_STYLECTRL_FROM.format(arena=style_control_arena) if style_control_arena
            else zh.DATASET_NO_STYLECTRL)
    return head + tail


def revision_lines(revision_checked: tuple[str, date] | None) -> list[str]:
    """The quote lines naming the newest dataset revision checked (none when unknown)."""
    if revision_checked is None:
        return []
    revision, day = revision_checked
    return [">", zh.DATASET_REVISION_CHECKED.format(revision=escape_cell(str(revision)[:12]),
                                                    date=as_date(day).isoformat())]


def board_row(row: Mapping[str, object]) -> list[str]:
    """One table row, cells in the order of zh.LEADERBOARD_COLUMNS (bounds may be unpublished)."""
    ci = (zh.NOT_PUBLISHED if is_missing(row["ci_plus"]) or is_missing(row["ci_minus"])
          else f"+{fmt_int(row['ci_plus'])}/-{fmt_int(row['ci_minus'])}")
    return [
        _rank(row["rank_ub"]),
        _rank(row.get("rank_stylectrl")),
        link(row["model"], row.get("url")),
        fmt_int(row["score"]),
        ci,
        zh.NOT_PUBLISHED if is_missing(row["votes"]) else fmt_thousands(row["votes"]),
        known_or_no_data(row.get("organization")),
        known_or_no_data(row.get("license")),
        known_or_no_data(row.get("knowledge_cutoff")),
    ]


def render_board(
    rows: Iterable[Mapping[str, object]],
    *,
    arena: str,
    category: str,
    publish_date: date | str,
    has_style_control_board: bool,
    generated_at: datetime,
    revision_checked: tuple[str, date] | None = None,
) -> str:
    """The page of one raw dataset board at one publish date, in published rank order.

    revision_checked: (revision, day) of the newest check of the dataset, shown beside the
    publish date so a reader can tell "not published since" from "not checked since"."""
    # A published upper-bound rank ties: each tie group by score, as LMArena's own page does.
    ordered = sorted(rows, key=lambda r: (int(r["position"]), -float(r["score"]), str(r["model"])))
    rank_kind = ordered[0].get("rank_kind") if ordered else None
    category_name = zh.DATASET_CATEGORY_NAMES.get(category, category)
    lines = [
        board_title(arena, category),
        "",
        zh.DATASET_INTRO.format(arena=zh.DATASET_ARENA_NAMES.get(arena, arena), category=category_name,
                                count=len(ordered)),
        "",
        *generated_lines(generated_at),
        ">",
        zh.DATASET_SNAPSHOT_DATE.format(**age_fields(publish_date, generated_at)),
        *revision_lines(revision_checked),
        ">",
        zh.DATASET_SOURCE_LINE.format(subset=arena, category=category),
        "",
        *stale_notice(publish_date, None, generated_at, dataset=True),
        '{% hint style="info" %}',
        zh.DATASET_HINT,
        "{% endhint %}",
        "",
        zh.LEADERBOARD_HEADING,
        "",
        dataset_ranks_note(rank_kind, arena if has_style_control_board else None),
        "",
    ]
    if ordered:
        lines += table(zh.LEADERBOARD_COLUMNS, [board_row(r) for r in ordered], _ALIGN)
    else:
        lines.append(zh.LEADERBOARD_EMPTY)
    lines += ["", zh.EXPLANATION_HEADING, "", *zh.EXPLANATION]
    lines += ["", zh.SOURCE_HEADING, "", *zh.DATASET_SOURCE]
    lines += ["", zh.DISCLAIMER_HEADING, "", *zh.DISCLAIMER]
    return "\n".join(lines) + "\n"
