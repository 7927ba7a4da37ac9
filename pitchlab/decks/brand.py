"""The brand kit's colours: their format, WCAG 2.x contrast, and the nearest readable colour (pure, no Django).

A brand colour is checked against every theme's background, not only the one the deck uses today: a deck can
be exported in any theme (the export API takes one per export), so a primary that reads only on white would make
the dark PDF unreadable without the founder ever seeing it. The backgrounds are passed in (``BrandRules``), so the
check follows the theme list as it grows; ``deck_rules()`` reads it from ``decks/themes.py``.

Each colour has *uses* (titles on the page, a band that text is set on, chart lines), each with the WCAG minimum
that use needs: 3:1 for large text and graphics (WCAG 1.4.3 large text, 1.4.11 non-text contrast), 4.5:1 for
normal text. A failing colour is refused with each failure explained and the nearest readable colour offered:
the same hue and saturation (HSL) at the passing lightness closest to its own. Relative luminance grows
monotonically with HSL lightness at a fixed hue and saturation, so walking the lightness axis outwards from
the colour's own finds the closest passing one.
"""

from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

WHITE = "#ffffff"
NEAR_BLACK = "#14161f"  # the light theme's ink: what "dark text" on a coloured band is set in
TITLE_CONTRAST = 3.0  # large text (titles, big numbers): WCAG 1.4.3 AA
GRAPHIC_CONTRAST = 3.0  # chart lines and series against the page: WCAG 1.4.11
TEXT_CONTRAST = 4.5  # normal text: WCAG 1.4.3 AA
LIGHTNESS_STEPS = 1000  # the resolution of the lightness search: 0.1 % of HSL lightness

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def normalise_colour(text: str) -> str | None:
    """``#RGB`` or ``#RRGGBB`` (any case) as lower-case ``#rrggbb``; None for anything else."""
    match = _HEX.fullmatch(text)
    if match is None:
        return None
    digits = match[1].lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def _rgb(colour: str) -> tuple[float, float, float]:
    return int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


@cache
def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#rrggbb`` colour: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, from 1 (the same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def format_ratio(ratio: float) -> str:
    """A ratio as people read it, rounded *down* to one decimal: 2.99:1 shows as 2.9:1, never as a passing 3.0:1."""
    shown = math.floor(ratio * 10) / 10
    return f"{shown:g}:1"


@dataclass(frozen=True)
class Background:
    """A surface brand colours are drawn on: a theme's page."""

    name: str  # the theme's name, as the message shows it
    colour: str


@dataclass(frozen=True)
class Failure:
    """One use a colour is not readable in: what it was measured against, the ratio, and the ratio it needs."""

    colour: str
    use: str  # the use's key: "titles", "band" (text set on the colour), "chart_lines"
    against: str  # the colour it was measured against
    against_name: str  # the theme whose background it is; "" for the inks of a band
    ratio: float
    needed: float


@dataclass(frozen=True)
class OnBackgrounds:
    """The colour is drawn on each background (titles, chart lines): each pair needs ``minimum``."""

    use: str
    minimum: float

    def failures(self, colour: str, backgrounds: Sequence[Background]) -> list[Failure]:
        found = []
        for background in backgrounds:
            ratio = contrast_ratio(colour, background.colour)
            if ratio < self.minimum:
                found.append(Failure(colour, self.use, background.colour, background.name, ratio, self.minimum))
        return found


@dataclass(frozen=True)
class UnderText:
    """The colour fills a band that text is set on, in whichever of ``inks`` reads best: one must reach ``minimum``."""

    use: str
    minimum: float
    inks: tuple[str, ...] = (WHITE, NEAR_BLACK)

    def failures(self, colour: str, backgrounds: Sequence[Background]) -> list[Failure]:
        best = max(self.inks, key=lambda ink: contrast_ratio(colour, ink))
        ratio = contrast_ratio(colour, best)
        if ratio >= self.minimum:
            return []
        return [Failure(colour, self.use, best, "", ratio, self.minimum)]


Use = OnBackgrounds | UnderText


@dataclass(frozen=True)
class BrandRules:
    """What each brand colour is used for, and the backgrounds of every theme it may be drawn on."""

    backgrounds: tuple[Background, ...]
    uses: dict[str, tuple[Use, ...]]  # brand field ("primary", "accent") -> its uses


def rules_for(backgrounds: Sequence[Background]) -> BrandRules:
    """The deck's rules against ``backgrounds``: primary for titles and bands, accent for chart series and lines."""
    return BrandRules(
        backgrounds=tuple(backgrounds),
        uses={
            "primary": (OnBackgrounds("titles", TITLE_CONTRAST), UnderText("band", TEXT_CONTRAST)),
            "accent": (OnBackgrounds("chart_lines", GRAPHIC_CONTRAST),),
        },
    )


def deck_rules() -> BrandRules:
    """The rules against the backgrounds of every deck theme there is."""
    from pitchlab.decks.themes import THEMES  # themes import chart code; only callers of this need it

    return rules_for([Background(name, theme.background) for name, theme in THEMES.items()])


def colour_failures(colour: str, uses: Sequence[Use], backgrounds: Sequence[Background]) -> list[Failure]:
    """Every use of ``uses`` in which ``colour`` (``#rrggbb``) is not readable on ``backgrounds``."""
    return [failure for use in uses for failure in use.failures(colour, backgrounds)]


def _hls(colour: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*_rgb(colour))


def hls_colour(hue: float, lightness: float, saturation: float) -> str:
    """The ``#rrggbb`` colour of an HLS triple (each 0–1), each channel rounded to the nearest 8-bit value."""
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (r, g, b))


def nearest_readable(colour: str, uses: Sequence[Use], backgrounds: Sequence[Background]) -> str | None:
    """The passing colour of ``colour``'s hue and saturation whose HSL lightness is closest to its own.

    Lightness is searched in steps of 1/``LIGHTNESS_STEPS`` outwards from the colour's own (the darker of two
    equally close candidates first); each candidate is checked as the ``#rrggbb`` it rounds to, so the answer
    passes as stored. None when no lightness of this hue passes every use (backgrounds that leave no window).
    """
    hue, lightness, saturation = _hls(colour)
    origin = lightness * LIGHTNESS_STEPS
    steps = sorted(range(LIGHTNESS_STEPS + 1), key=lambda step: (abs(step - origin), step))
    for step in steps:
        candidate = hls_colour(hue, step / LIGHTNESS_STEPS, saturation)
        if not colour_failures(candidate, uses, backgrounds):
            return candidate
    return None


@dataclass(frozen=True)
class ColourVerdict:
    """A refused brand colour: why, and the nearest one that would be accepted (None when there is none)."""

    field: str
    failures: tuple[Failure, ...]
    suggestion: str | None


def check_brand_colours(colours: dict[str, str | None], rules: BrandRules) -> list[ColourVerdict]:
    """The verdict on each set, normalised colour of ``colours`` (field -> ``#rrggbb`` or None) that fails a use."""
    verdicts = []
    for field, colour in colours.items():
        uses = rules.uses.get(field, ())
        if colour is None or not uses:
            continue
        failures = colour_failures(colour, uses, rules.backgrounds)
        if failures:
            verdicts.append(ColourVerdict(field, tuple(failures), nearest_readable(colour, uses, rules.backgrounds)))
    return verdicts
