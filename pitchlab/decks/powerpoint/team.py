"""Pictures and people on a .pptx slide as the PDF places them: a gallery of framed pictures, the team's cards
with round headshots or initials (pure)."""

from __future__ import annotations

from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Pt

from pitchlab.decks.pdf_base import MIN_SIZE, PAD, Box
from pitchlab.decks.pdf_pictures import FRAME_PAD, gallery_frames, people_cells, person_pieces
from pitchlab.decks.pdf_text import Piece, fit_stack
from pitchlab.decks.powerpoint.base import Frame, Para, fill_text, fitted_paras, rectangle, rgb, shape, text_box
from pitchlab.decks.powerpoint.pages import Page, alpha
from pitchlab.decks.powerpoint.pictures import place_picture, round_corners
from pitchlab.decks.powerpoint.stacks import card, stack_paras
from pitchlab.decks.slides import Block, Person, initials


def draw_gallery(page: Page, block: Block, box: Box) -> None:
    """Each picture on a subtle rounded card, framed near its own shape (``pdf_pictures.gallery_frames``)."""
    theme = page.look.theme
    for picture, frame in zip(block.pictures, gallery_frames(block.pictures, box), strict=False):
        frame_card = rectangle(page.shapes, Frame.of(frame), theme.surface, radius=10, name="Frame")
        frame_card.line.color.rgb = rgb(theme.rule)
        frame_card.line.width = Pt(0.8)
        shown = place_picture(page.shapes, page.pictures, picture, Frame.of(frame.inset(FRAME_PAD)))
        if shown is not None:
            round_corners(shown, 6)


def _face(page: Page, person: Person, circle: Frame) -> None:
    """A headshot in a circle, or the initials in the accent on a tint of it."""
    theme = page.look.theme
    if person.photo is not None:
        photo = place_picture(page.shapes, page.pictures, person.photo, circle)
        if photo is not None:
            photo.auto_shape_type = MSO_SHAPE.OVAL
            photo.line.color.rgb = rgb(theme.rule)
            photo.line.width = Pt(1)
            return
    disc = shape(page.shapes, MSO_SHAPE.OVAL, circle, theme.accent, name="Initials")
    alpha(disc, 0.16)
    letters = initials(person.name) or "?"
    fill_text(
        disc.text_frame,
        [Para(letters, max(8.0, circle.w * 0.3), theme.accent, bold=True, align="center")],
        page.look,
        anchor="middle",
    )


def draw_people(page: Page, block: Block, box: Box) -> None:
    """The team as cards: a round headshot (or initials), the name, the role in the accent, the bio."""
    theme = page.look.theme
    people = block.people
    if not people:
        return
    for person, cell in zip(people, people_cells(len(people), box), strict=True):
        card(page, cell)
        inner = cell.inset(PAD)
        if inner.w < 20 or inner.h < 20:
            continue
        if inner.h >= 210:
            size = min(104.0, inner.w * 0.42, inner.h * 0.4)
            _face(page, person, Frame.of(Box(inner.x, inner.top - size, size, size)))
            words = Box(inner.x, inner.y, inner.w, inner.h - size - 14)
            pieces = person_pieces(theme, person, bio=True)
            stack = fit_stack(pieces, words.w, words.h, 17, MIN_SIZE)
            text_box(page.shapes, Frame.of(words), stack_paras(pieces, stack, page), page.look, name="Person")
            continue
        size = min(64.0, max(36.0, inner.h * 0.42), inner.w * 0.3)
        _face(page, person, Frame.of(Box(inner.x, inner.top - size, size, size)))
        beside = Box(inner.x + size + 12, inner.top - size, inner.w - size - 12, size)
        head = person_pieces(theme, person, bio=False)
        stack = fit_stack(head, beside.w, beside.h, 15, MIN_SIZE)
        text_box(
            page.shapes, Frame.of(beside), stack_paras(head, stack, page), page.look, anchor="middle", name="Person"
        )
        if person.bio:
            below = Box(inner.x, inner.y, inner.w, inner.h - size - 10)
            text_box(
                page.shapes,
                Frame.of(below),
                fitted_paras(
                    [Piece(person.bio, color=theme.muted)], Frame.of(below), page.look, start=12, floor=MIN_SIZE
                ),
                page.look,
                name="Bio",
            )
