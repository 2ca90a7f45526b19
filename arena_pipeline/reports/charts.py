"""Line charts as standalone SVG: score over time and rank over time for a few models.

Pure string building (no plotting library), so the output is deterministic and the text stays
text: titles, axis labels and model names are <text> elements that readers can select and
search. Every published string is XML-escaped.

What makes them readable (each point is a rule, not a style choice):
- the legend is a table under the plot with every name in full, wrapped, never cut;
- every data point has a marker whose shape and colour name its series, so a one-point
  series (a model new this version) is a visible dot;
- series tied at a data version (same rank, same score) are spread vertically by a few pixels
  there, so two lines never hide each other;
- x ticks sit only on data versions (the days the leaderboard changed), labelled where there is
  room;
- each method change is a labelled dashed vertical line: jumps across it are not movements;
- the score chart shades the 95% CI of the top models.
"""

import math
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from xml.sax.saxutils import escape

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.markdown import as_date, fmt_int, is_missing, plain_text

# One series: (model, [(date, score, rank_ub[, ci_plus, ci_minus]), ...]).
Point = tuple[object, ...]
Series = tuple[str, Sequence[Point]]

WIDTH = 960
# Plot area. RIGHT leaves room for half an x label ("2025-08-04" is ~70 px wide at 12 px): the
# last label is centred on the last data version and was cut at the right edge at 930.
LEFT, RIGHT, TOP, BOTTOM = 70, 916, 96, 456
LEGEND_TOP = BOTTOM + 76
LEGEND_COLUMNS = 2
LEGEND_COLUMN_WIDTH = (WIDTH - 2 * 40) // LEGEND_COLUMNS
LEGEND_LINE = 17  # px per wrapped line of a legend entry
LEGEND_GAP = 7  # px between two legend rows
# Text room per legend entry after the swatch, in "units" (a Latin character at 12 px is about
# 7 px wide, a CJK one twice that): names longer than this wrap onto the next line.
LEGEND_WRAP_UNITS = (LEGEND_COLUMN_WIDTH - 50) // 7
X_LABEL_MIN_GAP = 78  # px between two x labels ("2025-08-04" is ~65 px wide)
TIE_STEP = 7.0  # px between tied series at one data version (a marker is ~8 px wide)
BAND_TOP = 3  # the score chart shades the CI of this many leading series
# The rank axis spans the ranks the models hold now (at least 1..RANK_AXIS_MIN): one model that
# came from far down (rank 18, say) squeezed the other nine into a fifth of the height. Points
# below the axis sit on its bottom edge, labelled with their rank.
RANK_AXIS_MIN = 10

# Tableau 10: distinguishable, and readable on a white background; series 11+ are dashed.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
# Marker shapes, cycled with a different period than the colours so no two of the first 10
# series share both; readers who cannot tell the colours apart can tell the shapes.
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down")
METHOD_COLOR = "#c0392b"


def render_score_chart(series: Sequence[Series], *, title: str | None = None,
                       versions: Sequence[object] = (), method_changes: Sequence[object] = ()) -> str:
    """Arena score per model over time; higher is better, so it is plotted upward.

    `versions`: the data versions of the window (x ticks; default: the points' dates);
    `method_changes`: dates at which the upstream changed its method (vertical markers). The
    CI of the first BAND_TOP series is a shaded band when the points carry ci_plus / ci_minus.
    """
    return _line_chart(series, title=title or zh.CHART_SCORE_TITLE, y_label=zh.CHART_Y_SCORE,
                       pick=lambda p: p[1], invert=False, versions=versions,
                       method_changes=method_changes, bands=BAND_TOP)


def render_rank_chart(series: Sequence[Series], *, title: str | None = None,
                      versions: Sequence[object] = (), method_changes: Sequence[object] = ()) -> str:
    """Rank upper bound per model over time; the axis is inverted so that rank 1 is on top."""
    return _line_chart(series, title=title or zh.CHART_RANK_TITLE, y_label=zh.CHART_Y_RANK,
                       pick=lambda p: p[2], invert=True, versions=versions,
                       method_changes=method_changes, bands=0)


def _clean(value: object) -> str:
    """One line of text XML 1.0 can take (markdown.plain_text)."""
    return plain_text(value)


def _text(value: object) -> str:
    return escape(_clean(value))


def _attr(value: object) -> str:
    return _text(value).replace('"', "&quot;")


def _num(value: float) -> str:
    # Fixed precision keeps the bytes identical across runs and platforms.
    return f"{value:.1f}"


def _units(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap_name(name: str, width: int = LEGEND_WRAP_UNITS) -> list[str]:
    """The name in lines of at most `width` units, broken after a space, '-', '_', '/' or ')'
    when one is near the end of the line, else anywhere; nothing is dropped."""
    lines, current = [], ""
    for ch in _clean(name):
        if sum(map(_units, current + ch)) > width:
            cut = max(current.rfind(sep) for sep in " -_/)")
            if cut >= len(current) // 2:
                lines.append(current[: cut + 1].rstrip())
                current = current[cut + 1:].lstrip()
            else:
                lines.append(current)
                current = ""
        current += ch
    return [*lines, current] if current or not lines else lines


def _nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 step giving about `target` intervals over `span`."""
    raw = max(span, 1) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _y_axis(values: list[float], invert: bool) -> tuple[float, float, list[float]]:
    """(top value, bottom value, ticks). Ranks start at 1 on top; scores get round bounds.
    Half a rank / a little room beyond the extremes keeps markers (and spread ties) off the
    axis line and inside the plot."""
    lo, hi = min(values), max(values)
    if invert:
        step = max(1, _nice_step(hi - 1))
        bottom = max(math.ceil(hi / step) * step, 2)
        ticks = [1.0] + [k * step for k in range(1, int(bottom // step) + 1) if k * step > 1]
        return 0.5, bottom + 0.5, ticks
    step = _nice_step(hi - lo)
    margin = (hi - lo) * 0.03 or 1
    low, high = math.floor((lo - margin) / step) * step, math.ceil((hi + margin) / step) * step
    if low == high:
        low, high = low - step, high + step
    ticks = [low + k * step for k in range(int(round((high - low) / step)) + 1)]
    return float(high), float(low), ticks


def _marker(shape: str, x: float, y: float, color: str) -> str:
    """A 7-px marker with a white outline, so it stays visible on top of another line."""
    style = f'fill="{color}" stroke="#ffffff" stroke-width="1"'
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.8" {style}/>'
    if shape == "square":
        return f'<rect x="{_num(x - 3.4)}" y="{_num(y - 3.4)}" width="6.8" height="6.8" {style}/>'
    offsets = {
        "triangle": ((0, -4.4), (4.2, 3.2), (-4.2, 3.2)),
        "triangle-down": ((0, 4.4), (4.2, -3.2), (-4.2, -3.2)),
        "diamond": ((0, -4.6), (4.2, 0), (0, 4.6), (-4.2, 0)),
    }[shape]
    points = " ".join(f"{_num(x + dx)},{_num(y + dy)}" for dx, dy in offsets)
    return f'<polygon points="{points}" {style}/>'


def _tie_offsets(lines: list[tuple[str, list]], unit_px: float) -> dict[tuple[int, date], float]:
    """Vertical pixel offset per (series index, day): series with the same value on the same
    day are spread around that value in series order, TIE_STEP apart, or closer when a large
    group would otherwise reach the next value (`unit_px` apart on the axis)."""
    groups: dict[tuple[date, float], list[int]] = {}
    for index, (_, pts) in enumerate(lines):
        for day, value, *_ in pts:
            groups.setdefault((day, value), []).append(index)
    offsets = {}
    for (day, _), members in groups.items():
        step = TIE_STEP if len(members) < 2 else min(TIE_STEP, 0.8 * unit_px / (len(members) - 1))
        for order, index in enumerate(members):
            offsets[(index, day)] = (order - (len(members) - 1) / 2) * step
    return offsets


def _x_labels(days: list[date], x_of: Callable[[date], float]) -> list[date]:
    """The data versions that get a text label: the first, then each one far enough from the
    previous label, and always the last (replacing a label too close to it)."""
    chosen: list[date] = []
    for day in days:
        if not chosen or x_of(day) - x_of(chosen[-1]) >= X_LABEL_MIN_GAP:
            chosen.append(day)
    if days and chosen[-1] != days[-1]:
        if len(chosen) > 1 and x_of(days[-1]) - x_of(chosen[-1]) < X_LABEL_MIN_GAP:
            chosen.pop()
        chosen.append(days[-1])
    return chosen


def _legend(lines: list[tuple[str, list]], value_of_last: Callable[[list], str]) -> tuple[list[str], int]:
    """(SVG elements, height) of the legend table: one row per series, full names wrapped."""
    out = [f'<text x="40" y="{LEGEND_TOP - 14}" font-weight="bold" fill="#333333">'
           f"{_text(zh.CHART_LEGEND)}</text>"]
    y = LEGEND_TOP
    for row_start in range(0, len(lines), LEGEND_COLUMNS):
        row_height = LEGEND_LINE
        for column, index in enumerate(range(row_start, min(row_start + LEGEND_COLUMNS, len(lines)))):
            model, pts = lines[index]
            color, dash, shape = _style(index)
            x = 40 + column * LEGEND_COLUMN_WIDTH
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{color}" '
                       f'stroke-width="2.5"{dash}/>')
            out.append(_marker(shape, x + 12, y, color))
            wrapped = wrap_name(model)
            wrapped[-1] += f" ({value_of_last(pts)})"
            spans = "".join(
                f'<tspan x="{x + 32}" dy="{0 if n == 0 else LEGEND_LINE}">{_text(part)}</tspan>'
                for n, part in enumerate(wrapped))
            out.append(f'<text x="{x + 32}" y="{y}" dominant-baseline="middle">{spans}</text>')
            row_height = max(row_height, LEGEND_LINE * len(wrapped))
        y += row_height + LEGEND_GAP
    return out, y - LEGEND_TOP


def _style(index: int) -> tuple[str, str, str]:
    """(colour, dash attribute, marker shape) of the index-th series."""
    dash = ' stroke-dasharray="6 3"' if index >= len(PALETTE) else ""
    return PALETTE[index % len(PALETTE)], dash, SHAPES[index % len(SHAPES)]


def _line_chart(series: Sequence[Series], *, title: str, y_label: str,
                pick: Callable[[Point], object], invert: bool, versions: Sequence[object],
                method_changes: Sequence[object], bands: int) -> str:
    def ci(point: Point, k: int) -> float | None:
        return None if len(point) <= k or is_missing(point[k]) else float(point[k])

    # (day, value, ci_plus, ci_minus) per point, oldest first.
    lines = [(str(model), sorted(((as_date(p[0]), float(pick(p)), ci(p, 3), ci(p, 4))
                                  for p in points if not is_missing(pick(p))), key=lambda q: q[0]))
             for model, points in series]
    lines = [(model, pts) for model, pts in lines if pts]

    header = [
        f"<title>{_text(title)}</title>",
        # An explicit background keeps the chart readable in dark themes.
        f'<text x="{LEFT}" y="30" font-size="18" font-weight="bold">{_text(title)}</text>',
    ]
    if not lines:
        height = 540
        body = [f'<text x="{WIDTH // 2}" y="{height // 2}" text-anchor="middle" '
                f'fill="#666666">{_text(zh.CHART_EMPTY)}</text>']
        return _svg(title, height, header, body)

    days = sorted({as_date(v) for v in versions} | {p[0] for _, pts in lines for p in pts})
    first, last = days[0], days[-1]
    span_days = (last - first).days

    def x_of(day: date) -> float:
        if span_days == 0:
            return (LEFT + RIGHT) / 2
        return LEFT + (day - first).days / span_days * (RIGHT - LEFT)

    band_lines = [(model, pts) for model, pts in lines[:bands]
                  if all(p[2] is not None and p[3] is not None for p in pts)]
    extent = [p[1] for _, pts in lines for p in pts]
    extent += [p[1] + p[2] for _, pts in band_lines for p in pts]
    extent += [p[1] - p[3] for _, pts in band_lines for p in pts]
    if invert:
        extent = [min(value, max(RANK_AXIS_MIN, *(pts[-1][1] for _, pts in lines))) for value in extent]
    top_value, bottom_value, y_ticks = _y_axis(extent, invert)
    off_scale = invert and any(p[1] > bottom_value for _, pts in lines for p in pts)

    def y_of(value: float) -> float:
        if invert:
            value = min(value, bottom_value)  # below the rank axis: on its bottom edge
        return TOP + (top_value - value) / (top_value - bottom_value) * (BOTTOM - TOP)

    body = [f'<text x="{LEFT}" y="54" fill="#666666">'
            f"{_text(zh.CHART_RANGE.format(start=first, end=last, count=len(days)))}</text>"]

    # Axes and grid: horizontal lines at round values, ticks on data versions only.
    body.append(f'<text x="{LEFT - 8}" y="{TOP - 14}" text-anchor="end" fill="#333333">'
                f"{_text(y_label)}</text>")
    for tick in y_ticks:
        y = _num(y_of(tick))
        body.append(f'<line x1="{LEFT}" y1="{y}" x2="{RIGHT}" y2="{y}" stroke="#e5e5e5"/>')
        body.append(f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle" '
                    f'fill="#333333">{fmt_int(tick)}</text>')
    body.append(f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="#333333"/>')
    body.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="#333333"/>')
    labelled = set(_x_labels(days, x_of))
    for day in days:
        x = _num(x_of(day))
        size = 6 if day in labelled else 3
        body.append(f'<line x1="{x}" y1="{BOTTOM}" x2="{x}" y2="{BOTTOM + size}" stroke="#333333"/>')
        if day in labelled:
            body.append(f'<text x="{x}" y="{BOTTOM + 20}" text-anchor="middle" fill="#333333">'
                        f"{day.isoformat()}</text>")
    body.append(f'<text x="{RIGHT}" y="{BOTTOM + 38}" text-anchor="end" fill="#666666">'
                f"{_text(zh.CHART_X_NOTE)}</text>")
    if off_scale:
        body.append(f'<text x="{LEFT}" y="{BOTTOM + 38}" fill="#666666">'
                    f"{_text(zh.CHART_RANK_OFF_SCALE.format(rank=fmt_int(bottom_value - 0.5)))}</text>")

    # Method changes: a dashed line and a label above the plot.
    for day in sorted({as_date(d) for d in method_changes}):
        if not first <= day <= last:
            continue
        x = x_of(day)
        anchor = "end" if x > RIGHT - 60 else "start" if x < LEFT + 60 else "middle"
        body.append(f'<line x1="{_num(x)}" y1="{TOP - 4}" x2="{_num(x)}" y2="{BOTTOM}" '
                    f'stroke="{METHOD_COLOR}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        body.append(f'<text x="{_num(x)}" y="{TOP - 10}" text-anchor="{anchor}" '
                    f'fill="{METHOD_COLOR}">{_text(zh.CHART_METHOD_CHANGE.format(date=day))}</text>')

    # CI bands first, so that every line and marker is drawn on top of them.
    for index, (model, pts) in enumerate(band_lines):
        color = _style(index)[0]
        if len(pts) == 1:
            day, value, plus, minus = pts[0]
            body.append(f'<rect x="{_num(x_of(day) - 5)}" y="{_num(y_of(value + plus))}" width="10" '
                        f'height="{_num(y_of(value - minus) - y_of(value + plus))}" fill="{color}" '
                        f'fill-opacity="0.18"><title>{_text(model)} 95% CI</title></rect>')
            continue
        upper = [f"{_num(x_of(d))},{_num(y_of(v + plus))}" for d, v, plus, _ in pts]
        lower = [f"{_num(x_of(d))},{_num(y_of(v - minus))}" for d, v, _, minus in reversed(pts)]
        body.append(f'<polygon points="{" ".join(upper + lower)}" fill="{color}" '
                    f'fill-opacity="0.15" stroke="none"><title>{_text(model)} 95% CI</title></polygon>')

    # One line per model with a marker on every data point; tied points spread apart.
    # Ranks are whole numbers: a group of ties must stay nearer its own rank than the next.
    offsets = _tie_offsets(lines, abs(y_of(2) - y_of(1)) if invert else math.inf)
    for index, (model, pts) in enumerate(lines):
        color, dash, shape = _style(index)
        coords = [(x_of(d), y_of(v) + offsets[(index, d)]) for d, v, *_ in pts]
        body.append(f"<g><title>{_text(model)}</title>")
        if len(coords) > 1:
            body.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} '
                        f'stroke-linejoin="round" points="{" ".join(f"{_num(x)},{_num(y)}" for x, y in coords)}"/>')
        body += [_marker(shape, x, y, color) for x, y in coords]
        # A point below the rank axis: on its bottom edge, with its rank above it.
        body += [f'<text x="{_num(x)}" y="{_num(y - 9)}" text-anchor="middle" font-weight="bold" '
                 f'fill="{color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{fmt_int(v)}</text>'
                 for (x, y), (_, v, *_) in zip(coords, pts, strict=True) if off_scale and v > bottom_value]
        body.append("</g>")

    legend, legend_height = _legend(lines, lambda pts: fmt_int(pts[-1][1]))
    return _svg(title, LEGEND_TOP + legend_height + 12, header, body + legend)


def _svg(title: str, height: int, header: list[str], body: list[str]) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12" role="img" '
        f'aria-label="{_attr(title)}">',
        header[0],
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *header[1:],
        *body,
        "</svg>",
    ]
    return "\n".join(out) + "\n"
