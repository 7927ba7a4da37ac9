"""Native PowerPoint charts of a pitch: real chart parts whose data opens in the office suite ("Edit data").

``native_chart`` reads what a chart shows from the canvas (``chart_data``, pure); ``draw_native_chart`` draws it
in a place on a slide with the deck's look: python-pptx writes each chart's data into the workbook it embeds
(XlsxWriter), series take the brand's colours, the startup the highlight colour, projections a dashed line. The
confusion matrix and the risk heat map (and funds a doughnut cannot hold) are tables with filled cells
(``chart_tables``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.chart.datalabel import DataLabels
from pptx.dml.line import LineFormat
from pptx.enum.chart import XL_CHART_TYPE, XL_DATA_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.text.text import TextFrame
from pptx.util import Pt

from pitchlab.decks.charts.common import fit_text, mix, on_colour
from pitchlab.decks.pdf_text import Piece
from pitchlab.decks.powerpoint.base import CJK_FONT, Frame, Look, fitted_paras, rgb, set_fonts, text_box
from pitchlab.decks.powerpoint.chart_data import (
    BarChart,
    DoughnutChart,
    LineChart,
    NativeChart,
    Panel,
    ScatterChart,
    Series,
    TableChart,
    competition_chart,
    confusion_table,
    funds_chart,
    market_chart,
    performance_chart,
    risks_table,
    traction_chart,
)
from pitchlab.decks.powerpoint.chart_tables import caption, draw_table, paint
from pitchlab.decks.slides import Deck
from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.read_model import CanvasView, as_view

__all__ = ["NativeChart", "draw_native_chart", "native_chart", "native_charts"]

DENSE = 40  # categories past which a line's points are drawn without markers (they would blur the line)
TITLE_SIZE, TEXT_SIZE = 13.0, 10.0

_READERS: dict[str, Callable[[CanvasView, str, str], NativeChart | None]] = {
    "traction": lambda canvas, lang, company: traction_chart(canvas, lang),
    "market": lambda canvas, lang, company: market_chart(canvas, lang),
    "competition": competition_chart,
    "performance": lambda canvas, lang, company: performance_chart(canvas, lang),
    "risks": lambda canvas, lang, company: risks_table(canvas, lang),
    "funds": lambda canvas, lang, company: funds_chart(canvas, lang),
    "confusion": lambda canvas, lang, company: confusion_table(canvas, lang),
}


def native_chart(kind: str, canvas: CanvasView | Canvas, *, lang: str, company: str) -> NativeChart | None:
    """What the ``kind`` chart of ``canvas`` shows (``charts.build.ALL_CHART_KINDS``), or None with nothing to
    show (or for an unknown kind); ``company`` names the startup the competition chart highlights."""
    reader = _READERS.get(kind)
    return None if reader is None else reader(as_view(canvas), lang, company)


def native_charts(deck: Deck, canvas: CanvasView | Canvas) -> dict[str, NativeChart]:
    kinds = {block.chart for slide in deck.slides for block in slide.blocks if block.kind == "chart" and block.chart}
    found = {kind: native_chart(kind, canvas, lang=deck.lang, company=deck.company) for kind in sorted(kinds)}
    return {kind: chart for kind, chart in found.items() if chart is not None}


def draw_native_chart(shapes: SlideShapes, chart: NativeChart, frame: Frame, look: Look) -> None:
    """Draw ``chart`` in ``frame`` on a slide: one or more chart parts, or a table, and any caption under it."""
    lines = () if isinstance(chart, LineChart | ScatterChart | DoughnutChart) else chart.caption
    area = caption(shapes, lines, frame, look)
    if isinstance(chart, TableChart):
        draw_table(shapes, chart, area, look)
    elif isinstance(chart, LineChart):
        for place, panel in zip(_panels(area, len(chart.panels)), chart.panels, strict=True):
            _category_chart(shapes, XL_CHART_TYPE.LINE_MARKERS, panel, place, look)
    elif isinstance(chart, BarChart):
        _bar_chart(shapes, chart, area, look)
    elif isinstance(chart, ScatterChart):
        _scatter(shapes, chart, _competition_notes(shapes, chart, area, look), look)
    else:
        _category_chart(shapes, XL_CHART_TYPE.DOUGHNUT, chart.panel, area, look)


def _competition_notes(shapes: SlideShapes, chart: ScatterChart, frame: Frame, look: Look) -> Frame:
    """Each company's strengths and weaknesses as text beside the map (as the PDF's map lists them), editable;
    the frame left for the map."""
    if not chart.notes or frame.w < 360:
        return frame
    side = min(300.0, frame.w * 0.38)
    theme = look.theme
    pieces: list[Piece] = []
    for name, strengths, weaknesses in chart.notes:
        pieces.append(Piece(name, bold=True, max_lines=2, gap=0.2, color=theme.ink))
        pieces += [Piece(text, scale=0.86, gap=0.2, color=theme.muted) for text in (strengths, weaknesses) if text]
        pieces[-1] = replace(pieces[-1], gap=0.8)
    place = Frame(frame.x + frame.w - side, frame.y, side, frame.h)
    text_box(shapes, place, fitted_paras(pieces, place, look, start=12, floor=7), look, name="Strengths and weaknesses")
    return Frame(frame.x, frame.y, frame.w - side - 16, frame.h)


# --- places -------------------------------------------------------------------------------------------------------


def _stacked(frame: Frame, count: int, gap: float = 8.0) -> list[Frame]:
    height = (frame.h - gap * (count - 1)) / max(count, 1)
    return [Frame(frame.x, frame.y + i * (height + gap), frame.w, max(height, 1.0)) for i in range(count)]


def _panels(frame: Frame, count: int, gap: float = 24.0) -> list[Frame]:
    """Panels side by side where each keeps a readable width (as the PDF's traction panels), else stacked."""
    if count < 2 or (frame.w - gap * (count - 1)) / count < 280:
        return _stacked(frame, count)
    width = (frame.w - gap * (count - 1)) / count
    return [Frame(frame.x + i * (width + gap), frame.y, width, frame.h) for i in range(count)]


def _bar_chart(shapes: SlideShapes, chart: BarChart, frame: Frame, look: Look) -> None:
    panels = chart.panels
    if not chart.side_by_side or len(panels) == 1:
        for place, panel in zip(_stacked(frame, len(panels)), panels, strict=True):
            _category_chart(shapes, XL_CHART_TYPE.COLUMN_CLUSTERED, panel, place, look)
        return
    # Performance: the scores (the first panel) on the left, each other measure stacked on the right, as the PDF.
    gap = 16.0
    left_w = (frame.w - gap) * 0.58
    left = Frame(frame.x, frame.y, left_w, frame.h)
    right = Frame(frame.x + left_w + gap, frame.y, frame.w - left_w - gap, frame.h)
    _category_chart(shapes, XL_CHART_TYPE.COLUMN_CLUSTERED, panels[0], left, look)
    for place, panel in zip(_stacked(right, len(panels) - 1), panels[1:], strict=True):
        _category_chart(shapes, XL_CHART_TYPE.BAR_CLUSTERED, panel, place, look)


# --- chart parts --------------------------------------------------------------------------------------------------


def _no_fill() -> etree._Element:
    """A chart element's shape properties: no fill, no outline."""
    sp_pr = etree.Element(qn("c:spPr"))
    etree.SubElement(sp_pr, qn("a:noFill"))
    etree.SubElement(etree.SubElement(sp_pr, qn("a:ln")), qn("a:noFill"))
    return sp_pr


def _style(chart: Chart, title: str, look: Look, width: float) -> None:
    """A transparent chart in the deck's body font (the CJK face for East Asian text) and muted text colour,
    with ``title`` in the heading font."""
    theme = look.theme
    chart.font.size = Pt(TEXT_SIZE)
    chart.font.name = look.body_font
    chart.font.color.rgb = rgb(theme.muted)
    def_rpr = chart._chartSpace.txPr.find(".//" + qn("a:defRPr"))
    latin = def_rpr.find(qn("a:latin"))
    ea = etree.Element(qn("a:ea"))
    ea.set("typeface", CJK_FONT)
    latin.addnext(ea)
    space = chart._chartSpace
    space.find(qn("c:chart")).addnext(_no_fill())  # the chart's own background: none (the slide shows through)
    space.find(qn("c:chart")).find(qn("c:plotArea")).append(_no_fill())
    chart.has_title = bool(title)
    if title:
        _title(chart.chart_title.text_frame, title, TITLE_SIZE, look, 2 * width)
        chart.chart_title.include_in_layout = False


def _title(frame: TextFrame, text: str, size: float, look: Look, room: float) -> None:
    """A chart's or an axis's title: ``text`` (cut with "…" to ``room`` points of line) bold in the ink colour,
    the East Asian font on CJK text."""
    frame.text = fit_text(text, size, room) or text[:1]
    run = frame.paragraphs[0].runs[0]
    run.font.size = Pt(size)
    run.font.bold = True
    run.font.color.rgb = rgb(look.theme.ink)
    set_fonts(run, look, bold=True)


def _line(fmt: LineFormat, colour: str, width: float) -> None:
    fmt.color.rgb = rgb(colour)
    fmt.width = Pt(width)


def _legend(chart: Chart, shown: bool, position: XL_LEGEND_POSITION = XL_LEGEND_POSITION.BOTTOM) -> None:
    chart.has_legend = shown
    if shown:
        chart.legend.position = position
        chart.legend.include_in_layout = False


def _axes(chart: Chart, panel: Panel, look: Look) -> None:
    palette = look.theme.palette
    values = chart.value_axis
    values.has_major_gridlines = True
    _line(values.major_gridlines.format.line, palette.grid, 0.75)
    values.format.line.fill.background()
    values.tick_labels.number_format = panel.number_format
    values.tick_labels.number_format_is_linked = False
    if panel.axis_min is not None:
        values.minimum_scale = panel.axis_min
    if panel.axis_max is not None:
        values.maximum_scale = panel.axis_max
    _line(chart.category_axis.format.line, palette.muted, 1.0)


def _add_chart(shapes: SlideShapes, kind: XL_CHART_TYPE, frame: Frame, data: CategoryChartData | XyChartData) -> Chart:
    """A chart part holding ``data`` (python-pptx embeds it as a workbook) at ``frame``.

    python-pptx annotates ``add_chart`` as taking only category data and returning the chart, where it takes any
    chart data and returns the graphic frame that holds the chart.
    """
    size = (Pt(frame.x), Pt(frame.y), Pt(max(frame.w, 1.0)), Pt(max(frame.h, 1.0)))
    graphic: Any = shapes.add_chart(kind, *size, cast(Any, data))
    chart: Chart = graphic.chart
    return chart


def _category_chart(shapes: SlideShapes, kind: XL_CHART_TYPE, panel: Panel, frame: Frame, look: Look) -> None:
    data = CategoryChartData(number_format=panel.number_format)
    data.categories = list(panel.categories)
    for spec in panel.series:
        data.add_series(spec.name, list(spec.values))
    chart = _add_chart(shapes, kind, frame, data)
    _style(chart, panel.title, look, frame.w)
    palette = look.theme.palette
    plot = chart.plots[0]
    doughnut = kind == XL_CHART_TYPE.DOUGHNUT
    dense = len(panel.categories) > DENSE
    for series, spec in zip(plot.series, panel.series, strict=True):
        colour = paint(spec.paint, palette)
        if kind == XL_CHART_TYPE.LINE_MARKERS:
            series.smooth = False
            _line(series.format.line, colour, 2.0 if spec.dashed else 2.5)
            marker = series.marker
            marker.style = XL_MARKER_STYLE.NONE if dense else XL_MARKER_STYLE.CIRCLE
            marker.size = 5 if spec.dashed else 6
            marker.format.fill.solid()
            marker.format.fill.fore_color.rgb = rgb(palette.background if spec.dashed else colour)
            _line(marker.format.line, colour, 1.0)
            if spec.dashed:  # a projection, as the PDF draws it: dashed, hollow points
                series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            else:  # the last actual figure written above its point, as the PDF labels it
                _last_value(series, spec, colour)
        elif not doughnut:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb(colour)
        for index, point_paint in enumerate(spec.point_paints):
            if point_paint is None:
                continue
            point = series.points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(paint(point_paint, palette))
            if doughnut:
                _line(point.format.line, palette.background, 1.5)
    if doughnut:
        hole = plot._element.find(qn("c:holeSize"))
        if hole is not None:
            hole.set("val", "58")  # the PDF's hole
    else:
        _axes(chart, panel, look)
        if kind in (XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED):
            plot.gap_width = 60
            plot.overlap = -10
        if kind == XL_CHART_TYPE.BAR_CLUSTERED:  # the first row at the top, as it is read (and as the PDF lists)
            chart.category_axis.reverse_order = True
    if panel.label_format:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = panel.label_format
        labels.number_format_is_linked = False
        labels.show_value = True
        labels.font.size = Pt(TEXT_SIZE)
        labels.font.color.rgb = rgb(look.theme.ink)
        if not doughnut:
            labels.position = XL_DATA_LABEL_POSITION.OUTSIDE_END
        else:  # each slice's figure in the ink or the page colour, whichever reads on that slice
            for series, spec in zip(plot.series, panel.series, strict=True):
                for index, point_paint in enumerate(spec.point_paints):
                    if point_paint is not None:
                        fill = paint(point_paint, palette)
                        point_label = series.points[index].data_label
                        point_label.font.size = Pt(TEXT_SIZE)
                        point_label.font.color.rgb = rgb(on_colour(fill, palette))
    _legend(
        chart, doughnut or len(panel.series) > 1, XL_LEGEND_POSITION.RIGHT if doughnut else XL_LEGEND_POSITION.BOTTOM
    )


def _last_value(series: Any, spec: Series, colour: str) -> None:
    """A data label on the series' last figure (the one founders quote), in the series' colour, above it."""
    last = max((index for index, value in enumerate(spec.values) if value is not None), default=None)
    if last is None:
        return
    label = series.points[last].data_label  # written in the series' own number format (the panel's: 35K, 1.2M)
    label.position = XL_DATA_LABEL_POSITION.ABOVE
    label.font.size = Pt(TEXT_SIZE)
    label.font.bold = True
    label.font.color.rgb = rgb(colour)
    label.show_value = True


def _scatter(shapes: SlideShapes, chart_spec: ScatterChart, frame: Frame, look: Look) -> None:
    data = XyChartData()
    for point in chart_spec.points:
        data.add_series(point.name).add_data_point(point.x, point.y)
    chart = _add_chart(shapes, XL_CHART_TYPE.XY_SCATTER, frame, data)
    _style(chart, chart_spec.title, look, frame.w)
    palette = look.theme.palette
    for series, point in zip(chart.plots[0].series, chart_spec.points, strict=True):
        colour = palette.highlight if point.us else palette.accent
        series.format.line.fill.background()
        marker = series.marker
        marker.style = XL_MARKER_STYLE.CIRCLE
        marker.size = 16 if point.us else 10
        marker.format.fill.solid()
        marker.format.fill.fore_color.rgb = rgb(colour)
        _line(marker.format.line, palette.background, 1.5)
        # Each point is labelled with its company's name (the series' name, so an edit in the data renames it),
        # as on the PDF's map; a legend would repeat every label.
        labels = DataLabels(series._element.get_or_add_dLbls())
        labels.show_series_name = True
        labels.show_value = False
        labels.position = XL_DATA_LABEL_POSITION.RIGHT
        labels.font.size = Pt(TEXT_SIZE)
        labels.font.bold = point.us
        labels.font.color.rgb = rgb(look.theme.ink)
    _legend(chart, False)
    axes = ((chart.category_axis, chart_spec.x_title, frame.w), (chart.value_axis, chart_spec.y_title, frame.h))
    for axis, title, room in axes:
        axis.minimum_scale, axis.maximum_scale = chart_spec.low, chart_spec.high
        axis.major_unit = 5  # the gridlines at 5 are the quadrants' lines
        axis.has_major_gridlines = True
        _line(axis.major_gridlines.format.line, mix(palette.grid, palette.muted, 0.3), 0.75)
        _line(axis.format.line, palette.muted, 1.0)
        axis.has_title = bool(title)
        if title:
            _title(axis.axis_title.text_frame, title, TEXT_SIZE, look, room * 0.9)
