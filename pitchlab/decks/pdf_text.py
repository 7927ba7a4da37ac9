"""Measured text for the PDF: wrap, shrink to fit, truncate only as a last resort, draw (pure).

Every string on a PDF page goes through ``fit_text`` (or ``fit_stack`` for several strings that share
one box), so nothing runs off a page or is clipped silently: text wraps at measured widths, shrinks
step by step to a floor size, and only then loses its tail, visibly, to an ellipsis.

Breaking rules: Latin text breaks at spaces and after hyphens, slashes and dashes; CJK text between
any two characters, keeping closing punctuation off the start of a line and opening brackets off its
end; a word wider than the line (a 60-character URL) breaks between characters.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.font_catalogue import DEFAULT_FONT
from pitchlab.decks.fonts import CJK, char_font, drawable, font_for, is_cjk

ELLIPSIS = "…"
LEADING = 1.25
_BREAK_AFTER = frozenset("-/–—")
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’,.;:!?)]}%…·ー")
_NO_LINE_END = frozenset("（《「『【〔〈“‘([{")

# The families text with no font of its own is set in while a deck is drawn (headings = bold, body = regular), and
# the theme's body scale. A context variable rather than a parameter of every fit: the theme's type applies to all
# ~80 places that fit text.
_FAMILIES: ContextVar[tuple[str, str, float]] = ContextVar("pdf_families", default=(DEFAULT_FONT, DEFAULT_FONT, 1.0))


@contextmanager
def families(heading: str, body: str, body_scale: float = 1.0) -> Iterator[None]:
    """Inside this block, bold text is set in the ``heading`` family and regular text in ``body`` (catalogue ids),
    and regular text that may shrink starts at ``body_scale`` times its size (it still fits its box, at the same
    floor); fixed-size text (start size = floor) keeps its size."""
    token = _FAMILIES.set((heading, body, body_scale))
    try:
        yield
    finally:
        _FAMILIES.reset(token)


def primary_font(text: str, bold: bool) -> str:
    """The primary font of ``text`` in the current families: the CJK font for CJK, else the family's face."""
    heading, body, _ = _FAMILIES.get()
    return font_for(text, bold, family=heading if bold else body)


def _body_scale() -> float:
    return _FAMILIES.get()[2]


SPACE = " "  # a token of its own: where a line may break, dropped at the end of a line
Token = tuple[str, float]  # text, width at size 1
Prepared = tuple[tuple[Token, ...], ...]  # paragraphs of tokens


@dataclass(frozen=True)
class FittedText:
    """Text laid out in a box: its size, its lines, and whether its tail was cut to fit."""

    size: float
    lines: tuple[str, ...]
    truncated: bool
    font: str = "PL-Sans"  # the primary font (characters it lacks fall back, see fonts.char_font)
    bold: bool = False
    leading: float = LEADING

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * self.leading


@dataclass(frozen=True)
class Piece:
    """One string of a stack that shares a box (``fit_stack``); sizes are relative to the stack's size."""

    text: str
    bold: bool = False
    scale: float = 1.0
    gap: float = 0.0  # space after this piece, in units of the stack's size
    max_lines: int | None = None  # a piece with a limit (a heading) keeps its lines when the box is tight
    indent: float = 0.0  # points taken off the width on the left
    color: str = ""
    marker: bool = False  # a bullet before its first line
    floor: float = 0.0  # never set smaller than this (a heading stays legible when its body shrinks)
    rule: bool = False  # a hairline above it, in the middle of the gap before it


@cache
def _unit(ch: str, primary: str, bold: bool) -> float:
    font = char_font(ch, primary, bold)
    return 0.0 if font is None else float(pdfmetrics.stringWidth(ch, font, 1.0))


def text_width(text: str, font: str, bold: bool, size: float) -> float:
    """The width of one line of ``text`` in points, each character in the font that draws it."""
    return size * sum(_unit(ch, font, bold) for ch in text)


def _tokens(paragraph: str) -> list[str]:
    tokens: list[str] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            tokens.append("".join(word))
            word.clear()

    for ch in paragraph:
        if ch.isspace() and ch != "\u00a0":
            flush()
            if tokens and tokens[-1] != SPACE:
                tokens.append(SPACE)
        elif is_cjk(ch) and ch not in _NO_LINE_START and ch not in _NO_LINE_END:
            flush()
            tokens.append(ch)
        else:
            if word and (ch in _NO_LINE_END) and not is_cjk(ch):
                flush()
            word.append(ch)
            if ch in _BREAK_AFTER or is_cjk(ch):
                flush()
    flush()
    merged: list[str] = []
    for token in tokens:
        if (merged and merged[-1] != SPACE and token[0] in _NO_LINE_START) or (
            merged and merged[-1] != SPACE and token != SPACE and merged[-1][-1] in _NO_LINE_END
        ):
            merged[-1] += token
        else:
            merged.append(token)
    while merged and merged[-1] == SPACE:
        merged.pop()
    return merged


@lru_cache(maxsize=4096)
def _prepare(text: str, font: str, bold: bool) -> Prepared:
    # Cached: fitting tries many sizes on the same text, and the tokens and their widths do not change.
    return tuple(
        tuple((token, sum(_unit(ch, font, bold) for ch in token)) for token in _tokens(paragraph))
        for paragraph in text.split("\n")
    )


def _break_word(token: str, font: str, bold: bool, limit: float) -> list[tuple[str, float]]:
    """A word wider than the line, broken between characters into chunks no wider than ``limit``."""
    chunks: list[tuple[str, float]] = []
    chunk, width = "", 0.0
    for ch in token:
        w = _unit(ch, font, bold)
        if chunk and width + w > limit:
            chunks.append((chunk, width))
            chunk, width = "", 0.0
        chunk, width = chunk + ch, width + w
    chunks.append((chunk, width))
    return chunks


def _wrap(prepared: Prepared, font: str, bold: bool, limit: float) -> list[str]:
    """Greedy line breaking of prepared paragraphs, ``limit`` being the line width at size 1."""
    lines: list[str] = []
    for paragraph in prepared:
        line, width, space = "", 0.0, 0.0
        for token, w in paragraph:
            if token == SPACE:
                space = w if line else 0.0
                continue
            if line and width + space + w <= limit:
                line, width = line + (" " if space else "") + token, width + space + w
            elif not line and w <= limit:
                line, width = token, w
            else:
                if line:
                    lines.append(line)
                chunks = [(token, w)] if w <= limit else _break_word(token, font, bold, limit)
                lines.extend(chunk for chunk, _ in chunks[:-1])
                line, width = chunks[-1]
            space = 0.0
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _ellipsize(line: str, font: str, bold: bool, limit: float) -> str:
    line = line.rstrip()
    tail = _unit(ELLIPSIS, font, bold)
    while line and sum(_unit(ch, font, bold) for ch in line) + tail > limit:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


def _cut(lines: list[str], cap: int, font: str, bold: bool, limit: float) -> tuple[tuple[str, ...], bool]:
    if len(lines) <= cap:
        return tuple(lines), False
    kept = lines[:cap]
    if kept:
        kept[-1] = _ellipsize(kept[-1], font, bold, limit)
    return tuple(kept), True


def _capacity(height: float, size: float, leading: float, max_lines: int | None) -> int:
    cap = max(0, math.floor(height / (size * leading) + 1e-6))
    return cap if max_lines is None else min(cap, max_lines)


def _smaller(size: float, min_size: float) -> float:
    return max(min_size, size - (1.0 if size > 14 else 0.5))


def fit_text(
    text: str,
    font: str | None,
    bold: bool,
    max_width: float,
    max_height: float,
    start_size: float,
    min_size: float,
    *,
    leading: float = LEADING,
    max_lines: int | None = None,
) -> FittedText:
    """``text`` wrapped into a ``max_width`` × ``max_height`` box at the largest size that fits.

    Sizes go down from ``start_size`` in steps (1 pt, ½ pt below 14 pt) to ``min_size``; only when the
    text does not fit even there are its last lines dropped and the last one kept ends in "…"
    (``truncated``). ``font`` is the primary font (None: ``primary_font``, in the current ``families``);
    characters it cannot draw fall back to the other shipped fonts, characters no font can draw are dropped.
    """
    clean = drawable(text).strip()
    primary = font or primary_font(clean, bold)
    prepared = _prepare(clean, primary, bold)
    # Fixed-size text (start == floor: page numbers, labels) keeps its size; bold (headings) has the theme's own.
    scaled = start_size if bold or start_size <= min_size else start_size * _body_scale()
    size = max(scaled, min_size)
    while True:
        lines = _wrap(prepared, primary, bold, max_width / size)
        cap = _capacity(max_height, size, leading, max_lines)
        if len(lines) <= cap or size <= min_size:
            kept, truncated = _cut(lines, cap, primary, bold, max_width / size)
            return FittedText(size, kept, truncated, primary, bold, leading)
        size = _smaller(size, min_size)


@dataclass(frozen=True)
class Stack:
    """A fitted stack: the size it was set at (before each piece's scale) and each piece's text."""

    size: float
    parts: tuple[FittedText, ...]

    def height(self, pieces: Sequence[Piece]) -> float:
        return sum(f.height for f in self.parts) + sum(p.gap for p in pieces[:-1]) * self.size


def _piece_size(piece: Piece, size: float) -> float:
    return max(piece.floor, size * piece.scale)


def fit_stack(
    pieces: Sequence[Piece], max_width: float, max_height: float, start_size: float, min_size: float
) -> Stack:
    """Several strings stacked in one box (a heading and its paragraph, a list), all shrunk together.

    One size (times each piece's ``scale``, never under its ``floor``) for the whole stack, the largest
    at which every piece fits whole. If none does down to ``min_size``, pieces with ``max_lines``
    (headings) keep their lines and the others share what is left in proportion to their length, each
    truncated visibly.
    """
    cleaned = [drawable(piece.text).strip() for piece in pieces]
    primaries = [primary_font(text, piece.bold) for text, piece in zip(cleaned, pieces, strict=True)]
    prepared = [_prepare(t, f, p.bold) for t, f, p in zip(cleaned, primaries, pieces, strict=True)]

    def limit(index: int, size: float) -> float:
        return (max_width - pieces[index].indent) / _piece_size(pieces[index], size)

    def fitted(index: int, size: float, lines: list[str], cap: int) -> FittedText:
        kept, truncated = _cut(lines, cap, primaries[index], pieces[index].bold, limit(index, size))
        return FittedText(_piece_size(pieces[index], size), kept, truncated, primaries[index], pieces[index].bold)

    size = max(start_size * _body_scale() if start_size > min_size else start_size, min_size)
    while True:
        wrapped = [_wrap(prepared[i], primaries[i], p.bold, limit(i, size)) for i, p in enumerate(pieces)]
        caps = [
            len(w) if p.max_lines is None else min(len(w), p.max_lines) for w, p in zip(wrapped, pieces, strict=True)
        ]
        heights = [cap * _piece_size(p, size) * LEADING for cap, p in zip(caps, pieces, strict=True)]
        gaps = sum(p.gap for p in pieces[:-1]) * size
        if sum(heights) + gaps <= max_height + 1e-6 or size <= min_size:
            break
        size = _smaller(size, min_size)
    if sum(heights) + gaps <= max_height + 1e-6:
        return Stack(size, tuple(fitted(i, size, wrapped[i], caps[i]) for i in range(len(pieces))))
    fixed = sum(h for h, p in zip(heights, pieces, strict=True) if p.max_lines is not None)
    flexible = sum(h for h, p in zip(heights, pieces, strict=True) if p.max_lines is None) or 1.0
    share = max(0.0, max_height - gaps - fixed) / flexible
    left = max_height - gaps
    result = []
    for i, piece in enumerate(pieces):
        allowed = heights[i] if piece.max_lines is not None else heights[i] * share
        line_height = _piece_size(piece, size) * LEADING
        cap = min(caps[i], math.floor(min(allowed, left) / line_height + 1e-6))
        if piece.max_lines is None and cap == 0 and caps[i] and left >= line_height:
            cap = 1
        result.append(fitted(i, size, wrapped[i], max(0, cap)))
        left -= max(0, cap) * line_height
    return Stack(size, tuple(result))


def text_runs(line: str, font: str, bold: bool) -> list[tuple[str, str]]:
    """``line`` cut into (font name, text) runs, each character in the font that draws it (none: dropped)."""
    runs: list[tuple[str, str]] = []
    for ch in line:
        name = char_font(ch, font, bold)
        if name is None:
            continue
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def draw_text(
    c: Canvas, fitted: FittedText, x: float, top: float, width: float, color: str, *, align: str = "left"
) -> float:
    """Draw ``fitted`` with its first line's box at ``top``; returns the height drawn.

    Bold CJK is emboldened with a thin outline in the text colour, since the CJK font has no bold face.
    """
    size = fitted.size
    fake_bold = fitted.bold and any(is_cjk(ch) for line in fitted.lines for ch in line)
    if fake_bold:  # the text render mode is graphics state: restore it, or later text comes out bold too
        c.saveState()
        c.setStrokeColor(color)
        c.setLineWidth(size * 0.035)
    c.setFillColor(color)
    for index, line in enumerate(fitted.lines):
        baseline = top - size * (fitted.leading - 0.28) - index * size * fitted.leading
        start = x
        if align != "left":
            spare = width - text_width(line, fitted.font, fitted.bold, size)
            start = x + (spare / 2 if align == "center" else spare)
        text = c.beginText(start, baseline)
        for name, run in text_runs(line, fitted.font, fitted.bold):
            text.setFont(name, size)
            text.setTextRenderMode(2 if fitted.bold and name == CJK else 0)
            text.textOut(run)
        c.drawText(text)
    if fake_bold:
        c.restoreState()
    return fitted.height


def draw_stack(
    c: Canvas, pieces: Sequence[Piece], stack: Stack, x: float, top: float, width: float, accent: str, rule: str
) -> float:
    """Draw a fitted stack top-down from ``top``: bullets in ``accent``, hairlines in ``rule``; returns its height."""
    y = top
    previous_gap = 0.0
    for piece, fit in zip(pieces, stack.parts, strict=True):
        if piece.rule:
            c.setStrokeColor(rule)
            c.setLineWidth(0.8)
            c.line(x, y + previous_gap / 2, x + width, y + previous_gap / 2)
        if piece.marker and fit.lines:
            c.setFillColor(accent)
            centre = y - fit.size * (fit.leading - 0.28) + fit.size * 0.36
            c.rect(x + piece.indent / 2 - 5, centre - 2.5, 5, 5, stroke=0, fill=1)
        draw_text(c, fit, x + piece.indent, y, width - piece.indent, piece.color)
        previous_gap = piece.gap * stack.size
        y -= fit.height + previous_gap
    return top - y - previous_gap
