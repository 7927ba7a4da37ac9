"""Native PowerPoint charts: drawn on a slide, saved, read back with python-pptx, their data in the embedded workbook
(pure, no database, no office suite)."""

from __future__ import annotations

import copy
import io
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.enum.chart import XL_CHART_TYPE, XL_DATA_LABEL_POSITION
from pptx.oxml.ns import qn
from pptx.util import Pt

from pitchlab.decks.charts.build import ALL_CHART_KINDS
from pitchlab.decks.charts.build_risks import heat_colour
from pitchlab.decks.charts.common import mix, series_colour
from pitchlab.decks.powerpoint.base import CJK_FONT, Frame, Look
from pitchlab.decks.powerpoint.charts import draw_native_chart, native_chart
from pitchlab.decks.themes import theme_get
from pitchlab.pitches.canvas import empty_canvas

TEMPLATES = Path(__file__).resolve().parents[3] / "pitchlab" / "pitches" / "data" / "templates"
LOOK = Look(theme_get("light"), "en")
PALETTE = LOOK.theme.palette
FRAME = Frame(40, 100, 880, 380)
LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6


def template(name: str = "support_nlp") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def drawn(kind: str, canvas: dict[str, Any], *, lang: str = "en") -> list[Any]:
    """The shapes of a slide holding the ``kind`` chart of ``canvas``, after a save and a fresh read."""
    chart = native_chart(kind, canvas, lang=lang, company=str(canvas.get("name", "")))
    assert chart is not None
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(960), Pt(540)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    draw_native_chart(slide.shapes, chart, FRAME, Look(LOOK.theme, lang))
    buffer = io.BytesIO()
    prs.save(buffer)
    return list(Presentation(io.BytesIO(buffer.getvalue())).slides[0].shapes)


def charts_of(shapes: list[Any]) -> list[Chart]:
    return [shape.chart for shape in shapes if shape.has_chart]


def table_of(shapes: list[Any]) -> Any:
    (table,) = [shape.table for shape in shapes if shape.has_table]
    return table


def values(chart: Chart) -> dict[str, tuple[float | None, ...]]:
    return {series.name: tuple(series.values) for series in chart.plots[0].series}


def workbook(chart: Chart) -> bytes:
    """The chart's embedded workbook (the .xlsx that the office suite's "Edit data" opens)."""
    part: Any = chart.part
    blob: bytes = part.chart_workbook.xlsx_part.blob
    return blob


def workbook_numbers(chart: Chart) -> list[float]:
    """Every number in the chart's embedded workbook."""
    blob = workbook(chart)
    with zipfile.ZipFile(io.BytesIO(blob)) as xlsx:
        sheet = xlsx.read("xl/worksheets/sheet1.xml").decode()
    return [float(v) for v in re.findall(r"<c r=\"[A-Z]+\d+\"(?: s=\"\d+\")?><v>([^<]+)</v>", sheet)]


def workbook_strings(chart: Chart) -> list[str]:
    blob = workbook(chart)
    with zipfile.ZipFile(io.BytesIO(blob)) as xlsx:
        shared = xlsx.read("xl/sharedStrings.xml").decode()
    return re.findall(r"<t[^>]*>([^<]*)</t>", shared)


def fill_of(xml_owner: Any) -> str:
    return str(xml_owner.fill.fore_color.rgb).lower()


def with_traction(values_: list[float], metric: str = "users") -> dict[str, Any]:
    canvas = empty_canvas()
    canvas["data"]["traction"] = [
        {"period": f"{2000 + i // 12}-{i % 12 + 1:02d}", "metric": metric, "value": v, "unit": ""}
        for i, v in enumerate(values_)
    ]
    return canvas


# --- traction -----------------------------------------------------------------------------------------------------


def test_traction_draws_a_line_chart_per_panel_with_actuals_and_a_dashed_projection_from_the_last_point() -> None:
    canvas = template()
    charts = charts_of(drawn("traction", canvas))
    assert [c.chart_type for c in charts] == [XL_CHART_TYPE.LINE_MARKERS] * 2  # teams and MRR: different scales
    rows = canvas["data"]["traction"]
    for chart, metric in zip(charts, ("paying teams", "MRR"), strict=True):
        actual = [float(r["value"]) for r in rows if r["metric"] == metric]
        periods = [r["period"] for r in rows if r["metric"] == metric]
        (solid, projection) = chart.plots[0].series
        assert solid.name == metric
        assert projection.name.startswith(f"{metric} (projection")
        assert list(solid.values[: len(actual)]) == actual
        categories = list(chart.plots[0].categories)
        assert categories[: len(periods)] == periods
        assert len(categories) == len(periods) + 3
        projected = list(projection.values)
        assert projected[: len(actual) - 1] == [None] * (len(actual) - 1)
        assert projected[len(actual) - 1] == actual[-1]  # it continues from the last actual point
        assert all(v is not None and v > actual[-1] * 0.9 for v in projected[len(actual) :])
        assert projection._element.find(".//" + qn("a:prstDash")) is not None
        assert solid._element.find(".//" + qn("a:prstDash")) is None
        assert chart.has_legend
        assert sorted(actual) == sorted(n for n in workbook_numbers(chart) if n in actual)[: len(actual)]


def test_traction_writes_each_metrics_last_figure_above_its_point_in_the_series_colour() -> None:
    canvas = template()
    charts = charts_of(drawn("traction", canvas))
    for index, chart in enumerate(charts):
        solid, projection = chart.plots[0].series
        actual = [v for v in solid.values if v is not None]
        labelled = solid._element.findall(qn("c:dLbls") + "/" + qn("c:dLbl"))
        assert [int(d.find(qn("c:idx")).get("val")) for d in labelled] == [len(actual) - 1]  # the last figure only
        label = solid.points[len(actual) - 1].data_label
        assert label.position == XL_DATA_LABEL_POSITION.ABOVE
        assert str(label.font.color.rgb).lower() == series_colour(PALETTE, index).lstrip("#")
        assert "K" in solid._element.find(".//" + qn("c:formatCode")).text  # short figures, as on the axis
        assert projection._element.find(qn("c:dLbls")) is None  # projections stay unlabelled


def test_traction_series_take_the_brands_series_colours() -> None:
    charts = charts_of(drawn("traction", template()))
    for index, chart in enumerate(charts):
        solid = chart.plots[0].series[0]
        assert str(solid.format.line.color.rgb).lower() == series_colour(PALETTE, index).lstrip("#")


def test_traction_of_200_rows_is_a_valid_chart_of_200_points_and_a_projection() -> None:
    chart = charts_of(drawn("traction", with_traction([1000 + 7 * i for i in range(200)])))[0]
    solid, projection = chart.plots[0].series
    assert len(list(chart.plots[0].categories)) == 203
    assert [v for v in solid.values if v is not None] == [1000.0 + 7 * i for i in range(200)]
    assert len([v for v in projection.values if v is not None]) == 4
    assert len(workbook_numbers(chart)) >= 200


@pytest.mark.parametrize("points", [[5.0], [0.0, 0.0, 0.0], [-3.0, 0.0, -7.5], [1e15, 1e15]])
def test_traction_of_one_point_zeros_negatives_or_huge_numbers_is_a_valid_chart_of_those_values(
    points: list[float],
) -> None:
    chart = charts_of(drawn("traction", with_traction(points)))[0]
    solid = chart.plots[0].series[0]
    assert [v for v in solid.values if v is not None] == points
    for series in chart.plots[0].series:
        assert all(math.isfinite(v) for v in series.values if v is not None)
    if len(points) == 1:  # nothing to project from one point
        assert len(chart.plots[0].series) == 1
        assert not chart.has_legend


def test_chinese_traction_names_its_projection_in_chinese_with_the_east_asian_font() -> None:
    canvas = with_traction([10, 20, 30], metric="付费团队")
    shapes = drawn("traction", canvas, lang="zh")
    chart = charts_of(shapes)[0]
    names = [s.name for s in chart.plots[0].series]
    assert names[0] == "付费团队"
    assert names[1].startswith("付费团队（预测")
    title_run = chart.chart_title.text_frame.paragraphs[0].runs[0]
    assert title_run.text.startswith("付费团队")
    assert title_run._r.rPr.find(qn("a:ea")).get("typeface") == CJK_FONT
    default = chart._chartSpace.txPr.find(".//" + qn("a:defRPr"))
    assert default.find(qn("a:ea")).get("typeface") == CJK_FONT  # axis labels, legend: the CJK face too
    assert "付费团队" in workbook_strings(chart)


# --- market, competition, performance -------------------------------------------------------------------------


def test_market_is_a_column_chart_of_tam_sam_som_labelled_with_their_sums() -> None:
    canvas = template()
    shapes = drawn("market", canvas)
    (chart,) = charts_of(shapes)
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(chart.plots[0].categories) == ["TAM 2025", "SAM 2025", "SOM 2029"]
    market = canvas["data"]["market"]
    expected = tuple(float(market[level]["value"]) for level in ("tam", "sam", "som"))
    assert tuple(chart.plots[0].series[0].values) == expected
    assert chart.plots[0].has_data_labels
    assert "B" in chart.plots[0].data_labels.number_format
    assert set(expected) <= set(workbook_numbers(chart))
    caption = " ".join(s.text_frame.text for s in shapes if s.has_text_frame)
    assert "Market growth 22% per year" in caption
    assert "Source:" in caption


def test_a_chinese_market_counts_in_millions_whole_past_a_thousand_millions() -> None:
    (chart,) = charts_of(drawn("market", template(), lang="zh"))
    fmt = chart.plots[0].data_labels.number_format
    sections = fmt.split(";")
    assert sections[0].startswith("[>=1000000000]#,##0,,")  # 18,000 百万, not 18,000.0
    assert sections[1].startswith("[>=1000000]#,##0.0,,")
    assert all("百万" in section for section in sections[:2])
    assert chart.value_axis.tick_labels.number_format == fmt


def test_competition_is_a_scatter_of_named_companies_with_the_startup_highlighted_and_larger() -> None:
    canvas = template()
    (chart,) = charts_of(drawn("competition", canvas))
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER
    items = canvas["data"]["competitors"]["items"]
    series = {s.name: s for s in chart.plots[0].series}
    us_name = f"{canvas['name']} (us)"
    assert set(series) == {us_name} | {i["name"] for i in items if i["name"] != canvas["name"]}
    for item in items:
        name = us_name if item["name"] == canvas["name"] else item["name"]
        assert tuple(series[name].values) == (float(item["y"]),)
        x_values = series[name]._element.find(qn("c:xVal")).findall(".//" + qn("c:v"))
        assert [float(v.text) for v in x_values] == [float(item["x"])]
    us, other = series[us_name], next(s for name, s in series.items() if name != us_name)
    assert fill_of(us.marker.format) == PALETTE.highlight.lstrip("#")
    assert fill_of(other.marker.format) == PALETTE.accent.lstrip("#")
    assert us.marker.size > other.marker.size
    competitors = canvas["data"]["competitors"]
    assert chart.category_axis.axis_title.text_frame.text == competitors["x_axis"]
    assert chart.value_axis.axis_title.text_frame.text == competitors["y_axis"]


def test_performance_draws_scores_as_clustered_percent_columns_and_latency_as_its_own_bar_chart() -> None:
    canvas = template()
    scores, latency = charts_of(drawn("performance", canvas))
    assert scores.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert values(scores) == {"model": (0.91, 0.88, 0.95), "baseline": (0.78, 0.71, 0.82)}
    # Each metric names one bar: the category is the metric alone (the records beside the chart name the model).
    assert [str(c) for c in scores.plots[0].categories] == ["accuracy", "F1", "recall"]
    assert scores.value_axis.maximum_scale == 1.0
    assert "%" in scores.value_axis.tick_labels.number_format
    assert latency.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert values(latency) == {"model": (80.0,), "baseline": (1400.0,)}
    assert "lower is better" in latency.chart_title.text_frame.text
    assert {80.0, 1400.0} <= set(workbook_numbers(latency))


def test_two_bars_of_one_metric_are_told_apart_by_their_models() -> None:
    canvas = template()
    experiments = canvas["data"]["experiments"]
    twin = {**experiments[0], "model": "Second model", "value": 0.5}
    canvas["data"]["experiments"] = [experiments[0], twin]
    scores, *_ = charts_of(drawn("performance", canvas))
    categories = [str(c) for c in scores.plots[0].categories]
    assert len(set(categories)) == 2
    assert categories[0].startswith("accuracy · Lumen router v3")
    assert categories[1] == "accuracy · Second model"


@pytest.mark.parametrize("theme", ["light", "midnight"])
def test_each_doughnut_slices_figure_is_set_in_the_colour_that_reads_on_it(theme: str) -> None:
    from pitchlab.decks.charts.common import luminance

    look = Look(theme_get(theme), "en")
    chart = native_chart("funds", template(), lang="en", company="")
    assert chart is not None
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    draw_native_chart(slide.shapes, chart, FRAME, look)
    (drawn_chart,) = charts_of(list(slide.shapes))
    points = drawn_chart.plots[0].series[0].points
    count = len(template()["ask"]["use_of_funds"])
    for index in range(count):
        fill = "#" + fill_of(points[index].format)
        ink = "#" + str(points[index].data_label.font.color.rgb).lower()
        others = (look.theme.palette.ink, look.theme.palette.background)
        best = max(others, key=lambda colour: abs(luminance(colour) - luminance(fill)))
        assert ink == best.lower(), (theme, index, fill)


# --- use of funds -------------------------------------------------------------------------------------------------


def test_funds_is_a_doughnut_of_the_shares_a_palette_colour_per_slice() -> None:
    canvas = template()
    (chart,) = charts_of(drawn("funds", canvas))
    assert chart.chart_type == XL_CHART_TYPE.DOUGHNUT
    rows = canvas["ask"]["use_of_funds"]
    assert list(chart.plots[0].categories) == [r["label"] for r in rows]
    assert tuple(chart.plots[0].series[0].values) == tuple(float(r["percent"]) for r in rows)
    points = chart.plots[0].series[0].points
    assert [fill_of(points[i].format) for i in range(len(rows))] == [
        series_colour(PALETTE, i).lstrip("#") for i in range(len(rows))
    ]
    assert chart.has_legend
    assert "2.5M USD" in chart.chart_title.text_frame.text


def test_funds_under_100_percent_get_an_unallocated_slice() -> None:
    canvas = template()
    canvas["ask"]["use_of_funds"] = [{"label": "Hiring", "percent": 60}]
    (chart,) = charts_of(drawn("funds", canvas))
    assert list(chart.plots[0].categories) == ["Hiring", "unallocated"]
    assert tuple(chart.plots[0].series[0].values) == (60.0, 40.0)


@pytest.mark.parametrize("percents", [[70, -20, 50], [0, 0]])
def test_funds_a_doughnut_cannot_hold_become_a_table_of_the_lines(percents: list[float]) -> None:
    canvas = template()
    canvas["ask"]["use_of_funds"] = [{"label": f"line {i}", "percent": p} for i, p in enumerate(percents)]
    shapes = drawn("funds", canvas)
    assert charts_of(shapes) == []
    table = table_of(shapes)
    body = [[table.cell(r, c).text for c in range(2)] for r in range(1, len(percents) + 1)]
    assert body == [[f"line {i}", f"{p:g}%"] for i, p in enumerate(percents)]


# --- heat maps as tables -------------------------------------------------------------------------------------------


def test_confusion_matrix_is_a_table_of_counts_shaded_by_their_share_of_the_row() -> None:
    canvas = template()
    canvas["data"]["experiments"][0]["confusion"] = {
        "labels": ["billing", "bug", "access"],
        "matrix": [[50, 5, 0], [4, 30, 6], [0, 2, 40]],
    }
    table = table_of(drawn("confusion", canvas))
    assert [table.cell(0, c).text for c in range(1, 4)] == ["billing", "bug", "access"]
    assert [table.cell(r, 0).text for r in range(1, 4)] == ["billing", "bug", "access"]
    assert [table.cell(2, c).text for c in range(1, 4)] == ["4", "30", "6"]
    expected = mix(PALETTE.background, PALETTE.accent, 0.08 + 0.92 * 30 / 40).lstrip("#")
    assert fill_of(table.cell(2, 2)) == expected
    assert fill_of(table.cell(1, 3)) == mix(PALETTE.background, PALETTE.accent, 0.08).lstrip("#")


def test_risks_are_an_impact_by_likelihood_table_as_the_pdf_with_titles_in_heat_coloured_cells() -> None:
    canvas = template()
    table = table_of(drawn("risks", canvas))
    assert [table.cell(r, 0).text for r in range(1, 6)] == ["5", "4", "3", "2", "1"]  # impact, high first (up)
    assert [table.cell(0, c).text for c in range(1, 6)] == ["1", "2", "3", "4", "5"]  # likelihood, along
    assert table.cell(0, 0).text.startswith("impact")
    for risk in canvas["risks"]:
        cell = table.cell(6 - risk["impact"], risk["likelihood"])
        assert risk["title"] in cell.text.split("\n")
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            colour = heat_colour(likelihood * impact, PALETTE).lstrip("#")
            assert fill_of(table.cell(6 - impact, likelihood)) == colour


def test_a_crowded_risk_cell_lists_three_titles_and_how_many_more() -> None:
    canvas = template()
    canvas["risks"] = [{"title": f"risk {i}", "likelihood": 4, "impact": 4} for i in range(7)]
    table = table_of(drawn("risks", canvas))
    assert table.cell(2, 4).text.split("\n") == ["risk 0", "risk 1", "risk 2", "+4 more"]


# --- every chart, bad input -------------------------------------------------------------------------------------


def hostile() -> dict[str, Any]:
    """Long words, Chinese and emoji in every label, zeros, negatives and 1e15 in the figures."""
    canvas = copy.deepcopy(template())
    traction = canvas["data"]["traction"]
    for i, row in enumerate(traction):
        row["metric"] = f"{LONG} 🚀" if row["metric"] == "MRR" else "付费团队数量（按月统计）"
        row["value"] = [0, -5, 1e15][i % 3]
    canvas["data"]["market"]["tam"].update(value=1e15, source=LONG)
    canvas["data"]["market"]["som"]["value"] = 0
    canvas["data"]["competitors"]["x_axis"] = LONG
    canvas["data"]["competitors"]["items"][1]["name"] = "在公司自有工单类别上的准确率" * 5
    canvas["data"]["competitors"]["items"][2].update(x=-3, y=14)
    for row in canvas["data"]["experiments"]:
        row["model"] = LONG
        row["value"] = 0
    canvas["data"]["experiments"][0]["confusion"] = {"labels": ["空", LONG], "matrix": [[0, 0], [1e15, 3]]}
    for row in canvas["risks"]:
        row["title"] = f"{LONG} 数据隐私 🔥"
    canvas["ask"]["use_of_funds"] = [{"label": f"🔥{LONG}", "percent": 0}, {"label": "研发", "percent": 1e-9}]
    return canvas


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", ALL_CHART_KINDS)
def test_every_chart_of_hostile_data_saves_and_reads_back_with_finite_numbers_and_text_names(
    kind: str, lang: str
) -> None:
    shapes = drawn(kind, hostile(), lang=lang)
    charts = charts_of(shapes)
    assert charts or any(s.has_table for s in shapes)
    for chart in charts:
        for plot in chart.plots:
            assert all(isinstance(c, str) and c for c in plot.categories)
            for series in plot.series:
                assert isinstance(series.name, str)
                assert 0 < len(series.name) <= 255
                assert all(math.isfinite(v) for v in series.values if v is not None)
        assert zipfile.is_zipfile(io.BytesIO(workbook(chart)))
        assert workbook_numbers(chart)


def test_every_template_chart_is_drawn_with_its_data_in_an_embedded_workbook() -> None:
    for name in ("support_nlp", "medical_imaging"):
        canvas = template(name)
        for kind in ALL_CHART_KINDS:
            if native_chart(kind, canvas, lang="en", company=canvas["name"]) is None:
                continue
            for chart in charts_of(drawn(kind, canvas)):
                drawn_values = {v for s in chart.plots[0].series for v in s.values if v is not None}
                stored = workbook_numbers(chart)
                assert all(any(v == pytest.approx(n, rel=1e-12) for n in stored) for v in drawn_values), (name, kind)
                background = chart._chartSpace.find(qn("c:spPr"))
                assert background is not None
                assert background.find(qn("a:noFill")) is not None


def test_nothing_to_draw_and_unknown_kinds_give_no_chart() -> None:
    canvas = empty_canvas()
    assert all(native_chart(kind, canvas, lang="en", company="") is None for kind in ALL_CHART_KINDS)
    assert native_chart("weather", template(), lang="en", company="") is None
