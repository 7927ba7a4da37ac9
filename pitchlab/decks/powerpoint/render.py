"""The deck as .pptx bytes: a slide per page of the PDF, in the PDF's order, with notes in the notes pane (pure)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

from pptx import Presentation
from pptx.slide import Slide as PptxSlide
from pptx.util import Pt

from pitchlab.decks.deck_pictures import PrintFiles
from pitchlab.decks.pdf import _pages, page_layout
from pitchlab.decks.pdf_text import families
from pitchlab.decks.powerpoint.base import HEIGHT, WIDTH, Look, xml_text
from pitchlab.decks.powerpoint.charts import NativeChart
from pitchlab.decks.powerpoint.pages import Page, draw_page
from pitchlab.decks.powerpoint.pictures import PictureStore
from pitchlab.decks.slides import Deck
from pitchlab.decks.themes import Theme, branded, theme_get

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
BLANK = 6  # the default template's "Blank" slide layout: no placeholders, every shape is ours


def render_pptx(
    deck: Deck,
    *,
    charts: Mapping[str, NativeChart],
    theme: Theme | None = None,
    on_slide: Callable[[int, int], None] | None = None,
    images: Mapping[str, bytes] | None = None,
    pictures: PrintFiles | None = None,
    notes: bool = True,
) -> bytes:
    """The deck as .pptx bytes: the cover, then every visible slide in the founder's order.

    ``charts`` holds the native chart of each kind (``charts.native_charts``; a slide whose chart is missing says
    so); ``theme`` defaults to the deck's own; ``on_slide(done, total)`` is called after every slide; ``images``
    maps a live demo example's ``image_url`` to its bytes; ``pictures`` gives the pitch's pictures' pixels (None:
    none are placed); ``notes`` False leaves every notes pane empty (a copy for people who should not read them).
    """
    theme = theme or branded(theme_get(deck.theme), deck.brand)
    look = Look(theme, deck.lang)
    with families(theme.heading_font, theme.body_font, theme.type.body):
        return _render(deck, charts, look, on_slide, images or {}, pictures, notes)


def _render(
    deck: Deck,
    charts: Mapping[str, NativeChart],
    look: Look,
    on_slide: Callable[[int, int], None] | None,
    images: Mapping[str, bytes],
    pictures: PrintFiles | None,
    notes: bool,
) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(WIDTH), Pt(HEIGHT)
    props = prs.core_properties
    props.title, props.author, props.subject = deck.company[:255], "PitchLab", deck.purpose[:255]
    props.language = "zh-CN" if deck.lang.startswith("zh") else "en-US"
    pages = _pages(deck)
    store = PictureStore(pictures, images, deck)
    for number, slide in enumerate(pages, start=1):
        target: PptxSlide = prs.slides.add_slide(prs.slide_layouts[BLANK])
        page = Page(target, deck, slide, number, len(pages), look, charts, store)
        draw_page(page, cover=page_layout(slide).cover)
        if notes and slide.notes.strip():
            target.notes_slide.notes_text_frame.text = xml_text(slide.notes)  # type: ignore[union-attr]
        if on_slide is not None:
            on_slide(number, len(pages))
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
