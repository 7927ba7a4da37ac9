"""Audience links as QR codes (segno: pure Python)."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """``url`` as an inline SVG QR code that scales with its box (no fixed width or height)."""
    return str(segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, dark="#111", light="#fff"))


def qr_modules(url: str) -> list[list[bool]]:
    """``url``'s QR code as rows of dark (True) and light modules, for drawing it elsewhere (the PDF)."""
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m").matrix]
