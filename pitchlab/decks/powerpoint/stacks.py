"""What the .pptx's block drawers share: a fitted stack as paragraphs, stacks side by side at one size, cards,
the "+n more" line (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from pitchlab.decks.pdf_base import MIN_SIZE, Box
from pitchlab.decks.pdf_blocks import _fit_columns
from pitchlab.decks.pdf_text import Piece, Stack, fit_text
from pitchlab.decks.powerpoint.base import Frame, Para, rectangle, shown_text, text_box
from pitchlab.decks.powerpoint.pages import Page
from pitchlab.decks.slides import Block

Placed = Sequence[tuple[Block, Box]]


def stack_paras(pieces: Sequence[Piece], stack: Stack, page: Page) -> list[Para]:
    """A fitted stack's pieces as paragraphs (what ``draw_stack`` draws in the PDF)."""
    paras = []
    for piece, fitted in zip(pieces, stack.parts, strict=True):
        if fitted.lines:
            paras.append(
                Para(
                    shown_text(piece.text, fitted),
                    fitted.size,
                    piece.color or page.look.theme.ink,
                    bold=piece.bold,
                    bullet=piece.marker,
                    space_after=piece.gap * stack.size,
                    indent=piece.indent if piece.marker or piece.indent else 0.0,
                )
            )
    return paras


def text_columns(page: Page, columns: Sequence[Sequence[Piece]], boxes: Sequence[Box], start: float) -> None:
    """Stacks of pieces side by side, all at one size (the PDF's ``text_columns``)."""
    for pieces, box, stack in zip(columns, boxes, _fit_columns(columns, boxes, start), strict=True):
        text_box(page.shapes, Frame.of(box), stack_paras(pieces, stack, page), page.look)


def card(page: Page, box: Box, fill: str = "", radius: float = 10) -> None:
    rectangle(page.shapes, Frame.of(box), fill or page.look.theme.surface, radius=radius, name="Card")


def more_note(page: Page, box: Box, hidden: int) -> Box:
    """A line at the foot of ``box`` saying how many rows did not fit; the rest of the box."""
    if hidden <= 0:
        return box
    note = fit_text(page.word("more", n=hidden), None, False, box.w, 16, 11, MIN_SIZE)
    text_box(
        page.shapes,
        Frame.of(Box(box.x, box.y, box.w, note.height + 2)),
        [Para(note.lines[0] if note.lines else "", note.size, page.look.theme.muted)],
        page.look,
    )
    return Box(box.x, box.y + note.height + 8, box.w, box.h - note.height - 8)
