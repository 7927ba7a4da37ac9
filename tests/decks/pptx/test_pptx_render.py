"""The .pptx renderer read back with python-pptx: every layout and theme, text in its box, notes, the East Asian
font on CJK runs, pictures embedded once, the PDF's page order and cuts."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.util import Emu

from pitchlab.decks.pdf import _pages
from pitchlab.decks.powerpoint import render_pptx
from pitchlab.decks.powerpoint.base import CJK_FONT
from pitchlab.decks.powerpoint.charts import native_charts
from pitchlab.decks.slides import ALL_LAYOUTS, Deck, build_deck
from pitchlab.decks.themes import THEMES
from pitchlab.pitches.documents import template_document
from tests.decks.test_pdf import ZH_STORY
from tests.decks.test_pdf_layouts import RICH, in_layout, rich_canvas
from tests.decks.test_pdf_pictures import FolderPrintFiles, Sources
from tests.decks.test_pdf_pictures import sources as sources  # the fixture: the picture files, made once a module

SLIDE_W, SLIDE_H = 960.0, 540.0


def _open(data: bytes) -> PresentationType:
    return Presentation(io.BytesIO(data))


def _pt(value: int | None) -> float:
    return Emu(value or 0).pt


def _shapes(prs: PresentationType) -> Iterator[tuple[int, Any]]:
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            yield number, shape


def _inside(x: float, y: float, w: float, h: float) -> bool:
    return min(x, y) >= -0.5 and x + w <= SLIDE_W + 0.5 and y + h <= SLIDE_H + 0.5


def _texts(slide: Any) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _sample(name: str = "support_nlp", lang: str = "en") -> tuple[Deck, dict[str, Any]]:
    document = template_document(name)
    assert document is not None
    return build_deck(name="Acme", canvas=document["canvas"], lang=lang), document["canvas"]


def test_the_file_has_a_slide_per_pdf_page_in_the_pdfs_order_with_the_titles() -> None:
    deck, canvas = _sample()
    prs = _open(render_pptx(deck, charts=native_charts(deck, canvas)))
    pages = _pages(deck)
    assert len(prs.slides) == len(pages) == 14
    assert (_pt(prs.slide_width), _pt(prs.slide_height)) == (SLIDE_W, SLIDE_H)
    for slide, page in zip(prs.slides, pages, strict=True):
        titles = [shape for shape in slide.shapes if shape.name == "Title"]
        assert len(titles) == 1
        assert titles[0].text_frame.text == (page.title or deck.company)
    assert "2 / 14" in _texts(prs.slides[1])
    assert "14 / 14" in _texts(prs.slides[13])


def test_every_text_is_a_text_box_inside_the_slide_with_the_themes_fonts() -> None:
    deck, canvas = _sample()
    prs = _open(render_pptx(deck, charts=native_charts(deck, canvas)))
    boxes = 0
    for number, shape in _shapes(prs):
        x, y, w, h = (_pt(v) for v in (shape.left, shape.top, shape.width, shape.height))
        if shape.has_text_frame and shape.text_frame.text.strip():
            boxes += 1
            assert _inside(x, y, w, h), (number, shape.name)
            body = shape.text_frame._txBody.bodyPr
            assert body.find(qn("a:normAutofit")) is not None, (number, shape.name)  # shrinks when edited
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.name == "Noto Sans", (number, run.text)
                    assert run.font.size is not None
    assert boxes > 60


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_every_layout_keeps_every_slides_words_inside_the_slide(layout: str) -> None:
    deck = in_layout(layout)
    prs = _open(render_pptx(deck, charts={}))
    assert len(prs.slides) == len(_pages(deck))
    for number, shape in _shapes(prs):
        x, y, w, h = (_pt(v) for v in (shape.left, shape.top, shape.width, shape.height))
        if shape.has_text_frame and shape.text_frame.text.strip():
            assert _inside(x, y, w, h), (layout, number)
    words = " ".join(_texts(slide) for slide in prs.slides)
    for slide in deck.slides:
        if slide.title:
            assert slide.title[:20] in words, (layout, slide.title)


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_paints_its_background_and_title_colour(theme: str) -> None:
    deck = replace(RICH, theme=theme)
    prs = _open(render_pptx(deck, charts={}))
    from pitchlab.decks.themes import branded, theme_get

    look = branded(theme_get(theme), deck.brand)
    second = prs.slides[1]
    fill = second.background.fill
    assert str(fill.fore_color.rgb) == look.background.lstrip("#").upper()
    title = next(shape for shape in second.shapes if shape.name == "Title")
    colour = str(title.text_frame.paragraphs[0].runs[0].font.color.rgb)
    expected = look.accent_ink if look.title == "band" else look.ink
    assert colour == expected.lstrip("#").upper()


def test_speaker_notes_are_in_each_slides_notes_pane_and_left_out_on_request() -> None:
    deck, _ = _sample()
    with_notes = _open(render_pptx(deck, charts={}))
    pages = _pages(deck)
    noted = 0
    for slide, page in zip(with_notes.slides, pages, strict=True):
        if page.notes.strip():
            noted += 1
            assert slide.has_notes_slide
            assert slide.notes_slide.notes_text_frame.text == page.notes
    assert noted >= 5
    without = _open(render_pptx(deck, charts={}, notes=False))
    assert not any(slide.has_notes_slide and slide.notes_slide.notes_text_frame.text for slide in without.slides)


def _runs(prs: PresentationType) -> Iterator[Any]:
    for _, shape in _shapes(prs):
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield from paragraph.runs


def test_runs_with_han_text_declare_the_east_asian_font_and_latin_runs_do_not() -> None:
    canvas = rich_canvas()
    canvas["story"] = {**canvas["story"], **ZH_STORY}
    deck = build_deck(name="鹿鸣影像 Lumen", canvas=canvas, lang="zh")
    prs = _open(render_pptx(deck, charts={}))
    han = re.compile(r"[\u4e00-\u9fff]")
    runs = list(_runs(prs))
    chinese = [run for run in runs if han.search(run.text)]
    latin = [run for run in runs if run.text.strip() and not han.search(run.text) and run.text.isascii()]
    assert len(chinese) > 20
    assert latin
    for run in chinese:
        rpr = run._r.find(qn("a:rPr"))
        ea = rpr.find(qn("a:ea"))
        assert ea is not None, run.text
        assert ea.get("typeface") == CJK_FONT
        latin_font = rpr.find(qn("a:latin"))
        assert latin_font is not None
        assert latin_font.get("typeface") == "Noto Sans"
        children = [child.tag for child in rpr]
        assert children.index(qn("a:latin")) < children.index(qn("a:ea"))  # the schema's order
    for run in latin:
        assert run._r.find(qn("a:rPr")).find(qn("a:ea")) is None, run.text
    cover = next(shape for shape in prs.slides[0].shapes if shape.name == "Title")
    assert cover.text_frame.text == "鹿鸣影像 Lumen"


def test_a_text_longer_than_its_box_is_shrunk_then_cut_with_an_ellipsis_inside_the_box() -> None:
    canvas = rich_canvas()
    long_title = "An extraordinarily long slide title " * 12
    canvas["deck"]["slides"] = [{"kind": "problem", "title": long_title, "layout": "statement"}]
    canvas["story"]["customer_pain"] = "word " * 3000
    deck = build_deck(name="Acme", canvas=canvas)
    prs = _open(render_pptx(deck, charts={}))
    slide = prs.slides[1]
    title = next(shape for shape in slide.shapes if shape.name == "Title")
    assert title.text_frame.text.endswith("…")
    assert len(title.text_frame.text) < len(long_title)
    size = title.text_frame.paragraphs[0].runs[0].font.size.pt
    assert size < 32  # shrunk before it was cut
    body = max((s for s in slide.shapes if s.has_text_frame), key=lambda s: len(s.text_frame.text))
    assert body.text_frame.text.endswith("…")
    assert len(body.text_frame.text) < 15000
    assert _pt(body.top) + _pt(body.height) <= SLIDE_H - 40  # above the footer


class CountingFiles(FolderPrintFiles):
    pass


def test_each_picture_is_embedded_once_however_many_slides_place_it(sources: Sources, tmp_path: Path) -> None:
    files = CountingFiles(tmp_path, sources.files)
    data = render_pptx(RICH, charts={}, pictures=files)
    prs = _open(data)
    asked = [call[0] for call in files.calls]
    assert len(asked) == len(set(asked))  # each picture's file asked for once, whole
    images = {part.partname for part in prs.part.package.iter_parts() if part.partname.startswith("/ppt/media/")}
    placed = [shape for _, shape in _shapes(prs) if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    logos = [shape for shape in placed if shape.name == f"Picture {RICH.pictures.logo.id}"]  # type: ignore[union-attr]
    assert len(logos) >= len(prs.slides) - 1  # in every footer
    assert len({shape.image.sha1 for shape in placed}) == len(images) == len(set(asked) & set(sources.files))
    assert len(placed) > len(images)


def test_a_deleted_pictures_place_stays_empty_and_the_file_is_still_made(sources: Sources, tmp_path: Path) -> None:
    files = FolderPrintFiles(tmp_path, {})
    prs = _open(render_pptx(RICH, charts={}, pictures=files))
    assert len(prs.slides) == len(_pages(RICH))
    assert not [shape for _, shape in _shapes(prs) if shape.shape_type == 13]


def test_control_characters_and_emoji_in_the_canvas_make_a_file_that_opens() -> None:
    canvas = rich_canvas()
    canvas["story"]["customer_pain"] = "Pain \x0b with a vertical tab 🚀 and emoji 👩‍💻 \u200b zero width"
    canvas["deck"]["slides"] = [{"kind": "problem", "title": "Problem 🔥", "notes": "say it \x0c slowly"}]
    deck = build_deck(name="Acme 🚀", canvas=canvas)
    prs = _open(render_pptx(deck, charts={}))
    text = " ".join(_texts(slide) for slide in prs.slides)
    assert "Problem 🔥" in text
    assert "🚀" in text


def test_each_picture_is_asked_for_at_the_largest_size_the_deck_places_it(sources: Sources, tmp_path: Path) -> None:
    files = FolderPrintFiles(tmp_path, sources.files)
    render_pptx(RICH, charts={}, pictures=files)
    asked = {picture: (width, height) for picture, width, height, _ in files.calls}
    assert all(contain for *_, contain in files.calls)  # whole: each place crops its own part
    logo = RICH.pictures.logo
    assert logo is not None
    assert asked[logo.id] == (240.0, 70.0)  # the cover's logo, the largest a logo is placed
    faces = {p.photo.id for s in RICH.slides for b in s.blocks for p in b.people if p.photo is not None}
    shown = {p.id for s in RICH.slides for b in s.blocks for p in b.pictures}
    assert faces - shown
    for face in faces - shown:
        assert asked[face] == (208.0, 208.0)  # a team card's face
    assert shown
    for picture in shown:
        assert asked[picture] == (SLIDE_W, SLIDE_H)  # a screenshot, the cover, a custom slide's picture
