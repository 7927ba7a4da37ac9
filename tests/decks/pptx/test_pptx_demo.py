"""Live demo slides of the .pptx: the model, its labels, examples with cached answers, quality, link and QR code.

Each test renders a deck (or draws one demo block on a blank slide, at a known frame), reads the file back with
python-pptx and checks what the PDF's demo page shows (tests/decks/test_live_demo_pdf.py, same models) is there as
shapes a founder can edit: words in text boxes and chips, the link as a hyperlink, the QR code as a picture whose
modules are the link's, an example's image as its own picture, and nothing outside the block's frame.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.slide import Slide as PptxSlide
from pptx.util import Pt

from pitchlab.decks.pdf_demo import WARNING_INK
from pitchlab.decks.pdf_text import families
from pitchlab.decks.powerpoint import render_pptx
from pitchlab.decks.powerpoint.base import CJK_FONT, HEIGHT, WIDTH, Frame, Look
from pitchlab.decks.powerpoint.demo import draw_live_demo
from pitchlab.decks.powerpoint.pages import Page
from pitchlab.decks.powerpoint.pictures import PictureStore
from pitchlab.decks.themes import DARK, LIGHT, Theme
from pitchlab.demos.qr import loopback_warning, qr_modules
from pitchlab.demos.stage import StageModel
from pitchlab.pitches.canvas import empty_canvas
from tests.decks.test_live_demo_pdf import IMAGE_URL, TRIAGE, URL, answer, crowded, deck_with, png, router

EMU = 12700  # per point
CONTENT = Frame(64, 130, 832, 346)  # about where the live demo layout puts its block
LOOPBACK = "http://127.0.0.1:8000/d/Xq3Zk9Lr7TbW2mNc/"


def rendered(*models: StageModel, lang: str = "en", images: dict[str, bytes] | None = None) -> list[PptxSlide]:
    data = render_pptx(deck_with(*models, lang=lang, canvas=empty_canvas()), charts={}, images=images)
    return list(Presentation(io.BytesIO(data)).slides)


def slide_titled(slides: list[PptxSlide], title: str) -> PptxSlide:
    found = [s for s in slides if any(sh.name == "Title" and sh.text_frame.text == title for sh in shapes(s))]
    assert len(found) == 1, title
    return found[0]


def drawn(
    model: StageModel,
    frame: Frame = CONTENT,
    *,
    theme: Theme = LIGHT,
    lang: str = "en",
    images: dict[str, bytes] | None = None,
) -> PptxSlide:
    """A blank slide with only ``model``'s live demo block drawn in ``frame``."""
    deck = deck_with(model, lang=lang, canvas=empty_canvas())
    slide = next(s for s in deck.slides if any(b.kind == "live_demo" for b in s.blocks))
    block = next(b for b in slide.blocks if b.kind == "live_demo")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(WIDTH), Pt(HEIGHT)
    target: PptxSlide = prs.slides.add_slide(prs.slide_layouts[6])
    page = Page(target, deck, slide, 1, 1, Look(theme, lang), {}, PictureStore(None, images or {}))
    with families(theme.heading_font, theme.body_font, theme.type.body):
        draw_live_demo(page, block, frame)
    return target


def shapes(slide: PptxSlide) -> list[Any]:
    """The slide's shapes, typed loosely: python-pptx types a shape as its base class (no text, no image)."""
    return list(slide.shapes)


def place(shape: BaseShape) -> Frame:
    return Frame(shape.left / EMU, shape.top / EMU, shape.width / EMU, shape.height / EMU)


def inside(inner: Frame, outer: Frame, slack: float = 0.01) -> bool:
    return (
        inner.x >= outer.x - slack
        and inner.y >= outer.y - slack
        and inner.x + inner.w <= outer.x + outer.w + slack
        and inner.bottom <= outer.bottom + slack
    )


def centre_in(shape: BaseShape, outer: Frame) -> bool:
    frame = place(shape)
    return inside(Frame(frame.x + frame.w / 2, frame.y + frame.h / 2, 0, 0), outer)


def texts(slide: PptxSlide) -> list[str]:
    return [sh.text_frame.text for sh in shapes(slide) if sh.has_text_frame and sh.text_frame.text]


def with_text(slide: PptxSlide, text: str) -> list[Any]:
    return [sh for sh in shapes(slide) if sh.has_text_frame and sh.text_frame.text == text]


def runs(slide: PptxSlide) -> Iterator[tuple[str, etree._Element]]:
    """Every run of the slide's text: its text and its properties (``a:rPr``)."""
    for shape in shapes(slide):
        if shape.has_text_frame:
            for run in shape.text_frame._txBody.iter(qn("a:r")):
                yield run.findtext(qn("a:t")) or "", run.find(qn("a:rPr"))


def picture_named(slide: PptxSlide, name: str) -> list[Any]:
    return [sh for sh in shapes(slide) if sh.shape_type == 13 and sh.name == name]  # MSO_SHAPE_TYPE.PICTURE


def test_a_model_slide_carries_its_name_kind_labels_examples_cached_answers_and_quality() -> None:
    slide = slide_titled(rendered(router()), "Live demo: Ticket router")
    words = texts(slide)
    for phrase in ("Ticket router", "Text classifier", "Live on stage", "Labels", "Measured quality", "Accuracy"):
        assert phrase in words, phrase
    assert "Not ready yet" not in words
    chips = [sh.text_frame.text for sh in shapes(slide) if sh.name == "Label"]
    assert chips == ["billing", "bug_report", "account_access", "cancellation"]
    for phrase in ("94%", "93.1%", "Macro F1", "n = 64 · small sample · held-out", "Try it on your phone"):
        assert phrase in words, phrase
    assert "5%" not in words  # the runner-up scores of an answer are not shown
    assert "4%" not in words
    # Each example's words, expected label and cached answer (the best label of an unsorted one) on its own card.
    rows = [
        ("Charged twice for the annual plan.", "expected billing", "billing", "97%"),
        ("The export button does nothing.", "expected bug_report", "bug_report", "88%"),
        ("Locked out of the admin account.", "expected account_access", "account_access", "91%"),
        ("Please stop billing us, we are leaving.", "expected cancellation", "not pre-flighted yet", ""),
    ]
    for number, row in enumerate(rows, start=1):
        (card,) = [sh for sh in shapes(slide) if sh.name == f"Example {number}"]
        for phrase in (str(number), *(p for p in row if p)):
            assert any(centre_in(sh, place(card)) for sh in with_text(slide, phrase)), (number, phrase)


def test_the_audience_link_is_a_hyperlink_and_the_qr_code_a_picture_of_that_link() -> None:
    slide = slide_titled(rendered(router()), "Live demo: Ticket router")
    addresses = []
    for shape in shapes(slide):
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                addresses += [(r.text, r.hyperlink.address) for r in paragraph.runs if r.hyperlink.address]
    assert addresses == [(URL, URL)]
    (colour,) = [
        props.find(f"{qn('a:hlinkClick')}/{qn('a:extLst')}/{qn('a:ext')}") for text, props in runs(slide) if text == URL
    ]
    assert colour[0].get("val") == "tx"  # set in the run's colour, not the office theme's link blue
    (qr,) = picture_named(slide, "Audience QR code")
    assert abs(qr.width - qr.height) <= 1  # square on the slide
    assert place(qr).w >= 56
    image = Image.open(io.BytesIO(qr.image.blob)).convert("L")
    assert qr.image.content_type == "image/png"
    assert image.width == image.height
    modules = qr_modules(URL)
    unit = image.width / (len(modules) + 4)  # a two-module quiet zone on every side
    assert unit == int(unit)
    assert unit >= 4
    grey, side = image.tobytes(), image.width

    def dark(x: float, y: float) -> bool:
        return grey[int(y) * side + int(x)] < 128

    # Each module read at its centre, two modules in from the edges.
    read = [
        [dark((col + 2.5) * unit, (row + 2.5) * unit) for col in range(len(modules))] for row in range(len(modules))
    ]
    assert read == modules
    assert set(grey[: int(2 * unit) * side]) == {255}  # white, not the slide's colour, above the code


def test_a_cached_answer_that_misses_the_expected_label_is_set_in_the_highlight_colour() -> None:
    model = router()
    wrong = replace(model.examples[0], cached=answer(("bug_report", 0.6), ("billing", 0.3)))
    slide = drawn(replace(model, examples=(wrong, *model.examples[1:])))

    def colour(text: str) -> str:
        (shape,) = [sh for sh in with_text(slide, text) if sh.name.startswith("TextBox")]
        return str(shape.text_frame.paragraphs[0].runs[0].font.color.rgb)

    assert colour("60%") == "14161F"  # the score in ink
    missed = [sh for sh in with_text(slide, "bug_report") if sh.name.startswith("TextBox")]
    assert len(missed) == 2  # the missed answer on card 1, the right one on card 2
    colours = sorted(str(sh.text_frame.paragraphs[0].runs[0].font.color.rgb) for sh in missed)
    assert colours == sorted([LIGHT.palette.highlight[1:].upper(), LIGHT.accent[1:].upper()])


@pytest.mark.parametrize(("theme", "dark"), [(LIGHT, LIGHT.ink), (DARK, "#000000")])
def test_the_qr_code_is_dark_on_white_in_every_theme(theme: Theme, dark: str) -> None:
    (qr,) = picture_named(drawn(router(), theme=theme), "Audience QR code")
    image = Image.open(io.BytesIO(qr.image.blob)).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=16) or []}
    assert colours == {(255, 255, 255), tuple(int(dark[i : i + 2], 16) for i in (1, 3, 5))}


def test_without_an_audience_link_there_is_no_qr_code_and_no_link() -> None:
    slide = drawn(router(audience_url=""))
    assert not picture_named(slide, "Audience QR code")
    assert "Try it on your phone" not in texts(slide)
    assert not any(URL in text for text in texts(slide))
    assert "94%" in texts(slide)  # the quality card is still there


def test_a_link_without_a_host_is_printed_but_gets_no_qr_code() -> None:
    slide = drawn(router(audience_url="/d/tok123/"))
    assert "/d/tok123/" in texts(slide)
    assert not picture_named(slide, "Audience QR code")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_loopback_link_says_no_phone_can_open_it_under_its_qr_code(lang: str) -> None:
    slide = drawn(router(audience_url=LOOPBACK, lang=lang), lang=lang)
    warning = loopback_warning(LOOPBACK, lang)
    assert "127.0.0.1" in warning
    (shape,) = with_text(slide, warning)
    assert {str(run.font.color.rgb) for run in shape.text_frame.paragraphs[0].runs} == {WARNING_INK[1:].upper()}
    (qr,) = picture_named(slide, "Audience QR code")
    (link,) = with_text(slide, LOOPBACK)
    assert place(qr).bottom <= place(link).y <= place(shape).y  # code, link, then the warning under them
    assert not with_text(drawn(router()), loopback_warning(LOOPBACK, lang))


def test_an_image_example_shows_its_thumbnail_and_the_one_without_bytes_says_image_example() -> None:
    slide = slide_titled(rendered(TRIAGE, images={IMAGE_URL: png()}), "Live demo: Chest X-ray triage")
    assert "Image classifier" in texts(slide)
    (thumbnail,) = [sh for sh in shapes(slide) if sh.shape_type == 13]
    assert thumbnail.name == "Example 1 picture"
    assert thumbnail.image.blob == png()
    assert abs(thumbnail.width / thumbnail.height - 64 / 48) < 0.01  # whole, not stretched to its square
    (card,) = [sh for sh in shapes(slide) if sh.name == "Example 1"]
    assert inside(place(thumbnail), place(card))
    assert texts(slide).count("image example") == 1
    assert texts(slide).count("not pre-flighted yet") == 2
    assert "Not evaluated yet" in texts(slide)


def test_bytes_that_are_no_image_fall_back_to_words_instead_of_failing_the_file() -> None:
    slide = drawn(TRIAGE, images={IMAGE_URL: b"not a png"})
    assert not [sh for sh in shapes(slide) if sh.shape_type == 13]
    assert texts(slide).count("image example") == 2


def test_a_model_without_examples_says_the_audience_types_its_own() -> None:
    slide = drawn(replace(router(), examples=()))
    assert "No curated examples yet: the audience types its own." in texts(slide)
    assert not [sh for sh in shapes(slide) if sh.name.startswith("Example")]


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_a_crowded_model_counts_the_labels_and_examples_that_do_not_fit(theme: Theme) -> None:
    model = crowded()
    slide = drawn(model, theme=theme)
    chips = [sh.text_frame.text for sh in shapes(slide) if sh.name == "Label"]
    (more,) = [sh.text_frame.text for sh in shapes(slide) if sh.name == "More labels"]
    assert 1 <= len(chips) < 30
    assert chips == list(model.labels[: len(chips)])
    assert more == f"+{30 - len(chips)} more"
    assert len({round(place(sh).y) for sh in shapes(slide) if sh.name in ("Label", "More labels")}) == 2  # two rows
    cards = [sh for sh in shapes(slide) if re.fullmatch(r"Example \d+", sh.name)]
    (note,) = [sh.text_frame.text for sh in shapes(slide) if sh.name == "More examples"]
    assert 1 <= len(cards) < 12
    assert note == f"+{12 - len(cards)} more"
    assert "Not ready yet" in texts(slide)
    assert not any("🚀" in text for text in texts(slide))
    sizes = [
        run.font.size.pt
        for sh in shapes(slide)
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for run in p.runs
    ]
    assert sizes
    assert min(sizes) >= 7.5


def test_a_chinese_demo_slide_is_in_chinese_and_every_han_run_declares_the_east_asian_font() -> None:
    model = replace(router(lang="zh"), labels=("账单", "故障报告", "账户访问", "取消订阅"))
    slide = slide_titled(rendered(model, lang="zh"), "现场演示：工单路由器")
    words = texts(slide)
    for phrase in ("工单路由器", "文本分类器", "现场演示", "标签", "尚未预检", "预期 billing", "实测指标", "准确率"):
        assert phrase in words, phrase
    assert "用手机扫码试用" in words
    assert [sh.text_frame.text for sh in shapes(slide) if sh.name == "Label"] == list(model.labels)
    han = [(text, props) for text, props in runs(slide) if re.search(r"[\u4e00-\u9fff]", text)]
    assert len(han) >= 10
    for text, props in han:
        ea = props.find(qn("a:ea"))
        assert ea is not None, text
        assert ea.get("typeface") == CJK_FONT, text
    latin = [props for text, props in runs(slide) if text == "billing"]
    assert latin
    assert all(props.find(qn("a:ea")) is None for props in latin)


MODELS = {
    "router": router(),
    "loopback": router(audience_url=LOOPBACK),
    "no link": router(audience_url=""),
    "image": TRIAGE,
    "crowded": crowded(),
    "no examples": replace(crowded(), examples=(), labels=()),
}


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize(
    "frame", [CONTENT, Frame(64, 130, 400, 346), Frame(480, 300, 416, 160), Frame(64, 130, 832, 70)], ids=str
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_shape_stays_inside_the_blocks_frame(name: str, frame: Frame, lang: str) -> None:
    slide = drawn(MODELS[name], frame, lang=lang, images={IMAGE_URL: png()})
    assert len(shapes(slide)) >= 3  # at least the badges
    for shape in shapes(slide):
        assert inside(place(shape), frame), (shape.name, place(shape))


def test_every_shape_of_the_rendered_demo_slides_is_on_the_slide() -> None:
    slides = rendered(router(), TRIAGE, crowded(), router(audience_url=LOOPBACK), images={IMAGE_URL: png()})
    demos = [slide for slide in slides if with_text(slide, "Live on stage")]
    assert len(demos) == 4
    for slide in demos:
        for shape in shapes(slide):
            assert inside(place(shape), Frame(0, 0, WIDTH, HEIGHT), slack=0.5), (shape.name, place(shape))
