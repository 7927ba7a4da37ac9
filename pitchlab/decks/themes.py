"""Deck themes: how a deck is set, on the web and in the PDF (pure).

A theme is a design, not only colours: its type scale (title sizes and line heights, body scale), how a slide
title is set (``title``: a short bar above it, a rule under it, a colour band behind it, a bar to its left, or
plain), what is drawn behind every page (``backdrop``), how the cover is laid out (``cover``), its heading and body
font families, and the chart ``Palette`` built for its background (a chart on a dark slide uses colours that read
on dark). The PDF (``pdf.py``) and the web deck (``web.theme_css`` and ``deck.css``) both draw from this data.

``branded(theme, brand)`` applies a pitch's brand kit: the brand primary becomes the accent (rules, markers, the
title band, the first chart series), the brand accent the highlight and second series, the brand fonts replace
the theme's; each colour is moved to the nearest lightness that reads on the theme's background (``brand.py``'s
contrast rules), so a brand colour can never make a series unreadable.

Every light theme's page is white and every dark one's no lighter than the dark theme's: the brand kit's colours are
checked against every theme's background (``brand.deck_rules``), so a page of any other shade would refuse kits that
were accepted before it existed (and backgrounds in between would leave no colour that reads on all of them).
Colours are ``#rrggbb`` strings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from pitchlab.decks.brand import (
    GRAPHIC_CONTRAST,
    NEAR_BLACK,
    TITLE_CONTRAST,
    WHITE,
    Background,
    OnBackgrounds,
    contrast_ratio,
    nearest_readable,
    normalise_colour,
)
from pitchlab.decks.charts.ir import Palette
from pitchlab.decks.font_catalogue import DEFAULT_FONT, FONT_FAMILIES
from pitchlab.pitches.read_model import Brand

TitleTreatment = Literal["bar", "rule", "band", "left_bar", "plain"]
Backdrop = Literal["solid", "edge", "foot_band"]
Cover = Literal["circles", "bleed", "rule", "plain"]


@dataclass(frozen=True)
class TypeScale:
    """Sizes in PDF points (the web deck scales them with the slide): slide titles, the cover title, body text."""

    title: float  # a slide title's size before it shrinks to fit
    title_min: float
    title_leading: float  # line height, as a multiple of the size
    cover: float  # the cover's title
    body: float = 1.0  # body text, relative to the light theme's
    body_leading: float = 1.45  # the web deck's body line height
    caps_labels: bool = False  # small labels (the footer, card labels) in small capitals


@dataclass(frozen=True)
class Theme:
    name: str
    background: str  # the page
    surface: str  # cards and panels on the page
    ink: str  # body text and titles
    muted: str  # secondary text: footers, labels, captions
    accent: str  # rules, markers, headings, big numbers
    accent_ink: str  # text set on an accent fill
    rule: str  # hairlines and card borders
    palette: Palette
    type: TypeScale = TypeScale(title=32, title_min=20, title_leading=1.15, cover=60)
    title: TitleTreatment = "bar"
    backdrop: Backdrop = "solid"
    cover: Cover = "circles"
    heading_font: str = DEFAULT_FONT  # font catalogue ids
    body_font: str = DEFAULT_FONT

    @property
    def dark(self) -> bool:
        """Whether light text reads better on the page than dark text."""
        return contrast_ratio(self.background, WHITE) > contrast_ratio(self.background, NEAR_BLACK)


_LIGHT_HEAT = ("#ecfdf3", "#fef0c7", "#fedf89", "#fdb022", "#f97066", "#d92d20")
_DARK_HEAT = ("#153a2c", "#3d3f17", "#5e4611", "#7c3a12", "#902222", "#b42318")

LIGHT = Theme(
    name="light",
    background="#ffffff",
    surface="#f4f5fa",
    ink="#14161f",
    muted="#5d6475",
    accent="#4f46e5",
    accent_ink="#ffffff",
    rule="#e2e5ee",
    palette=Palette(
        background="#ffffff",
        ink="#14161f",
        muted="#5d6475",
        grid="#e4e7ec",
        accent="#4f46e5",
        highlight="#f97316",
        series=("#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6"),
        heat=_LIGHT_HEAT,
    ),
)

DARK = Theme(
    name="dark",
    background="#0b1020",
    surface="#151c31",
    ink="#eef0f7",
    muted="#9ba4bb",
    accent="#8b93ff",
    accent_ink="#0b1020",
    rule="#27304a",
    palette=Palette(
        background="#0b1020",
        ink="#eef0f7",
        muted="#9ba4bb",
        grid="#252d45",
        accent="#8b93ff",
        highlight="#fb923c",
        series=("#8b93ff", "#38bdf8", "#34d399", "#fbbf24", "#f87171", "#c084fc"),
        heat=_DARK_HEAT,
    ),
)

# Serif headings set large over a thin rule, a warm band at the foot of the page, ink-like chart colours.
EDITORIAL = Theme(
    name="editorial",
    background="#ffffff",
    surface="#f5f0e6",
    ink="#1c1917",
    muted="#6b6258",
    accent="#9f1239",
    accent_ink="#ffffff",
    rule="#d9d1c3",
    palette=Palette(
        background="#ffffff",
        ink="#1c1917",
        muted="#6b6258",
        grid="#e7e0d3",
        accent="#9f1239",
        highlight="#b45309",
        series=("#9f1239", "#1e3a8a", "#b45309", "#166534", "#6b21a8", "#0f766e"),
        heat=_LIGHT_HEAT,
    ),
    type=TypeScale(title=40, title_min=22, title_leading=1.1, cover=68, body=1.05, body_leading=1.55),
    title="rule",
    backdrop="foot_band",
    cover="rule",
    heading_font="noto-serif",
    body_font="noto-serif",
)

# Titles in a colour band of the primary, a full-bleed cover, saturated series.
BOLD = Theme(
    name="bold",
    background="#ffffff",
    surface="#f1f5f9",
    ink="#0f172a",
    muted="#475569",
    accent="#c2410c",
    accent_ink="#ffffff",
    rule="#e2e8f0",
    palette=Palette(
        background="#ffffff",
        ink="#0f172a",
        muted="#475569",
        grid="#e2e8f0",
        accent="#c2410c",
        highlight="#1d4ed8",
        series=("#c2410c", "#1d4ed8", "#047857", "#a21caf", "#b91c1c", "#0369a1"),
        heat=_LIGHT_HEAT,
    ),
    type=TypeScale(title=30, title_min=20, title_leading=1.1, cover=66, body=1.0, body_leading=1.4),
    title="band",
    cover="bleed",
    heading_font="lato",
    body_font="lato",
)

# Lots of white: small plain titles, small-capital labels, greys and one colour.
MINIMAL = Theme(
    name="minimal",
    background="#ffffff",
    surface="#f7f7f8",
    ink="#18181b",
    muted="#71717a",
    accent="#0f766e",
    accent_ink="#ffffff",
    rule="#ececef",
    palette=Palette(
        background="#ffffff",
        ink="#18181b",
        muted="#71717a",
        grid="#f0f0f2",
        accent="#0f766e",
        highlight="#52525b",
        series=("#0f766e", "#52525b", "#0891b2", "#78716c", "#0d9488", "#3f3f46"),
        heat=_LIGHT_HEAT,
    ),
    type=TypeScale(title=26, title_min=18, title_leading=1.2, cover=48, body=0.95, body_leading=1.6, caps_labels=True),
    title="plain",
    cover="plain",
    heading_font="open-sans",
    body_font="open-sans",
)

# Near-black with an accent edge down the left of every page and a bar beside each title.
MIDNIGHT = Theme(
    name="midnight",
    background="#05070d",
    surface="#10141f",
    ink="#f1f5f9",
    muted="#94a3b8",
    accent="#22d3ee",
    accent_ink="#05070d",
    rule="#1e2535",
    palette=Palette(
        background="#05070d",
        ink="#f1f5f9",
        muted="#94a3b8",
        grid="#1b2232",
        accent="#22d3ee",
        highlight="#f472b6",
        series=("#22d3ee", "#f472b6", "#a3e635", "#facc15", "#a78bfa", "#fb923c"),
        heat=_DARK_HEAT,
    ),
    type=TypeScale(title=34, title_min=20, title_leading=1.12, cover=62, body=1.0, body_leading=1.5),
    title="left_bar",
    backdrop="edge",
    cover="circles",
    heading_font="roboto",
    body_font="roboto",
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (LIGHT, DARK, EDITORIAL, BOLD, MINIMAL, MIDNIGHT)}


def theme_get(name: str | None) -> Theme:
    """The theme called ``name``; the light theme for any name not known."""
    return THEMES.get(name or "", LIGHT)


def readable_on(colour: str, background: str, minimum: float) -> str:
    """``colour`` if it reaches ``minimum`` contrast on ``background``, else its nearest readable shade (same hue
    and saturation, closest passing lightness); ``colour`` itself when no shade passes."""
    if contrast_ratio(colour, background) >= minimum:
        return colour
    found = nearest_readable(colour, (OnBackgrounds("on", minimum),), (Background("", background),))
    return found or colour


def ink_on(fill: str) -> str:
    """White or near-black, whichever reads better on ``fill``."""
    return max((WHITE, NEAR_BLACK), key=lambda ink: contrast_ratio(fill, ink))


def _font(chosen: str, own: str) -> str:
    return chosen if chosen != DEFAULT_FONT and chosen in FONT_FAMILIES else own


def branded(theme: Theme, brand: Brand) -> Theme:
    """``theme`` in ``brand``'s colours and fonts; ``theme`` itself for the empty brand kit.

    The primary becomes the accent and the first chart series, the accent the highlight and the second series
    (the theme's own series follow, without repeats); each moved to a shade that reads on the theme's background
    (3:1, as titles and chart lines need). A font other than the default (Noto Sans, the empty kit's) replaces the
    theme's family.
    """
    heading = _font(brand.heading_font, theme.heading_font)
    body = _font(brand.body_font, theme.body_font)
    # A stored kit is validated (#rrggbb); anything else, from a document that skipped validation, is ignored.
    primary = normalise_colour(brand.primary or "")
    second = normalise_colour(brand.accent or "")
    if primary is None and second is None:
        return replace(theme, heading_font=heading, body_font=body)
    bg = theme.background
    accent = readable_on(primary, bg, TITLE_CONTRAST) if primary else theme.accent
    highlight = readable_on(second, bg, GRAPHIC_CONTRAST) if second else theme.palette.highlight
    first = (accent, highlight) if second else (accent,)
    series = tuple(dict.fromkeys((*first, *theme.palette.series)))[: len(theme.palette.series)]
    palette = replace(theme.palette, accent=accent, highlight=highlight, series=series)
    return replace(
        theme,
        accent=accent,
        accent_ink=ink_on(accent),  # brand.py holds a primary to 4.5:1 under one of these two
        palette=palette,
        heading_font=heading,
        body_font=body,
    )
