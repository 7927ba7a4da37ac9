"""Every renderer draws every block kind and every layout of the slide model, through its registries.

The PDF (``pdf_blocks.BLOCK_DRAWERS``, ``pdf.PAGE_LAYOUTS``) and the web deck (``web.BLOCK_TEMPLATES``,
``web.LAYOUT_TEMPLATES``) each hold one entry per block kind and per layout: a kind or layout added to the slide
model without one fails here, and a slide that reaches a renderer without one fails loudly, never blank.
"""

from __future__ import annotations

import io
from dataclasses import replace
from html.parser import HTMLParser
from typing import get_args

import pytest
from django.template.loader import get_template, render_to_string
from pypdf import PdfReader

from pitchlab.decks import pdf_blocks, web
from pitchlab.decks.pdf import PAGE_LAYOUTS, render_pdf
from pitchlab.decks.slides import (
    ALL_LAYOUTS,
    Block,
    BlockKind,
    ColumnRole,
    Deck,
    Slide,
    build_deck,
)
from pitchlab.decks.themes import LIGHT
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.documents import template_document

SAMPLES = ("medical_imaging", "support_nlp")
# What each block kind shows on the web, by the class of its outer element (the title layout shows its text
# block as the purpose instead).
WEB_CLASS: dict[str, str] = {
    "lead": "lead",
    "text": "text-block",
    "bullets": "bullets",
    "chart": "chart",
    "metrics": "metrics",
    "table": "table",
    "demo": "demo",
    "live_demo": "live-demo",
    "picture": "pictures",
    "people": "people",
    "statement": "statement",
}
MODEL = StageModel(
    id=7,
    name="Ticket router",
    kind="text",
    labels=("billing", "bug"),
    ready=True,
    metrics={},
    examples=(StageExample(1, "Charged twice.", "", "billing", None),),
)


class _Classes(HTMLParser):
    """The first class of every element, in document order, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.classes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = (dict(attrs).get("class") or "").split()
        self.classes.append(names[0] if names else "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Classes:
    parser = _Classes()
    parser.feed(html)
    return parser


def _slide_html(slide: Slide, deck: Deck) -> str:
    return render_to_string("decks/_slide.html", {"slide": slide, "deck": deck, "charts": {}, "shared_deck": False})


def _deck(name: str, lang: str = "en") -> Deck:
    document = template_document(name)
    assert document is not None
    return build_deck(name="Acme", canvas=document["canvas"], lang=lang, demos=(MODEL,))


def _table_slide(columns: tuple[ColumnRole, ...]) -> Slide:
    table = Block("table", rows=(("Router v3", "accuracy", "91%", "78%", "n = 2,000"),), columns=columns)
    return Slide(kind="performance", title="Model performance", blocks=(table,), notes="", seconds=30, number=2)


def test_every_block_kind_has_a_drawer_in_every_renderer() -> None:
    kinds = set(get_args(BlockKind))
    assert set(pdf_blocks.BLOCK_DRAWERS) == kinds
    assert set(web.BLOCK_TEMPLATES) == kinds
    for entry in web.BLOCK_TEMPLATES.values():
        get_template(entry.template)  # the template exists and compiles


def test_every_layout_has_a_drawer_in_every_renderer() -> None:
    assert not set(ALL_LAYOUTS) - set(PAGE_LAYOUTS), "layouts without a PDF page drawer"
    assert not set(ALL_LAYOUTS) - set(web.LAYOUT_TEMPLATES), "layouts without a web template"
    for name in web.LAYOUT_TEMPLATES.values():
        get_template(name)
    assert sum(layout.cover for layout in PAGE_LAYOUTS.values()) == 1, "one layout makes the PDF's cover"


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_web_deck_shows_every_block_of_every_sample_slide(name: str, lang: str) -> None:
    deck = _deck(name, lang)
    assert {slide.layout for slide in deck.slides} >= {"title", "chart", "live_demo"}
    for slide in deck.slides:
        page = _parse(_slide_html(slide, deck))
        text = " ".join(page.text)
        if slide.layout == "title":
            assert page.classes.count("purpose") == sum(block.kind == "text" for block in slide.blocks)
            assert slide.title in text
            continue
        # Figures first, then the other blocks in the slide's order: each block's element once, in that order.
        charts = [b.kind for b in web.figures(slide.blocks)]
        expected = charts + [b.kind for b in web.flow(slide.blocks)]
        shown = [c for c in page.classes if c in WEB_CLASS.values() and c != "live"]
        assert shown == [WEB_CLASS[kind] for kind in expected], slide.key
        for block in slide.blocks:
            for words in (block.text, block.heading, *block.items, *(cell for row in block.rows for cell in row)):
                assert " ".join(words.split()) in " ".join(text.split()), (slide.key, words)


def test_a_table_labels_the_column_whose_role_is_baseline_on_the_web() -> None:
    deck = Deck(company="Acme", purpose="", slides=())
    labelled = _slide_html(_table_slide(("head", "sub", "sub", "baseline", "body")), deck)
    assert '<td><span class="cell-label">baseline</span> 78%</td>' in labelled
    plain = _slide_html(_table_slide(()), deck)
    assert "cell-label" not in plain
    assert "<td>78%</td>" in plain


def _pdf_text(slides: tuple[Slide, ...]) -> list[str]:
    deck = Deck(company="Acme", purpose="Routing tickets", slides=slides)
    reader = PdfReader(io.BytesIO(render_pdf(deck, charts={}, theme=LIGHT)))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_a_pdf_record_puts_a_baseline_column_on_its_accent_line_labelled() -> None:
    labelled = _pdf_text((_table_slide(("head", "sub", "sub", "baseline", "body")),))
    assert "accuracy 91% · baseline 78%" in labelled[1]
    plain = _pdf_text((_table_slide(()),))
    assert "baseline" not in plain[1]
    assert "91% · 78%" in plain[1]


def test_the_pdf_cover_is_the_slide_with_the_cover_layout_wherever_it_stands() -> None:
    cover = Slide(kind="title", title="Acme Robotics", blocks=(Block("text", text="Robots"),), notes="", seconds=5)
    other = _table_slide(())
    pages = _pdf_text((other, cover))
    assert len(pages) == 2
    assert "Acme Robotics" in pages[0]
    assert "Robots" in pages[0]
    assert "Router v3" in pages[1]
    made = _pdf_text((other,))  # no cover slide: one is made from the company and its purpose
    assert len(made) == 2
    assert "Routing tickets" in made[0]


def test_a_block_kind_without_a_drawer_fails_loudly_in_every_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    slide = _table_slide(())
    deck = Deck(company="Acme", purpose="", slides=(slide,))
    monkeypatch.delitem(web.BLOCK_TEMPLATES, "table")
    monkeypatch.delitem(pdf_blocks.BLOCK_DRAWERS, "table")
    with pytest.raises(KeyError, match="table"):
        _slide_html(slide, deck)
    with pytest.raises(KeyError, match="table"):
        render_pdf(deck, charts={}, theme=LIGHT)


def test_a_layout_without_a_drawer_fails_loudly_in_every_renderer() -> None:
    slide = replace(_table_slide(()), layout="no_such_layout")
    deck = Deck(company="Acme", purpose="", slides=(slide,))
    with pytest.raises(KeyError, match="no_such_layout"):
        _slide_html(slide, deck)
    with pytest.raises(KeyError, match="no_such_layout"):
        render_pdf(deck, charts={}, theme=LIGHT)
