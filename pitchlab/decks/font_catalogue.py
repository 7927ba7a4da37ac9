"""The font families a brand kit may choose for headings and body text (pure data, no Django, no reportlab).

Every family ships under ``static/fonts/`` as TrueType (.ttf: reportlab embeds TrueType outlines, not CFF), in a
regular and a bold weight, with its licence under ``static/fonts/licenses/``; the README there lists them (a test
holds the catalogue, the files and the README to each other). None of them draws Chinese: text in any family
falls back character by character to Droid Sans Fallback, the way Noto Sans always has (``decks/fonts.py``).

Browsers get WOFF2 slices of each family (``scripts/build-brand-webfonts``), declared in a stylesheet of their own
(``css``), so that a page loads a family only when its deck uses it. The default family, Noto Sans, is the one
``pitchlab/fonts.css`` declares as "PL Sans", which every deck page already loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Classification = Literal["sans", "serif"]
OFL = "SIL Open Font License 1.1"
APACHE = "Apache License 2.0"


@dataclass(frozen=True)
class FontFamily:
    id: str  # what the brand kit stores
    name: str  # the family's own name, as the picker shows it (a proper noun: not translated)
    classification: Classification
    regular: str  # file name under static/fonts/
    bold: str
    licence: str
    licence_files: tuple[str, ...]  # under static/fonts/licenses/
    debian_package: str  # where the files were taken from
    css_family: str  # the CSS font-family its @font-face rules declare
    css: str  # the stylesheet declaring it, a static path

    @property
    def css_stack(self) -> str:
        """The CSS font-family value for text in this family: then Noto Sans, then the CJK fallback."""
        generic = "serif" if self.classification == "serif" else "sans-serif"
        names = dict.fromkeys([self.css_family, "PL Sans", "PL CJK"])
        return ", ".join([*(f'"{name}"' for name in names), generic])


DEFAULT_FONT = "noto-sans"


def _family(
    id: str,
    name: str,
    classification: Classification,
    stem: str,
    licence: str,
    licence_files: tuple[str, ...],
    debian_package: str,
) -> FontFamily:
    return FontFamily(
        id=id,
        name=name,
        classification=classification,
        regular=f"{stem}-Regular.ttf",
        bold=f"{stem}-Bold.ttf",
        licence=licence,
        licence_files=licence_files,
        debian_package=debian_package,
        css_family="PL Sans" if id == DEFAULT_FONT else f"PL {name}",
        css="pitchlab/fonts.css" if id == DEFAULT_FONT else f"pitchlab/fonts/{id}.css",
    )


FONT_FAMILIES: dict[str, FontFamily] = {
    family.id: family
    for family in (
        _family("noto-sans", "Noto Sans", "sans", "NotoSans", OFL, ("noto-copyright.txt",), "fonts-noto-core"),
        _family("noto-serif", "Noto Serif", "serif", "NotoSerif", OFL, ("noto-copyright.txt",), "fonts-noto-core"),
        _family("lato", "Lato", "sans", "Lato", OFL, ("lato-copyright.txt",), "fonts-lato"),
        _family(
            "open-sans",
            "Open Sans",
            "sans",
            "OpenSans",
            APACHE,
            ("open-sans-copyright.txt", "Apache-2.0.txt"),
            "fonts-open-sans",
        ),
        _family(
            "roboto",
            "Roboto",
            "sans",
            "Roboto",
            APACHE,
            ("roboto-copyright.txt", "Apache-2.0.txt"),
            "fonts-roboto-unhinted",
        ),
        _family("caladea", "Caladea", "serif", "Caladea", OFL, ("caladea-copyright.txt",), "fonts-crosextra-caladea"),
    )
}

CJK_FALLBACK = "DroidSansFallbackFull.ttf"  # Apache License 2.0, Debian fonts-droid-fallback


def font_family(font_id: str) -> FontFamily:
    """The family with id ``font_id``; the default family (Noto Sans) for an id not in the catalogue."""
    return FONT_FAMILIES.get(font_id, FONT_FAMILIES[DEFAULT_FONT])
