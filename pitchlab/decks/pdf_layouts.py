"""The PDF's page layouts beyond the generic slide: where each layout puts a slide's blocks, and what it draws
itself (the big number, the quote, the full-page picture) (pure).

A layout is a ``ContentLayout``: ``place(blocks, area)`` says where the blocks its page leaves to their kinds'
drawers go inside the content area (below the title, above the footer), so ``pdf.chart_sizes`` sizes each chart
by the box it is drawn in; ``draw`` draws the page's content there. Every layout takes any list of blocks: what it
has no special place for goes in its text column, and a layout whose special content is missing (no number, no
quote, no picture, no chart) falls back to the generic arrangement (``pdf_blocks.layout``). ``pdf.PAGE_LAYOUTS``
puts each one on a page with the title and footer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pitchlab.decks.deck_pictures import DeckPicture
from pitchlab.decks.pdf_base import GAP, Box, Style, split
from pitchlab.decks.pdf_blocks import block_drawer, draw_item_columns, draw_placed, layout
from pitchlab.decks.pdf_pictures import draw_picture
from pitchlab.decks.pdf_text import FittedText, draw_text, fit_text
from pitchlab.decks.slides import Block

Placed = list[tuple[Block, Box]]
Place = Callable[[Sequence[Block], Box], Placed]
QUOTES = ("“", "”")


@dataclass(frozen=True)
class ContentLayout:
    """How one layout fills a page's content area: ``place`` for the blocks drawn by their kinds' drawers (what
    sizes the charts), ``draw(style, blocks, area)`` for everything, its own parts included."""

    place: Place
    draw: Callable[[Style, Sequence[Block], Box], None]


def _placed_only(place: Place) -> Callable[[Style, Sequence[Block], Box], None]:
    """A layout that draws nothing of its own: its blocks where ``place`` puts them."""

    def draw(st: Style, blocks: Sequence[Block], area: Box) -> None:
        draw_placed(st, place(blocks, area))

    return draw


def _figure(block: Block) -> bool:
    return block_drawer(block).figure


def _rest(blocks: Sequence[Block], taken: Block) -> list[Block]:
    return [block for block in blocks if block is not taken]


def _column(blocks: Sequence[Block], box: Box) -> Placed:
    """Blocks in a narrow column: one under the other, each by its share beside a figure (with a figure among
    them, the generic arrangement)."""
    if any(_figure(b) for b in blocks) or len(blocks) < 2:
        return layout(blocks, box)
    return list(zip(blocks, split(box, [block_drawer(b).beside_figure for b in blocks], vertical=True), strict=True))


# --- statement -------------------------------------------------------------------------------------------------


def _place_statement(blocks: Sequence[Block], area: Box) -> Placed:
    """The statement set large: with a figure (the size of the pain) the statement takes 60 % and the figure
    stands beside it, centred, large; alone it takes the area."""
    statements = [block for block in blocks if block.kind == "statement"]
    others = [block for block in blocks if block.kind != "statement"]
    if not statements or not others:
        return layout(blocks, area)
    left, right = split(area, [0.6, 0.4], vertical=False, gap=36)
    placed = list(zip(statements, split(left, [1.0] * len(statements), vertical=True), strict=True))
    height = min(right.h, 190.0 * len(others))
    return placed + layout(others, Box(right.x, right.y + (right.h - height) / 2, right.w, height))


# --- big number ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hero:
    """What a big-number slide sets huge (``big``) with its ``label`` under it, and the blocks left beside it."""

    big: str
    label: str
    number: bool  # a figure (set in the accent, huge) rather than a line of words
    others: list[Block]


def _hero(blocks: Sequence[Block]) -> _Hero | None:
    """The first metrics block's first figure; else the first text or statement as the big line; else None."""
    metrics = next((b for b in blocks if b.kind == "metrics" and any(row for row in b.rows)), None)
    if metrics is not None:
        rows = [row for row in metrics.rows if row]
        label, *value = rows[0]
        rest = _rest(blocks, metrics)
        if len(rows) > 1:
            rest.insert(blocks.index(metrics), replace(metrics, rows=tuple(rows[1:])))
        return _Hero(" ".join(value).strip() or label, label if value else "", True, rest)
    words = next((b for b in blocks if b.kind in ("text", "statement") and b.text.strip()), None)
    if words is not None:
        return _Hero(words.text, words.heading, False, _rest(blocks, words))
    return None


def _hero_boxes(hero: _Hero, area: Box) -> tuple[Box, Box | None]:
    """The big number's box and the others' beside it (None when it stands alone, centred in the whole area)."""
    if not hero.others:
        return area, None
    share = 0.42 if hero.number else 0.5
    left, right = split(area, [share, 1 - share], vertical=False, gap=GAP * 1.5)
    return left, right


def _place_big_number(blocks: Sequence[Block], area: Box) -> Placed:
    hero = _hero(blocks)
    if hero is None:
        return layout(blocks, area)
    _, right = _hero_boxes(hero, area)
    return _column(hero.others, right) if right is not None else []


def _fit_hero(hero: _Hero, box: Box) -> tuple[FittedText, FittedText | None]:
    label = fit_text(hero.label, None, False, box.w, box.h * 0.3, 22, 12, max_lines=3) if hero.label else None
    room = box.h - 18 - (label.height + 14 if label is not None else 0)  # under the bar, over the label
    if hero.number:  # on one line if it can be set large there, else on two
        big = fit_text(hero.big, None, True, box.w, room, 132, 48, leading=1.02, max_lines=1)
        if big.truncated:
            big = fit_text(hero.big, None, True, box.w, room, 132, 28, leading=1.02, max_lines=2)
    else:
        big = fit_text(hero.big, None, True, box.w, room, 56, 20, leading=1.15, max_lines=6)
    return big, label


@dataclass(frozen=True)
class BigNumberFit:
    """A big-number slide set in its area: the hero's box (and the others' beside it), the fitted figure and label,
    the top of the accent bar (from the foot of the page), the alignment and the bar's left edge."""

    box: Box
    right: Box | None
    big: FittedText
    label: FittedText | None
    top: float
    height: float
    align: Literal["left", "center"]
    bar_x: float


def fit_big_number(hero: _Hero, area: Box) -> BigNumberFit:
    """The hero set huge: alone in the middle of ``area``, or on its left with the other blocks beside it; the whole
    (bar, figure, label) centred in its box's height."""
    box, right = _hero_boxes(hero, area)
    big, label = _fit_hero(hero, box)
    height = 18 + big.height + (label.height + 14 if label is not None else 0)
    top = box.top - max(0.0, (box.h - height) / 2)
    bar_x = box.x if right is not None else box.x + box.w / 2 - 28
    return BigNumberFit(box, right, big, label, top, height, "left" if right is not None else "center", bar_x)


def _draw_big_number(st: Style, blocks: Sequence[Block], area: Box) -> None:
    """The figure huge in the accent colour with its label under it, an accent bar above; alone it stands in the
    middle of the page, with other blocks it takes the left and they stand beside it, smaller."""
    hero = _hero(blocks)
    if hero is None:
        draw_placed(st, layout(blocks, area))
        return
    fit = fit_big_number(hero, area)
    box, right, big, label, top, align, bar_x = (
        fit.box, fit.right, fit.big, fit.label, fit.top, fit.align, fit.bar_x
    )  # fmt: skip
    st.c.setFillColor(st.theme.accent)
    st.c.rect(bar_x, top - 5, 56, 5, stroke=0, fill=1)
    draw_text(st.c, big, box.x, top - 18, box.w, st.theme.accent if hero.number else st.theme.ink, align=align)
    if label is not None:
        draw_text(st.c, label, box.x, top - 18 - big.height - 14, box.w, st.theme.muted, align=align)
    if right is not None:
        draw_placed(st, _column(hero.others, right))


# --- quote -----------------------------------------------------------------------------------------------------


def _quoted(blocks: Sequence[Block]) -> Block | None:
    return next((b for b in blocks if b.kind in ("text", "statement") and b.text.strip()), None)


def _quote_boxes(quote: Block, blocks: Sequence[Block], area: Box) -> tuple[Box, Box | None]:
    """The quote's box (the upper part when other blocks stand small below it) and theirs."""
    if len(blocks) == 1:
        return area, None
    upper, lower = split(area, [0.62, 0.38], vertical=True, gap=GAP * 1.2)
    return upper, lower


def _place_quote(blocks: Sequence[Block], area: Box) -> Placed:
    quote = _quoted(blocks)
    if quote is None:
        return layout(blocks, area)
    _, lower = _quote_boxes(quote, blocks, area)
    return layout(_rest(blocks, quote), lower) if lower is not None else []


@dataclass(frozen=True)
class QuoteFit:
    """A quote set in its box: its words between the marks, the fitted label and text, where they stand (``top``
    from the foot of the page, the centred column's ``x`` and ``width``) and the height of the whole."""

    words: str
    label: FittedText | None
    text: FittedText
    x: float
    width: float
    top: float
    label_room: float
    height: float


def fit_quote(quote: Block, box: Box) -> QuoteFit:
    """The quote large between quotation marks in the middle 84 % of ``box``, its heading a one-line label above,
    the whole centred in the box's height (with room for the rule under it)."""
    width = box.w * 0.84
    label = fit_text(quote.heading, None, True, width, 36, 13, 11, max_lines=1) if quote.heading else None
    label_room = label.height + 12 if label is not None else 0.0
    opening, closing = QUOTES
    words = f"{opening}{quote.text.strip()}{closing}"
    text = fit_text(words, None, False, width, box.h - label_room - 22, 38, 15, leading=1.3)
    height = label_room + text.height + 22
    top = box.top - max(0.0, (box.h - height) / 2)
    return QuoteFit(words, label, text, box.x + (box.w - width) / 2, width, top, label_room, height)


def _draw_quote(st: Style, blocks: Sequence[Block], area: Box) -> None:
    """The first text set large between quotation marks, centred, its heading a small accent label above and a
    short accent rule under it; the other blocks smaller below."""
    quote = _quoted(blocks)
    if quote is None:
        draw_placed(st, layout(blocks, area))
        return
    box, lower = _quote_boxes(quote, blocks, area)
    fit = fit_quote(quote, box)
    if fit.label is not None:
        draw_text(st.c, fit.label, fit.x, fit.top, fit.width, st.theme.accent, align="center")
    draw_text(st.c, fit.text, fit.x, fit.top - fit.label_room, fit.width, st.theme.ink, align="center")
    st.c.setFillColor(st.theme.accent)
    st.c.rect(box.x + box.w / 2 - 24, fit.top - fit.height + 4, 48, 3, stroke=0, fill=1)
    if lower is not None:
        draw_placed(st, layout(_rest(blocks, quote), lower))


# --- columns ---------------------------------------------------------------------------------------------------

_MOST_COLUMNS = 3


def _chunks(items: Sequence[str], count: int) -> list[tuple[str, ...]]:
    """``items`` in ``count`` runs in order, the first ones longer by one where they do not share evenly."""
    size, extra = divmod(len(items), count)
    starts = [index * size + min(index, extra) for index in range(count + 1)]
    return [tuple(items[starts[i] : starts[i + 1]]) for i in range(count)]


def _column_blocks(words: Sequence[Block]) -> list[Block]:
    """The blocks that stand as columns: one person each for a lone team; a lone list of many items split
    over two or three columns; else the blocks themselves."""
    if len(words) != 1:
        return list(words)
    block = words[0]
    if block.kind == "people" and len(block.people) > 1:
        return [replace(block, people=(person,)) for person in block.people]
    items = [item for item in block.items if item.strip()]
    if block.kind == "bullets" and len(items) >= 4:
        count = 3 if len(items) >= 7 or len(items) == 3 else 2
        # the list's heading over its first column only: the columns read as one list
        chunks = _chunks(items, count)
        return [replace(block, items=chunk, heading=block.heading if not i else "") for i, chunk in enumerate(chunks)]
    return [block]


def _grid(blocks: Sequence[Block], area: Box) -> Placed:
    """Blocks in equal columns, at most three to a row (four as two and two), rows of equal height."""
    per_row = 2 if len(blocks) == 4 else min(len(blocks), _MOST_COLUMNS)
    rows = [blocks[i : i + per_row] for i in range(0, len(blocks), per_row)]
    placed: Placed = []
    for row, line in zip(rows, split(area, [1.0] * len(rows), vertical=True), strict=True):
        cells = split(line, [1.0] * per_row, vertical=False)
        placed += list(zip(row, cells, strict=False))
    return placed


def _place_columns(blocks: Sequence[Block], area: Box) -> Placed:
    """Figures side by side across the top, the other blocks in equal columns under them."""
    figures = [b for b in blocks if _figure(b)]
    words = _column_blocks([b for b in blocks if not _figure(b)])
    if not words or (len(words) == 1 and not figures):
        return layout(blocks, area)
    if not figures:
        return _grid(words, area)
    upper, lower = split(area, [0.48, 0.52], vertical=True)
    return list(zip(figures, split(upper, [1.0] * len(figures), vertical=False), strict=True)) + _grid(words, lower)


def _draw_columns(st: Style, blocks: Sequence[Block], area: Box) -> None:
    """As placed, every list at one size: a list split over columns reads as one."""
    placed = _place_columns(blocks, area)
    lists = [(block, box) for block, box in placed if block.kind == "bullets"]
    groups = [[item for item in block.items if item.strip()] for block, _ in lists]
    draw_item_columns(st, groups, [b for _, b in lists], headings=[block.heading for block, _ in lists])
    draw_placed(st, [(block, box) for block, box in placed if block.kind != "bullets"])


# --- text and picture ------------------------------------------------------------------------------------------


def _first_picture(blocks: Sequence[Block]) -> Block | None:
    return next((b for b in blocks if b.kind == "picture" and b.pictures), None)


def _picture_boxes(area: Box) -> tuple[Box, Box]:
    left, right = split(area, [0.45, 0.55], vertical=False, gap=GAP * 1.5)
    return left, right


def _place_text_picture(blocks: Sequence[Block], area: Box) -> Placed:
    """The words in a column on the left (~45 %), the first picture block large on the right."""
    picture = _first_picture(blocks)
    rest = [b for b in blocks if b is not picture]
    if picture is None or not rest:
        return layout(blocks, area)
    text, right = _picture_boxes(area)
    return [*_column(rest, text), (picture, right)]


# --- charts and takeaways --------------------------------------------------------------------------------------


def _takeaway_boxes(area: Box) -> tuple[Box, Box]:
    left, right = split(area, [0.62, 0.38], vertical=False, gap=GAP * 1.5)
    return left, Box(right.x + 14, right.y, right.w - 14, right.h)


def _place_chart_takeaways(blocks: Sequence[Block], area: Box) -> Placed:
    """The charts large, stacked on the left (~62 %), every other block stacked in a column on the right."""
    charts = [b for b in blocks if _figure(b)]
    others = [b for b in blocks if not _figure(b)]
    if not charts or not others:
        return layout(blocks, area)
    left, right = _takeaway_boxes(area)
    weights = [block_drawer(b).beside_figure for b in others]
    return list(zip(charts, split(left, [1.0] * len(charts), vertical=True), strict=True)) + list(
        zip(others, split(right, weights, vertical=True), strict=True)
    )


def _draw_chart_takeaways(st: Style, blocks: Sequence[Block], area: Box) -> None:
    """As placed, with an accent rule down the left of the takeaways column."""
    placed = _place_chart_takeaways(blocks, area)
    if any(_figure(b) for b in blocks) and not all(_figure(b) for b in blocks):
        _, right = _takeaway_boxes(area)
        st.c.setFillColor(st.theme.accent)
        st.c.rect(right.x - 14, right.y, 3, right.h, stroke=0, fill=1)
    draw_placed(st, placed)


CONTENT_LAYOUTS: dict[str, ContentLayout] = {
    "statement": ContentLayout(_place_statement, _placed_only(_place_statement)),
    "big_number": ContentLayout(_place_big_number, _draw_big_number),
    "quote": ContentLayout(_place_quote, _draw_quote),
    "columns": ContentLayout(_place_columns, _draw_columns),
    "text_picture": ContentLayout(_place_text_picture, _placed_only(_place_text_picture)),
    "chart_takeaways": ContentLayout(_place_chart_takeaways, _draw_chart_takeaways),
}


# --- the picture filling the page --------------------------------------------------------------------------------


def full_picture(blocks: Sequence[Block]) -> DeckPicture | None:
    """The picture a full-picture slide fills the page with: the first picture of its first picture block."""
    block = _first_picture(blocks)
    return block.pictures[0] if block is not None else None


def caption_of(blocks: Sequence[Block]) -> str:
    """The caption under a full-page picture: the first text (or statement), else the first list's items."""
    words = _quoted(blocks)
    if words is not None:
        return words.text.strip()
    items = next((b.items for b in blocks if b.kind == "bullets" and b.items), ())
    return " · ".join(item.strip() for item in items if item.strip())


def draw_picture_page(st: Style, title: str, blocks: Sequence[Block], page: Box, *, margin: float, foot: float) -> bool:
    """The first picture filling ``page`` (cut around its focal point), the title and caption on a band of the
    page colour along its foot, set ``margin`` in from the sides and above ``foot`` (the footer's room, which the
    caller draws on the band).

    False when there is no picture to draw (none on the slide, no print files, its file gone): the caller draws
    the slide as text instead, on the page as it is.
    """
    picture = full_picture(blocks)
    if picture is None or not draw_picture(st, picture, page):
        return False
    width = page.w - 2 * margin
    name = fit_text(title, None, True, width, 80, st.theme.type.title * 0.9, 16, leading=1.12, max_lines=2)
    caption = fit_text(caption_of(blocks), None, False, width, 44, 16, 10.5, max_lines=2)
    band = foot + 22 + name.height + (caption.height + 8 if caption.lines else 0) + 26
    st.c.setFillColor(st.theme.background)
    st.c.rect(page.x, page.y, page.w, band, stroke=0, fill=1)
    st.c.setFillColor(st.theme.accent)
    st.c.rect(page.x + margin, band - 14, 36, 4, stroke=0, fill=1)
    top = band - 26
    draw_text(st.c, name, page.x + margin, top, width, st.theme.ink)
    draw_text(st.c, caption, page.x + margin, top - name.height - 8, width, st.theme.muted)
    return True
