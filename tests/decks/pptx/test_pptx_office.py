"""The .pptx passes an office suite's check: Debian's LibreOffice opens it and prints every slide, text intact.

Each deck is rendered to .pptx, read back with python-pptx, and converted to PDF by LibreOffice headless
(``office.pptx_to_pdf``). The PDF has a page per slide of the model (the cover first, ``pdf._pages``), and every
word of every slide's text boxes and tables (runs of 3+ letters or digits, and every run of Han characters) is in
``pdftotext`` of that slide's page: a word an office suite does not draw (off the slide, a font with no glyphs, a
part it cannot read) is a word the founder's audience never sees. The decks: the two sample pitches, a Chinese
deck at the edges (200 traction rows, a 300-character word, emoji, a very long title) and a nearly blank one.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pypdf import PdfReader

from pitchlab.decks.pdf import _pages
from pitchlab.decks.powerpoint import render_pptx
from pitchlab.decks.powerpoint.charts import native_charts
from pitchlab.decks.slides import Deck, build_deck
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.canvas import SLIDE_KINDS, empty_canvas, get_unit, set_unit, unit_paths
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.validation import validate_unit
from tests.decks.pptx.office import OfficeError, pptx_to_pdf, soffice_path
from tests.support import missing_service

pytestmark = [pytest.mark.slow, pytest.mark.office]

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A word: a run of Han characters, or a run of 3+ other letters or digits (emoji and punctuation are not words).
WORD = re.compile(rf"[{HAN}]+|[^\W_{HAN}]{{3,}}")
ELLIPSIS = "…"
LONG_WORD = ("Supercalifragilistic" + "抗干扰" + "0123456789") * 9 + "End"  # 300 characters, no space
MODEL = StageModel(
    id=1,
    name="Ticket router",
    kind="text",
    labels=("billing", "bug", "account access"),
    ready=True,
    metrics={"accuracy": 0.91, "macro_f1": 0.88, "examples": 2000, "source": "held-out"},
    examples=(
        StageExample(1, "I was charged twice for our annual plan.", "", "billing", None),
        StageExample(2, "Locked out after the password reset.", "", "account access", None),
    ),
)


def _sample(name: str) -> tuple[str, dict[str, Any], str]:
    document = template_document(name)
    assert document is not None
    return document["name"], document["canvas"], "en"


def _validated(canvas: dict[str, Any]) -> dict[str, Any]:
    """``canvas`` with every unit passed through the editor's validation, as a founder's save stores it."""
    for path in unit_paths(canvas):
        canvas = set_unit(canvas, path, validate_unit(path, get_unit(canvas, path)))
    return canvas


def _edge_zh() -> tuple[str, dict[str, Any], str]:
    """A Chinese deck at the edges: Chinese story, 200 traction rows, a 300-character word, emoji, a long title."""
    _, canvas, _ = _sample("support_nlp")
    canvas["story"] |= {
        "purpose": "明镜科技在一秒钟内把每一张客服工单送到正确的团队 🚀，让软件公司不增加人手也能更快回复客户。",
        "customer_pain": "我们的客户是拥有十到两百名客服的企业软件公司，他们每周要花大量时间手工分拣工单。" * 6,
        "origin": f"我在一家三百人的软件公司负责了四年客服运营 😤。{LONG_WORD}",
        "climax": "在两千张真实工单上，我们的路由准确率达到百分之九十一，Lumen router v3 only needs 80 ms ✅。",
        "vision": "今天我们分配工单；明天我们起草第一封回复。十年后，每一次客户对话都会被理解并自动处理。",
    }
    canvas["data"]["traction"] = [
        {"period": f"{2010 + i // 12}-{i % 12 + 1:02d}", "metric": "付费团队", "value": i * 7 + 3, "unit": "个"}
        for i in range(200)
    ]
    canvas["team"][0] |= {"name": "陈玛雅 🌟", "bio": "在一家三百人的软件公司负责了四年客服运营，带领三十人的团队。"}
    canvas["ask"]["milestones"][0]["text"] = "通过 SOC 2 第二类审计 ✅，打开大型企业客户的大门。"
    long_title = "我们接下来十二个月的计划与路线图 🚀 " + "Roadmap for the next twelve months, quarter by quarter " * 3
    custom = {
        "kind": "custom",
        "id": "plan",
        "title": long_title[:200],
        "text": f"一个很长的词：{LONG_WORD}",
        "bullets": ["第一步：上线 Zendesk 应用 ✅", "第二步：达到四十个付费团队", LONG_WORD[:120]],
    }
    canvas.setdefault("deck", {})["slides"] = [{"kind": kind} for kind in SLIDE_KINDS] + [custom]
    return "明镜科技 Lumen 🚀", _validated(canvas), "zh"


def _sparse() -> tuple[str, dict[str, Any], str]:
    """A nearly blank canvas: a purpose, one traction point, one founder, the rest empty."""
    canvas = empty_canvas()
    canvas["story"]["purpose"] = "Lumen routes support tickets 🚀 to the right team in under a second."
    canvas["data"]["traction"] = [{"period": "2026-01", "metric": "paying teams", "value": 6, "unit": "teams"}]
    canvas["team"] = [{"name": "Maya Chen 🌟", "role": "CEO", "bio": ""}]
    return "Lumen", _validated(canvas), "en"


CASES = {
    "support_nlp": lambda: _sample("support_nlp"),
    "medical_imaging": lambda: _sample("medical_imaging"),
    "edge_zh": _edge_zh,
    "sparse": _sparse,
}


@dataclass(frozen=True)
class Converted:
    deck: Deck
    pptx: bytes
    pdf: bytes


class _Converted(dict[str, Converted]):
    """Each case converted on first use, once per run (a case's test that runs alone converts only its deck)."""

    def __init__(self, workdirs: pytest.TempPathFactory) -> None:
        super().__init__()
        self.workdirs = workdirs

    def __missing__(self, case: str) -> Converted:
        name, canvas, lang = CASES[case]()
        deck = build_deck(name=name, canvas=canvas, lang=lang, demos=(MODEL,) if case != "sparse" else ())
        pptx = render_pptx(deck, charts=native_charts(deck, canvas))
        self[case] = Converted(deck, pptx, pptx_to_pdf(pptx, self.workdirs.mktemp(f"office-{case}")))
        return self[case]


@pytest.fixture(scope="module")
def soffice() -> str:
    """Where LibreOffice is; the tests skip without it (fail when PITCHLAB_REQUIRE_SERVICES=1), as chromium's do."""
    path = soffice_path()
    if path is None:
        missing_service("LibreOffice's soffice is not installed (apt-get install libreoffice-impress)")
    return path


@pytest.fixture(scope="module")
def converted(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """Each case's deck, its .pptx and LibreOffice's PDF of it."""
    return _Converted(tmp_path_factory)


def _shape_texts(shapes: Any) -> Iterator[str]:
    """The text of every text box, shape and table cell among ``shapes`` (groups opened), in tree order."""
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shape_texts(shape.shapes)
        elif isinstance(shape, GraphicFrame) and shape.has_table:
            yield from (cell.text for row in shape.table.rows for cell in row.cells)
        elif isinstance(shape, BaseShape) and shape.has_text_frame:
            yield shape.text_frame.text  # type: ignore[attr-defined]


def _slide_texts(pptx: bytes) -> list[str]:
    return ["\n".join(_shape_texts(slide.shapes)) for slide in Presentation(BytesIO(pptx)).slides]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _visible(text: str) -> str:
    """``text`` without emoji and their joiners (no deck font draws them; the renderers leave them out)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in {"So", "Cf", "Sk"} and ch != "\ufe0f")


def _squash(text: str) -> str:
    """``text`` folded, hyphens at line ends joined, every space gone: words wrapped anywhere read whole."""
    text = re.sub(r"-\s*\n\s*", "", _fold(text).replace("\u00ad", ""))
    return "".join(text.split())


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(WORD.findall(_fold(text))))


def _pdf_pages(pdf: bytes, workdir: Path) -> list[str]:
    """Each page's text as ``pdftotext`` reads it twice: in its layout (``-layout``), then in reading order.

    Both, because ``-layout`` sets side-by-side columns on shared lines, so a Chinese sentence wrapped inside
    a column (no space to break at) comes out cut by its neighbour's words; reading order keeps each column
    whole. A word is printed when either reading holds it: both read only what is drawn on the page.
    """
    path = workdir / "office.pdf"
    path.write_bytes(pdf)
    readings = []
    for mode in (["-layout"], []):
        out = subprocess.run(
            ["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
        )
        pages = out.stdout.decode("utf-8").split("\f")
        readings.append(pages[:-1] if pages and not pages[-1].strip() else pages)
    return [f"{layout}\0{flow}" for layout, flow in zip(*readings, strict=True)]


@pytest.mark.parametrize("case", CASES)
def test_office_suite_prints_a_page_per_slide(case: str, converted: dict[str, Converted]) -> None:
    result = converted[case]
    pages = len(_pages(result.deck))
    assert len(Presentation(BytesIO(result.pptx)).slides) == pages
    assert len(PdfReader(BytesIO(result.pdf)).pages) == pages


@pytest.mark.parametrize("case", CASES)
def test_office_suite_draws_every_word_of_every_slide(
    case: str, converted: dict[str, Converted], tmp_path: Path
) -> None:
    result = converted[case]
    slides, pages = _slide_texts(result.pptx), _pdf_pages(result.pdf, tmp_path)
    assert len(pages) == len(slides)
    lost = {}
    for number, (text, page) in enumerate(zip(slides, pages, strict=True), start=1):
        printed = _squash(page)
        missing = [word for word in _words(text) if word not in printed]
        if missing:
            lost[number] = missing
    assert not lost, f"words of the .pptx that LibreOffice did not print, by slide: {lost}"


@pytest.mark.parametrize("case", CASES)
def test_every_slide_title_is_in_the_pptx(case: str, converted: dict[str, Converted]) -> None:
    result = converted[case]
    slides = _slide_texts(result.pptx)
    for number, (slide, text) in enumerate(zip(_pages(result.deck), slides, strict=True), start=1):
        title, kept = _squash(_visible(slide.title)), _squash(_visible(text))
        if title in kept:
            continue
        # A title too long for its place is cut with "…": the words kept before the cut are the title's own.
        cut = any(title[:end] + _squash(ELLIPSIS) in kept for end in range(len(title), 0, -1))
        assert cut, f"slide {number}: its title {slide.title!r} is not in the .pptx"


@pytest.mark.usefixtures("soffice")
def test_a_file_the_office_suite_cannot_load_fails_with_its_words(tmp_path: Path) -> None:
    # soffice exits 0 when it cannot load its source: only the missing PDF tells.
    with pytest.raises(OfficeError, match=r"made no PDF[\s\S]*could not be loaded"):
        pptx_to_pdf(b"PK\x03\x04 not a zip archive", tmp_path)


def test_a_conversion_past_its_time_fails_and_leaves_no_soffice(
    converted: dict[str, Converted], tmp_path: Path
) -> None:
    with pytest.raises(OfficeError, match=r"ran past 0\.2 s"):
        pptx_to_pdf(converted["sparse"].pptx, tmp_path / "late", timeout=0.2)
    left = subprocess.run(["pgrep", "-f", str(tmp_path / "late")], capture_output=True, text=True)
    assert left.stdout == "", f"soffice processes left running: {left.stdout}"
