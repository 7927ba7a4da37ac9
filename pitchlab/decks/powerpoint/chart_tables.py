"""Charts drawn as tables (the confusion matrix, the risk heat map, funds a doughnut cannot hold), a chart's
caption, and the colours of ``chart_data.Paint`` roles in the deck's palette."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Pt

from pitchlab.decks.charts.build_risks import heat_colour
from pitchlab.decks.charts.common import mix, on_colour, series_colour, text_width
from pitchlab.decks.charts.ir import Palette
from pitchlab.decks.powerpoint.base import Frame, Look, fitted_para, rgb, set_fonts, text_box
from pitchlab.decks.powerpoint.chart_data import Cell, Paint, TableChart

CAPTION_SIZE = 9.5
TITLE_SIZE = 13.0
MAX_CAPTION_LINES = 4
_SIZES = (12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0)


def paint(colour: Paint, palette: Palette) -> str:
    """The ``colour`` role in ``palette`` as "#rrggbb"."""
    role = colour.role
    if role == "series":
        value = series_colour(palette, colour.index)
    elif role == "heat":
        value = heat_colour(min(25, max(1, colour.index)), palette)
    elif role == "share":  # the confusion matrix's shade of a count's share of its row, as the PDF's
        value = mix(palette.background, palette.accent, 0.08 + 0.92 * min(1.0, max(0.0, colour.share)))
    elif role == "baseline":
        value = mix(palette.muted, palette.background, 0.45)
    else:
        value = getattr(palette, role)
    return mix(value, palette.background, colour.lighten) if colour.lighten else value


def caption(shapes: SlideShapes, lines: Sequence[str], frame: Frame, look: Look) -> Frame:
    """``lines`` (at most four) in small muted text at the foot of ``frame``, each cut with "…" to one line;
    the part of ``frame`` left above them."""
    lines = [line for line in lines if line][:MAX_CAPTION_LINES]
    if not lines:
        return frame
    step = CAPTION_SIZE * 1.35
    height = min(frame.h / 3, step * len(lines))
    place = Frame(frame.x, frame.bottom - height, frame.w, height)
    one = Frame(place.x, place.y, place.w, step)
    paras = [
        fitted_para(line, one, look, start=CAPTION_SIZE, floor=CAPTION_SIZE, color=look.theme.muted, max_lines=1)
        for line in lines
    ]
    text_box(shapes, place, paras, look, anchor="bottom", name="Chart caption")
    return Frame(frame.x, frame.y, frame.w, max(1.0, frame.h - height - 4))


def _lines_needed(cell: Cell, size: float, width: float) -> int:
    return sum(max(1, math.ceil(text_width(line, size) / max(width, 1.0))) for line in cell.lines)


def _size(rows: Sequence[Sequence[Cell]], widths: Sequence[float], row_h: float) -> float:
    """The largest type size at which every cell's lines, wrapped to its column, fit the row's height."""
    for size in _SIZES:
        if all(
            _lines_needed(cell, size, width - 6) * size * 1.2 <= row_h - 2
            for row in rows
            for cell, width in zip(row, widths, strict=True)
        ):
            return size
    return _SIZES[-1]


def draw_table(shapes: SlideShapes, chart: TableChart, frame: Frame, look: Look) -> None:
    """The table's title over it, then the table filling the rest of ``frame``, every cell filled by its role."""
    palette = look.theme.palette
    title_h = min(TITLE_SIZE * 1.6, frame.h / 4)
    title_frame = Frame(frame.x, frame.y, frame.w, title_h)
    title = fitted_para(
        chart.title, title_frame, look, start=TITLE_SIZE, floor=9, color=look.theme.ink, bold=True, max_lines=1
    )
    text_box(shapes, title_frame, [title], look, name=f"{chart.kind} title")
    place = Frame(frame.x, frame.y + title_h, frame.w, max(1.0, frame.h - title_h))
    n_rows, n_cols = len(chart.rows), len(chart.rows[0])
    first = place.w * 0.5 if n_cols == 2 else min(place.w * 0.25, max(place.w / n_cols, 60.0))
    widths = [first] + [(place.w - first) / max(1, n_cols - 1)] * (n_cols - 1)
    row_h = place.h / n_rows
    graphic = shapes.add_table(n_rows, n_cols, Pt(place.x), Pt(place.y), Pt(place.w), Pt(place.h))
    graphic.name = f"{chart.kind} table"
    table = graphic.table
    table.first_row = table.horz_banding = False
    for index, width in enumerate(widths):
        table.columns[index].width = Pt(width)
    for row in table.rows:
        row.height = Pt(row_h)
    size = _size(chart.rows, widths, row_h)
    for r, cells in enumerate(chart.rows):
        for c, spec in enumerate(cells):
            cell = table.cell(r, c)
            fill = paint(spec.paint, palette)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.margin_left = cell.margin_right = Pt(3)
            cell.margin_top = cell.margin_bottom = Pt(1)
            frame_text = cell.text_frame
            frame_text.word_wrap = True
            ink = on_colour(fill, palette)
            for index, line in enumerate(spec.lines or ("",)):
                paragraph = frame_text.paragraphs[0] if index == 0 else frame_text.add_paragraph()
                paragraph.alignment = PP_ALIGN.LEFT if c == 0 and n_cols == 2 else PP_ALIGN.CENTER
                run = paragraph.add_run()
                run.text = line
                run.font.size = Pt(size)
                run.font.bold = spec.bold
                run.font.color.rgb = rgb(ink)
                set_fonts(run, look, bold=spec.bold)
