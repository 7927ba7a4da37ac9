#!/usr/bin/env python3
"""The sample deck as PowerPoint, seen through an office suite: render the .pptx, convert it with LibreOffice
headless, and write every slide as a PNG plus one contact sheet, to look at before calling the export done.

    .venv/bin/python bench/pptx_preview.py OUT [--themes light,midnight] [--lang en|zh] [--template support_nlp]

For each theme, OUT/<theme>-<lang>/ gets deck.pptx, LibreOffice's deck.pdf and slide-NN.png (pdftoppm, 60 dpi by
default); OUT/sheet-<lang>.png tiles every theme's slides, each labelled "number · kind · layout". The deck has a
logo, a cover, three screenshots and a headshot per team member (``sample_pictures``, cut as the export cuts
them) and a live demo slide. Needs Debian's LibreOffice (``soffice``), poppler's ``pdftoppm`` and Pillow.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from layouts_contact_sheet import sheet, thumbnails
from PIL import Image
from themes_contact_sheet import SamplePictures

from pitchlab.decks.pdf import _pages
from pitchlab.decks.powerpoint import render_pptx
from pitchlab.decks.powerpoint.charts import native_charts
from pitchlab.decks.slides import build_deck
from pitchlab.decks.themes import THEMES
from pitchlab.pitches.documents import template_document
from tests.decks.pptx.office import pptx_to_pdf
from tests.decks.pptx.test_pptx_office import MODEL  # the slow test's live demo model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the folder for the files and the contact sheet")
    parser.add_argument("--themes", default="light", help="comma-separated theme names, e.g. light,midnight")
    parser.add_argument("--lang", default="en", choices=("en", "zh"))
    parser.add_argument("--template", default="support_nlp")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--columns", type=int, default=4)
    args = parser.parse_args()
    document = template_document(args.template)
    assert document is not None, args.template
    canvas, name = document["canvas"], document["name"]
    team = [str(member["name"]) for member in canvas.get("team", [])]
    out = Path(args.out)
    sections = []
    with tempfile.TemporaryDirectory() as folder:
        pictures = SamplePictures(Path(folder), team)
        deck = build_deck(name=name, canvas=canvas, lang=args.lang, demos=(MODEL,), pictures=pictures.deck)
        labels = [f"{n} · {slide.kind} · {slide.layout}" for n, slide in enumerate(_pages(deck), start=1)]
        for theme in args.themes.split(","):
            pptx = render_pptx(deck, charts=native_charts(deck, canvas), theme=THEMES[theme], pictures=pictures)
            target = out / f"{theme}-{args.lang}"
            target.mkdir(parents=True, exist_ok=True)
            (target / "deck.pptx").write_bytes(pptx)
            pdf = pptx_to_pdf(pptx, Path(folder) / f"office-{theme}")
            (target / "deck.pdf").write_bytes(pdf)
            pages = thumbnails(pdf, args.dpi)
            for number, page in enumerate(pages, start=1):
                page.save(target / f"slide-{number:02d}.png", optimize=True)
            if len(pages) != len(labels):
                print(f"{theme}: LibreOffice printed {len(pages)} pages of {len(labels)} slides")
            sections.append((f"{theme} ({args.lang})", pages, labels[: len(pages)]))
            print(f"{target}: {len(pptx) / 1e3:.0f} kB .pptx, {len(pages)} pages")
    image = sheet(sections, args.columns)
    path = out / f"sheet-{args.lang}.png"
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path}: {image.size[0]}x{image.size[1]}")


if __name__ == "__main__":
    main()
