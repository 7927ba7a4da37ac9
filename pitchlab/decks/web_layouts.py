"""The pure helpers of the web deck's chosen layouts (``decks/layouts/``, ``web.LAYOUT_TEMPLATES``): which block a
layout sets apart (the big figure, the quoted words, the picture), how its columns spread, and how large a column's
words are set so that they stay on the slide. The deck_tags filters call them from the templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pitchlab.decks.slides import Block
from pitchlab.decks.web import figures, flow, text_length, words_length


def first_words(blocks: Sequence[Block]) -> Block | None:
    """The first text or statement block with words: what a quote sets large (a big number without a figure too)."""
    return next((block for block in blocks if block.kind in ("text", "statement") and block.text), None)


def big_block(blocks: Sequence[Block]) -> Block | None:
    """The block the big-number layout sets huge: the first metrics block (its first figure), else the first
    words; None for neither (the slide is drawn as text)."""
    return next((block for block in blocks if block.kind == "metrics" and block.rows), None) or first_words(blocks)


def first_picture(blocks: Sequence[Block]) -> Block | None:
    """The first picture block: what a text-and-picture slide shows large and a full-bleed slide fills with."""
    return next((block for block in blocks if block.kind == "picture" and block.pictures), None)


def without(blocks: Sequence[Block], left_out: Block | None) -> list[Block]:
    """``blocks`` but ``left_out`` (that very block: two blocks of the same words are still two)."""
    return [block for block in blocks if block is not left_out]


@dataclass(frozen=True)
class Columns:
    """How the columns layout spreads a slide's words: its blocks side by side ("blocks"), one person per column
    ("people") or one bullets block's items over columns ("items"), in ``count`` columns, their words set at
    ``size`` ("l", "m", "s" or "xs": the longest column's words must stay on the slide)."""

    spread: str
    count: int
    size: str = "l"


def columns_of(blocks: Sequence[Block]) -> Columns:
    """The columns of a slide's words (``flow``): a lone people block gives each person a column (five or six wrap
    in rows of three), a lone bullets block of many items splits them over two or three, else each block its own
    column, three at most in a row."""
    words = flow(blocks)
    if len(words) == 1 and words[0].kind == "people" and words[0].people:
        people = len(words[0].people)
        return Columns("people", people if people <= 4 else 3)
    if len(words) == 1 and words[0].kind == "bullets" and len(words[0].items) > 3:
        count = 2 if len(words[0].items) <= 6 else 3
        return Columns("items", count, _column_size(words_length(words) // count, count))
    count = max(1, min(len(words), 3))
    longest = max((words_length([block]) for block in words), default=0)
    return Columns("blocks", count, _column_size(longest, count))


def narrow_size(blocks: Sequence[Block]) -> str:
    """How large the words in a narrow column (a third of the slide: the takeaways beside a chart) are set."""
    return _column_size(words_length(blocks), 3)


def _column_size(length: int, count: int) -> str:
    """The size of a column of ``length`` among ``count``: "l", "m", "s" as a gallery's column (about as wide as
    one of two), "xs" past them (a demo's script and six examples in half a slide); twice the room for one, two
    thirds of it for one of three."""
    room = {1: 2.0, 2: 1.0}.get(count, 0.65)
    sizes = ((350, "l"), (600, "m"), (850, "s"))
    return next((size for most, size in sizes if length <= most * room), "xs")


def title_extras(blocks: Sequence[Block]) -> list[Block]:
    """What a title layout draws besides the company, its purpose and its cover: any other block (key points, a
    chart), small under the purpose, so that no slide drawn as a cover loses words."""
    return [block for block in blocks if block.kind not in ("lead", "text", "picture")]


SHORT = 280
"""The most letters a slide's words alone may have to be set large ("xl")."""


def text_size(blocks: Sequence[Block]) -> str:
    """How large a slide's column of words is set, by their length: "xl", "l", "m", "s" or "xs". Beside figures the
    column is narrow (a gallery's, four long risks go down to "xs"); alone it has the slide's width, about twice
    the room (three long story paragraphs and key points at the usual size would run off the slide)."""
    words = flow(blocks)
    length = _room(words)
    if figures(blocks):
        return _column_size(length, 2)
    if length <= SHORT:
        return "xl"  # a few lines alone on a slide: set large, not lost in its top corner
    return "l" if length <= 900 else "m" if length <= 1100 else "s"


def _room(blocks: Sequence[Block]) -> int:
    """The room ``blocks`` take in a column, in letters: their words, a statement's twice (it is set large), a
    figure or a table row as much as a line of words."""
    large = sum(text_length(block.text) for block in blocks if block.kind == "statement")
    return (
        words_length(blocks)
        + large
        + 150 * sum(len(block.rows) for block in blocks if block.kind in ("metrics", "table"))
    )


def figure_size(text: str) -> str:
    """How large the big-number layout sets its figure, by its length, so that a long one still fits its column:
    "l" (a few characters: "$4.2B"), "m" or "s"."""
    length = text_length(text)
    return "l" if length <= 7 else "m" if length <= 12 else "s"
