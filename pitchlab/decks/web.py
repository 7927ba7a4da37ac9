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
from unicodedata import east_asian_width

from django.utils.translation import pgettext, pgettext_lazy

from pitchlab.decks.brand import NEAR_BLACK, WHITE, contrast_ratio
from pitchlab.decks.deck_pictures import DeckPicture
from pitchlab.decks.font_catalogue import DEFAULT_FONT, font_family
from pitchlab.decks.slides import Block, BlockKind, ColumnRole, Deck, Slide
from pitchlab.decks.themes import THEMES, Theme, branded, theme_get
from pitchlab.pictures.images import WIDTHS

# The themes' names as people read them (msgids in the "deck theme" context, which the editor's theme unit and the
# export list translate too).
THEME_LABELS = {
    "light": pgettext_lazy("deck theme", "light"),
    "dark": pgettext_lazy("deck theme", "dark"),
    "editorial": pgettext_lazy("deck theme", "editorial"),
    "bold": pgettext_lazy("deck theme", "bold"),
    "minimal": pgettext_lazy("deck theme", "minimal"),
    "midnight": pgettext_lazy("deck theme", "midnight"),
}


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
    "picture": WebBlock("decks/blocks/picture.html", figure=True),
    "people": WebBlock("decks/blocks/people.html"),
    "statement": WebBlock("decks/blocks/statement.html"),
}

_SLIDE = "decks/layouts/slide.html"  # a title over the figures and a column of the other blocks
LAYOUT_TEMPLATES: dict[str, str] = {
    "title": "decks/layouts/title.html",
    "text": _SLIDE,
    "statement": "decks/layouts/statement.html",  # one paragraph set large, its figures large beside it
    "gallery": "decks/layouts/gallery.html",  # the screenshots large, the text in a narrow column
    "bullets": _SLIDE,
    "chart": _SLIDE,
    "chart_table": _SLIDE,
    "chart_bullets": _SLIDE,
    "people": _SLIDE,
    "timeline": _SLIDE,
    "ask": _SLIDE,
    "demo": _SLIDE,
    "live_demo": _SLIDE,
    # the layouts a founder may choose (their pure helpers: web_layouts)
    "big_number": "decks/layouts/big_number.html",  # the first figure huge, the other blocks beside it smaller
    "quote": "decks/layouts/quote.html",  # the first words large in quotation marks, the other blocks below
    "columns": "decks/layouts/columns.html",  # the blocks (or the people, or the items) side by side
    "text_picture": "decks/layouts/text_picture.html",  # the words left, the first picture large right
    "picture_full": "decks/layouts/picture_full.html",  # the first picture fills the slide, a caption band on it
    "chart_takeaways": "decks/layouts/chart_takeaways.html",  # the charts large left, the other blocks right
}
_DEFAULT_ROLES: tuple[ColumnRole, ...] = ("head", "sub", "body")

# The layouts' names as a founder reads them in the layout picker (msgids in the "slide layout" context).
LAYOUT_LABELS = {
    "title": pgettext_lazy("slide layout", "Title"),
    "text": pgettext_lazy("slide layout", "Text"),
    "statement": pgettext_lazy("slide layout", "Statement"),
    "big_number": pgettext_lazy("slide layout", "Big number"),
    "quote": pgettext_lazy("slide layout", "Quote"),
    "columns": pgettext_lazy("slide layout", "Columns"),
    "text_picture": pgettext_lazy("slide layout", "Text and picture"),
    "picture_full": pgettext_lazy("slide layout", "Full-bleed picture"),
    "gallery": pgettext_lazy("slide layout", "Gallery"),
    "bullets": pgettext_lazy("slide layout", "Bullets"),
    "chart": pgettext_lazy("slide layout", "Chart"),
    "chart_takeaways": pgettext_lazy("slide layout", "Chart and takeaways"),
    "chart_table": pgettext_lazy("slide layout", "Chart and table"),
    "chart_bullets": pgettext_lazy("slide layout", "Chart and bullets"),
    "people": pgettext_lazy("slide layout", "Team grid"),
    "timeline": pgettext_lazy("slide layout", "Timeline"),
    "ask": pgettext_lazy("slide layout", "The ask"),
    "demo": pgettext_lazy("slide layout", "Demo"),
    "live_demo": pgettext_lazy("slide layout", "Live demo"),
}


def layout_label(name: str) -> str:
    """A layout's name in the active language."""
    return str(LAYOUT_LABELS.get(name) or name)


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


def theme_choices() -> list[tuple[str, str]]:
    """Every theme as (name, label in the active language), in the themes' order."""
    return [(name, str(THEME_LABELS.get(name) or pgettext("deck theme", name))) for name in THEMES]


# PDF points to the slide's container-query width (a slide is 960 pt wide = 100cqw).
_CQW_PER_PT = 100 / 960


@dataclass(frozen=True)
class ThemeStyle:
    """What a page showing slides needs for a theme in a brand: the CSS custom properties set on the element that
    carries ``theme-<name>`` (deck.css draws with them), and the font stylesheets the brand's families need."""

    selector: str
    properties: tuple[tuple[str, str], ...]
    stylesheets: tuple[str, ...]  # static paths, beyond pitchlab/fonts.css (Noto Sans and the CJK font), always loaded

    @property
    def css(self) -> str:
        body = "; ".join(f"{name}: {value}" for name, value in self.properties)
        return f"{self.selector} {{ {body} }}"


def theme_style(name: str, deck: Deck | None = None) -> ThemeStyle:
    """The custom properties of theme ``name`` in ``deck``'s brand kit (none: the theme's own), from the same data
    the PDF is drawn from (``themes.Theme``)."""
    theme: Theme = theme_get(name)
    if deck is not None:
        theme = branded(theme, deck.brand)
    heading, body = font_family(theme.heading_font), font_family(theme.body_font)
    scale = theme.type
    properties = (
        ("--bg", "#020308" if theme.dark else "#e8eaf0"),  # around the slide
        ("--slide", theme.background),
        ("--ink", theme.ink),
        ("--muted", theme.muted),
        ("--accent", theme.accent),
        ("--accent-ink", theme.accent_ink),
        ("--rule", theme.rule),
        ("--card", theme.surface),
        ("--title-size", f"{scale.title * _CQW_PER_PT * 1.08:.3f}cqw"),
        ("--title-leading", f"{scale.title_leading:g}"),
        ("--cover-size", f"{scale.cover * _CQW_PER_PT * 1.04:.3f}cqw"),
        ("--body-scale", f"{scale.body:g}"),
        ("--body-leading", f"{scale.body_leading:g}"),
        ("--label-case", "uppercase" if scale.caps_labels else "none"),
        ("--heading-font", heading.css_stack),
        ("--body-font", body.css_stack),
    )
    sheets = tuple(dict.fromkeys(f.css for f in (heading, body) if f.id != DEFAULT_FONT))
    return ThemeStyle(f".theme-{theme.name}", properties, sheets)


def theme_design(name: str) -> Theme:
    """The theme called ``name`` (its title, cover and backdrop treatments name deck.css' classes)."""
    return theme_get(name)


# --- pictures ------------------------------------------------------------------------------------------------------


FALLBACK_WIDTH = 640  # an <img>'s src, for a browser that reads no srcset


def srcset(picture: DeckPicture) -> str:
    """The ``srcset`` of ``picture``: each of the server's web widths below its own, then its own width (the server
    never serves more pixels than the picture has, so a wider step would only repeat the last one)."""
    steps = [width for width in WIDTHS if width < picture.width] + [min(picture.width, WIDTHS[-1])]
    return ", ".join(f"{picture.src(width)} {width}w" for width in dict.fromkeys(steps))


def object_position(picture: DeckPicture) -> str:
    """Where a frame of another shape keeps the picture: its focal point, as CSS ``object-position``."""
    return f"{picture.focal_x * 100:.1f}% {picture.focal_y * 100:.1f}%"


def slide_logo(deck: Deck, slide: Slide, theme: str) -> DeckPicture | None:
    """The logo to draw on ``slide`` in ``theme``: the dark variant where the slide's page is dark. A cover the
    theme fills with its accent ("bleed") is judged by the accent (in the brand's colours), not the page."""
    design = branded(theme_get(theme), deck.brand)
    ground = design.accent if slide.layout == "title" and design.cover == "bleed" else design.background
    return deck.pictures.logo_for(dark=contrast_ratio(ground, WHITE) > contrast_ratio(ground, NEAR_BLACK))


def pictures_of(blocks: Sequence[Block]) -> list[DeckPicture]:
    """Every picture the ``blocks`` place, in order (the title layout's cover)."""
    return [picture for block in blocks if block.kind == "picture" for picture in block.pictures]


def text_length(text: str) -> int:
    """``text``'s length in Latin letters' room: a wide character (Chinese) counts twice."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def statement_size(text: str) -> str:
    """How large a statement is set, by its length, so that a long one still fits its slide: "l", "m" or "s"."""
    length = text_length(text)
    return "l" if length <= 140 else "m" if length <= 280 else "s"


def column_size(blocks: Sequence[Block]) -> str:
    """How large the text beside a gallery's screenshots is set, by the length of its blocks' words: "l", "m"
    or "s" (the column is narrow: two long paragraphs at the usual size would run off the slide)."""
    length = words_length(blocks)
    return "l" if length <= 350 else "m" if length <= 600 else "s"


def words_length(blocks: Sequence[Block]) -> int:
    """The length of ``blocks``' words (headings, texts, items) in Latin letters' room (``text_length``)."""
    return sum(
        text_length(block.heading) + text_length(block.text) + sum(map(text_length, block.items)) for block in blocks
    )
