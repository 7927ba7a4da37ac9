"""The pitch's pictures in the PDF: framed screenshots, the team's headshots, logos (pure but for reading files).

Every picture is asked of the deck's ``PrintFiles`` at the size it is drawn (``Style.pictures``), so it arrives cut
to its frame at print resolution; a picture whose file is gone (None) leaves its frame empty, or, for a person, their
initials, and the export goes on. ``remembered`` asks once per placement: the footer's logo is the same file on
every page, which reportlab embeds once (it names an image by its file name).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.deck_pictures import DeckPicture, PrintFiles
from pitchlab.decks.pdf_base import GAP, MIN_SIZE, PAD, Box, Style, split
from pitchlab.decks.pdf_text import Piece, draw_stack, draw_text, fit_stack, fit_text
from pitchlab.decks.slides import Block, Person, initials
from pitchlab.decks.themes import Theme

Shape = Literal["rect", "round", "circle"]
FRAME_PAD = 6.0  # the card's edge around a framed picture
_CELL_GAP = 14.0
# A frame keeps the picture's own shape within these bounds: a phone screenshot stays tall, a panorama wide, but
# neither becomes a sliver.
_ASPECT_RANGE = (0.45, 2.4)


class _Remembered:
    """A ``PrintFiles`` asked once per placement: a picture drawn at one size on many pages is one file."""

    def __init__(self, files: PrintFiles) -> None:
        self._files = files
        self._known: dict[tuple[int, int, int, bool], Path | None] = {}

    def __call__(self, picture: DeckPicture, width_pt: float, height_pt: float, *, contain: bool) -> Path | None:
        key = (picture.id, round(width_pt * 10), round(height_pt * 10), contain)
        if key not in self._known:
            self._known[key] = self._files(picture, width_pt, height_pt, contain=contain)
        return self._known[key]


def remembered(files: PrintFiles | None) -> PrintFiles | None:
    return None if files is None else _Remembered(files)


def _clip(c: Canvas, box: Box, shape: Shape, radius: float) -> None:
    path = c.beginPath()
    if shape == "circle":
        path.circle(box.x + box.w / 2, box.y + box.h / 2, min(box.w, box.h) / 2)
    elif shape == "round":
        path.roundRect(box.x, box.y, box.w, box.h, min(radius, box.w / 2, box.h / 2))
    else:
        path.rect(box.x, box.y, box.w, box.h)
    c.clipPath(path, stroke=0, fill=0)


def draw_picture(
    st: Style, picture: DeckPicture, box: Box, *, contain: bool = False, shape: Shape = "rect", radius: float = 6
) -> bool:
    """Draw ``picture`` in ``box``: filling it around its focal point, or (``contain``) whole inside it, anchored
    bottom-left; clipped to ``shape``. False when there is nothing to draw (no files, the file is gone)."""
    if st.pictures is None or box.w < 1 or box.h < 1:
        return False
    path = st.pictures(picture, box.w, box.h, contain=contain)
    if path is None:
        return False
    c = st.c
    c.saveState()
    if shape != "rect":
        _clip(c, box, shape, radius)
    if contain:
        c.drawImage(str(path), box.x, box.y, box.w, box.h, mask="auto", preserveAspectRatio=True, anchor="sw")
    else:
        c.drawImage(str(path), box.x, box.y, box.w, box.h, mask="auto")
    c.restoreState()
    return True


def fitted_box(aspect: float, box: Box, *, anchor: str = "c") -> Box:
    """The largest box of ``aspect`` (width / height) inside ``box``: centred, or at its left (``anchor`` "w")."""
    aspect = aspect if aspect > 0 else 1.0
    width = min(box.w, box.h * aspect)
    height = width / aspect
    x = box.x if anchor == "w" else box.x + (box.w - width) / 2
    return Box(x, box.y + (box.h - height) / 2, width, height)


def _frame_aspect(picture: DeckPicture) -> float:
    low, high = _ASPECT_RANGE
    return min(high, max(low, picture.aspect))


def _grid_cells(box: Box, cols: int, rows: int, count: int) -> list[Box]:
    lines = split(box, [1.0] * rows, vertical=True, gap=_CELL_GAP)
    cells = [cell for line in lines for cell in split(line, [1.0] * cols, vertical=False, gap=_CELL_GAP)]
    if count < len(cells):  # an odd last row: its pictures centred under the others
        last = lines[-1]
        left = count - (rows - 1) * cols
        width = cells[0].w * left + _CELL_GAP * (left - 1)
        tail = Box(last.x + (last.w - width) / 2, last.y, width, last.h)
        cells = cells[: (rows - 1) * cols] + split(tail, [1.0] * left, vertical=False, gap=_CELL_GAP)
    return cells[:count]


def _featured(box: Box, count: int, *, vertical: bool) -> list[Box]:
    """The first picture large, the others in a line beside it (or under it, ``vertical``)."""
    first, rest = split(box, [1.6, 1.0], vertical=vertical, gap=_CELL_GAP)
    return [first, *split(rest, [1.0] * (count - 1), vertical=not vertical, gap=_CELL_GAP)]


def _arrangements(box: Box, count: int) -> list[list[Box]]:
    """Cells that hold ``count`` pictures: side by side first, then stacked, then (three or more) a grid, or the
    first large with the others beside or under it."""
    if count <= 1:
        return [[box]]
    shapes = [_grid_cells(box, count, 1, count), _grid_cells(box, 1, count, count)]
    if count >= 3:
        shapes += [
            _grid_cells(box, 2, -(-count // 2), count),
            _featured(box, count, vertical=False),
            _featured(box, count, vertical=True),
        ]
    return shapes


def gallery_frames(pictures: Sequence[DeckPicture], box: Box) -> list[Box]:
    """A frame for each picture inside ``box``, each near its picture's own shape: of the arrangements that hold
    them (``_arrangements``), the one that shows the most of them, side by side when that is near as good."""
    best: list[Box] = []
    best_area = -1.0
    for index, cells in enumerate(_arrangements(box, len(pictures))):
        frames = [fitted_box(_frame_aspect(p), cell) for p, cell in zip(pictures, cells, strict=True)]
        area = sum(f.w * f.h for f in frames) * (1.1 if index == 0 else 1.0)
        if area > best_area:
            best, best_area = frames, area
    return best


def draw_framed(st: Style, picture: DeckPicture, frame: Box) -> None:
    """A picture on a subtle rounded card, its corners rounded too; an empty card when its file is gone."""
    st.card(frame, radius=10)
    st.c.setStrokeColor(st.theme.rule)
    st.c.setLineWidth(0.8)
    st.c.roundRect(frame.x, frame.y, frame.w, frame.h, min(10, frame.w / 2, frame.h / 2), stroke=1, fill=0)
    draw_picture(st, picture, frame.inset(FRAME_PAD), shape="round", radius=6)


def draw_gallery(st: Style, block: Block, box: Box) -> None:
    """A picture block (screenshots, a cover shown on a slide): one large, two side by side, three or four in a
    grid, each framed near its own shape so nothing important is cut away. The alt text is not printed."""
    pictures = block.pictures
    if not pictures:
        return
    for picture, frame in zip(pictures, gallery_frames(pictures, box), strict=True):
        draw_framed(st, picture, frame)


def _people_grid(count: int) -> tuple[int, int]:
    cols = {1: 1, 2: 2, 3: 3, 4: 2}.get(count, 3)
    return cols, -(-count // cols)


def people_cells(count: int, box: Box) -> list[Box]:
    """A card for each of ``count`` people in ``box``: 1–3 to a row by how many there are."""
    cols, rows = _people_grid(count)
    cells: list[Box] = []
    for row, line in enumerate(split(box, [1.0] * rows, vertical=True, gap=GAP * 0.75)):
        in_row = min(cols, count - row * cols)
        cells += split(line, [1.0] * cols, vertical=False, gap=GAP * 0.75)[:in_row]
    return cells


def draw_face(st: Style, person: Person, circle: Box) -> None:
    """A person's headshot in a circle, or their initials in the accent colour on a tint of it."""
    c = st.c
    if person.photo is not None and draw_picture(st, person.photo, circle, shape="circle"):
        c.setStrokeColor(st.theme.rule)
        c.setLineWidth(1)
        c.circle(circle.x + circle.w / 2, circle.y + circle.h / 2, circle.w / 2, stroke=1, fill=0)
        return
    c.saveState()
    c.setFillColor(st.theme.accent)
    c.setFillAlpha(0.16)
    c.circle(circle.x + circle.w / 2, circle.y + circle.h / 2, circle.w / 2, stroke=0, fill=1)
    c.restoreState()
    letters = fit_text(initials(person.name) or "?", None, True, circle.w * 0.7, circle.h * 0.6, circle.w * 0.36, 8)
    middle = circle.y + circle.h / 2 + letters.height / 2
    draw_text(c, letters, circle.x, middle, circle.w, st.theme.accent, align="center")


def person_pieces(theme: Theme, person: Person, *, bio: bool) -> list[Piece]:
    """A team member's name, role and (``bio``) bio as pieces of one stack."""
    pieces = [Piece(person.name, bold=True, max_lines=2, gap=0.2, color=theme.ink)]
    if person.role:
        role = Piece(person.role, bold=True, scale=0.82, floor=MIN_SIZE, max_lines=2, gap=0.45, color=theme.accent)
        pieces.append(role)
    if bio and person.bio:
        pieces.append(Piece(person.bio, scale=0.78, floor=MIN_SIZE, color=theme.muted))
    return pieces


def _person_pieces(st: Style, person: Person, *, bio: bool) -> list[Piece]:
    return person_pieces(st.theme, person, bio=bio)


def draw_people(st: Style, block: Block, box: Box) -> None:
    """The team as cards, 1–3 to a row by how many there are: a round headshot (or initials), the name in bold,
    the role in the accent colour, the bio fitted below. Tall cards put the face above the words, short ones
    beside the name with the bio under both."""
    people = block.people
    if not people:
        return
    for person, cell in zip(people, people_cells(len(people), box), strict=True):
        st.card(cell)
        inner = cell.inset(PAD)
        if inner.w < 20 or inner.h < 20:
            continue
        if inner.h >= 210:
            size = min(104.0, inner.w * 0.42, inner.h * 0.4)
            draw_face(st, person, Box(inner.x, inner.top - size, size, size))
            words = Box(inner.x, inner.y, inner.w, inner.h - size - 14)
            pieces = _person_pieces(st, person, bio=True)
            stack = fit_stack(pieces, words.w, words.h, 17, MIN_SIZE)
            draw_stack(st.c, pieces, stack, words.x, words.top, words.w, st.theme.accent, st.theme.rule)
            continue
        size = min(64.0, max(36.0, inner.h * 0.42), inner.w * 0.3)
        draw_face(st, person, Box(inner.x, inner.top - size, size, size))
        beside = Box(inner.x + size + 12, inner.top - size, inner.w - size - 12, size)
        head = _person_pieces(st, person, bio=False)
        stack = fit_stack(head, beside.w, beside.h, 15, MIN_SIZE)
        middle = beside.top - max(0.0, (beside.h - stack.height(head)) / 2)
        draw_stack(st.c, head, stack, beside.x, middle, beside.w, st.theme.accent, st.theme.rule)
        if person.bio:
            below = Box(inner.x, inner.y, inner.w, inner.h - size - 10)
            bio = [Piece(person.bio, color=st.theme.muted)]
            fitted = fit_stack(bio, below.w, below.h, 12, MIN_SIZE)
            draw_stack(st.c, bio, fitted, below.x, below.top, below.w, st.theme.accent, st.theme.rule)
