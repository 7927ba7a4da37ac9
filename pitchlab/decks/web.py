"""The web deck's renderer: the template that draws each slide layout and each kind of block (pure, no request).

The web deck, the presenter view, the audience window and the share page all include ``decks/_slide.html``; it
includes its layout's template (``LAYOUT_TEMPLATES``, keyed on ``slide.layout``), and a layout includes one
template per block (``BLOCK_TEMPLATES``, keyed on ``block.kind``). A new layout or block kind is one entry here
and its template; one without an entry is a KeyError when its slide is rendered, never a slide that silently
shows nothing (a test holds every layout and block kind of the slide model to having one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pitchlab.decks.slides import Block, BlockKind, ColumnRole, Slide


@dataclass(frozen=True)
class WebBlock:
    """How the web deck shows one kind of block: its template, and whether it is a figure (a chart), shown
    in the slide's figure area before the text column."""

    template: str
    figure: bool = False


@dataclass(frozen=True)
class Cell:
    """A table cell and its column's role (``Block.columns``): a "baseline" cell is labelled as one."""

    text: str
    role: ColumnRole


BLOCK_TEMPLATES: dict[BlockKind, WebBlock] = {
    "lead": WebBlock("decks/blocks/lead.html"),
    "text": WebBlock("decks/blocks/text.html"),
    "bullets": WebBlock("decks/blocks/bullets.html"),
    "chart": WebBlock("decks/blocks/chart.html", figure=True),
    "metrics": WebBlock("decks/blocks/metrics.html"),
    "table": WebBlock("decks/blocks/table.html"),
    "demo": WebBlock("decks/blocks/demo.html"),
    "live_demo": WebBlock("decks/blocks/live_demo.html"),
}

_SLIDE = "decks/layouts/slide.html"  # a title over the figures and a column of the other blocks
LAYOUT_TEMPLATES: dict[str, str] = {
    "title": "decks/layouts/title.html",
    "text": _SLIDE,
    "bullets": _SLIDE,
    "chart": _SLIDE,
    "chart_table": _SLIDE,
    "chart_bullets": _SLIDE,
    "people": _SLIDE,
    "timeline": _SLIDE,
    "ask": _SLIDE,
    "demo": _SLIDE,
    "live_demo": _SLIDE,
}
_DEFAULT_ROLES: tuple[ColumnRole, ...] = ("head", "sub", "body")


def layout_template(slide: Slide) -> str:
    """The template that draws ``slide``'s layout; a layout without one is a KeyError naming it."""
    return LAYOUT_TEMPLATES[slide.layout]


def block_template(block: Block) -> str:
    """The template that draws ``block``; a kind without one is a KeyError naming it."""
    return BLOCK_TEMPLATES[block.kind].template


def figures(blocks: Sequence[Block]) -> list[Block]:
    """The blocks shown in a slide's figure area (charts), in order."""
    return [block for block in blocks if BLOCK_TEMPLATES[block.kind].figure]


def flow(blocks: Sequence[Block]) -> list[Block]:
    """The blocks shown in a slide's text column (all but the figures), in order."""
    return [block for block in blocks if not BLOCK_TEMPLATES[block.kind].figure]


def table_rows(block: Block) -> list[list[Cell]]:
    """A table block's rows as cells with their column's role (a table without roles: head, sub, body…)."""
    roles = block.columns

    def role(index: int) -> ColumnRole:
        return roles[index] if index < len(roles) else _DEFAULT_ROLES[min(index, 2)]

    return [[Cell(text, role(index)) for index, text in enumerate(row)] for row in block.rows]
