"""Figures and tables on a .pptx slide as the PDF sets them: a metrics block's figure cards, a two-column table
as key and value, wider tables as record cards or a list (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from pitchlab.decks.pdf_base import PAD, Box
from pitchlab.decks.pdf_blocks import (
    _fit_columns,
    _grid,
    fit_figures,
    fit_pairs,
    record_cells,
    record_grid_count,
    record_list_count,
    record_list_pieces,
    record_pieces,
)
from pitchlab.decks.pdf_text import LEADING, fit_text
from pitchlab.decks.powerpoint.base import HEIGHT, Frame, Para, line, rectangle, shown_text, text_box
from pitchlab.decks.powerpoint.pages import Page
from pitchlab.decks.powerpoint.stacks import card, more_note, stack_paras, text_columns
from pitchlab.decks.slides import Block


def draw_metrics(page: Page, block: Block, box: Box) -> None:
    """Each figure on a card: its label small and muted, the value large in the accent, a bar at the left."""
    theme = page.look.theme
    for fit in fit_figures(block, box):
        cell = fit.cell
        card(page, cell)
        rectangle(page.shapes, Frame.of(Box(cell.x, cell.y + 14, 4, cell.h - 28)), theme.accent, name="Bar")
        paras = [
            Para(shown_text(fit.label, fit.head), fit.head.size, theme.muted, space_after=6),
            Para(shown_text(fit.value, fit.big), fit.big.size, theme.accent, bold=True, leading=1.1),
        ]
        text_box(page.shapes, Frame.of(fit.inner), paras, page.look, name="Figure")


def _pairs(page: Page, rows: Sequence[Sequence[str]], box: Box) -> None:
    """A two-column table as the PDF sets it (``pdf_blocks.fit_pairs``): the first cell bold in the accent, the
    second beside it, hairlines between the rows."""
    theme = page.look.theme
    fit = fit_pairs(rows, box)
    if fit.count < len(rows):
        box = more_note(page, box, len(rows) - fit.count)
    y = HEIGHT - box.top
    for index, row in enumerate(rows[: fit.count]):
        room = box.h - (y - (HEIGHT - box.top))
        if room < fit.size * LEADING:
            break
        if index:
            line(page.shapes, box.x, y - 8, box.x + box.w, y - 8, theme.rule, 0.8)
        value_text = " ".join(row[1:])
        key = fit_text(row[0], None, True, fit.key_w, room, fit.size, fit.size)
        value = fit_text(value_text, None, False, fit.value_w, room, fit.size, fit.size)
        key_para = Para(shown_text(row[0], key), key.size, theme.accent, bold=True)
        value_para = Para(shown_text(value_text, value), value.size, theme.ink)
        text_box(page.shapes, Frame(box.x, y, fit.key_w, key.height + 2), [key_para], page.look)
        text_box(page.shapes, Frame(box.x + fit.key_w + 12, y, fit.value_w, value.height + 2), [value_para], page.look)
        y += max(key.height, value.height) + 16


def _records(page: Page, block: Block, rows: Sequence[Sequence[str]], box: Box) -> None:
    """Rows of three or more cells as cards (a heading, an accent line, a body), or a list in a narrow box."""
    theme, baseline = page.look.theme, page.word("baseline")
    if _grid(len(rows), box)[0] == 1:
        count = record_list_count(rows, box)
        box = more_note(page, box, len(rows) - count)
        text_columns(page, [record_list_pieces(theme, baseline, block.columns, rows[:count])], [box], 16)
        return
    shown = rows[: record_grid_count(rows, box)]
    box = more_note(page, box, len(rows) - len(shown))
    cells = record_cells(len(shown), box)
    columns = [record_pieces(theme, baseline, block.columns, row, rule=False) for row in shown]
    inner = [Box(cell.x + PAD, cell.y + PAD, cell.w - 2 * PAD, cell.h - 2 * PAD - 4) for cell in cells]
    stacks = _fit_columns(columns, inner, 17)
    needed = max(stack.height(pieces) for stack, pieces in zip(stacks, columns, strict=True)) + 2 * PAD + 6
    for pieces, cell, room, stack in zip(columns, cells, inner, stacks, strict=True):
        face = Box(cell.x, cell.top - min(cell.h, needed), cell.w, min(cell.h, needed))
        card(page, face)
        rectangle(page.shapes, Frame.of(Box(face.x + PAD, face.top - 4, 28, 4)), theme.accent, name="Bar")
        text_box(page.shapes, Frame.of(room), stack_paras(pieces, stack, page), page.look, name="Record")


def draw_table(page: Page, block: Block, box: Box) -> None:
    rows = [row for row in block.rows if any(cell.strip() for cell in row)]
    if not rows:
        return
    if max(len(row) for row in rows) <= 2:
        _pairs(page, [(*row, "")[:2] for row in rows], box)
    else:
        _records(page, block, rows, box)
