"""Charts: canvas data → Drawing → SVG and PDF; data points land where the figures say (pure, no database)."""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.charts.build import CHART_KINDS, build_chart, build_confusion, chart_input
from pitchlab.decks.charts.ir import Circle, Drawing, Line, Palette, Rect, Text
from pitchlab.decks.charts.pdf import draw_on_canvas, font_runs
from pitchlab.decks.charts.svg import FONT_FAMILY, to_svg
from pitchlab.pitches.canvas import empty_canvas
from pitchlab.pitches.growth import Point, analyse

TEMPLATES = Path(__file__).resolve().parents[2] / "pitchlab" / "pitches" / "data" / "templates"
NS = "{http://www.w3.org/2000/svg}"
PALETTE = Palette()
LONG_WORD = ("Pneumonoultramicroscopicsilicovolcanoconiosis" * 2)[:60]
EMOJI = "🚀🔥✨"


# --- helpers ------------------------------------------------------------------------------------------------------


def template(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def support() -> dict[str, Any]:
    return template("support_nlp")


def built(kind: str, canvas: dict[str, Any], **options: Any) -> Drawing:
    drawing = build_chart(kind, canvas, palette=PALETTE, width=800, height=450, **options)
    assert drawing is not None
    return drawing


def svg_root(kind: str, canvas: dict[str, Any], **options: Any) -> ET.Element:
    return ET.fromstring(to_svg(built(kind, canvas, **options)))


def find(root: ET.Element, tag: str, **data: str) -> list[ET.Element]:
    """The ``tag`` elements whose data-* attributes include ``data`` (underscores become hyphens)."""
    return [
        el
        for el in root.iter(NS + tag)
        if all(el.get("data-" + key.replace("_", "-")) == value for key, value in data.items())
    ]


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(NS + "text")]


def f(el: ET.Element, name: str) -> float:
    return float(el.get(name, "nan"))


def estimated_width(text: str, size: float) -> float:
    """The brief's estimate: CJK and other wide characters (emoji) 1.0 × size, everything else 0.55 × size."""
    total = 0.0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        wide = unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF
        total += 1.0 if wide else 0.55
    return total * size


def assert_texts_inside(root: ET.Element) -> None:
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    for el in root.iter(NS + "text"):
        x, y, size = f(el, "x"), f(el, "y"), f(el, "font-size")
        w = estimated_width(el.text or "", size)
        anchor = el.get("text-anchor", "start")
        left = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        label = f"{el.text!r} at x={x}, y={y}, anchor={anchor}"
        assert 0 <= x <= width, label
        assert 0 <= y <= height, label
        assert left >= -0.01, label
        assert left + w <= width + 0.01, label
        assert y - 0.7 * size >= -0.01, label
        assert y + 0.2 * size <= height + 0.01, label


def traction_rows(values: Sequence[float], metric: str = "users", unit: str = "users") -> list[dict[str, Any]]:
    return [
        {"period": f"{2020 + i // 12}-{i % 12 + 1:02d}", "metric": metric, "value": v, "unit": unit}
        for i, v in enumerate(values)
    ]


def with_traction(rows: list[dict[str, Any]]) -> dict[str, Any]:
    canvas = empty_canvas()
    canvas["data"]["traction"] = rows
    return canvas


def wedge_sweep(d: str) -> float:
    """The sweep in degrees of an SVG pie-slice path "M cx cy L x1 y1 A r r 0 large 1 x2 y2 Z"."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    cx, cy, x1, y1, _r, _r2, _rot, large, _sweep, x2, y2 = numbers[:11]
    a1 = math.degrees(math.atan2(x1 - cx, cy - y1)) % 360
    a2 = math.degrees(math.atan2(x2 - cx, cy - y2)) % 360
    sweep = (a2 - a1) % 360
    assert (sweep > 180) == bool(large) or sweep == pytest.approx(180, abs=0.5)
    return sweep


def long_canvas() -> dict[str, Any]:
    """Every label is a 60-character word, emoji or Chinese."""
    canvas = support()
    for row in canvas["data"]["traction"]:
        row["metric"] = f"{LONG_WORD} {EMOJI}" if row["metric"] == "MRR" else "付费团队数量（按月统计的活跃付费客户）"
        row["unit"] = LONG_WORD
    canvas["data"]["market"]["tam"]["source"] = f"{LONG_WORD} {LONG_WORD} {EMOJI}"
    canvas["data"]["competitors"]["x_axis"] = LONG_WORD * 3
    canvas["data"]["competitors"]["y_axis"] = "在公司自有工单类别上的准确率" * 5
    items = canvas["data"]["competitors"]["items"]
    items += [
        {"name": f"{LONG_WORD}{i}", "x": x, "y": y} for i, (x, y) in enumerate([(0, 0), (10, 0), (0, 10), (10, 10)])
    ]
    items[0]["name"] = f"{EMOJI} {LONG_WORD}"
    for row in canvas["data"]["experiments"]:
        row["metric"] = LONG_WORD
    for row in canvas["risks"]:
        row["title"] = f"{LONG_WORD} {EMOJI} 数据隐私与安全"
    for row in canvas["ask"]["use_of_funds"]:
        row["label"] = f"{EMOJI}{LONG_WORD}{LONG_WORD}"
    return canvas


# --- every chart --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["support_nlp", "medical_imaging"])
@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_template_chart_builds_and_round_trips_to_accessible_svg_with_texts_inside(name: str, kind: str) -> None:
    canvas = template(name)
    drawing = built(kind, canvas, company=canvas["name"])
    svg = to_svg(drawing)
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    assert root.get("viewBox") == "0 0 800 450"
    assert root.get("role") == "img"
    assert root.get("aria-label") == drawing.title
    assert drawing.title
    assert root.findtext(NS + "title") == drawing.title
    assert root.get("font-family") == FONT_FAMILY
    assert len(list(root)) > len(drawing.shapes)  # every shape, plus <title>
    assert_texts_inside(root)


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_empty_canvas_has_nothing_to_draw_for_every_kind(kind: str) -> None:
    assert build_chart(kind, empty_canvas(), palette=PALETTE, width=800, height=450, lang="en") is None
    assert build_chart(kind, {}, palette=PALETTE, width=800, height=450, lang="en") is None


@pytest.mark.parametrize("kind", CHART_KINDS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sixty_character_words_emoji_and_chinese_labels_are_cut_to_fit_the_drawing(kind: str, lang: str) -> None:
    canvas = long_canvas()
    root = svg_root(kind, canvas, lang=lang, company=canvas["data"]["competitors"]["items"][0]["name"])
    assert_texts_inside(root)
    assert any("…" in t for t in texts(root)) or kind in ("performance",)


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_small_drawings_keep_their_texts_inside(kind: str) -> None:
    drawing = build_chart(kind, long_canvas(), palette=PALETTE, width=320, height=180, lang="en")
    assert drawing is not None
    assert_texts_inside(ET.fromstring(to_svg(drawing)))


def test_unknown_chart_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown chart kind"):
        build_chart("pie", support(), palette=PALETTE, width=800, height=450, lang="en")
    with pytest.raises(ValueError, match="Unknown chart kind"):
        chart_input("pie", support())


# --- traction -----------------------------------------------------------------------------------------------------


def test_traction_points_are_in_period_order_and_their_heights_proportional_to_values() -> None:
    values = [10.0, 20.0, 40.0, 35.0, 70.0]
    root = svg_root("traction", with_traction(traction_rows(values)))
    points = find(root, "circle", role="point")
    assert [p.get("data-value") for p in points] == ["10.0", "20.0", "40.0", "35.0", "70.0"]
    assert [p.get("data-period") for p in points] == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05"]
    xs, ys = [f(p, "cx") for p in points], [f(p, "cy") for p in points]
    assert xs == sorted(xs)
    assert len(set(xs)) == len(xs)
    assert ys[0] > ys[1] > ys[2] > ys[4]
    assert ys[3] > ys[2]
    per_unit = (ys[0] - ys[4]) / (values[4] - values[0])
    for v, y in zip(values, ys, strict=True):
        assert ys[0] - y == pytest.approx((v - values[0]) * per_unit, abs=0.02)
    zero_line = [el for el in find(root, "line") if el.get("y1") == el.get("y2")]
    zero_y = max(f(el, "y1") for el in zero_line)  # the axis starts at 0: the lowest grid line
    assert zero_y - ys[0] == pytest.approx(values[0] * per_unit, abs=0.05)


def test_traction_projection_is_dashed_continues_from_the_last_point_and_is_labelled_with_growths_rmse() -> None:
    values = [6, 9, 12, 16, 21, 27, 33, 40, 48, 57]
    root = svg_root("traction", with_traction(traction_rows(values, metric="paying teams", unit="teams")))
    report = analyse([Point(f"2020-{i + 1:02d}", v) for i, v in enumerate(values)], periods_ahead=3)
    label = report.projections[0].label
    assert label.startswith("projection (RMSE ")
    assert label in texts(root)
    (dashed,) = find(root, "polyline", role="projection")
    assert dashed.get("stroke-dasharray")
    vertices = [tuple(float(n) for n in pair.split(",")) for pair in (dashed.get("points") or "").split()]
    assert len(vertices) == 4
    last = find(root, "circle", role="point")[-1]
    assert vertices[0] == (f(last, "cx"), f(last, "cy"))
    projected = find(root, "circle", role="projected")
    assert [p.get("data-period") for p in projected] == [p.period for p in report.projections]
    assert all(f(p, "cx") > f(last, "cx") for p in projected)
    (solid,) = find(root, "polyline", role="actual")
    assert solid.get("stroke-dasharray") is None


def test_traction_projection_label_is_chinese_in_chinese() -> None:
    values = [6, 9, 12, 16, 21]
    root = svg_root("traction", with_traction(traction_rows(values)), lang="zh")
    rmse = re.search(r"RMSE (.+)\)", analyse([(str(i), v) for i, v in enumerate(values)]).projections[0].label)
    assert rmse is not None
    assert f"预测（RMSE {rmse.group(1)}）" in texts(root)
    assert "实际" in texts(root)


def test_traction_single_point_is_drawn_without_projection() -> None:
    root = svg_root("traction", with_traction(traction_rows([42])))
    (point,) = find(root, "circle", role="point")
    assert point.get("data-value") == "42"
    assert not find(root, "polyline", role="projection")
    assert not any("RMSE" in t for t in texts(root))


def test_traction_axis_includes_zero_and_negative_values() -> None:
    values = [-120.0, 0.0, 80.0, 200.0]
    root = svg_root("traction", with_traction(traction_rows(values, metric="net revenue", unit="EUR")))
    points = find(root, "circle", role="point")
    grid = [f(el, "y1") for el in find(root, "line") if el.get("y1") == el.get("y2")]
    for point in points:
        assert min(grid) - 0.01 <= f(point, "cy") <= max(grid) + 0.01
    assert "0" in texts(root)
    assert any(t.startswith("-") for t in texts(root))  # a negative tick
    assert f(points[0], "cy") > f(points[1], "cy") > f(points[2], "cy")


def test_traction_of_200_rows_thins_period_labels_so_they_do_not_overlap() -> None:
    values = [1000 + 10 * i for i in range(200)]
    root = svg_root("traction", with_traction(traction_rows(values)))
    assert len(find(root, "circle", role="point")) == 200
    labels = find(root, "text", role="period")
    assert 3 <= len(labels) <= 20
    boxes = sorted(
        (
            f(el, "x") - estimated_width(el.text or "", f(el, "font-size")) / 2,
            estimated_width(el.text or "", f(el, "font-size")),
        )
        for el in labels
    )
    for (left, width), (next_left, _) in itertools.pairwise(boxes):
        assert left + width <= next_left
    assert_texts_inside(root)


def test_traction_metrics_of_very_different_scales_never_share_an_axis() -> None:
    rows = traction_rows([6, 9, 12, 16], metric="paying teams", unit="teams")
    rows += traction_rows([2400, 3700, 5100, 7000], metric="MRR", unit="USD")
    drawing = built("traction", with_traction(rows))
    assert dict(drawing.meta)["panels"] == "2"
    root = ET.fromstring(to_svg(drawing))
    teams, mrr = (
        find(root, "circle", role="point", metric="paying teams"),
        find(root, "circle", role="point", metric="MRR"),
    )
    assert max(f(p, "cx") for p in teams) < min(f(p, "cx") for p in mrr)  # side by side, each with its own axis
    # Within its own panel the small metric spans a visible height, not a flat line at the bottom.
    assert f(teams[0], "cy") - f(teams[-1], "cy") > 100


def test_traction_metrics_of_the_same_unit_and_scale_share_one_panel() -> None:
    rows = traction_rows([100, 130, 170, 220], metric="DAU") + traction_rows([250, 320, 400, 520], metric="WAU")
    drawing = built("traction", with_traction(rows))
    assert dict(drawing.meta)["panels"] == "1"


# --- market -------------------------------------------------------------------------------------------------------


def test_market_circle_areas_are_proportional_to_the_values() -> None:
    root = svg_root("market", support())
    circles = {el.get("data-level"): f(el, "r") for el in find(root, "circle") if el.get("data-level")}
    assert set(circles) == {"TAM", "SAM", "SOM"}
    assert circles["TAM"] ** 2 / circles["SAM"] ** 2 == pytest.approx(18e9 / 2.4e9, rel=1e-3)
    assert circles["SAM"] ** 2 / circles["SOM"] ** 2 == pytest.approx(2.4e9 / 36e6, rel=1e-2)


def test_market_values_are_compact_with_currency_source_and_year() -> None:
    all_text = " ".join(texts(svg_root("market", support())))
    for value in ("18B USD", "2.4B USD", "36M USD"):
        assert value in all_text
    assert "Source: Worldwide spend" in all_text
    assert "2025" in all_text
    assert "2029" in all_text
    assert "22%" in all_text


def test_market_skips_missing_values_and_draws_som_larger_than_sam_honestly() -> None:
    canvas = support()
    canvas["data"]["market"]["tam"]["value"] = None
    canvas["data"]["market"]["som"]["value"] = 4.8e9
    root = svg_root("market", canvas)
    circles = {el.get("data-level"): f(el, "r") for el in find(root, "circle") if el.get("data-level")}
    assert set(circles) == {"SAM", "SOM"}
    assert circles["SOM"] ** 2 / circles["SAM"] ** 2 == pytest.approx(2.0, rel=1e-3)
    assert "TAM" not in texts(root)


# --- competition --------------------------------------------------------------------------------------------------


def plot_frame(root: ET.Element) -> tuple[float, float, float, float]:
    (frame,) = [el for el in find(root, "rect") if el.get("stroke") == PALETTE.grid]
    return f(frame, "x"), f(frame, "y"), f(frame, "width"), f(frame, "height")


def test_competition_startup_sits_at_its_scores_bigger_and_in_the_highlight_colour() -> None:
    root = svg_root("competition", support(), company="Lumen Support AI")
    x, y, w, h = plot_frame(root)
    (star,) = find(root, "circle", name="Lumen Support AI")
    assert (star.get("data-x"), star.get("data-y")) == ("9", "9")
    assert f(star, "cx") == pytest.approx(x + 0.9 * w, abs=0.01)
    assert f(star, "cy") == pytest.approx(y + h - 0.9 * h, abs=0.01)
    assert star.get("fill") == PALETTE.highlight
    (rival,) = find(root, "circle", name="In-house keyword rules")
    assert f(rival, "cx") == pytest.approx(x + 0.6 * w, abs=0.01)
    assert f(rival, "cy") == pytest.approx(y + h - 0.3 * h, abs=0.01)
    assert rival.get("fill") != PALETTE.highlight
    assert f(star, "r") > f(rival, "r")
    dashed = [el for el in find(root, "line") if el.get("stroke-dasharray")]
    assert sorted(round(f(el, "x1"), 1) for el in dashed if el.get("x1") == el.get("x2")) == [round(x + w / 2, 1)]


def test_competition_highlights_nobody_when_no_item_is_the_company() -> None:
    root = svg_root("competition", support(), company="Someone Else")
    assert all(el.get("fill") != PALETTE.highlight for el in find(root, "circle"))
    assert len([el for el in find(root, "circle") if el.get("data-name")]) == 4


def test_competition_labels_near_the_edges_stay_inside() -> None:
    canvas = empty_canvas()
    canvas["data"]["competitors"] = {
        "x_axis": "speed",
        "y_axis": "accuracy",
        "items": [
            {"name": f"Corner company {x}-{y} with a long name", "x": x, "y": y} for x in (0, 10) for y in (0, 10)
        ],
    }
    root = svg_root("competition", canvas, company="Corner company 10-10 with a long name")
    assert_texts_inside(root)
    assert len(find(root, "text")) >= 4 + 2


# --- performance --------------------------------------------------------------------------------------------------


def test_performance_score_bars_are_proportional_and_latency_is_kept_off_the_percent_axis() -> None:
    root = svg_root("performance", support())
    bars = [el for el in find(root, "rect") if el.get("data-series")]
    scores = [el for el in bars if el.get("data-metric") != "latency"]
    assert {(el.get("data-metric"), el.get("data-series")) for el in scores} == {
        (m, s) for m in ("accuracy", "F1", "recall") for s in ("model", "baseline")
    }
    per_unit = [f(el, "height") / float(el.get("data-value") or "nan") for el in scores]
    # height = value × one constant: one shared 0–100% axis (the SVG rounds lengths to 0.1, hence the tolerance)
    assert max(per_unit) - min(per_unit) < 0.5
    bottoms = [f(el, "y") + f(el, "height") for el in scores]
    assert max(bottoms) - min(bottoms) < 0.02  # all standing on the 0% line
    latency = {el.get("data-series"): el for el in bars if el.get("data-metric") == "latency"}
    assert latency["model"].get("data-value") == "80"
    assert latency["baseline"].get("data-value") == "1400"
    assert f(latency["baseline"], "width") > f(latency["model"], "width")  # horizontal, on its own scale
    all_text = texts(root)
    assert {"91%", "78%", "1,400 ms", "model", "baseline"} <= set(all_text)  # a time with its unit
    assert "80.0 ms · n = 2,000" in all_text  # the model's value, then its sample count
    assert not any(
        t.endswith("%") and len(t) > 4 and t[:-1].replace(".", "").isdigit() and float(t[:-1]) > 100 for t in all_text
    )
    assert any("lower is better" in t for t in all_text)


def test_performance_legend_is_chinese_in_chinese() -> None:
    assert {"模型", "基线"} <= set(texts(svg_root("performance", support(), lang="zh")))


def test_confusion_matrix_is_a_heatmap_of_counts_shaded_by_row_share() -> None:
    row = {
        "metric": "accuracy",
        "confusion": {"labels": ["billing", "bug", "access"], "matrix": [[50, 5, 0], [4, 30, 6], [0, 2, 40]]},
    }
    drawing = build_confusion(row, palette=PALETTE, width=800, height=450, lang="en")
    root = ET.fromstring(to_svg(drawing))
    cells = [el for el in find(root, "rect") if el.get("data-actual")]
    assert len(cells) == 9
    diagonal = find(root, "rect", actual="billing", predicted="billing")[0]
    empty = find(root, "rect", actual="billing", predicted="access")[0]
    assert diagonal.get("data-count") == "50"
    assert diagonal.get("fill") != empty.get("fill")
    assert {"50", "30", "40", "billing", "predicted"} <= set(texts(root))
    assert_texts_inside(root)
    with pytest.raises(ValueError, match="no confusion matrix"):
        build_confusion({"metric": "F1"}, palette=PALETTE, width=800, height=450, lang="en")


# --- risks --------------------------------------------------------------------------------------------------------


def test_risk_marker_sits_in_the_cell_of_its_likelihood_and_impact() -> None:
    canvas = empty_canvas()
    canvas["risks"] = [
        {"title": "Competition", "likelihood": 4, "impact": 4},
        {"title": "Runway", "likelihood": 2, "impact": 5},
        {"title": "Not yet scored", "likelihood": None, "impact": 3},
    ]
    root = svg_root("risks", canvas)
    for title, likelihood, impact in (("Competition", "4", "4"), ("Runway", "2", "5")):
        (marker,) = find(root, "circle", title=title)
        (cell,) = find(root, "rect", likelihood=likelihood, impact=impact)
        assert f(cell, "x") < f(marker, "cx") < f(cell, "x") + f(cell, "width")
        assert f(cell, "y") < f(marker, "cy") < f(cell, "y") + f(cell, "height")
    (low,) = find(root, "rect", likelihood="1", impact="1")
    (high,) = find(root, "rect", likelihood="5", impact="5")
    assert (low.get("fill"), high.get("fill")) == (PALETTE.heat[0], PALETTE.heat[-1])
    (column4,) = find(root, "rect", likelihood="4", impact="1")
    (row4,) = find(root, "rect", likelihood="1", impact="4")
    assert f(column4, "x") > f(low, "x")
    assert f(row4, "y") < f(low, "y")
    assert "1 not yet scored" in texts(root)


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


@pytest.mark.parametrize(
    "palette",
    [PALETTE, Palette(background="#0b1020", ink="#eef0f7", muted="#9ba4bb", grid="#252d45", accent="#8b93ff")],
    ids=["light", "dark"],
)
def test_risk_numbers_contrast_with_their_markers_in_light_and_dark_palettes(palette: Palette) -> None:
    drawing = build_chart("risks", support(), palette=palette, width=800, height=450, lang="en")
    assert drawing is not None
    root = ET.fromstring(to_svg(drawing))
    markers = find(root, "circle")
    numbers = [el for el in find(root, "text") if (el.text or "").isdigit() and el.get("text-anchor") == "middle"]
    checked = 0
    for text in numbers:
        under = [
            m for m in markers if abs(f(m, "cx") - f(text, "x")) < 0.01 and abs(f(m, "cy") - f(text, "y")) < f(m, "r")
        ]
        for marker in under:
            assert abs(luminance(text.get("fill") or "") - luminance(marker.get("fill") or "")) > 0.5
            checked += 1
    assert checked >= 2 * 13  # every risk's number, on the map and in the legend


def test_several_risks_in_one_cell_do_not_overlap_and_long_lists_are_cut() -> None:
    canvas = empty_canvas()
    canvas["risks"] = [{"title": f"Risk {i} {LONG_WORD}", "likelihood": 3, "impact": 3} for i in range(7)]
    canvas["risks"] += [{"title": f"Other {i}", "likelihood": 1 + i % 5, "impact": 1 + i // 5 % 5} for i in range(40)]
    root = svg_root("risks", canvas)
    markers = [m for m in find(root, "circle", likelihood="3", impact="3") if m.get("data-title")]
    assert len(markers) == 7 + 2  # "Other 12" and "Other 37" are in that cell too
    for i, a in enumerate(markers):
        for b in markers[i + 1 :]:
            distance = math.hypot(f(a, "cx") - f(b, "cx"), f(a, "cy") - f(b, "cy"))
            assert distance >= f(a, "r") + f(b, "r") - 0.01
    all_text = texts(root)
    assert any(t.startswith("Risk 0 Pneumono") and t.endswith("…") for t in all_text)
    assert any(re.fullmatch(r"\+\d+ more", t) for t in all_text)
    assert_texts_inside(root)


# --- funds --------------------------------------------------------------------------------------------------------


def test_funds_wedges_sweep_angles_proportional_to_percent() -> None:
    root = svg_root("funds", support())
    wedges = [el for el in find(root, "path") if el.get("data-percent")]
    assert [el.get("data-percent") for el in wedges] == ["45", "30", "10", "8", "7"]
    for el in wedges:
        assert wedge_sweep(el.get("d") or "") == pytest.approx(float(el.get("data-percent") or 0) * 3.6, abs=0.2)
    assert wedges[0].get("data-label") == "Engineering and machine learning (4 hires)"
    assert {"45%", "7%", "2.5M USD"} <= set(texts(root))


def test_funds_short_of_100_percent_shows_the_rest_as_unallocated() -> None:
    canvas = empty_canvas()
    canvas["ask"]["use_of_funds"] = [{"label": "Hiring", "percent": 60}, {"label": "Compute", "percent": 20}]
    root = svg_root("funds", canvas)
    (rest,) = find(root, "path", role="unallocated")
    assert wedge_sweep(rest.get("d") or "") == pytest.approx(72, abs=0.2)


# --- SVG ----------------------------------------------------------------------------------------------------------


def test_svg_escapes_markup_in_labels_and_keeps_chinese_as_text() -> None:
    canvas = support()
    canvas["data"]["competitors"]["items"][1]["name"] = "<script>alert('x')</script> & co"
    canvas["data"]["competitors"]["items"][2]["name"] = "企业级对话式 AI 平台"
    svg = to_svg(built("competition", canvas))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    assert "<script>alert('x')</script> & co" in texts(root)
    assert "企业级对话式 AI 平台" in texts(root)
    assert find(root, "circle", name="<script>alert('x')</script> & co")


def test_svg_is_deterministic_with_at_most_two_decimals_and_data_attributes() -> None:
    canvas = support()
    first, second = to_svg(built("traction", canvas)), to_svg(built("traction", copy.deepcopy(canvas)))
    assert first == second
    assert not re.search(r"\d\.\d{3,}", re.sub(r'data-[a-z-]+="[^"]*"|>[^<]*<', "", first))
    assert 'data-role="point"' in first
    assert 'data-period="2026-01"' in first
    assert 'text-anchor="end"' in first
    assert 'stroke-dasharray="' in first


# --- chart input --------------------------------------------------------------------------------------------------


def test_chart_input_holds_only_what_each_chart_depends_on() -> None:
    canvas = support()
    edited = copy.deepcopy(canvas)
    edited["story"]["purpose"] = "Something else entirely."
    edited["risks"][0]["mitigation"] = "A new plan."
    # (a competitor's strengths are drawn on the competition chart: tests/decks/test_competition.py)
    edited["data"]["experiments"][0]["dataset"] = "Another description."
    for kind in CHART_KINDS:
        assert chart_input(kind, canvas) == chart_input(kind, edited), kind
    edited["risks"][0]["likelihood"] = 5
    assert chart_input("risks", canvas) != chart_input("risks", edited)
    assert chart_input("traction", canvas) == chart_input("traction", edited)
    assert chart_input("competition", canvas, company="Lumen") != chart_input("competition", canvas)
    json.dumps([chart_input(kind, canvas) for kind in CHART_KINDS])


# --- PDF ----------------------------------------------------------------------------------------------------------


class RecordingCanvas(Canvas):  # type: ignore[misc]
    """A reportlab canvas that remembers the strings (with anchor and font) and circles it was asked for."""

    def __init__(self, buffer: BytesIO) -> None:
        super().__init__(buffer, pagesize=(842, 595))
        self.strings: list[tuple[str, float, float, str, str]] = []
        self.circles: list[tuple[float, float, float]] = []

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self.strings.append((text, x, y, "start", self._fontname))
        super().drawString(x, y, text, *args, **kwargs)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self.strings.append((text, x, y, "middle", self._fontname))
        super().drawCentredString(x, y, text, *args, **kwargs)

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self.strings.append((text, x, y, "end", self._fontname))
        super().drawRightString(x, y, text, *args, **kwargs)

    def circle(self, x_cen: float, y_cen: float, r: float, stroke: int = 1, fill: int = 0) -> None:
        self.circles.append((x_cen, y_cen, r))
        super().circle(x_cen, y_cen, r, stroke=stroke, fill=fill)


def cjk_font() -> str:
    """A registered TrueType font with Chinese glyphs (and no Latin ones), or skip."""
    for path in (
        Path(__file__).resolve().parents[2] / "static" / "fonts" / "DroidSansFallbackFull.ttf",
        Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    ):
        if path.exists():
            pdfmetrics.registerFont(TTFont("ChartsTestCJK", str(path)))
            return "ChartsTestCJK"
    pytest.skip("no Droid Sans Fallback font on this machine")


def test_draw_on_canvas_writes_a_vector_pdf_whose_text_pypdf_can_read() -> None:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(842, 595))
    for kind in ("traction", "competition"):
        draw_on_canvas(built(kind, support(), company="Lumen Support AI"), canvas, x=20, y=20, width=800, height=450)
        canvas.showPage()
    canvas.save()
    reader = PdfReader(BytesIO(buffer.getvalue()))
    first, second = (page.extract_text() for page in reader.pages)
    assert "paying teams" in first
    assert "projection (RMSE" in first
    assert "MRR" in first
    assert "Lumen Support AI" in second
    assert "In-house keyword rules" in second
    assert b"/XObject" not in buffer.getvalue()  # no images: vector shapes and text only


def test_draw_on_canvas_scales_uniformly_centres_and_flips_y() -> None:
    drawing = Drawing(
        kind="test",
        width=100,
        height=50,
        shapes=(
            Circle(50, 25, 10, fill="#ff0000"),
            Text(0, 10, "top left", anchor="start"),
            Text(100, 50, "end", anchor="end"),
        ),
    )
    canvas = RecordingCanvas(BytesIO())
    draw_on_canvas(drawing, canvas, x=10, y=20, width=400, height=400)
    # scale 4: 400 × 200, centred vertically in the 400-point box, so the drawing's top edge is at y = 20 + 300.
    assert canvas.circles == [(210, 220, 40)]
    assert ("top left", 10.0, 280.0, "start", "Helvetica") in canvas.strings
    assert ("end", 410.0, 120.0, "end", "Helvetica") in canvas.strings


def test_draw_on_canvas_honours_opacity_and_dash() -> None:
    drawing = Drawing(
        kind="test",
        width=100,
        height=50,
        shapes=(
            Rect(10, 10, 30, 20, fill="#123456", opacity=0.4),
            Line(0, 40, 100, 40, stroke="#000000", dash=(4, 2)),
        ),
    )
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 300), pageCompression=0)
    draw_on_canvas(drawing, canvas, x=0, y=0, width=200, height=200)
    canvas.save()
    page = PdfReader(BytesIO(buffer.getvalue())).pages[0]
    contents, resources = page.get_contents(), page["/Resources"].get_object()
    assert contents is not None
    assert isinstance(resources, DictionaryObject)
    content = contents.get_data().decode("latin-1")
    states = resources["/ExtGState"].get_object()
    assert isinstance(states, DictionaryObject)
    fill_alpha: dict[str, float] = {}
    for name, state in states.items():
        state = state.get_object()
        if isinstance(state, DictionaryObject) and "/ca" in state:
            fill_alpha[str(name)] = float(str(state["/ca"]))
    before_rect = content[: content.index(" re f")]
    fill_alphas = [fill_alpha[name] for name in re.findall(r"(/\w+) gs", before_rect) if name in fill_alpha]
    assert fill_alphas[-1] == pytest.approx(0.4)  # the last fill alpha set before the rectangle is filled
    assert "[8 4] 0 d" in content  # the dash, scaled by 2 like everything else


def test_draw_on_canvas_sets_chinese_in_the_cjk_font_and_latin_in_the_latin_font() -> None:
    cjk = cjk_font()
    canvas_data = support()
    canvas_data["data"]["competitors"]["items"][1]["name"] = "企业级对话式 AI 平台"
    for item in canvas_data["data"]["competitors"]["items"]:  # the map's labels alone (no notes panel repeating them)
        item.pop("strengths"), item.pop("weaknesses")
    recording = RecordingCanvas(BytesIO())
    drawing = built("competition", canvas_data, company="Lumen Support AI")
    draw_on_canvas(drawing, recording, x=0, y=0, width=800, height=450, cjk_font=cjk)
    fonts = {(text, font) for text, *_, font in recording.strings}
    assert {("企业级对话式 ", cjk), ("AI ", "Helvetica"), ("平台", cjk)} <= fonts
    assert ("Lumen Support AI (us)", "Helvetica-Bold") in fonts
    assert ("In-house keyword rules", "Helvetica") in fonts
    pieces = [s for s in recording.strings if s[0] in ("企业级对话式 ", "AI ", "平台")]
    assert [s[1] for s in pieces] == sorted(s[1] for s in pieces)  # one after the other, left to right
    assert len({s[2] for s in pieces}) == 1


def test_chinese_chart_pdf_keeps_chinese_and_numbers_readable() -> None:
    cjk = cjk_font()
    rows = traction_rows([6, 9, 12, 16, 21, 27], metric="付费团队", unit="个团队")
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(842, 595))
    draw_on_canvas(
        built("traction", with_traction(rows), lang="zh"), canvas, x=0, y=0, width=842, height=595, cjk_font=cjk
    )
    canvas.save()
    text = "".join(PdfReader(BytesIO(buffer.getvalue())).pages[0].extract_text().split())
    rmse = re.search(r"RMSE (.+)\)", analyse([(str(i), r["value"]) for i, r in enumerate(rows)]).projections[0].label)
    assert rmse is not None
    assert "付费团队" in text
    assert f"预测（RMSE{rmse.group(1)}）" in text


def test_font_runs_split_by_script_and_drop_what_no_font_can_draw() -> None:
    assert font_runs("MRR 🚀 up", "Helvetica", None) == [("MRR  up", "Helvetica")]
    # Fonts reportlab does not know are trusted to draw anything: CJK still goes to the CJK font.
    assert font_runs("付费 MRR", "UnknownSans", "UnknownCJK") == [("付费 ", "UnknownCJK"), ("MRR", "UnknownSans")]
    assert font_runs("预测（RMSE 2.8）", "Helvetica", "STSong-Light") == [
        ("预测（", "STSong-Light"),
        ("RMSE 2.8", "Helvetica"),
        ("）", "STSong-Light"),
    ]
