"""SVG charts: well-formed, text kept as text and escaped, rank axis inverted, deterministic."""

import xml.etree.ElementTree as ET
from datetime import date

from arena_pipeline.reports.charts import render_rank_chart, render_score_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
SERIES = [
    ("Leader", [(date(2025, 5, 1), 1400.0, 1), (date(2025, 6, 1), 1420.0, 1),
                ("2025-07-01", 1450.0, 1)]),
    ("Chaser <&> \"quoted\"", [(date(2025, 5, 1), 1350.0, 5), (date(2025, 7, 1), 1380.0, 3)]),
    ("Newcomer", [(date(2025, 7, 1), 1300.0, 9)]),
]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def last_point_y(svg: str, model: str) -> float:
    root = ET.fromstring(svg)
    for group in root.iterfind("svg:g", NS):
        if group.find("svg:title", NS).text == model:
            return float(group.find("svg:circle", NS).get("cy"))
    raise AssertionError(f"no series for {model}")


def test_charts_are_valid_svg_with_names_and_dates_as_text():
    for svg in (render_score_chart(SERIES), render_rank_chart(SERIES)):
        words = " ".join(texts(svg))
        assert "Leader" in words and 'Chaser <&> "quoted"' in words and "Newcomer" in words
        assert "2025-05-01" in words and "2025-07-01" in words
        assert "<&>" not in svg  # escaped in the file, restored by the XML parser above


def test_score_axis_points_up_and_rank_axis_is_inverted():
    score = render_score_chart(SERIES)
    assert last_point_y(score, "Leader") < last_point_y(score, "Newcomer")  # 1450 above 1300
    rank = render_rank_chart(SERIES)
    assert last_point_y(rank, "Leader") < last_point_y(rank, "Newcomer")  # rank 1 above rank 9
    assert "当前前十名模型排名走势" in texts(rank)[0]


def test_legend_shows_the_latest_value():
    assert "Leader (1450)" in " ".join(texts(render_score_chart(SERIES)))
    assert "Newcomer (9)" in " ".join(texts(render_rank_chart(SERIES)))


def test_output_is_deterministic():
    assert render_score_chart(SERIES) == render_score_chart([(m, list(p)) for m, p in SERIES])


def test_empty_chart_says_no_data():
    assert "暂无数据" in texts(render_score_chart([]))
    assert "暂无数据" in texts(render_rank_chart([("A", [])]))
