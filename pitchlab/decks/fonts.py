"""The fonts PitchLab's PDFs are set in, and which font draws which character (pure, no Django).

The fonts ship in ``static/fonts/`` (see its README): Noto Sans regular and bold for Latin, Greek and
Cyrillic, Droid Sans Fallback for Chinese and Japanese, and the brand kit's other families
(``font_catalogue``), each registered the first time a deck asks for it (``register_family``). reportlab
embeds a subset of each font a PDF uses, so Chinese shows as glyphs on any machine, with no system font installed.

A string is set in its *primary* font (``font_for``): the CJK font when it contains CJK, else the family's
regular or bold (Noto Sans by default). A character the primary font lacks (Latin letters inside Chinese
text: Droid Sans Fallback has none) is drawn in the family's font, then Noto Sans (a Greek letter in a family
that has none), then the CJK font. A character that neither font can draw -- emoji above all, since no
shipped font has colour emoji, and Hangul, which Droid Sans Fallback lacks -- is *dropped* by
``drawable``: a missing glyph would print as an empty "tofu" box, which looks broken to an investor,
while a dropped emoji leaves the sentence readable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from pitchlab.decks.font_catalogue import CJK_FALLBACK, DEFAULT_FONT, FONT_FAMILIES

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
SANS, SANS_BOLD, CJK = "PL-Sans", "PL-Sans-Bold", "PL-CJK"


def face_names(family: str) -> tuple[str, str]:
    """The reportlab names of a catalogue family's regular and bold faces (Noto Sans keeps PL-Sans, PL-Sans-Bold)."""
    if family == DEFAULT_FONT:
        return SANS, SANS_BOLD
    return f"PL-{family}", f"PL-{family}-Bold"


def _files() -> dict[str, str]:
    files = {CJK: CJK_FALLBACK}
    for family in FONT_FAMILIES.values():
        regular, bold = face_names(family.id)
        files[regular], files[bold] = family.regular, family.bold
    return files


_FILES = _files()

# Hangul Jamo, CJK punctuation, Hiragana, Katakana, Hangul compatibility Jamo, CJK extension A,
# CJK unified ideographs, Hangul syllables, CJK compatibility ideographs, full-width forms.
_CJK_RANGES = (
    (0x1100, 0x11FF),
    (0x3000, 0x303F),
    (0x3040, 0x309F),
    (0x30A0, 0x30FF),
    (0x3130, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]{2,}")


@dataclass(frozen=True)
class FontSet:
    """The registered font names, and the PostScript name each embeds under (``/BaseFont`` in the PDF)."""

    sans: str
    bold: str
    cjk: str
    sans_psname: str
    bold_psname: str
    cjk_psname: str


@cache
def _face(name: str) -> TTFont:
    return TTFont(name, str(FONT_DIR / _FILES[name]))


@cache
def register_family(family: str) -> FontSet:
    """Register a catalogue family's two faces, Noto Sans (its fallback) and the CJK font with reportlab, once.

    Families are registered when a deck first uses them, so a process that only ever sets Noto Sans never
    parses the other TTFs. An id not in the catalogue raises KeyError: the brand kit's validation keeps those out.
    """
    if family != DEFAULT_FONT:
        register_family(DEFAULT_FONT)  # the fallback of every family's missing characters
    regular, bold = face_names(FONT_FAMILIES[family].id)
    names: dict[str, str] = {}
    for name in (regular, bold, CJK):
        font = _face(name)
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(font)
        psname = font.face.name
        names[name] = psname.decode("latin-1") if isinstance(psname, bytes) else str(psname)
    return FontSet(regular, bold, CJK, names[regular], names[bold], names[CJK])


def register_fonts() -> FontSet:
    """Register the default fonts (Noto Sans regular and bold, the CJK font) with reportlab, once, and name them."""
    return register_family(DEFAULT_FONT)


@cache
def _coverage(name: str) -> frozenset[int]:
    return frozenset(_face(name).face.charToGlyph)


@cache
def _cjk_pattern() -> re.Pattern[str]:
    # One character class for all the ranges: a regex scan is ~20× faster than testing each range in Python.
    return re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _CJK_RANGES) + "]")


def is_cjk(ch: str) -> bool:
    return _cjk_pattern().match(ch) is not None


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese, Japanese or Korean character (ideographs, kana, Hangul, CJK punctuation)."""
    return _cjk_pattern().search(text) is not None


def font_for(text: str, bold: bool = False, family: str = DEFAULT_FONT) -> str:
    """The primary font of ``text``: the CJK font when it has CJK, else ``family``'s bold or regular face."""
    fonts = register_family(family)
    if has_cjk(text):
        return CJK
    return fonts.bold if bold else fonts.sans


@cache
def char_font(ch: str, primary: str, bold: bool, family: str = DEFAULT_FONT) -> str | None:
    """The font that draws ``ch`` in text set in ``primary``: itself, else ``family``'s face of that weight, else
    Noto Sans', else the CJK font; None when none can."""
    code = ord(ch)
    own = face_names(family)[1 if bold else 0]
    latin = SANS_BOLD if bold else SANS
    for name in dict.fromkeys((primary, own, latin, CJK)):
        if code in _coverage(name):
            return name
    return None


def drawable(text: str) -> str:
    """``text`` with every character no shipped font can draw dropped (emoji, Hangul, control characters).

    Format characters (zero-width joiners, soft hyphens) go too. Tabs become spaces, spaces left doubled
    by a dropped character are collapsed, line breaks stay.
    """
    register_fonts()
    kept = []
    dropped = False
    for ch in text.replace("\r\n", "\n").replace("\t", " "):
        if ch == "\n" or (unicodedata.category(ch)[0] != "C" and char_font(ch, SANS, False) is not None):
            kept.append(ch)
        else:
            dropped = True
    result = "".join(kept)
    return _SPACES.sub(" ", result) if dropped else result
