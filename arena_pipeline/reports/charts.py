"""Line charts as standalone SVG: score over time and rank over time for a few models.

Pure string building (no plotting library), so the output is deterministic and the text stays
text: titles, axis labels and model names are <text> elements that readers can select and
search. Every published string is XML-escaped.
"""

import math
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from xml.sax.saxutils import escape

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.markdown import as_date, fmt_int, is_missing

# One series: (model, [(date, score, rank_ub), ...]).
Point = tuple[object, object, object]
Series = tuple[str, Sequence[Point]]

WIDTH, HEIGHT = 960, 540
LEFT, RIGHT, TOP, BOTTOM = 70, 700, 80, 480  # plot area; the legend sits right of it
LEGEND_X = 720
LEGEND_CHARS = 30  # longer names are shortened in the legend; the full name stays in <title>

# Tableau 10: distinguishable, and readable on a white background; series 11+ are dashed.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")


def render_score_chart(series: Sequence[Series], *, title: str | None = None) -> str:
    """Arena score per model over time; higher is better, so it is plotted upward."""
    return _line_chart(series, title=title or zh.CHART_SCORE_TITLE, y_label=zh.CHART_Y_SCORE,
                       pick=lambda p: p[1], invert=False)


def render_rank_chart(series: Sequence[Series], *, title: str | None = None) -> str:
    """Rank upper bound per model over time; the axis is inverted so that rank 1 is on top."""
    return _line_chart(series, title=title or zh.CHART_RANK_TITLE, y_label=zh.CHART_Y_RANK,
                       pick=lambda p: p[2], invert=True)


def _text(value: object) -> str:
    """One line of XML-safe text; control characters are not even allowed in XML 1.0."""
    line = " ".join(str(value).split())
    return escape("".join(ch for ch in line if unicodedata.category(ch) != "Cc"))


def _attr(value: object) -> str:
    return _text(value).replace('"', "&quot;")


def _num(value: float) -> str:
    # Fixed precision keeps the bytes identical across runs and platforms.
    return f"{value:.1f}"


def _nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 step giving about `target` intervals over `span`."""
    raw = max(span, 1) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _y_axis(values: list[float], invert: bool) -> tuple[float, float, list[float]]:
    """(top value, bottom value, ticks). Ranks start at 1 on top; scores get round bounds."""
    lo, hi = min(values), max(values)
    if invert:
        step = max(1, _nice_step(hi - 1))
        bottom = max(math.ceil(hi / step) * step, 2)
        ticks = [1.0] + [k * step for k in range(1, int(bottom // step) + 1) if k * step > 1]
        return 1.0, float(bottom), ticks
    step = _nice_step(hi - lo)
    low, high = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if low == high:
        low, high = low - step, high + step
    ticks = [low + k * step for k in range(int(round((high - low) / step)) + 1)]
    return float(high), float(low), ticks


def _line_chart(series: Sequence[Series], *, title: str, y_label: str,
                pick: Callable[[Point], object], invert: bool) -> str:
    lines = [(str(model), sorted(((as_date(p[0]), float(pick(p))) for p in points
                                  if not is_missing(pick(p))), key=lambda dv: dv[0]))
             for model, points in series]
    lines = [(model, pts) for model, pts in lines if pts]
    days = [d for _, pts in lines for d, _ in pts]

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" role="img" '
        f'aria-label="{_attr(title)}">',
        f"<title>{_text(title)}</title>",
        # An explicit background keeps the chart readable in dark themes.
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="30" font-size="18" font-weight="bold">{_text(title)}</text>',
    ]
    if not lines:
        out.append(f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" '
                   f'fill="#666666">{_text(zh.CHART_EMPTY)}</text>')
        return "\n".join(out + ["</svg>"]) + "\n"

    first, last = min(days), max(days)
    out.append(f'<text x="{LEFT}" y="52" fill="#666666">'
               f"{_text(zh.CHART_RANGE.format(start=first, end=last))}</text>")
    span_days = (last - first).days

    def x_of(day: date) -> float:
        if span_days == 0:
            return (LEFT + RIGHT) / 2
        return LEFT + (day - first).days / span_days * (RIGHT - LEFT)

    top_value, bottom_value, y_ticks = _y_axis([v for _, pts in lines for _, v in pts], invert)

    def y_of(value: float) -> float:
        return TOP + (top_value - value) / (top_value - bottom_value) * (BOTTOM - TOP)

    # Axes and grid.
    out.append(f'<text x="{LEFT - 8}" y="{TOP - 12}" text-anchor="end" fill="#333333">'
               f"{_text(y_label)}</text>")
    for tick in y_ticks:
        y = _num(y_of(tick))
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{RIGHT}" y2="{y}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle" '
                   f'fill="#333333">{fmt_int(tick)}</text>')
    out.append(f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="#333333"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="#333333"/>')
    count = min(6, span_days + 1)
    x_ticks = sorted({first if count == 1 else
                      date.fromordinal(first.toordinal() + round(i * span_days / (count - 1)))
                      for i in range(count)})
    for day in x_ticks:
        x = _num(x_of(day))
        out.append(f'<line x1="{x}" y1="{BOTTOM}" x2="{x}" y2="{BOTTOM + 5}" stroke="#333333"/>')
        out.append(f'<text x="{x}" y="{BOTTOM + 20}" text-anchor="middle" fill="#333333">'
                   f"{day.isoformat()}</text>")

    # One line per model, then its legend entry (with the latest value).
    for index, (model, pts) in enumerate(lines):
        color = PALETTE[index % len(PALETTE)]
        dash = ' stroke-dasharray="6 3"' if index >= len(PALETTE) else ""
        coords = " ".join(f"{_num(x_of(d))},{_num(y_of(v))}" for d, v in pts)
        out.append(f'<g><title>{_text(model)}</title>')
        if len(pts) > 1:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} '
                       f'points="{coords}"/>')
        end_x, end_y = _num(x_of(pts[-1][0])), _num(y_of(pts[-1][1]))
        out.append(f'<circle cx="{end_x}" cy="{end_y}" r="3" fill="{color}"/></g>')
        legend_y = TOP + index * 22
        short = model if len(model) <= LEGEND_CHARS else model[: LEGEND_CHARS - 1] + "…"
        out.append(f'<line x1="{LEGEND_X}" y1="{legend_y}" x2="{LEGEND_X + 20}" y2="{legend_y}" '
                   f'stroke="{color}" stroke-width="3"{dash}/>')
        out.append(f'<text x="{LEGEND_X + 26}" y="{legend_y}" dominant-baseline="middle">'
                   f"<title>{_text(model)}</title>{_text(short)} ({fmt_int(pts[-1][1])})</text>")
    return "\n".join(out + ["</svg>"]) + "\n"
