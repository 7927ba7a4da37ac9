#!/usr/bin/env python3
"""Render every slide of the sample deck in each layout its kind offers, in two themes, and tile the pages into
one PNG labelled "kind · layout".

    .venv/bin/python bench/layouts_contact_sheet.py [--out docs/layouts-contact-sheet.png] [--themes light,midnight]

The sample deck has a logo, a cover, three screenshots and a headshot per team member (``sample_pictures``,
cut for print as the export cuts them) and three custom slides (a picture with words, a short quote, a long
list), each shown in every custom layout. Charts are built at the sizes the layout draws them
(``pdf.chart_sizes``). Needs poppler's ``pdftoppm`` and Pillow.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from themes_contact_sheet import ROOT, SamplePictures

from pitchlab.decks.charts.build import build_chart
from pitchlab.decks.pdf import chart_sizes, render_pdf
from pitchlab.decks.slides import Deck, Slide, build_deck
from pitchlab.decks.themes import THEMES
from pitchlab.pitches.canvas import SLIDE_KINDS
from pitchlab.pitches.documents import template_document

LABEL_H, GAP, HEAD_H = 22, 8, 40
SCREENSHOT, COVER = 3, 2  # ids in SamplePictures' upload order: logo, cover, screenshots, headshots


def custom_rows() -> list[dict[str, Any]]:
    """Three founder's own slides: a picture with words, a short quote, a long list."""
    return [
        {
            "kind": "custom",
            "id": "floor",
            "title": "A morning on the support floor",
            "text": "Forty agents, one shared inbox and a spreadsheet of who handles what.",
            "bullets": ["Tickets wait 9 hours for a first reply", "1 in 5 lands with the wrong team"],
            "picture": COVER,
        },
        {
            "kind": "custom",
            "id": "voice",
            "title": "What our pilot customer says",
            "text": "We stopped triaging by hand in the first week.",
        },
        {
            "kind": "custom",
            "id": "plan",
            "title": "Our next twelve months",
            "bullets": [f"Step {n}: " + text for n, text in enumerate(STEPS, start=1)],
            "picture": SCREENSHOT,
        },
    ]


STEPS = (
    "ship the Zendesk app",
    "reach 40 paying teams",
    "draft first replies",
    "SOC 2 type I",
    "hire two engineers",
    "open the Chinese market",
    "raise the seed extension",
)


def every_layout(deck: Deck) -> tuple[list[Slide], list[str]]:
    """Each slide of ``deck`` once in every layout it offers (the cover first), and a label for each page."""
    slides: list[Slide] = []
    for slide in deck.slides:
        slides += [replace(slide, layout=name) for name in slide.layouts or (slide.layout,)]
    slides.sort(key=lambda slide: slide.layout != "title")  # the PDF's page 1, wherever it stands
    return slides, [f"{slide.kind} · {slide.layout}" for slide in slides]


def theme_pdf(canvas: dict[str, Any], name: str, company: str, pictures: SamplePictures) -> tuple[bytes, list[str]]:
    deck = build_deck(name=company, canvas=canvas, lang="en", pictures=pictures.deck)
    slides, labels = every_layout(deck)
    deck = replace(deck, slides=tuple(slides))
    theme = THEMES[name]
    charts = {}
    for kind, (width, height) in chart_sizes(deck, theme).items():
        drawing = build_chart(kind, canvas, palette=theme.palette, width=width, height=height, lang="en")
        if drawing is not None:
            charts[kind] = drawing
    return render_pdf(deck, charts=charts, theme=theme, pictures=pictures), labels


def thumbnails(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page of ``pdf`` as an image, in order (one pdftoppm run)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deck.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", path, Path(tmp) / "page"], check=True)
        pages = []
        for file in sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])):
            with Image.open(file) as image:
                pages.append(image.convert("RGB"))
        return pages


def sheet(sections: list[tuple[str, list[Image.Image], list[str]]], columns: int) -> Image.Image:
    """The sections one under the other, each headed by its theme, its pages in rows with a label under each."""
    cell_w, cell_h = sections[0][1][0].size
    rows = [-(-len(pages) // columns) for _, pages, _ in sections]
    width = GAP + columns * (cell_w + GAP)
    height = sum(HEAD_H + r * (cell_h + LABEL_H + GAP) for r in rows) + GAP
    out = Image.new("RGB", (width, height), "#d4d4d8")
    draw = ImageDraw.Draw(out)
    head, small = ImageFont.load_default(size=24), ImageFont.load_default(size=13)
    y = GAP
    for (name, pages, labels), count in zip(sections, rows, strict=True):
        draw.text((GAP, y + 6), name, fill="#18181b", font=head)
        y += HEAD_H
        for index, (page, label) in enumerate(zip(pages, labels, strict=True)):
            row, col = divmod(index, columns)
            x, top = GAP + col * (cell_w + GAP), y + row * (cell_h + LABEL_H + GAP)
            out.paste(page, (x, top))
            draw.text((x + 2, top + cell_h + 4), label, fill="#18181b", font=small)
        y += count * (cell_h + LABEL_H + GAP)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "layouts-contact-sheet.png"))
    parser.add_argument("--themes", default="light,midnight")
    parser.add_argument("--dpi", type=int, default=24)
    parser.add_argument("--columns", type=int, default=8)
    parser.add_argument("--template", default="support_nlp")
    parser.add_argument("--pdf", help="also keep each theme's PDF here (a folder), to look at it closer")
    args = parser.parse_args()
    document = template_document(args.template)
    assert document is not None, args.template
    canvas = document["canvas"]
    canvas.setdefault("deck", {})["slides"] = [{"kind": kind} for kind in SLIDE_KINDS] + custom_rows()
    team = [str(member["name"]) for member in canvas.get("team", [])]
    sections = []
    with tempfile.TemporaryDirectory() as folder:
        pictures = SamplePictures(Path(folder), team)
        for name in args.themes.split(","):
            pdf, labels = theme_pdf(canvas, name, document["name"], pictures)
            if args.pdf:
                Path(args.pdf).mkdir(parents=True, exist_ok=True)
                (Path(args.pdf) / f"layouts-{name}.pdf").write_bytes(pdf)
            sections.append((name, thumbnails(pdf, args.dpi), labels))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    image = sheet(sections, args.columns)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
    print(f"{out}: {image.size[0]}x{image.size[1]}, {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
