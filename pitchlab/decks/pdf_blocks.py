"""The PDF's slide content: where a slide's blocks go, and how each kind of block is drawn (pure).

``BLOCK_DRAWERS`` holds one entry per block kind: its drawer and the room it asks for; a new block kind is one
entry there (a test holds every ``BlockKind`` to having one). Placement: a figure (a chart) takes the left
60 % and the other blocks stack in the right column (two figures sit side by side over the other blocks
instead); blocks without a figure sit side by side as columns, each in proportion to its kind's weight (a live
demo, a table or a demo gets more room than a paragraph). A picture block (screenshots) is a figure too; the
layouts that place blocks their own way are in ``pdf_layouts``. Each block is drawn inside its box with measured
text (``pdf_text``), so nothing overflows.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pitchlab.decks.pdf_base import GAP, MIN_SIZE, PAD, Box, Style, split
from pitchlab.decks.pdf_demo import draw_live_demo
from pitchlab.decks.pdf_pictures import draw_gallery, draw_people
from pitchlab.decks.pdf_text import (
    LEADING,
    FittedText,
    Piece,
    Stack,
    draw_stack,
    draw_text,
    fit_stack,
    fit_text,
    text_width,
)
from pitchlab.decks.slides import Block, BlockKind, ColumnRole, Slide
from pitchlab.decks.themes import Theme

_STEP = re.compile(r"(?:^|\s)\d{1,2}[.)]\s+")
_DEFAULT_ROLES: tuple[ColumnRole, ...] = ("head", "sub", "body")  # a table's columns when it names no roles


def _weights(blocks: Sequence[Block]) -> list[float]:
    return [block_drawer(block).weight for block in blocks]


def layout(blocks: Sequence[Block], area: Box) -> list[tuple[Block, Box]]:
    """Where each block of a slide goes in the content ``area``."""
    charts = [b for b in blocks if block_drawer(b).figure]
    others = [b for b in blocks if not block_drawer(b).figure]
    if len(charts) > 1 and others:
        # Two charts (the performance bars and the confusion matrix) side by side over the text: stacked in
        # one column, each would be drawn too small to read.
        upper, lower = split(area, [0.64, 0.36], vertical=True)
        weights = [1.25 if index == 0 else 1.0 for index in range(len(charts))]
        placed = list(zip(charts, split(upper, weights, vertical=False), strict=True))
        return placed + list(zip(others, split(lower, _weights(others), vertical=False), strict=True))
    if charts and others:
        wordy = sum(len(b.text) + sum(map(len, b.items)) + sum(len(c) for r in b.rows for c in r) for b in others)
        share = 0.52 if wordy > 450 else 0.6
        left = Box(area.x, area.y, (area.w - GAP) * share, area.h)
        right = Box(left.x + left.w + GAP, area.y, area.w - left.w - GAP, area.h)
        placed = list(zip(charts, split(left, [1.0] * len(charts), vertical=True), strict=True))
        weights = [block_drawer(b).beside_figure for b in others]
        return placed + list(zip(others, split(right, weights, vertical=True), strict=True))
    if charts:
        return list(zip(charts, split(area, [1.0] * len(charts), vertical=False), strict=True))
    if len(others) <= 3:
        return list(zip(others, split(area, _weights(others), vertical=False), strict=True))
    rows = split(area, [1.0] * ((len(others) + 1) // 2), vertical=True)
    cells = [cell for row in rows for cell in split(row, [1.0, 1.0], vertical=False)]
    return list(zip(others, cells, strict=False))


def _start(box: Box) -> float:
    return 28.0 if box.w > 640 else 22.0 if box.w > 400 else 19.0


def _item_pieces(item: str, theme: Theme, indent: float) -> list[Piece]:
    """A list item as pieces; "Head: body" and "Head — body" items get a bold head over the body."""
    for sep in (": ", " — ", "：", "——"):
        head, found, body = item.partition(sep)
        if found and 0 < len(head) <= 60 and body.strip():
            return [
                Piece(head, bold=True, marker=True, indent=indent, color=theme.ink, gap=0.15),
                Piece(body, indent=indent, color=theme.muted, gap=0.8),
            ]
    return [Piece(item, marker=True, indent=indent, color=theme.ink, gap=0.8)]


def _fit_columns(columns: Sequence[Sequence[Piece]], boxes: Sequence[Box], start: float) -> list[Stack]:
    """Stacks of pieces in several boxes, all set at one size (the smallest any of them needs)."""
    first = [fit_stack(pieces, box.w, box.h, start, MIN_SIZE) for pieces, box in zip(columns, boxes, strict=True)]
    size = min((stack.size for stack in first), default=start)
    return [fit_stack(pieces, box.w, box.h, size, MIN_SIZE) for pieces, box in zip(columns, boxes, strict=True)]


def _columns(st: Style, columns: Sequence[Sequence[Piece]], boxes: Sequence[Box], start: float) -> None:
    for pieces, box, stack in zip(columns, boxes, _fit_columns(columns, boxes, start), strict=True):
        draw_stack(st.c, pieces, stack, box.x, box.top, box.w, st.theme.accent, st.theme.rule)


def draw_text_blocks(st: Style, placed: Sequence[tuple[Block, Box]], *, card: bool) -> None:
    """Text blocks (a heading over a paragraph), side by side at one size; in cards when ``card``."""
    columns: list[list[Piece]] = []
    boxes: list[Box] = []
    for block, box in placed:
        if card:
            st.card(box)
        pieces = [_heading_piece(block.heading, st.theme)]
        columns.append([*(pieces if block.heading else []), Piece(block.text, color=st.theme.ink)])
        boxes.append(box.inset(PAD) if card else box)
    if boxes:
        _columns(st, columns, boxes, min(_start(box) for box in boxes))


def _heading_piece(text: str, theme: Theme) -> Piece:
    """A block's heading over its body: small, bold, in the accent, kept to two lines when the box is tight."""
    return Piece(text, bold=True, scale=0.62, floor=11.5, gap=0.5, max_lines=2, color=theme.accent)


def draw_lead(st: Style, block: Block, box: Box) -> None:
    fitted = fit_text(block.text, None, True, box.w, box.h, 40, 16, leading=1.15)
    draw_text(st.c, fitted, box.x, box.top, box.w, st.theme.ink)


def draw_bullets(st: Style, block: Block, box: Box) -> None:
    """A list, under its heading when it has one (the founder's key points); four or more items on a wide box in
    two columns."""
    items = [item for item in block.items if item.strip()]
    if box.w > 640 and len(items) >= 4:
        half = (len(items) + 1) // 2
        boxes = split(box, [1.0, 1.0], vertical=False)
        groups = [items[:half], items[half:]]
    else:
        boxes, groups = [box], [items]
    draw_item_columns(st, groups, boxes, headings=[block.heading])


def draw_item_columns(
    st: Style, groups: Sequence[Sequence[str]], boxes: Sequence[Box], *, headings: Sequence[str] = ()
) -> None:
    """Lists of items in boxes side by side, all set at one size (a list split over columns reads as one), each
    under its heading in ``headings`` when it has one (set as a text block's)."""
    columns = [[p for item in group for p in _item_pieces(item, st.theme, 18)] for group in groups]
    for column, heading in zip(columns, headings, strict=False):
        if heading:
            column.insert(0, _heading_piece(heading, st.theme))
    _columns(st, columns, boxes, 20 if sum(map(len, groups)) <= 3 else 16)


@dataclass(frozen=True)
class FigureFit:
    """One figure of a metrics block on its card: the card, the room inside it, its label and value fitted."""

    cell: Box
    inner: Box
    label: str
    value: str
    head: FittedText
    big: FittedText


def fit_figures(block: Block, box: Box) -> list[FigureFit]:
    """The block's figures as cards, up to three to a row, rows at most 170 pt tall from the top of ``box``: each
    label small (two lines at most) over its value set large."""
    rows = [row for row in block.rows if row]
    if not rows:
        return []
    per_row = min(3, len(rows))
    lines = [rows[i : i + per_row] for i in range(0, len(rows), per_row)]
    height = min(box.h, 170.0 * len(lines) + GAP * (len(lines) - 1))
    area = Box(box.x, box.top - height, box.w, height)
    fits = []
    for line, row_box in zip(lines, split(area, [1.0] * len(lines), vertical=True), strict=True):
        for (label, *rest), cell in zip(line, split(row_box, [1.0] * len(line), vertical=False), strict=False):
            inner = cell.inset(PAD + 4)
            head = fit_text(label, None, False, inner.w, inner.h * 0.35, 15, MIN_SIZE, max_lines=2)
            value = " ".join(rest)
            big = fit_text(value, None, True, inner.w, inner.h - head.height - 6, 56, 14, leading=1.1)
            fits.append(FigureFit(cell, inner, label, value, head, big))
    return fits


def draw_metrics(st: Style, block: Block, box: Box) -> None:
    for fit in fit_figures(block, box):
        cell, inner = fit.cell, fit.inner
        st.card(cell)
        st.c.setFillColor(st.theme.accent)
        st.c.rect(cell.x, cell.y + 14, 4, cell.h - 28, stroke=0, fill=1)
        draw_text(st.c, fit.head, inner.x, inner.top, inner.w, st.theme.muted)
        draw_text(st.c, fit.big, inner.x, inner.top - fit.head.height - 6, inner.w, st.theme.accent)


def _record(roles: Sequence[ColumnRole], row: Sequence[str], baseline_word: str) -> tuple[str, str, str]:
    """A table row as a card: heading, accent line, body, by the table's column roles (``Block.columns``).

    A baseline joins the accent line, labelled: a performance row reads "metric value · baseline 0.81".
    """
    cells = [*row, *[""] * max(0, max(len(roles), 2) - len(row))]
    parts: dict[ColumnRole, list[str]] = {"head": [], "sub": [], "baseline": [], "body": []}
    for index, cell in enumerate(cells):
        parts[roles[index] if index < len(roles) else _DEFAULT_ROLES[min(index, 2)]].append(cell)
    baseline = "".join(f" · {baseline_word} {cell}" for cell in parts["baseline"] if cell)
    body = " · ".join(cell for cell in parts["body"] if cell)
    return " ".join(parts["head"]), (" ".join(parts["sub"]) + baseline).strip(), body


def _grid(count: int, box: Box) -> tuple[int, int]:
    most = 1 if box.w < 480 else max(1, min(4, int((box.w + GAP) // (190 + GAP))))
    rows = -(-count // most)
    return -(-count // rows), rows


def _more(st: Style, box: Box, hidden: int) -> Box:
    """Reserve a line at the bottom of ``box`` saying how many rows did not fit; the rest of the box."""
    if hidden <= 0:
        return box
    note = fit_text(st.word("more", n=hidden), None, False, box.w, 16, 11, MIN_SIZE)
    draw_text(st.c, note, box.x, box.y + note.height, box.w, st.theme.muted)
    return Box(box.x, box.y + note.height + 8, box.w, box.h - note.height - 8)


def record_pieces(
    theme: Theme, baseline_word: str, roles: Sequence[ColumnRole], row: Sequence[str], *, rule: bool
) -> list[Piece]:
    """A table row as a record's pieces (every renderer that sets text from pieces draws records with these)."""
    head, sub, body = _record(roles, row, baseline_word)
    pieces = [Piece(head, bold=True, max_lines=2, gap=0.25, color=theme.ink, rule=rule)]
    if sub:
        pieces.append(Piece(sub, bold=True, scale=0.86, floor=MIN_SIZE, max_lines=2, gap=0.4, color=theme.accent))
    if body:
        pieces.append(Piece(body, scale=0.86, floor=MIN_SIZE, color=theme.muted))
    return pieces


def _record_pieces(st: Style, roles: Sequence[ColumnRole], row: Sequence[str], *, rule: bool) -> list[Piece]:
    return record_pieces(st.theme, st.word("baseline"), roles, row, rule=rule)


def record_list_count(rows: Sequence[Sequence[str]], box: Box) -> int:
    """How many records a narrow column of ``box``'s height holds, one under the other (the rest: "+n more")."""
    return max(1, min(len(rows), int((box.h + 16) // (MIN_SIZE * LEADING * 3.4 + 16))))


def record_list_pieces(
    theme: Theme, baseline_word: str, roles: Sequence[ColumnRole], rows: Sequence[Sequence[str]]
) -> list[Piece]:
    """Records one under the other as one stack: a hairline and a wider gap between them."""
    pieces: list[Piece] = []
    for index, row in enumerate(rows):
        if pieces:
            pieces[-1] = replace(pieces[-1], gap=1.5)
        pieces += record_pieces(theme, baseline_word, roles, row, rule=index > 0)
    return pieces


def record_cells(count: int, box: Box) -> list[Box]:
    """``count`` record cards in a grid filling ``box`` (``_grid``'s columns and rows), row by row."""
    cols, nrows = _grid(count, box)
    width = (box.w - GAP * (cols - 1)) / cols
    height = (box.h - GAP * (nrows - 1)) / nrows
    return [
        Box(box.x + col * (width + GAP), box.top - (r + 1) * height - r * GAP, width, height)
        for r, col in (divmod(index, cols) for index in range(count))
    ]


def record_grid_count(rows: Sequence[Sequence[str]], box: Box) -> int:
    """How many records fit as cards in ``box`` (rows of at least 110 pt; the rest: "+n more")."""
    cols, nrows = _grid(len(rows), box)
    return max(1, min(nrows, int((box.h + GAP) // (110 + GAP)))) * cols


def draw_record_list(st: Style, roles: Sequence[ColumnRole], rows: Sequence[Sequence[str]], box: Box) -> None:
    """Table rows in a narrow column: one record under the other, separated by hairlines."""
    count = record_list_count(rows, box)
    box = _more(st, box, len(rows) - count)
    _columns(st, [record_list_pieces(st.theme, st.word("baseline"), roles, rows[:count])], [box], 16)


def draw_records(st: Style, roles: Sequence[ColumnRole], rows: Sequence[Sequence[str]], box: Box) -> None:
    """Table rows of three or more cells as cards (a person, an experiment): heading, accent line, body."""
    if _grid(len(rows), box)[0] == 1:
        draw_record_list(st, roles, rows, box)
        return
    shown = rows[: record_grid_count(rows, box)]
    box = _more(st, box, len(rows) - len(shown))
    cells = record_cells(len(shown), box)
    columns = [_record_pieces(st, roles, row, rule=False) for row in shown]
    inner = [cell.inset(PAD) for cell in cells]
    stacks = _fit_columns(columns, inner, 17)
    needed = max(stack.height(pieces) for stack, pieces in zip(stacks, columns, strict=True)) + 2 * PAD + 6
    for pieces, cell, stack in zip(columns, cells, stacks, strict=True):
        card = Box(cell.x, cell.top - min(cell.h, needed), cell.w, min(cell.h, needed))
        st.card(card)
        st.c.setFillColor(st.theme.accent)
        st.c.rect(card.x + PAD, card.top - 4, 28, 4, stroke=0, fill=1)
        draw_stack(
            st.c, pieces, stack, cell.x + PAD, cell.top - PAD - 4, cell.w - 2 * PAD, st.theme.accent, st.theme.rule
        )


@dataclass(frozen=True)
class PairsFit:
    """How a two-column table is set in its box: the key column's width, the size, each row's height and how many
    whole rows fit."""

    key_w: float
    value_w: float
    size: float
    heights: tuple[float, ...]
    count: int


def fit_pairs(rows: Sequence[Sequence[str]], box: Box) -> PairsFit:
    """The largest size (17 pt on a wide box, else 14, down to the floor) at which every row fits, and how many
    whole rows fit at it (a row cut short still shows its first lines, with "…")."""
    key_w = min(box.w * 0.34, max(text_width(row[0], "PL-Sans-Bold", True, 14) for row in rows) + 16)
    value_w = box.w - key_w - 12
    size = 17.0 if box.w > 500 else 14.0
    while True:
        heights = [
            max(
                fit_text(row[0], None, True, key_w, 1e6, size, size).height,
                fit_text(" ".join(row[1:]), None, False, value_w, 1e6, size, size).height,
            )
            for row in rows
        ]
        if sum(heights) + 16 * (len(rows) - 1) <= box.h or size <= MIN_SIZE:
            break
        size -= 0.5
    used, count = 0.0, 0
    for height in heights:
        if used + min(height, size * LEADING) > box.h:
            break
        used, count = used + height + 16, count + 1
    return PairsFit(key_w, value_w, size, tuple(heights), count)


def draw_pairs(st: Style, rows: Sequence[Sequence[str]], box: Box) -> None:
    """A two-column table as a list: the first cell bold in the accent colour, the second beside it."""
    fit = fit_pairs(rows, box)
    key_w, value_w, size, heights, count = fit.key_w, fit.value_w, fit.size, fit.heights, fit.count
    if count < len(rows):
        box = _more(st, box, len(rows) - count)
    y = box.top
    for index, (row, height) in enumerate(zip(rows[:count], heights[:count], strict=True)):
        room = y - box.y
        if room < size * LEADING:
            break
        if index:
            st.c.setStrokeColor(st.theme.rule)
            st.c.setLineWidth(0.8)
            st.c.line(box.x, y + 8, box.x + box.w, y + 8)
        key = fit_text(row[0], None, True, key_w, min(height, room), size, size)
        value = fit_text(" ".join(row[1:]), None, False, value_w, min(height, room), size, size)
        draw_text(st.c, key, box.x, y, key_w, st.theme.accent)
        draw_text(st.c, value, box.x + key_w + 12, y, value_w, st.theme.ink)
        y -= max(key.height, value.height) + 16


def draw_table(st: Style, block: Block, box: Box) -> None:
    rows = [row for row in block.rows if any(cell.strip() for cell in row)]
    if not rows:
        return
    if max(len(row) for row in rows) <= 2:
        draw_pairs(st, [(*row, "")[:2] for row in rows], box)
    else:
        draw_records(st, block.columns, rows, box)


def _steps(script: str) -> list[str]:
    parts = [part.strip() for part in _STEP.split(script) if part.strip()]
    return parts if len(parts) > 1 else [script.strip()] if script.strip() else []


def draw_demo(st: Style, block: Block, box: Box) -> None:
    examples = [item for item in block.items if item.strip()]
    wordy = sum(map(len, examples)) > 45 * len(examples)
    left, right = split(box, [1.1 if wordy else 1.5, 1.0], vertical=False) if examples else (box, box)
    if block.text.strip():
        head = Piece(st.word("script"), bold=True, scale=0.62, floor=11.5, gap=0.6, max_lines=1, color=st.theme.accent)
        steps = [Piece(step, marker=True, indent=18, gap=0.55, color=st.theme.ink) for step in _steps(block.text)]
        _columns(st, [[head, *steps]], [left if examples else box], 18)
    elif examples:
        left, right = box, box
    if not examples:
        return
    badge = fit_text(st.word("live"), None, True, right.w, 20, 11, MIN_SIZE, max_lines=1)
    width = text_width(badge.lines[0] if badge.lines else "", badge.font, True, badge.size) + 30
    st.card(Box(right.x, right.top - 24, min(width, right.w), 24), fill=st.theme.accent)
    st.c.setFillColor(st.theme.accent_ink)
    st.c.circle(right.x + 12, right.top - 12, 3, stroke=0, fill=1)
    draw_text(st.c, badge, right.x + 21, right.top - 12 + badge.height / 2, right.w, st.theme.accent_ink)
    area = Box(right.x, right.y, right.w, right.h - 36)
    cells = split(area, [1.0] * len(examples), vertical=True, gap=10)
    columns = [[Piece(text, color=st.theme.ink)] for text in examples]
    inner = [Box(cell.x + 16, cell.y + 6, cell.w - 28, cell.h - 12) for cell in cells]
    for pieces, cell, box, stack in zip(columns, cells, inner, _fit_columns(columns, inner, 14), strict=True):
        st.card(cell)
        st.c.setFillColor(st.theme.accent)
        st.c.rect(cell.x, cell.y + 8, 3, max(0.0, cell.h - 16), stroke=0, fill=1)
        middle = box.top - (box.h - stack.height(pieces)) / 2
        draw_stack(st.c, pieces, stack, box.x, middle, box.w, st.theme.accent, st.theme.rule)


def draw_chart(st: Style, block: Block, box: Box) -> None:
    drawing = st.charts.get(block.chart)
    draw: Callable[..., Any] | None = None
    if drawing is not None:
        try:
            draw = importlib.import_module("pitchlab.decks.charts.pdf").draw_on_canvas
        except (ImportError, AttributeError):
            draw = None
    if drawing is None or draw is None or drawing.width <= 0 or drawing.height <= 0:
        st.c.setStrokeColor(st.theme.rule)
        st.c.setLineWidth(1.2)
        st.c.setDash(5, 4)
        st.c.roundRect(box.x, box.y, box.w, box.h, 10, stroke=1, fill=0)
        st.c.setDash()
        note = fit_text(st.word("no_chart"), None, False, box.w - 24, box.h - 24, 14, MIN_SIZE)
        draw_text(st.c, note, box.x, box.y + box.h / 2 + note.height / 2, box.w, st.theme.muted, align="center")
        return
    scale = min(box.w / drawing.width, box.h / drawing.height)
    width, height = drawing.width * scale, drawing.height * scale
    x, y = box.x + (box.w - width) / 2, box.y + (box.h - height) / 2
    st.c.saveState()
    fonts = {"font": st.fonts.sans, "bold_font": st.fonts.bold, "cjk_font": st.fonts.cjk}
    draw(drawing, st.c, x=x, y=y, width=width, height=height, **fonts)
    st.c.restoreState()


def draw_statement(st: Style, block: Block, box: Box) -> None:
    """One paragraph set large (the slide's point), its heading a small accent label above it, an accent bar at
    its left; the whole centred in its box, shrunk to fit down to a floor (then cut, visibly)."""
    indent = 26.0
    width = box.w - indent
    label = fit_text(block.heading, None, True, width, 40, 13, 11, max_lines=2) if block.heading else None
    label_room = label.height + 12 if label is not None and label.lines else 0.0
    text = fit_text(block.text, None, False, width, box.h - label_room, 34, 16, leading=1.28)
    height = label_room + text.height
    top = box.top - max(0.0, (box.h - height) / 2)
    st.c.setFillColor(st.theme.accent)
    st.c.rect(box.x, top - height, 4, height, stroke=0, fill=1)
    if label is not None:
        draw_text(st.c, label, box.x + indent, top, width, st.theme.accent)
    draw_text(st.c, text, box.x + indent, top - label_room, width, st.theme.ink)


def draw_placed(st: Style, placed: Sequence[tuple[Block, Box]]) -> None:
    """Draw placed blocks, each kind's together by its drawer."""
    by_kind: dict[BlockKind, list[tuple[Block, Box]]] = {}
    for block, box in placed:
        by_kind.setdefault(block.kind, []).append((block, box))
    for kind, mine in by_kind.items():
        BLOCK_DRAWERS[kind].draw(st, mine, len(placed))


def draw_slide_blocks(st: Style, slide: Slide, area: Box) -> None:
    """Draw ``slide``'s blocks into ``area``: placed by ``layout``, each drawn by its kind's drawer."""
    draw_placed(st, layout(slide.blocks, area))


GroupDraw = Callable[[Style, Sequence[tuple[Block, Box]], int], None]


def _each(draw: Callable[[Style, Block, Box], None]) -> GroupDraw:
    """A drawer of one block as a drawer of all of a slide's blocks of its kind, one after the other."""

    def draw_all(st: Style, placed: Sequence[tuple[Block, Box]], _count: int) -> None:
        for block, box in placed:
            draw(st, block, box)

    return draw_all


def _text_group(st: Style, placed: Sequence[tuple[Block, Box]], count: int) -> None:
    # A slide's paragraphs are set at one size; in cards when they share the slide with other blocks.
    draw_text_blocks(st, placed, card=count > 1)


@dataclass(frozen=True)
class BlockDrawer:
    """How the PDF draws one kind of block, and the room it asks for.

    ``draw(style, placed, count)`` gets every block of its kind on a slide with its box (``count`` blocks on
    the slide in all); ``weight`` is its share of a row of blocks side by side, ``beside_figure`` its share of
    the column next to a figure; a ``figure`` (a chart) takes the left of the slide and the others go beside it.
    """

    draw: GroupDraw
    weight: float = 1.0
    beside_figure: float = 1.0
    figure: bool = False


BLOCK_DRAWERS: dict[BlockKind, BlockDrawer] = {
    "lead": BlockDrawer(_each(draw_lead)),
    "text": BlockDrawer(_text_group),
    "bullets": BlockDrawer(_each(draw_bullets)),
    "chart": BlockDrawer(_each(draw_chart), figure=True),
    "metrics": BlockDrawer(_each(draw_metrics), weight=0.8, beside_figure=0.45),
    "table": BlockDrawer(_each(draw_table), weight=1.5),
    "demo": BlockDrawer(_each(draw_demo), weight=1.5),
    "live_demo": BlockDrawer(_each(draw_live_demo), weight=2.6),
    "picture": BlockDrawer(_each(draw_gallery), figure=True),
    "people": BlockDrawer(_each(draw_people), weight=2.0),
    "statement": BlockDrawer(_each(draw_statement), weight=1.5),
}


def block_drawer(block: Block) -> BlockDrawer:
    """The drawer of ``block``'s kind; a kind without one is a KeyError naming it (never a blank box)."""
    return BLOCK_DRAWERS[block.kind]
