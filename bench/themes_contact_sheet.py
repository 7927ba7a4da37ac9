#!/usr/bin/env python3
"""Render the sample deck in every theme with a brand kit set, and tile a few pages of each into one PNG.

    .venv/bin/python bench/themes_contact_sheet.py [--out docs/themes-contact-sheet.png] [--pages 1,3,5,...]

One row per theme (its name on the left), one column per chosen page. Needs poppler's ``pdftoppm`` and Pillow.
The brand kit (a teal primary, an amber accent, Caladea headings, a footer; each theme keeps its body family) is
set so the sheet shows how each theme takes a brand, not only its own colours; the deck has a logo, a cover,
three product screenshots and a headshot per team member (made up by ``sample_pictures``), cut for print as
the export cuts them.
"""

from __future__ import annotations

import argparse
import math
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
from sample_pictures import logo, photo, screenshot  # noqa: E402

from pitchlab.decks.charts.build import build_chart  # noqa: E402
from pitchlab.decks.deck_pictures import DeckPicture, DeckPictures, choose  # noqa: E402
from pitchlab.decks.pdf import chart_sizes, render_pdf  # noqa: E402
from pitchlab.decks.slides import build_deck  # noqa: E402
from pitchlab.decks.themes import THEMES, branded  # noqa: E402
from pitchlab.pictures.geometry import Fit, Geometry  # noqa: E402
from pitchlab.pictures.images import for_print, make_master, picture_limits  # noqa: E402
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


class SamplePictures:
    """The sample deck's pictures and their print cuts (``deck_pictures.PrintFiles``), kept in ``folder``."""

    def __init__(self, folder: Path, team: list[str]) -> None:
        uploads = [("logo", logo(), "Lumen"), ("cover", photo(3000, 2000, 1), "The support team at work")]
        uploads += [("screenshot", screenshot(2560, 1600, seed), f"Screen {seed}") for seed in range(3)]
        uploads += [("headshot", photo(1200, 1200, 10 + i), name) for i, name in enumerate(team)]
        limits = picture_limits(max_bytes=50_000_000, max_pixels=50_000_000)
        self.folder, self.masters, placed = folder, {}, []
        for index, (role, data, alt) in enumerate(uploads, start=1):
            master = make_master(data, limits)
            self.masters[index] = master.data
            placed.append(DeckPicture(id=index, role=role, alt=alt, width=master.width, height=master.height))
        self.deck: DeckPictures = choose(placed)

    def __call__(self, picture: DeckPicture, width_pt: float, height_pt: float, *, contain: bool) -> Path:
        width, height = math.ceil(width_pt / 72 * 200), math.ceil(height_pt / 72 * 200)
        fit = Fit.CONTAIN if contain else Fit.COVER
        data, fmt = for_print(self.masters[picture.id], Geometry(), width_px=width, height_px=height, fit=fit)
        path = self.folder / f"{picture.id}-{width}x{height}-{fit.value}.{fmt.value}"
        path.write_bytes(data)
        return path


def theme_pdf(canvas: dict[str, object], name: str, company: str, pictures: SamplePictures) -> bytes:
    """The sample deck as a PDF in theme ``name``, the brand kit of ``canvas`` and the sample pictures."""
    theme = branded(THEMES[name], canvas_view(canvas).deck.brand)
    deck = build_deck(name=company, canvas=canvas, lang="en", business_titles={}, pictures=pictures.deck)
    charts = {}
    for kind, (width, height) in chart_sizes(deck, theme).items():
        drawing = build_chart(kind, canvas, palette=theme.palette, width=width, height=height, lang="en")
        if drawing is not None:
            charts[kind] = drawing
    return render_pdf(deck, charts=charts, theme=theme, pictures=pictures)


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
    parser.add_argument("--pages", default="1,2,4,7,9,11", help="1-based page numbers, comma-separated")
    parser.add_argument("--dpi", type=int, default=40)
    parser.add_argument("--template", default="support_nlp")
    args = parser.parse_args()
    document = template_document(args.template)
    assert document is not None, args.template
    canvas = document["canvas"]
    canvas.setdefault("deck", {})["brand"] = BRAND
    pages = [int(p) for p in args.pages.split(",")]
    team = [str(member["name"]) for member in canvas.get("team", [])]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        pictures = SamplePictures(Path(folder), team)
        for name in THEMES:
            rows.append((name, pages_png(theme_pdf(canvas, name, document["name"], pictures), pages, args.dpi)))
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
