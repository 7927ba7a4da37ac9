"""A slide's content in the .pptx: its blocks where the PDF's layout places them (pure)."""

from __future__ import annotations

from pitchlab.decks.pdf import page_layout
from pitchlab.decks.pdf_base import Box
from pitchlab.decks.pdf_text import Piece
from pitchlab.decks.powerpoint.base import HEIGHT, Frame, fitted_paras, text_box
from pitchlab.decks.powerpoint.pages import Page


def draw_content(page: Page, area: Frame) -> None:
    place = page_layout(page.slide).place
    if place is None:
        return
    box = Box(area.x, HEIGHT - area.bottom, area.w, area.h)
    for block, placed in place(page.slide.blocks, box):
        frame = Frame.of(placed)
        pieces = [Piece(t) for t in (block.heading, block.text, *block.items) if t.strip()]
        text_box(page.shapes, frame, fitted_paras(pieces, frame, page.look, start=18), page.look)
