"""A slide's content in the .pptx: its blocks where the PDF's layout places them, drawn as the PDF draws them.

Placement is the PDF's own (``pdf.page_layout(slide).place``, ``pdf_layouts``), so every layout the slide model
offers (``slides.ALL_LAYOUTS``) arranges the same boxes; the big number and the quote, which the PDF draws
itself, are set here from the same helpers. Each block kind has one drawer (``DRAWERS``): text as text boxes
fitted as the PDF fits them, cards and bars as shapes, charts native (``charts``), figures and tables in
``records``, pictures and people in ``team``, the live demo in ``demo``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Pt

from pitchlab.decks.pdf import page_layout
from pitchlab.decks.pdf_base import PAD, Box, split
from pitchlab.decks.pdf_blocks import _fit_columns, _heading_piece, _item_pieces, _start, _steps, layout
from pitchlab.decks.pdf_layouts import (
    QUOTES,
    _column,
    _hero,
    _place_columns,
    _quote_boxes,
    _quoted,
    _rest,
    _takeaway_boxes,
    fit_big_number,
    fit_quote,
)
from pitchlab.decks.pdf_text import Piece, fit_text
from pitchlab.decks.powerpoint.base import (
    HEIGHT,
    Frame,
    Para,
    fill_text,
    fitted_para,
    rectangle,
    rgb,
    shown_text,
    text_box,
)
from pitchlab.decks.powerpoint.charts import draw_native_chart
from pitchlab.decks.powerpoint.pages import Page
from pitchlab.decks.powerpoint.records import draw_metrics, draw_table
from pitchlab.decks.powerpoint.stacks import card, stack_paras, text_columns
from pitchlab.decks.powerpoint.team import draw_gallery, draw_people
from pitchlab.decks.slides import Block, BlockKind

Placed = Sequence[tuple[Block, Box]]


def _box(frame: Frame) -> Box:
    return Box(frame.x, HEIGHT - frame.bottom, frame.w, frame.h)


# --- text ------------------------------------------------------------------------------------------------------


def _lead(page: Page, block: Block, box: Box) -> None:
    frame = Frame.of(box)
    para = fitted_para(
        block.text, frame, page.look, start=40, floor=16, color=page.look.theme.ink, bold=True, leading=1.15
    )
    text_box(page.shapes, frame, [para], page.look)


def _texts(page: Page, placed: Placed, count: int) -> None:
    """A slide's paragraphs at one size, in cards when they share the slide with other blocks."""
    in_cards = count > 1
    columns: list[list[Piece]] = []
    boxes: list[Box] = []
    for block, box in placed:
        if in_cards:
            card(page, box)
        pieces = [_heading_piece(block.heading, page.look.theme)] if block.heading else []
        columns.append([*pieces, Piece(block.text, color=page.look.theme.ink)])
        boxes.append(box.inset(PAD) if in_cards else box)
    if boxes:
        text_columns(page, columns, boxes, min(_start(box) for box in boxes))


def _item_columns(page: Page, groups: Sequence[Sequence[str]], boxes: Sequence[Box], headings: Sequence[str]) -> None:
    theme = page.look.theme
    columns = [[p for item in group for p in _item_pieces(item, theme, 18)] for group in groups]
    for column, heading in zip(columns, headings, strict=False):
        if heading:
            column.insert(0, _heading_piece(heading, theme))
    text_columns(page, columns, boxes, 20 if sum(map(len, groups)) <= 3 else 16)


def _bullets(page: Page, block: Block, box: Box) -> None:
    """A list under its heading; four or more items on a wide box in two columns (as the PDF)."""
    items = [item for item in block.items if item.strip()]
    if box.w > 640 and len(items) >= 4:
        half = (len(items) + 1) // 2
        _item_columns(page, [items[:half], items[half:]], split(box, [1.0, 1.0], vertical=False), [block.heading])
    else:
        _item_columns(page, [items], [box], [block.heading])


def _statement(page: Page, block: Block, box: Box) -> None:
    """One paragraph set large, its heading a small accent label above, an accent bar at its left."""
    theme, indent = page.look.theme, 26.0
    width = box.w - indent
    label = fit_text(block.heading, None, True, width, 40, 13, 11, max_lines=2) if block.heading else None
    label_room = label.height + 12 if label is not None and label.lines else 0.0
    text = fit_text(block.text, None, False, width, box.h - label_room, 34, 16, leading=1.28)
    height = label_room + text.height
    top = HEIGHT - box.top + max(0.0, (box.h - height) / 2)
    rectangle(page.shapes, Frame(box.x, top, 4, height), theme.accent, name="Statement bar")
    paras = []
    if label is not None and label.lines:
        paras.append(Para(shown_text(block.heading, label), label.size, theme.accent, bold=True, space_after=12))
    paras.append(Para(shown_text(block.text, text), text.size, theme.ink, leading=1.28))
    text_box(page.shapes, Frame(box.x + indent, top, width, height + 4), paras, page.look)


# --- figures and records ---------------------------------------------------------------------------------------


def _demo(page: Page, block: Block, box: Box) -> None:
    """The demo script as numbered steps, the examples on cards beside it under a "live" badge."""
    theme = page.look.theme
    examples = [item for item in block.items if item.strip()]
    wordy = sum(map(len, examples)) > 45 * len(examples)
    left, right = split(box, [1.1 if wordy else 1.5, 1.0], vertical=False) if examples else (box, box)
    if block.text.strip():
        head = Piece(page.word("script"), bold=True, scale=0.62, floor=11.5, gap=0.6, max_lines=1, color=theme.accent)
        steps = [Piece(step, marker=True, indent=18, gap=0.55, color=theme.ink) for step in _steps(block.text)]
        text_columns(page, [[head, *steps]], [left if examples else box], 18)
    elif examples:
        right = box
    if not examples:
        return
    badge = Frame(right.x, HEIGHT - right.top, min(150.0, right.w), 24)
    pill = rectangle(page.shapes, badge, theme.accent, radius=12, name="Live badge")
    fill_text(
        pill.text_frame,
        [Para("● " + page.word("live"), 11, theme.accent_ink, bold=True, align="center")],
        page.look,
        anchor="middle",
    )
    area = Box(right.x, right.y, right.w, right.h - 36)
    cells = split(area, [1.0] * len(examples), vertical=True, gap=10)
    columns = [[Piece(text, color=theme.ink)] for text in examples]
    inner = [Box(cell.x + 16, cell.y + 6, cell.w - 28, cell.h - 12) for cell in cells]
    for pieces, cell, room, stack in zip(columns, cells, inner, _fit_columns(columns, inner, 14), strict=True):
        card(page, cell)
        rectangle(page.shapes, Frame.of(Box(cell.x, cell.y + 8, 3, max(0.0, cell.h - 16))), theme.accent, name="Bar")
        text_box(page.shapes, Frame.of(room), stack_paras(pieces, stack, page), page.look, anchor="middle")


def _chart(page: Page, block: Block, box: Box) -> None:
    """The native chart of the block's kind, or a dashed frame saying it is unavailable (as the PDF)."""
    chart = page.charts.get(block.chart)
    frame = Frame.of(box)
    if chart is not None:
        draw_native_chart(page.shapes, chart, frame, page.look)
        return
    theme = page.look.theme
    shape = page.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Pt(frame.x), Pt(frame.y), Pt(frame.w), Pt(frame.h))
    shape.fill.background()
    shape.line.color.rgb = rgb(theme.rule)
    shape.line.width = Pt(1.2)
    shape.line.dash_style = 4  # MSO_LINE.DASH
    fill_text(
        shape.text_frame, [Para(page.word("no_chart"), 14, theme.muted, align="center")], page.look, anchor="middle"
    )


def _live_demo(page: Page, block: Block, box: Box) -> None:
    from pitchlab.decks.powerpoint.demo import draw_live_demo

    draw_live_demo(page, block, Frame.of(box))


def _each(draw: Callable[[Page, Block, Box], None]) -> Callable[[Page, Placed, int], None]:
    def draw_all(page: Page, placed: Placed, _count: int) -> None:
        for block, box in placed:
            draw(page, block, box)

    return draw_all


DRAWERS: dict[BlockKind, Callable[[Page, Placed, int], None]] = {
    "lead": _each(_lead),
    "text": _texts,
    "bullets": _each(_bullets),
    "chart": _each(_chart),
    "metrics": _each(draw_metrics),
    "table": _each(draw_table),
    "demo": _each(_demo),
    "live_demo": _each(_live_demo),
    "picture": _each(draw_gallery),
    "people": _each(draw_people),
    "statement": _each(_statement),
}


def draw_placed(page: Page, placed: Placed) -> None:
    """Draw placed blocks, each kind's together by its drawer (as ``pdf_blocks.draw_placed``)."""
    by_kind: dict[BlockKind, list[tuple[Block, Box]]] = {}
    for block, box in placed:
        by_kind.setdefault(block.kind, []).append((block, box))
    for kind, mine in by_kind.items():
        DRAWERS[kind](page, mine, len(placed))


# --- the layouts the PDF draws itself ---------------------------------------------------------------------------


def _big_number(page: Page, blocks: Sequence[Block], area: Box) -> None:
    """The figure huge in the accent with its label under it and a bar above; the other blocks beside it."""
    theme = page.look.theme
    hero = _hero(blocks)
    if hero is None:
        draw_placed(page, layout(blocks, area))
        return
    fit = fit_big_number(hero, area)
    box, right, big, label, height, align, bar_x = (
        fit.box, fit.right, fit.big, fit.label, fit.height, fit.align, fit.bar_x
    )  # fmt: skip
    top = HEIGHT - fit.top
    rectangle(page.shapes, Frame(bar_x, top, 56, 5), theme.accent, name="Number bar")
    paras = [
        Para(
            shown_text(hero.big, big),
            big.size,
            theme.accent if hero.number else theme.ink,
            bold=True,
            align=align,
            leading=1.02 if hero.number else 1.15,
            space_after=14,
        )
    ]
    if label is not None:
        paras.append(Para(shown_text(hero.label, label), label.size, theme.muted, align=align))
    text_box(page.shapes, Frame(box.x, top + 18, box.w, height - 18 + 6), paras, page.look, name="Big number")
    if right is not None:
        draw_placed(page, _column(hero.others, right))


def _quote(page: Page, blocks: Sequence[Block], area: Box) -> None:
    """The first text large between quotation marks, centred, its heading a label above, a rule under it."""
    theme = page.look.theme
    quote = _quoted(blocks)
    if quote is None:
        draw_placed(page, layout(blocks, area))
        return
    box, lower = _quote_boxes(quote, blocks, area)
    fit = fit_quote(quote, box)
    top = HEIGHT - fit.top
    paras = []
    if fit.label is not None:
        paras.append(
            Para(shown_text(quote.heading, fit.label), fit.label.size, theme.accent, bold=True, align="center",
                 space_after=12)
        )  # fmt: skip
    closing = QUOTES[1]
    shown = shown_text(fit.words, fit.text)
    paras.append(
        Para(shown if shown.endswith(closing) else shown + closing, fit.text.size, theme.ink, align="center",
             leading=1.3)
    )  # fmt: skip
    text_box(page.shapes, Frame(fit.x, top, fit.width, fit.height - 18), paras, page.look, name="Quote")
    rectangle(page.shapes, Frame(box.x + box.w / 2 - 24, top + fit.height - 7, 48, 3), theme.accent, name="Quote rule")
    if lower is not None:
        draw_placed(page, layout(_rest(blocks, quote), lower))


def _takeaways_rule(page: Page, blocks: Sequence[Block], area: Box) -> None:
    figures = [b for b in blocks if b.kind in ("chart", "picture")]
    if figures and len(figures) < len(blocks):
        _, right = _takeaway_boxes(area)
        rectangle(page.shapes, Frame.of(Box(right.x - 14, right.y, 3, right.h)), page.look.theme.accent, name="Rule")


def _columns_layout(page: Page, blocks: Sequence[Block], area: Box) -> None:
    """As placed, every list at one size: a list split over columns reads as one (``pdf_layouts``)."""
    placed = _place_columns(blocks, area)
    lists = [(block, box) for block, box in placed if block.kind == "bullets"]
    groups = [[item for item in block.items if item.strip()] for block, _ in lists]
    if lists:
        _item_columns(page, groups, [box for _, box in lists], [block.heading for block, _ in lists])
    draw_placed(page, [(block, box) for block, box in placed if block.kind != "bullets"])


_OWN: dict[str, Callable[[Page, Sequence[Block], Box], None]] = {
    "big_number": _big_number,
    "quote": _quote,
    "columns": _columns_layout,
}


def draw_content(page: Page, area: Frame) -> None:
    """The slide's blocks in the content ``area`` below its title, arranged by its layout."""
    slide, box = page.slide, _box(area)
    own = _OWN.get(slide.layout)
    if own is not None:
        own(page, slide.blocks, box)
        return
    place = page_layout(slide).place
    if place is None:
        return
    if slide.layout == "chart_takeaways":
        _takeaways_rule(page, slide.blocks, box)
    draw_placed(page, place(slide.blocks, box))
