"""A ``Drawing`` drawn as vector graphics on a reportlab canvas (lines, rectangles, paths, text; no images).

The drawing keeps its proportions: it is scaled uniformly to fit the box and centred in it. The drawing's
origin is its top-left corner with y downwards; a PDF page's is its bottom-left corner with y upwards, so every
y is flipped. Chinese, Japanese and Korean characters are set in ``cjk_font`` when one is given, the rest of
a text in ``font`` (or ``bold_font``); see ``font_runs``.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.cidfonts import CIDFont, UnicodeCIDFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.charts.common import has_cjk
from pitchlab.decks.charts.ir import Circle, Drawing, Line, Polyline, Rect, Shape, Text, Wedge

_MIN_SWEEP = 0.001
"""The narrowest pie slice drawn, in degrees (a thousandth of a degree is far below what a printer shows)."""


def _colour(value: str) -> Color:
    try:
        return HexColor(value)
    except (ValueError, TypeError):
        return HexColor("#000000")


def has_glyph(font_name: str, ch: str) -> bool:
    """Whether the registered font ``font_name`` can draw ``ch`` (a font reportlab does not know is trusted)."""
    try:
        font = pdfmetrics.getFont(font_name)
    except (KeyError, ValueError, AttributeError):
        return True
    if isinstance(font, CIDFont | UnicodeCIDFont):
        return True
    glyphs = getattr(getattr(font, "face", None), "charToGlyph", None)
    if isinstance(glyphs, dict):
        return ord(ch) in glyphs
    try:  # the standard Type 1 fonts (Helvetica, ...) draw the WinAnsi characters
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def font_runs(text: str, latin: str, cjk: str | None) -> list[tuple[str, str]]:
    """``text`` as (piece, font) runs: CJK characters in ``cjk`` when given, the rest in ``latin``.

    A character its font lacks is set in the other font when that has it (Latin letters inside Chinese text);
    one that neither font can draw (emoji, mostly) is left out, since an empty box would look broken.
    """
    runs: list[tuple[str, str]] = []
    for ch in text:
        if ch.isspace() and runs:
            runs[-1] = (runs[-1][0] + ch, runs[-1][1])
            continue
        primary, other = (cjk, latin) if cjk and has_cjk(ch) else (latin, cjk)
        if primary is not None and has_glyph(primary, ch):
            name = primary
        elif other is not None and has_glyph(other, ch):
            name = other
        else:
            continue
        if runs and runs[-1][1] == name:
            runs[-1] = (runs[-1][0] + ch, name)
        else:
            runs.append((ch, name))
    return runs


@dataclass(frozen=True)
class _Box:
    """Where the drawing lands on the page: its scale and the PDF position of its top-left corner."""

    scale: float
    left: float
    top: float

    def x(self, value: float) -> float:
        return self.left + value * self.scale

    def y(self, value: float) -> float:
        return self.top - value * self.scale


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    cjk: str | None


def draw_on_canvas(
    drawing: Drawing,
    canvas: Canvas,
    *,
    x: float,
    y: float,
    width: float,
    height: float,
    font: str = "Helvetica",
    bold_font: str = "Helvetica-Bold",
    cjk_font: str | None = None,
) -> None:
    """Draw ``drawing`` into the box whose bottom-left corner is (``x``, ``y``) in PDF points, fitted and centred."""
    if drawing.width <= 0 or drawing.height <= 0 or width <= 0 or height <= 0:
        return
    scale = min(width / drawing.width, height / drawing.height)
    box = _Box(scale, x + (width - drawing.width * scale) / 2, y + (height + drawing.height * scale) / 2)
    fonts = _Fonts(font, bold_font, cjk_font)
    canvas.saveState()
    frame = canvas.beginPath()
    frame.rect(box.left, box.y(drawing.height), drawing.width * scale, drawing.height * scale)
    canvas.clipPath(frame, stroke=0, fill=0)
    canvas.setLineJoin(1)
    canvas.setLineCap(1)
    for shape in drawing.shapes:
        canvas.saveState()
        _draw(canvas, shape, box, fonts)
        canvas.restoreState()
    canvas.restoreState()


def _stroke(canvas: Canvas, colour: str | None, width: float, dash: tuple[float, ...] = ()) -> int:
    """Set up the stroke; 1 when there is one to draw, else 0."""
    if not colour:
        return 0
    canvas.setStrokeColor(_colour(colour))
    canvas.setLineWidth(width)
    if dash:
        canvas.setDash(list(dash), 0)
    return 1


def _draw(canvas: Canvas, shape: Shape, box: _Box, fonts: _Fonts) -> None:
    k = box.scale
    if isinstance(shape, Rect):
        canvas.setFillColor(_colour(shape.fill))
        stroke = _stroke(canvas, shape.stroke, shape.stroke_width * k)
        if shape.opacity < 1:  # after the colours: setting a colour resets the alpha to the colour's own
            canvas.setFillAlpha(max(0.0, shape.opacity))
            canvas.setStrokeAlpha(max(0.0, shape.opacity))
        args = (box.x(shape.x), box.y(shape.y + shape.h), shape.w * k, shape.h * k)
        if shape.rx > 0:
            canvas.roundRect(*args, min(shape.rx, shape.w / 2, shape.h / 2) * k, stroke=stroke, fill=1)
        else:
            canvas.rect(*args, stroke=stroke, fill=1)
    elif isinstance(shape, Line):
        _stroke(canvas, shape.stroke, shape.width * k, tuple(d * k for d in shape.dash))
        canvas.line(box.x(shape.x1), box.y(shape.y1), box.x(shape.x2), box.y(shape.y2))
    elif isinstance(shape, Polyline):
        if len(shape.points) < 2:
            return
        _stroke(canvas, shape.stroke, shape.width * k, tuple(d * k for d in shape.dash))
        path = canvas.beginPath()
        (x0, y0), *rest = shape.points
        path.moveTo(box.x(x0), box.y(y0))
        for xi, yi in rest:
            path.lineTo(box.x(xi), box.y(yi))
        canvas.drawPath(path, stroke=1, fill=0)
    elif isinstance(shape, Circle):
        canvas.setFillColor(_colour(shape.fill))
        stroke = _stroke(canvas, shape.stroke, shape.stroke_width * k)
        canvas.circle(box.x(shape.cx), box.y(shape.cy), max(0.0, shape.r) * k, stroke=stroke, fill=1)
    elif isinstance(shape, Wedge):
        canvas.setFillColor(_colour(shape.fill))
        cx, cy, r = box.x(shape.cx), box.y(shape.cy), shape.r * k
        sweep = shape.end - shape.start
        if sweep >= 359.999:
            canvas.circle(cx, cy, r, stroke=0, fill=1)
        elif sweep >= _MIN_SWEEP:  # reportlab divides by the sweep's arc segments: a sliver of 1e-300° fails
            # The drawing's angles run clockwise from 12 o'clock; reportlab's counter-clockwise from 3 o'clock.
            canvas.wedge(cx - r, cy - r, cx + r, cy + r, 90 - shape.end, sweep, stroke=0, fill=1)
    else:
        _draw_text(canvas, shape, box, fonts)


def _draw_text(canvas: Canvas, shape: Text, box: _Box, fonts: _Fonts) -> None:
    size = shape.size * box.scale
    runs = font_runs(shape.text, fonts.bold if shape.bold else fonts.regular, fonts.cjk)
    if not runs:
        return
    canvas.setFillColor(_colour(shape.fill))
    x, y = box.x(shape.x), box.y(shape.y)
    if len(runs) == 1:
        piece, name = runs[0]
        canvas.setFont(name, size)
        if shape.anchor == "middle":
            canvas.drawCentredString(x, y, piece)
        elif shape.anchor == "end":
            canvas.drawRightString(x, y, piece)
        else:
            canvas.drawString(x, y, piece)
        return
    widths = [canvas.stringWidth(piece, name, size) for piece, name in runs]
    total = sum(widths)
    x -= total if shape.anchor == "end" else total / 2 if shape.anchor == "middle" else 0.0
    for (piece, name), piece_width in zip(runs, widths, strict=True):
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += piece_width
