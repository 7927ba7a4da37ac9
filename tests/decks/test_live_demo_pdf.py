"""Live demo pages of the PDF: model, labels, curated examples with their cached answers, quality, link and QR."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from pitchlab.decks.fonts import register_fonts
from pitchlab.decks.pdf import HEIGHT, MARGIN, WIDTH, render_pdf
from pitchlab.decks.slides import Deck, build_deck
from pitchlab.decks.themes import DARK, LIGHT
from pitchlab.demos.qr import qr_modules
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.canvas import empty_canvas
from pitchlab.pitches.documents import TEMPLATES_DIR

URL = "https://pitchlab.example.com/d/Xq3Zk9Lr7TbW2mNc/"
IMAGE_URL = "/api/demo-models/2/examples/11/image/"
LONG_WORD = ("Antidisestablishmentarianism" * 3)[:60]


def answer(*pairs: tuple[str, float]) -> dict[str, Any]:
    return {"labels": [{"label": label, "score": score} for label, score in pairs], "latency_ms": 40.0, "at": "now"}


def router(audience_url: str = URL, lang: str = "en") -> StageModel:
    return StageModel(
        id=1,
        name="Ticket router" if lang == "en" else "工单路由器",
        kind="text",
        labels=("billing", "bug_report", "account_access", "cancellation"),
        ready=True,
        metrics={"accuracy": 0.94, "macro_f1": 0.931, "samples": 64, "source": "held-out"},
        examples=(
            StageExample(1, "Charged twice for the annual plan.", "", "billing", answer(("billing", 0.972))),
            StageExample(2, "The export button does nothing.", "", "bug_report", answer(("bug_report", 0.88))),
            # not sorted best first: the best label is still the one shown
            StageExample(
                3,
                "Locked out of the admin account.",
                "",
                "account_access",
                answer(("billing", 0.05), ("account_access", 0.91), ("bug_report", 0.04)),
            ),
            StageExample(4, "Please stop billing us, we are leaving.", "", "cancellation", None),
        ),
        audience_url=audience_url,
        qr_svg="<svg/>" if audience_url else "",
    )


TRIAGE = StageModel(
    id=2,
    name="Chest X-ray triage",
    kind="image",
    labels=("normal", "pneumonia"),
    ready=True,
    metrics={},
    examples=(
        StageExample(11, "", IMAGE_URL, "pneumonia", None),
        StageExample(12, "", "/api/demo-models/2/examples/12/image/", "normal", None),
    ),
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def deck_with(*models: StageModel, lang: str = "en", canvas: dict[str, Any] | None = None) -> Deck:
    if canvas is None:
        canvas = json.loads((TEMPLATES_DIR / "support_nlp.json").read_text(encoding="utf-8"))
    return build_deck(name="Lumen", canvas=canvas, lang=lang, demos=models)


def pages(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def squash(text: str) -> str:
    return "".join(text.split())


def page_of(reader: PdfReader, title: str) -> int:
    matches = [i for i, page in enumerate(reader.pages) if squash(title) in squash(page.extract_text())]
    assert len(matches) == 1, (title, matches)
    return matches[0]


def operators(reader: PdfReader, index: int, name: bytes) -> list[list[Any]]:
    page = reader.pages[index]
    return [operands for operands, op in ContentStream(page.get_contents(), reader).operations if op == name]


def test_a_model_page_shows_its_name_kind_labels_examples_cached_answers_and_quality() -> None:
    reader = pages(render_pdf(deck_with(router(), TRIAGE), charts={}))
    text = squash(reader.pages[page_of(reader, "Live demo: Ticket router")].extract_text())
    for phrase in (
        "Ticket router",
        "Text classifier",
        "Live on stage",
        "billing",
        "bug_report",
        "account_access",
        "cancellation",
        "Charged twice for the annual plan.",
        "The export button does nothing.",
        "Locked out of the admin account.",
        "Please stop billing us, we are leaving.",
        "expected billing",
        "97%",
        "88%",
        "account_access91%",  # the best label of an unsorted answer, with its score
        "not pre-flighted yet",
        "94%",
        "93.1%",
        "Accuracy",
        "Macro F1",
        "n = 64",
        "small sample",  # 64 held-out examples: under the rule's 100
        "held-out",
        "Try it on your phone",
        URL,
    ):
        assert squash(phrase) in text, phrase
    assert "5%" not in text.replace("95%", "")  # the runner-up scores are not shown


def test_an_image_model_page_shows_the_thumbnail_it_has_and_says_image_example_for_the_other() -> None:
    reader = pages(render_pdf(deck_with(router(), TRIAGE), charts={}, images={IMAGE_URL: png()}))
    index = page_of(reader, "Live demo: Chest X-ray triage")
    text = squash(reader.pages[index].extract_text())
    assert squash("Image classifier") in text
    assert text.count(squash("image example")) == 1  # the example without bytes
    assert text.count(squash("not pre-flighted yet")) == 2
    assert squash("Not evaluated yet") in text
    resources: Any = reader.pages[index]["/Resources"]
    images = [x for x in resources.get_object().get("/XObject", {}).values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1
    assert (images[0].get_object()["/Width"], images[0].get_object()["/Height"]) == (64, 48)


def test_bytes_that_are_no_image_fall_back_to_words_instead_of_failing_the_pdf() -> None:
    reader = pages(render_pdf(deck_with(TRIAGE), charts={}, images={IMAGE_URL: b"not a png"}))
    index = page_of(reader, "Live demo: Chest X-ray triage")
    assert reader.pages[index].extract_text().count("image example") == 2


def test_an_open_audience_link_is_drawn_as_the_qr_code_of_its_url() -> None:
    with_link = pages(render_pdf(deck_with(router()), charts={}))
    without = pages(render_pdf(deck_with(router(audience_url="")), charts={}))
    title = "Live demo: Ticket router"
    runs = sum(len(re.findall(r"1+", "".join("1" if dark else "0" for dark in row))) for row in qr_modules(URL))
    extra = len(operators(with_link, page_of(with_link, title), b"re")) - len(
        operators(without, page_of(without, title), b"re")
    )
    assert runs > 100
    assert extra == runs  # one rectangle per run of dark modules: exactly the URL's QR code
    assert URL not in without.pages[page_of(without, title)].extract_text()


def test_a_link_without_a_host_is_printed_but_gets_no_qr_code() -> None:
    reader = pages(render_pdf(deck_with(router(audience_url="/d/tok123/")), charts={}))
    plain = pages(render_pdf(deck_with(router(audience_url="")), charts={}))
    title = "Live demo: Ticket router"
    assert "/d/tok123/" in reader.pages[page_of(reader, title)].extract_text()
    assert len(operators(reader, page_of(reader, title), b"re")) == len(operators(plain, page_of(plain, title), b"re"))


def test_a_chinese_deck_sets_the_demo_page_in_chinese() -> None:
    pdf = render_pdf(deck_with(router(lang="zh"), TRIAGE, lang="zh"), charts={})
    reader = pages(pdf)
    text = squash(reader.pages[page_of(reader, "现场演示：工单路由器")].extract_text())
    for phrase in (
        "工单路由器",
        "文本分类器",
        "现场演示",
        "标签",
        "尚未预检",
        "预期billing",
        "实测指标",
        "准确率",
        "用手机扫码试用",
    ):
        assert phrase in text, phrase
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts |= {str(font.get_object()["/BaseFont"]) for font in resources.get_object().get("/Font", {}).values()}
    assert any(name.endswith("+" + register_fonts().cjk_psname) for name in fonts)


def crowded() -> StageModel:
    labels = tuple(f"label_{i}_{LONG_WORD[: 3 * i]}" for i in range(30))
    examples = tuple(
        StageExample(
            i,
            f"Example {i} {LONG_WORD} " * 6 + "客服工单中文混排 🚀",
            "",
            labels[i % 30],
            answer((labels[(i + 1) % 30] + LONG_WORD, i / 12)) if i % 2 else None,
        )
        for i in range(12)
    )
    return StageModel(
        id=9,
        name=f"{LONG_WORD} {LONG_WORD} 模型",
        kind="text",
        labels=labels,
        ready=False,
        metrics={"accuracy": 0.5, "examples": 123456, "source": LONG_WORD * 3},
        examples=examples,
        audience_url=URL + LONG_WORD,
    )


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_a_crowded_model_shrinks_and_counts_what_does_not_fit(theme: Any) -> None:
    reader = pages(render_pdf(deck_with(crowded(), canvas=empty_canvas()), charts={}, theme=theme))
    text = reader.pages[1].extract_text()
    assert re.search(r"\+(\d+) more", text)  # labels and examples that did not fit are counted
    shown = len(re.findall(r"Example \d+ ", text))
    assert 1 <= shown < 12
    assert f"+{12 - shown} more" in text
    assert "Not ready yet" in text
    assert "🚀" not in text
    sizes = [float(operands[1]) for operands in operators(reader, 1, b"Tf")]
    assert min(sizes) >= 8


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_word_of_a_crowded_demo_page_runs_off_the_page(lang: str, tmp_path: Path) -> None:
    path = tmp_path / "deck.pdf"
    path.write_bytes(render_pdf(deck_with(crowded(), TRIAGE, lang=lang, canvas=empty_canvas()), charts={}))
    subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", path, tmp_path / "deck.html"], check=True)
    html = (tmp_path / "deck.html").read_text(encoding="utf-8", errors="replace")
    boxes = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    assert len(boxes) > 100
    for x_min, y_min, x_max, y_max in ((float(v) for v in box) for box in boxes):
        assert x_min >= MARGIN - 1
        assert x_max <= WIDTH - MARGIN + 1
        assert y_min >= 20
        assert y_max <= HEIGHT - 20


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize(
    ("lang", "title", "phrases"),
    [
        ("en", "Live demo: Ticket router", ["95% CI", "88.2–97.5%", "85–96.4%", "n = 1,204", "held-out set"]),
        ("zh", "现场演示：工单路由器", ["95% 置信区间", "88.2–97.5%", "85–96.4%", "n = 1,204", "留出集"]),
    ],
)
def test_the_demo_page_gives_each_held_out_figure_its_interval_and_n_in_the_decks_language(
    lang: str, title: str, phrases: list[str], tmp_path: Path
) -> None:
    intervals = {
        "accuracy": {"low": 0.882, "high": 0.975, "method": "wilson"},
        "macro_f1": {"low": 0.85, "high": 0.964, "method": "bootstrap"},
    }
    metrics = {"accuracy": 0.94, "macro_f1": 0.931, "examples": 1204, "source": "held-out set", "intervals": intervals}
    model = replace(router(lang=lang), metrics=metrics)
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(render_pdf(deck_with(model, lang=lang), charts={}))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page = " ".join(next(p for p in text.split("\f") if squash(title) in squash(p)).split())
    for phrase in phrases:
        assert squash(phrase) in squash(page), phrase
    assert "small sample" not in page
    assert "样本量小" not in page  # 1,204 examples and intervals narrower than ±10 points: not a small sample


@pytest.mark.parametrize("height", [40.0, 60.0, 90.0])
def test_a_live_demo_block_with_room_for_one_row_shows_one_example_and_how_many_more(height: float) -> None:
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    from pitchlab.decks.pdf_base import Box, Style
    from pitchlab.decks.pdf_demo import _examples

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=0)
    style = Style(canvas, LIGHT, register_fonts(), "en", {})
    _examples(style, router(), Box(MARGIN, 100, 600, height))  # four examples, room for one row: no ZeroDivisionError
    canvas.showPage()
    canvas.save()
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "billing 97%" in text  # the first example's cached answer
    assert "+3 more" in text
