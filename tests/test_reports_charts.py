"""SVG charts: well-formed, text kept as text and escaped, rank axis inverted, deterministic,
and readable: full names, a marker on every point, ties spread apart, ticks on data versions,
method changes marked, CI bands on the score chart."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from arena_pipeline.reports.charts import (
    BAND_TOP,
    LEGEND_WRAP_UNITS,
    WIDTH,
    render_rank_chart,
    render_score_chart,
    wrap_name,
)

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Imagen-4.0-ultra-generate-preview-06-06-with-an-even-longer-suffix-for-wrapping-tests"
SERIES = [
    ("Leader", [(date(2025, 5, 1), 1400.0, 1, 5, 4), (date(2025, 6, 1), 1420.0, 1, 5, 5),
                ("2025-07-01", 1450.0, 1, 6, 6)]),
    ("Chaser <&> \"quoted\"", [(date(2025, 5, 1), 1350.0, 5, 7, 7), (date(2025, 7, 1), 1380.0, 3, 6, 6)]),
    ("Newcomer", [(date(2025, 7, 1), 1300.0, 9, 12, 12)]),
]
# Two series with the same values everywhere, and a long name.
TIED = [
    ("Twin A", [(date(2025, 7, 1), 1400.0, 2), (date(2025, 7, 5), 1401.0, 2)]),
    ("Twin B", [(date(2025, 7, 1), 1400.0, 2), (date(2025, 7, 5), 1401.0, 2)]),
    (LONG, [(date(2025, 7, 1), 1380.0, 4), (date(2025, 7, 5), 1381.0, 4)]),
    ("Fourth", [(date(2025, 7, 1), 1370.0, 5), (date(2025, 7, 5), 1371.0, 5)]),
]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def markers(svg: str, model: str) -> list[tuple[float, float]]:
    """(x, y) centres of the markers of one series, in drawing order."""
    root = ET.fromstring(svg)
    for group in root.iterfind(f"{SVG}g"):
        if group.find(f"{SVG}title").text != model:
            continue
        centres = []
        for shape in group:
            if shape.tag == f"{SVG}circle":
                centres.append((float(shape.get("cx")), float(shape.get("cy"))))
            elif shape.tag == f"{SVG}rect":
                centres.append((float(shape.get("x")) + 3.4, float(shape.get("y")) + 3.4))
            elif shape.tag == f"{SVG}polygon":
                xs, ys = zip(*(map(float, p.split(",")) for p in shape.get("points").split()), strict=True)
                centres.append(((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2))
        return centres
    raise AssertionError(f"no series for {model}")


def test_charts_are_valid_svg_with_names_and_dates_as_text():
    for svg in (render_score_chart(SERIES), render_rank_chart(SERIES)):
        words = " ".join(texts(svg))
        assert "Leader" in words and 'Chaser <&> "quoted"' in words and "Newcomer" in words
        assert "2025-05-01" in words and "2025-07-01" in words
        assert "<&>" not in svg  # escaped in the file, restored by the XML parser above


def test_score_axis_points_up_and_rank_axis_is_inverted():
    score = render_score_chart(SERIES)
    assert markers(score, "Leader")[-1][1] < markers(score, "Newcomer")[-1][1]  # 1450 above 1300
    rank = render_rank_chart(SERIES)
    assert markers(rank, "Leader")[-1][1] < markers(rank, "Newcomer")[-1][1]  # rank 1 above rank 9
    assert "当前前十名模型排名走势" in texts(rank)[0]


def test_every_point_has_a_marker_and_a_one_point_series_is_visible():
    for svg in (render_score_chart(SERIES), render_rank_chart(SERIES)):
        assert len(markers(svg, "Leader")) == 3
        assert len(markers(svg, "Newcomer")) == 1


def test_legend_shows_the_full_name_and_the_latest_value():
    svg = render_score_chart(TIED)
    assert "Twin A (1401)" in texts(svg)
    assert f"{LONG} (1381)".replace(" ", "") in [t.replace(" ", "") for t in texts(svg)]
    assert "Newcomer (9)" in texts(render_rank_chart(SERIES))
    assert "…" not in svg


def test_legend_rows_fit_in_the_canvas():
    root = ET.fromstring(render_rank_chart(TIED))
    height = float(root.get("height"))
    for span in root.iter(f"{SVG}tspan"):
        # A CJK character counts two units of ~7 px; the wrap width keeps each line inside.
        assert float(span.get("x")) + 7 * len(span.text) <= WIDTH
    last_text_y = max(float(t.get("y")) for t in root.iter(f"{SVG}text"))
    assert last_text_y < height


@pytest.mark.parametrize("name", [LONG, "短名", "深度求索" * 20, "a" * 200, "x y-z_w/v) " * 9])
def test_wrapped_names_keep_every_character_within_the_width(name):
    lines = wrap_name(name)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    for line in lines:
        assert sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in line) <= LEGEND_WRAP_UNITS


def test_tied_series_are_drawn_apart():
    for svg in (render_score_chart(TIED), render_rank_chart(TIED)):
        a, b = markers(svg, "Twin A"), markers(svg, "Twin B")
        assert all(ya != yb for (_, ya), (_, yb) in zip(a, b, strict=True))
        # ...but stay nearer their own value than the next series' value.
        assert all(abs(ya - yb) < abs(ya - yc) for (_, ya), (_, yb), (_, yc)
                   in zip(a, b, markers(svg, LONG), strict=True))


def x_labels(svg: str) -> list[str]:
    return [t for t in texts(svg) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t)]


def test_x_ticks_are_data_versions_only():
    versions = [date(2025, 5, 1), date(2025, 5, 20), date(2025, 6, 1), date(2025, 7, 1)]
    svg = render_score_chart(SERIES, versions=versions)
    labels = x_labels(svg)
    assert labels[0] == "2025-05-01" and labels[-1] == "2025-07-01"
    assert set(labels) <= {d.isoformat() for d in versions}
    # Without versions, the ticks are the days that have points.
    assert set(x_labels(render_rank_chart(SERIES))) <= {"2025-05-01", "2025-06-01", "2025-07-01"}


def test_many_versions_get_labels_that_do_not_overlap():
    versions = [date.fromordinal(date(2025, 1, 1).toordinal() + 2 * k) for k in range(45)]
    series = [("A", [(d, 1000.0 + k, 1) for k, d in enumerate(versions)])]
    root = ET.fromstring(render_score_chart(series, versions=versions))
    xs = sorted(float(t.get("x")) for t in root.iter(f"{SVG}text")
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.text or ""))
    assert 5 <= len(xs) < len(versions)
    assert all(b - a >= 70 for a, b in zip(xs, xs[1:], strict=False))
    assert versions[-1].isoformat() in x_labels(render_score_chart(series, versions=versions))


def test_method_changes_are_labelled_when_inside_the_window():
    svg = render_rank_chart(SERIES, method_changes=[date(2025, 6, 1), date(2024, 1, 1)])
    labels = [t for t in texts(svg) if t.startswith("方法变更")]
    assert labels == ["方法变更 2025-06-01"]
    assert render_rank_chart(SERIES).count("方法变更") == 0


def test_score_chart_shades_the_ci_of_the_top_models_only():
    series = SERIES + [(f"M{k}", [(date(2025, 7, 1), 1200.0 - k, 10 + k, 5, 5)]) for k in range(3)]
    root = ET.fromstring(render_score_chart(series))
    bands = [el.find(f"{SVG}title").text for el in root
             if el.tag in (f"{SVG}polygon", f"{SVG}rect") and el.find(f"{SVG}title") is not None]
    assert bands == [f"{model} 95% CI" for model, _ in series[:BAND_TOP]]
    assert "95% CI" not in render_rank_chart(series)


def test_output_is_deterministic():
    assert render_score_chart(SERIES) == render_score_chart([(m, list(p)) for m, p in SERIES])


def test_empty_chart_says_no_data():
    assert "暂无数据" in texts(render_score_chart([]))
    assert "暂无数据" in texts(render_rank_chart([("A", [])]))


def test_the_last_x_label_fits_in_the_canvas():
    # "2025-08-04" is ~70 px wide at 12 px, centred on the last data version: it was cut at the
    # right edge. Every label's half width fits on both sides.
    root = ET.fromstring(render_rank_chart(SERIES))
    for label in root.iter(f"{SVG}text"):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label.text or ""):
            assert label.get("text-anchor") == "middle"
            assert 38 <= float(label.get("x")) <= WIDTH - 38, label.text


def test_one_model_from_far_down_does_not_squeeze_the_rank_axis():
    # Nine models at ranks 1..9 and one that came from rank 18 to rank 3 (the text arena's
    # Qwen3-235B-A22B-Instruct-2507, 2025-07-27 -> 2025-08-04).
    days = [date(2025, 7, 16), date(2025, 7, 27), date(2025, 8, 4)]
    series = [(f"M{rank}", [(day, 1400.0 - rank, rank) for day in days]) for rank in range(1, 10)]
    series.append(("Climber", [(days[1], 1300.0, 18), (days[2], 1420.0, 3)]))
    svg = render_rank_chart(series)
    top, ninth = markers(svg, "M1")[0][1], markers(svg, "M9")[0][1]
    bottom_edge = max(y for _, y in markers(svg, "Climber"))
    # Ranks 1..9 span most of the plot (they had a fifth of it on an axis down to 20) ...
    assert (ninth - top) / (bottom_edge - top) > 0.75
    # ... and the point below the axis sits on its bottom edge, labelled with its rank.
    assert markers(svg, "Climber")[0][1] == bottom_edge > ninth
    words = texts(svg)
    assert "18" in words and "排在第 10 名之后的点画在底边，上方标出实际名次" in words
    # Nothing is below the axis when every rank fits: no note.
    assert not any("底边" in word for word in texts(render_rank_chart(series[:9])))
