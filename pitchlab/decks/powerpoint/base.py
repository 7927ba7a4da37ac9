"""What every part of the PowerPoint renderer shares: places on a slide, the deck's look, and text boxes (pure).

A slide is 960 × 540 points, the PDF's page, so the PDF's geometry (``pdf_base.Box``, y upwards from the foot)
becomes a ``Frame`` (y downwards from the top, as the .pptx counts). Text is measured with the PDF's own fitting
(``pdf_text.fit_text``/``fit_stack``, the same shipped fonts): a text box gets the size at which the PDF sets that
text and, when even the smallest size cannot hold it, the same cut with "…", so nothing reaches outside its box.
Every text box also asks the office suite to shrink its text on overflow (``normAutofit``), so a founder's later
edit stays inside too. Each run names the theme's font for Latin text and, when it holds Han (or other CJK)
characters, the East Asian font (``a:ea``), so PowerPoint and LibreOffice pick a CJK face for those characters
and keep the Latin ones in the brand's font.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape as AutoShape
from pptx.shapes.connector import Connector
from pptx.shapes.shapetree import SlideShapes
from pptx.text.text import TextFrame, _Run
from pptx.util import Pt

from pitchlab.decks.font_catalogue import font_family
from pitchlab.decks.fonts import drawable, has_cjk
from pitchlab.decks.pdf_base import Box
from pitchlab.decks.pdf_text import ELLIPSIS, FittedText, Piece, Stack, fit_stack, fit_text
from pitchlab.decks.themes import Theme

WIDTH, HEIGHT = 960.0, 540.0
CJK_FONT = "Droid Sans Fallback"  # the shipped CJK face (static/fonts/DroidSansFallbackFull.ttf)
Align = Literal["left", "center", "right"]
Anchor = Literal["top", "middle", "bottom"]
_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


@dataclass(frozen=True)
class Frame:
    """A place on a slide in points, from its top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @classmethod
    def of(cls, box: Box) -> Frame:
        """The PDF's ``box`` (y from the foot of the page) as a place on the slide."""
        return cls(box.x, HEIGHT - box.top, box.w, box.h)

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inset(self, pad: float) -> Frame:
        return Frame(self.x + pad, self.y + pad, max(0.0, self.w - 2 * pad), max(0.0, self.h - 2 * pad))


@dataclass(frozen=True)
class Look:
    """The deck's theme (colours, type scale) and the font names its text boxes declare."""

    theme: Theme
    lang: str = "en"

    @property
    def heading_font(self) -> str:
        return font_family(self.theme.heading_font).name

    @property
    def body_font(self) -> str:
        return font_family(self.theme.body_font).name


def rgb(color: str) -> RGBColor:
    """A theme colour ("#rrggbb", "#rgb") as python-pptx's colour."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return RGBColor(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


# What XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF): a .pptx holding
# one does not open. The canvas keeps what a founder typed; the file leaves these out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an Office file cannot hold; emoji and every other character kept."""
    return _NOT_XML.sub("", text)


def shown_text(text: str, fitted: FittedText) -> str:
    """What of ``text`` a box shows: all of it, or (``fitted.truncated``) as much as its lines hold, then "…".

    The box gets the text itself, not the PDF's broken lines, so that it reflows when the founder edits it; a
    character the PDF's fonts cannot draw (an emoji) stays: the office suite has fonts for it.
    """
    clean = xml_text(text).strip()
    if not fitted.truncated:
        return clean
    kept = sum(len("".join(line.split())) for line in fitted.lines) - sum(line.count(ELLIPSIS) for line in fitted.lines)
    count = 0
    for index, ch in enumerate(clean):
        if count >= kept:
            return clean[:index].rstrip() + ELLIPSIS
        if not ch.isspace() and drawable(ch):
            count += 1
    return clean


def set_fonts(run: _Run, look: Look, *, bold: bool) -> None:
    """The run's Latin font (the theme's heading or body family) and, with CJK in it, its East Asian font."""
    run.font.name = look.heading_font if bold else look.body_font
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    if has_cjk(run.text):
        latin = rpr.find(qn("a:latin"))
        ea = etree.SubElement(rpr, qn("a:ea"))
        ea.set("typeface", CJK_FONT)
        if latin is not None:  # the schema's order: latin, ea, cs
            latin.addnext(ea)


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box: its text at ``size`` points, and how it is set."""

    text: str
    size: float
    color: str
    bold: bool = False
    level: int = 0  # the outline level (a bullet's sub-point is 1)
    bullet: bool = False
    space_after: float = 0.0  # points
    align: Align = "left"
    link: str = ""
    leading: float = 1.25  # line height, as a multiple of the size (the PDF's)
    indent: float = 0.0  # points of left margin; a bullet hangs in it


def _bullet(paragraph_xml: etree._Element, color: str, indent: float) -> None:
    """A "•" bullet hanging ``indent`` points left of the text (python-pptx has no API for it)."""
    ppr = paragraph_xml.get_or_add_pPr()
    ppr.set("marL", str(int(Pt(indent))))
    ppr.set("indent", str(-int(Pt(indent * 0.8))))
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    clr = etree.SubElement(ppr, qn("a:buClr"))
    etree.SubElement(clr, qn("a:srgbClr")).set("val", str(rgb(color)))
    etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
    etree.SubElement(ppr, qn("a:buChar")).set("char", "▪")  # the PDF's square marker


def text_box(
    shapes: SlideShapes,
    frame: Frame,
    paragraphs: Sequence[Para],
    look: Look,
    *,
    anchor: Anchor = "top",
    name: str = "",
) -> AutoShape:
    """A text box at ``frame`` holding ``paragraphs``, no inset, wrapping, shrinking on overflow when edited."""
    box = shapes.add_textbox(Pt(frame.x), Pt(frame.y), Pt(max(frame.w, 1.0)), Pt(max(frame.h, 1.0)))
    if name:
        box.name = name
    fill_text(box.text_frame, paragraphs, look, anchor=anchor)
    return box


def fill_text(frame: TextFrame, paragraphs: Sequence[Para], look: Look, *, anchor: Anchor = "top") -> None:
    """Write ``paragraphs`` into a shape's text frame (a text box's or an autoshape's)."""
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Pt(0)
    frame.vertical_anchor = _ANCHOR[anchor]
    body = frame._txBody.bodyPr
    for old in list(body):
        body.remove(old)
    etree.SubElement(body, qn("a:normAutofit"))
    for index, para in enumerate(paragraphs or [Para("", 12, look.theme.ink)]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = _ALIGN[para.align]
        paragraph.level = max(0, min(para.level, 8))
        if para.space_after:
            paragraph.space_after = Pt(para.space_after)
        paragraph.line_spacing = Pt(round(para.size * para.leading, 1))
        if para.bullet:
            _bullet(paragraph._p, look.theme.accent, para.indent or 14 + 14 * para.level)
        elif para.indent:
            paragraph._p.get_or_add_pPr().set("marL", str(int(Pt(para.indent))))
        run = paragraph.add_run()
        run.text = xml_text(para.text)
        run.font.size = Pt(round(para.size * 2) / 2)
        run.font.bold = para.bold
        run.font.color.rgb = rgb(para.color)
        set_fonts(run, look, bold=para.bold)
        if para.link:
            run.hyperlink.address = para.link


def fitted_paras(
    pieces: Sequence[Piece],
    frame: Frame,
    look: Look,
    *,
    start: float,
    floor: float = 9.0,
    color: str = "",
) -> list[Para]:
    """``pieces`` (the PDF's stack of a heading, a paragraph, list items) as paragraphs, all set at the size the
    PDF's ``fit_stack`` finds for ``frame``, each cut with "…" where even the smallest size cannot hold it."""
    if not pieces:
        return []
    stack: Stack = fit_stack(pieces, frame.w, frame.h, start, floor)
    paras = []
    for piece, fitted in zip(pieces, stack.parts, strict=True):
        if not fitted.lines:
            continue
        paras.append(
            Para(
                shown_text(piece.text, fitted),
                fitted.size,
                piece.color or color or look.theme.ink,
                bold=piece.bold,
                bullet=piece.marker,
                level=1 if piece.indent > 20 else 0,
                space_after=piece.gap * stack.size,
            )
        )
    return paras


def fitted_para(
    text: str,
    frame: Frame,
    look: Look,
    *,
    start: float,
    floor: float,
    color: str,
    bold: bool = False,
    max_lines: int | None = None,
    leading: float = 1.25,
    align: Align = "left",
) -> Para:
    """``text`` as one paragraph at the largest size (from ``start`` down to ``floor``) at which the PDF fits it in
    ``frame``, cut with "…" below that."""
    fitted = fit_text(text, None, bold, frame.w, frame.h, start, floor, leading=leading, max_lines=max_lines)
    return Para(shown_text(text, fitted), fitted.size, color, bold=bold, align=align, leading=leading)


def unstyled(shape: AutoShape | Connector) -> None:
    """Drop the default template's shape style (a theme outline, shadow and font colour): every look is set."""
    for style in shape._element.findall(qn("p:style")):
        shape._element.remove(style)


def line(shapes: SlideShapes, x1: float, y1: float, x2: float, y2: float, color: str, width: float) -> Connector:
    """A straight hairline or rule from (x1, y1) to (x2, y2)."""
    from pptx.enum.shapes import MSO_CONNECTOR

    connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(x1), Pt(y1), Pt(x2), Pt(y2))
    unstyled(connector)
    connector.line.color.rgb = rgb(color)
    connector.line.width = Pt(width)
    return connector


def shape(
    shapes: SlideShapes,
    kind: MSO_SHAPE,
    frame: Frame,
    fill: str | None,
    *,
    outline: str | None = None,
    width: float = 1.0,
    name: str = "",
) -> AutoShape:
    """An autoshape at ``frame`` filled with ``fill`` (None: no fill), outlined in ``outline`` (None: none)."""
    made = shapes.add_shape(kind, Pt(frame.x), Pt(frame.y), Pt(max(frame.w, 0.5)), Pt(max(frame.h, 0.5)))
    unstyled(made)
    if fill is None:
        made.fill.background()
    else:
        made.fill.solid()
        made.fill.fore_color.rgb = rgb(fill)
    if outline is None:
        made.line.fill.background()
    else:
        made.line.color.rgb = rgb(outline)
        made.line.width = Pt(width)
    if name:
        made.name = name
    return made


def rectangle(shapes: SlideShapes, frame: Frame, fill: str, *, radius: float = 0.0, name: str = "") -> AutoShape:
    """A filled shape without an outline (a card, a band, a bar); rounded when ``radius``."""
    made = shape(shapes, MSO_SHAPE.ROUNDED_RECTANGLE if radius else MSO_SHAPE.RECTANGLE, frame, fill, name=name)
    if radius and frame.w and frame.h:
        made.adjustments[0] = min(0.5, radius / min(frame.w, frame.h))
    return made
