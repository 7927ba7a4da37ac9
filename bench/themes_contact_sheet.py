#!/usr/bin/env python3
"""Render the sample deck in every theme with a brand kit set, and tile a few pages of each into one PNG.

    .venv/bin/python bench/themes_contact_sheet.py [--out docs/themes-contact-sheet.png] [--pages 1,3,5,...]

One row per theme (its name on the left), one column per chosen page. Needs poppler's ``pdftoppm`` and Pillow.
The brand kit (a teal primary, an amber accent, Caladea headings, a footer; each theme keeps its body family) is
set so the sheet shows how each theme takes a brand, not only its own colours.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")
os.environ.setdefault("PITCHLAB_VAR_DIR", tempfile.mkdtemp(prefix="pl-sheet-"))

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from pitchlab.decks.charts.build import build_chart  # noqa: E402
from pitchlab.decks.pdf import chart_sizes, render_pdf  # noqa: E402
from pitchlab.decks.slides import build_deck  # noqa: E402
from pitchlab.decks.themes import THEMES, branded  # noqa: E402
from pitchlab.pitches.documents import template_document  # noqa: E402
from pitchlab.pitches.read_model import canvas_view  # noqa: E402

BRAND = {
    "primary": "#0f766e",
    "accent": "#d97706",
    "heading_font": "caladea",
    "body_font": "noto-sans",  # the default: each theme keeps its own body family
    "footer": "Confidential · Seed round 2026",
    "logo": None,
    "logo_dark": None,
}
LABEL_W = 150


def theme_pdf(canvas: dict[str, object], name: str, company: str) -> bytes:
    """The sample deck as a PDF in theme ``name`` and the brand kit of ``canvas``."""
    theme = branded(THEMES[name], canvas_view(canvas).deck.brand)
    deck = build_deck(name=company, canvas=canvas, lang="en", business_titles={})
    charts = {}
    for kind, (width, height) in chart_sizes(deck, theme).items():
        drawing = build_chart(kind, canvas, palette=theme.palette, width=width, height=height, lang="en")
        if drawing is not None:
            charts[kind] = drawing
    return render_pdf(deck, charts=charts, theme=theme)


def pages_png(pdf: bytes, pages: list[int], dpi: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deck.pdf"
        path.write_bytes(pdf)
        images = []
        for page in pages:
            stem = Path(tmp) / f"page-{page}"
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile", path, stem],
                check=True,
            )
            with Image.open(stem.with_suffix(".png")) as image:
                images.append(image.convert("RGB"))
        return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "themes-contact-sheet.png"))
    parser.add_argument("--pages", default="1,2,5,7,9,11", help="1-based page numbers, comma-separated")
    parser.add_argument("--dpi", type=int, default=40)
    parser.add_argument("--template", default="support_nlp")
    args = parser.parse_args()
    document = template_document(args.template)
    assert document is not None, args.template
    canvas = document["canvas"]
    canvas.setdefault("deck", {})["brand"] = BRAND
    pages = [int(p) for p in args.pages.split(",")]
    rows = []
    for name in THEMES:
        rows.append((name, pages_png(theme_pdf(canvas, name, document["name"]), pages, args.dpi)))
    cell_w, cell_h = rows[0][1][0].size
    gap = 8
    sheet = Image.new("RGB", (LABEL_W + len(pages) * (cell_w + gap) + gap, len(rows) * (cell_h + gap) + gap), "#d4d4d8")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=20)
    for row, (name, images) in enumerate(rows):
        y = gap + row * (cell_h + gap)
        draw.text((12, y + cell_h // 2 - 10), name, fill="#18181b", font=font)
        for col, image in enumerate(images):
            sheet.paste(image, (LABEL_W + col * (cell_w + gap), y))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    print(f"{out}: {sheet.size[0]}x{sheet.size[1]}, {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
