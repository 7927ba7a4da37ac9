"""A slide of the .pptx as the PDF draws its page: backdrop, title treatment, content, footer; the cover (pure).

Every position is the PDF's (``decks.pdf``): the title's box under the same treatment, the content area below it
(``pdf._content_area``), the footer's hairline, logo, company and "n / N". The content is drawn by ``blocks``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide

from pitchlab.decks.brand import relative_luminance
from pitchlab.decks.pdf import (
    CONTENT_BOTTOM,
    COVER_LOGO,
    COVER_PICTURES,
    FOOTER_LOGO,
    MARGIN,
    TITLE_TOP,
    _content_area,
    _title,
    _word,
)
from pitchlab.decks.pdf_base import block_word
from pitchlab.decks.pdf_layouts import caption_of, full_picture
from pitchlab.decks.pdf_text import fit_text
from pitchlab.decks.powerpoint.base import (
    HEIGHT,
    WIDTH,
    Frame,
    Look,
    Para,
    fitted_para,
    line,
    rectangle,
    rgb,
    shape,
    text_box,
)
from pitchlab.decks.powerpoint.charts import NativeChart
from pitchlab.decks.powerpoint.pictures import PictureStore, contained, place_picture, round_corners
from pitchlab.decks.slides import Deck, Slide


@dataclass
class Page:
    """One slide being drawn, and everything its drawers need."""

    target: PptxSlide
    deck: Deck
    slide: Slide
    number: int
    total: int
    look: Look
    charts: Mapping[str, NativeChart]
    pictures: PictureStore

    @property
    def shapes(self):  # type: ignore[no-untyped-def]
        return self.target.shapes

    def word(self, key: str, **values: object) -> str:
        """A word the blocks print (``pdf_base.block_word``), in the deck's language."""
        return block_word(self.deck.lang, key, **values)


def _label(look: Look, text: str) -> str:
    return text.upper() if look.theme.type.caps_labels else text


def alpha(shape: object, opacity: float) -> None:
    """Make a shape's solid fill translucent (python-pptx has no API for it)."""
    fill = shape._element.spPr.find(qn("a:solidFill"))  # type: ignore[attr-defined]
    color = fill[0] if fill is not None and len(fill) else None
    if color is not None:
        etree.SubElement(color, qn("a:alpha")).set("val", str(int(opacity * 100000)))


def _background(page: Page) -> None:
    """The slide's background colour and the theme's backdrop (an accent edge, a band under the footer)."""
    theme = page.look.theme
    fill = page.target.background.fill
    fill.solid()
    fill.fore_color.rgb = rgb(theme.background)
    if theme.backdrop == "edge":
        rectangle(page.shapes, Frame(0, 0, 10, HEIGHT), theme.accent, name="Edge")
    elif theme.backdrop == "foot_band":
        rectangle(page.shapes, Frame(0, HEIGHT - 50, WIDTH, 50), theme.surface, name="Foot band")


def _line(page: Page, x1: float, y1: float, x2: float, y2: float, color: str, width: float) -> None:
    line(page.shapes, x1, y1, x2, y2, color, width)


def _title_treatment(page: Page, title_height: float) -> str:
    """The theme's treatment behind the title (as ``pdf.TITLE_TREATMENTS``); the colour the title is set in."""
    theme, top = page.look.theme, HEIGHT - TITLE_TOP
    if theme.title == "bar":
        rectangle(page.shapes, Frame(MARGIN, 42, 36, 4), theme.accent, name="Title bar")
    elif theme.title == "rule":
        y = top + title_height + 12
        _line(page, MARGIN, y, WIDTH - MARGIN, y, theme.ink, 0.6)
        rectangle(page.shapes, Frame(MARGIN, y - 1.5, 48, 2.5), theme.accent, name="Title rule")
    elif theme.title == "band":
        rectangle(page.shapes, Frame(0, 0, WIDTH, top + title_height + 12), theme.accent, name="Title band")
        return theme.accent_ink
    elif theme.title == "left_bar":
        rectangle(page.shapes, Frame(MARGIN - 20, top - 2, 5, title_height), theme.accent, name="Title bar")
    return theme.ink


def _header(page: Page, title: str) -> Frame:
    """The slide's title in its theme's treatment; the content area below it."""
    theme = page.look.theme
    fitted = _title(title, theme)
    ink = _title_treatment(page, fitted.height)
    frame = Frame(MARGIN, HEIGHT - TITLE_TOP, WIDTH - 2 * MARGIN, max(fitted.height, 1.0) + 4)
    para = fitted_para(
        title,
        frame,
        page.look,
        start=theme.type.title,
        floor=theme.type.title_min,
        color=ink,
        bold=True,
        max_lines=2,
        leading=theme.type.title_leading,
    )
    text_box(page.shapes, frame, [para], page.look, name="Title")
    return Frame.of(_content_area(fitted))


def _footer(page: Page) -> None:
    """The hairline, the logo and the company (with the brand's footer text), "n / N" on the right."""
    theme, deck = page.look.theme, page.deck
    _line(page, MARGIN, HEIGHT - 40, WIDTH - MARGIN, HEIGHT - 40, theme.rule, 0.8)
    x = MARGIN
    logo = deck.pictures.logo_for(theme.dark)
    if logo is not None:
        frame = contained(logo, Frame.of(FOOTER_LOGO), anchor="w")
        if place_picture(page.shapes, page.pictures, logo, frame, contain=True) is not None:
            x = frame.x + frame.w + 10
    note = deck.brand.footer
    left = _label(page.look, f"{deck.company}  ·  {note}" if note else deck.company)
    room = WIDTH - MARGIN - 140 - x
    company = fitted_para(left, Frame(x, HEIGHT - 34, room, 14), page.look, start=9.5, floor=7, color=theme.muted)
    text_box(page.shapes, Frame(x, HEIGHT - 34, room, 14), [company], page.look, name="Footer")
    number = Para(f"{page.number} / {page.total}", 9.5, theme.muted, align="right")
    text_box(page.shapes, Frame(WIDTH - MARGIN - 120, HEIGHT - 34, 120, 14), [number], page.look, name="Slide number")


def _cover_backdrop(page: Page) -> tuple[str, str, str]:
    """The theme's cover treatment (as ``pdf.COVERS``); the colours of the title, the purpose and the label."""
    theme, shapes = page.look.theme, page.shapes
    if theme.cover == "bleed":
        fill = page.target.background.fill
        fill.solid()
        fill.fore_color.rgb = rgb(theme.accent)
        alpha(rectangle(shapes, Frame(WIDTH * 0.66, 0, WIDTH * 0.34, HEIGHT), theme.accent_ink), 0.12)
        return theme.accent_ink, theme.accent_ink, theme.accent_ink
    _background(page)
    if theme.cover == "circles":
        cx, cy = WIDTH - 30, HEIGHT / 2 - 10
        for radius, opacity in ((240, 0.08), (150, 0.12)):
            disc = shape(shapes, MSO_SHAPE.OVAL, Frame(cx - radius, cy - radius, 2 * radius, 2 * radius), theme.accent)
            alpha(disc, opacity)
        shape(shapes, MSO_SHAPE.OVAL, Frame(cx - 300, cy - 300, 600, 600), None, outline=theme.accent, name="Ring")
    elif theme.cover == "rule":
        rectangle(shapes, Frame(MARGIN, 49, WIDTH - 2 * MARGIN, 3), theme.ink, name="Cover rule")
        _line(page, MARGIN, HEIGHT - 80, WIDTH - MARGIN, HEIGHT - 80, theme.ink, 0.6)
    return theme.ink, theme.muted, theme.accent


def _cover_picture(page: Page) -> float:
    """The cover picture where the theme's cover treatment puts it; how far the cover's words may reach."""
    cover = next((b.pictures[0] for b in page.slide.blocks if b.kind == "picture" and b.pictures), None)
    if cover is None or not page.pictures.enabled:
        return WIDTH
    place = COVER_PICTURES[page.look.theme.cover]
    frame = Frame.of(place.frame)
    # Only its part on the slide: a picture running off the slide would be cut by the office suite's view only.
    left, top = max(frame.x, 0.0), max(frame.y, 0.0)
    shown = Frame(left, top, min(frame.x + frame.w, WIDTH) - left, min(frame.bottom, HEIGHT) - top)
    # A circle keeps its whole frame, off the slide's edge as in the PDF (the slide shows only its part on the
    # slide): cut to the slide, it would be squashed into an ellipse.
    picture = place_picture(page.shapes, page.pictures, cover, frame if place.shape == "circle" else shown)
    if picture is not None and place.shape == "circle":
        picture.auto_shape_type = MSO_SHAPE.OVAL
    elif picture is not None and place.shape == "round":
        round_corners(picture, 14)
    return place.text_right if picture is not None else WIDTH


def draw_cover(page: Page) -> None:
    """The cover as the PDF's: the logo, the title large, the purpose under it, the label at the foot."""
    deck, slide, theme, look = page.deck, page.slide, page.look.theme, page.look
    ink, muted, label_ink = _cover_backdrop(page)
    width = min(560.0, _cover_picture(page) - MARGIN)
    title = slide.title or deck.company
    texts = [b.text for b in slide.blocks if b.kind == "text"]
    purpose = texts[0] if texts else deck.purpose
    logo = deck.pictures.logo_for(relative_luminance(ink) > 0.5)
    logo_h = 0.0
    if logo is not None and page.pictures.enabled:
        most_w, most_h = COVER_LOGO
        logo_w = min(most_w, most_h * logo.aspect)
        logo_h = logo_w / logo.aspect
    above = logo_h + 24 + (27 if theme.cover != "plain" else 0) if logo_h else 0.0
    name = fit_text(title, None, True, width, 130 if logo_h else 150, theme.type.cover, 28, leading=1.08, max_lines=2)
    about = fit_text(purpose, None, False, width - 40, 96 if logo_h else 150, 22, 12, leading=1.35)
    gap = 26.0 if about.lines else 0.0
    top = HEIGHT / 2 + (name.height + gap + about.height - above) / 2 + 14
    top = min(top, HEIGHT - 64 - above)
    y = HEIGHT - top  # the title's top, from the slide's top
    if logo is not None and logo_h:
        logo_w = logo_h * logo.aspect
        place_picture(page.shapes, page.pictures, logo, Frame(MARGIN, y - above, logo_w, logo_h), contain=True)
    if theme.cover != "plain":
        rectangle(page.shapes, Frame(MARGIN, y - 27, 56, 5), label_ink, name="Cover mark")
    name_frame = Frame(MARGIN, y, width, name.height + 6)
    big = fitted_para(title, name_frame, look, start=theme.type.cover, floor=28, color=ink, bold=True, max_lines=2)
    text_box(page.shapes, name_frame, [big], look, name="Title")
    if about.lines:
        about_frame = Frame(MARGIN, y + name.height + gap, width - 40, about.height + 6)
        words = fitted_para(purpose, about_frame, look, start=22, floor=12, color=muted, leading=1.35)
        text_box(page.shapes, about_frame, [words], look, name="Purpose")
    label = _word(deck.lang, "deck") + (f"  ·  {deck.company}" if title != deck.company else "")
    if deck.brand.footer:
        label += f"  ·  {deck.brand.footer}"
    label_frame = Frame(MARGIN, HEIGHT - 58 - 12, width, 16)
    text_box(
        page.shapes,
        label_frame,
        [fitted_para(_label(look, label), label_frame, look, start=10.5, floor=8, color=label_ink, bold=True)],
        look,
        name="Cover label",
    )


def _picture_full(page: Page) -> bool:
    """The first picture filling the slide, the title and caption on a band at the foot (``pdf_layouts``)."""
    picture = full_picture(page.slide.blocks)
    if picture is None or not page.pictures.enabled:
        return False
    if place_picture(page.shapes, page.pictures, picture, Frame(0, 0, WIDTH, HEIGHT)) is None:
        return False
    theme, look = page.look.theme, page.look
    caption = caption_of(page.slide.blocks)
    band = Frame(0, HEIGHT - CONTENT_BOTTOM - 110, WIDTH, 110)
    alpha(rectangle(page.shapes, band, theme.background, name="Caption band"), 0.86)
    inner = Frame(MARGIN, band.y + 14, WIDTH - 2 * MARGIN, band.h - 24)
    paras = []
    if page.slide.title:
        paras.append(
            fitted_para(
                page.slide.title,
                Frame(inner.x, inner.y, inner.w, 40),
                look,
                start=26,
                floor=16,
                color=theme.ink,
                bold=True,
                max_lines=1,
            )
        )
    if caption:
        paras.append(
            fitted_para(
                caption,
                Frame(inner.x, inner.y, inner.w, inner.h - 40),
                look,
                start=15,
                floor=10,
                color=theme.muted,
                max_lines=2,
            )
        )
    text_box(page.shapes, inner, paras, look, anchor="bottom", name="Caption")
    return True


def draw_page(page: Page, *, cover: bool) -> None:
    """Draw ``page.slide`` on its .pptx slide: the cover, a full-picture slide or a slide with a title."""
    from pitchlab.decks.powerpoint.blocks import draw_content

    if cover:
        draw_cover(page)
        return
    _background(page)
    if page.slide.layout == "picture_full" and _picture_full(page):
        _footer(page)
        return
    area = _header(page, page.slide.title)
    draw_content(page, area)
    _footer(page)
