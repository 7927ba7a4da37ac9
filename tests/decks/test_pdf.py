"""The PDF renderer: pages, text, fonts, fitting, themes and bad input (pure, no database)."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import time
import types
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from pitchlab.decks.charts.ir import Drawing, Rect
from pitchlab.decks.fonts import drawable, font_for, has_cjk, register_fonts
from pitchlab.decks.pdf import HEIGHT, MARGIN, WIDTH, chart_sizes, render_pdf
from pitchlab.decks.pdf_text import ELLIPSIS, fit_text, text_width
from pitchlab.decks.slides import Deck, build_deck
from pitchlab.decks.themes import DARK, LIGHT, THEMES, theme_get
from pitchlab.pitches.canvas import empty_canvas

TEMPLATES = Path(__file__).resolve().parents[2] / "pitchlab" / "pitches" / "data" / "templates"
LONG_WORD = ("Antidisestablishmentarianism" * 3)[:60]
ZH_STORY = {
    "purpose": "明镜科技在一秒钟内把每一张客服工单送到正确的团队。",
    "customer_pain": "我们的客户是拥有十到两百名客服的企业软件公司，他们每周要花大量时间手工分拣工单。",
    "origin": "我在一家三百人的软件公司负责了四年客服运营。",
    "climax": "在两千张真实工单上，我们的路由准确率达到百分之九十一。",
    "vision": "今天我们分配工单；明天我们起草第一封回复。",
}


def template(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def deck_of(canvas: dict[str, Any], *, name: str = "Lumen Support AI", lang: str = "en", notes: bool = False) -> Deck:
    canvas = copy.deepcopy(canvas)
    canvas.setdefault("deck", {})["notes_appendix"] = notes
    return build_deck(name=name, canvas=canvas, lang=lang)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(BytesIO(pdf))


def squash(text: str) -> str:
    return "".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def base_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in read(pdf).pages:
        resources: Any = page["/Resources"]
        fonts = resources.get_object().get("/Font", {})
        names |= {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    return names


def first_fill(pdf: bytes) -> tuple[float, ...]:
    reader = read(pdf)
    page = reader.pages[0]
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"rg":
            return tuple(float(value) for value in operands)
    raise AssertionError("no fill colour set on the page")


def rgb(colour: str) -> tuple[float, ...]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


# --- pages and text --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["medical_imaging", "support_nlp"])
def test_a_template_gives_a_title_page_and_one_page_per_other_slide(name: str) -> None:
    data = template(name)
    deck = deck_of(data, name=data["name"])
    pdf = render_pdf(deck, charts={})
    texts = page_texts(pdf)
    others = [slide for slide in deck.slides if slide.kind != "title"]
    assert len(texts) == 1 + len(others)
    assert data["name"] in texts[0]
    assert "/ " not in texts[0]
    for slide, text in zip(others, texts[1:], strict=True):
        assert squash(slide.title) in squash(text)
    assert data["name"] in texts[1]
    assert f"2 / {len(texts)}" in texts[1]
    assert f"{len(texts)} / {len(texts)}" in texts[-1]


def test_the_title_page_shows_the_company_and_its_purpose() -> None:
    data = template("medical_imaging")
    pdf = render_pdf(deck_of(data, name=data["name"]), charts={})
    assert squash(data["story"]["purpose"]) in squash(page_texts(pdf)[0])


def test_a_hidden_title_slide_still_gives_exactly_one_title_page() -> None:
    data = template("support_nlp")
    data["deck"] = {"slides": [{"kind": "title", "hidden": True}]}
    deck = deck_of(data, name="Lumen")
    assert all(slide.kind != "title" for slide in deck.slides)
    texts = page_texts(render_pdf(deck, charts={}))
    assert len(texts) == 1 + len(deck.slides)
    assert "Lumen" in texts[0]
    assert squash(deck.slides[0].title) in squash(texts[1])


def test_the_metadata_names_the_company_and_pitchlab() -> None:
    pdf = render_pdf(deck_of(template("support_nlp"), name="Lumen Support AI"), charts={})
    metadata = read(pdf).metadata
    assert metadata is not None
    assert metadata.title == "Lumen Support AI"
    assert metadata.author == "PitchLab"


def test_pages_are_sixteen_by_nine() -> None:
    pdf = render_pdf(deck_of(template("support_nlp")), charts={})
    for page in read(pdf).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)


def test_the_appendix_adds_pages_with_each_slides_title_seconds_and_notes() -> None:
    data = template("medical_imaging")
    ending = "and that is the closing sentence of a very long note"
    data["deck"] = {"slides": [{"kind": "problem", "notes": "Pause here and look at the room. " * 120 + ending}]}
    without = deck_of(data, name=data["name"])
    deck = deck_of(data, name=data["name"], notes=True)
    pdf = render_pdf(deck, charts={})
    texts = page_texts(pdf)
    slide_pages = 1 + len([s for s in deck.slides if s.kind != "title"])
    assert len(texts) >= slide_pages + 2  # the long note continues on an extra page
    assert len(page_texts(render_pdf(without, charts={}))) == slide_pages
    appendix = squash("".join(texts[slide_pages:]))
    for slide in deck.slides:
        assert squash(slide.title) in appendix
        assert squash(f"{slide.seconds} s planned") in appendix
    assert squash(ending) in appendix  # wrapped and continued, never cut
    assert squash(deck.slides[2].notes[:200]) in appendix
    assert f"{slide_pages + 1} / {len(texts)}" in texts[slide_pages]


def test_a_missing_chart_shows_a_placeholder_instead_of_failing() -> None:
    deck = deck_of(template("support_nlp"))
    texts = page_texts(render_pdf(deck, charts={}))
    traction = next(
        i for i, slide in enumerate(s for s in deck.slides if s.kind != "title") if slide.kind == "traction"
    )
    assert "Chart unavailable" in texts[1 + traction]


def test_a_given_chart_is_drawn_by_the_chart_module_into_a_box_of_its_proportions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    def draw_on_canvas(drawing: Drawing, canvas: Any, **box: Any) -> None:
        calls.append({"drawing": drawing, **box})

    module = types.ModuleType("pitchlab.decks.charts.pdf")
    module.draw_on_canvas = draw_on_canvas  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pitchlab.decks.charts.pdf", module)
    drawing = Drawing("traction", 800, 450, (Rect(0, 0, 10, 10, "#000000"),))
    fonts = register_fonts()
    texts = page_texts(render_pdf(deck_of(template("support_nlp")), charts={"traction": drawing}))
    assert [call["drawing"] for call in calls] == [drawing]
    call = calls[0]
    assert call["width"] / call["height"] == pytest.approx(800 / 450)
    assert call["x"] >= MARGIN
    assert call["x"] + call["width"] <= WIDTH - MARGIN
    assert call["y"] > 40
    assert call["y"] + call["height"] < HEIGHT - 80
    assert (call["font"], call["bold_font"], call["cjk_font"]) == (fonts.sans, fonts.bold, fonts.cjk)
    assert sum("Chart unavailable" in text for text in texts) == 5  # the other five charts


def test_charts_built_at_chart_sizes_are_drawn_one_to_one(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, tuple[float, float]] = {}

    def draw_on_canvas(drawing: Drawing, canvas: Any, **box: Any) -> None:
        calls[drawing.kind] = (box["width"], box["height"])

    module = types.ModuleType("pitchlab.decks.charts.pdf")
    module.draw_on_canvas = draw_on_canvas  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pitchlab.decks.charts.pdf", module)
    deck = deck_of(template("medical_imaging"))
    sizes = chart_sizes(deck)
    assert set(sizes) == {"traction", "market", "competition", "performance", "risks", "funds"}
    assert sizes["traction"][0] == WIDTH - 2 * MARGIN  # a chart alone has the whole width
    assert sizes["performance"][0] < sizes["traction"][0]  # a chart beside text has part of it
    charts = {kind: Drawing(kind, w, h, ()) for kind, (w, h) in sizes.items()}
    render_pdf(deck, charts=charts)
    assert calls == {kind: pytest.approx(size, abs=0.6) for kind, size in sizes.items()}


def test_a_renamed_title_slide_leads_the_title_page_and_keeps_the_company_on_it() -> None:
    data = template("support_nlp")
    data["deck"] = {"slides": [{"kind": "title", "title": "Seed round 2027"}]}
    text = page_texts(render_pdf(deck_of(data, name="Lumen Support AI"), charts={}))[0]
    assert "Seed round 2027" in text
    assert "Lumen Support AI" in text


# --- fonts and Chinese -----------------------------------------------------------------------------------------


def test_a_chinese_deck_shows_chinese_text_in_the_embedded_cjk_font() -> None:
    data = template("support_nlp")
    data["story"].update(ZH_STORY)
    deck = deck_of(data, name="明镜科技", lang="zh")
    pdf = render_pdf(deck, charts={})
    text = squash("".join(page_texts(pdf)))
    for phrase in ("明镜科技", "我们的客户是拥有十到两百名客服的企业软件公司", "问题", "增长", "图表暂不可用"):
        assert phrase in text
    cjk = register_fonts().cjk_psname
    assert any(name.endswith("+" + cjk) for name in base_fonts(pdf))  # embedded subset of the CJK font


def shown_text_modes(pdf: bytes, index: int) -> list[tuple[str, int]]:
    """(embedded font name, text render mode) of every string shown on page ``index``, following q/Q."""
    reader = read(pdf)
    page = reader.pages[index]
    resources: Any = page["/Resources"]
    fonts = {key: str(font.get_object()["/BaseFont"]) for key, font in resources.get_object()["/Font"].items()}
    stack, mode, font, shown = [], 0, "", []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(mode)
        elif operator == b"Q":
            mode = stack.pop()
        elif operator == b"Tr":
            mode = int(operands[0])
        elif operator == b"Tf":
            font = fonts[str(operands[0])]
        elif operator in (b"Tj", b"TJ"):
            shown.append((font, mode))
    return shown


def test_bold_chinese_is_outlined_and_regular_chinese_is_not() -> None:
    data = template("support_nlp")
    data["story"].update(ZH_STORY)
    pdf = render_pdf(deck_of(data, name="明镜科技", lang="zh"), charts={})
    cjk = register_fonts().cjk_psname
    modes = {mode for font, mode in shown_text_modes(pdf, 1) if font.endswith(cjk)}  # the problem slide
    assert modes == {0, 2}  # the title (and heading) filled and stroked, the paragraph only filled


def test_an_english_deck_embeds_only_the_latin_fonts() -> None:
    fonts = register_fonts()
    names = base_fonts(render_pdf(deck_of(template("support_nlp")), charts={}))
    assert names
    assert all(name.split("+")[-1] in {fonts.sans_psname, fonts.bold_psname} for name in names)


def test_register_fonts_is_cached_and_names_the_three_fonts() -> None:
    fonts = register_fonts()
    assert register_fonts() is fonts
    assert (fonts.sans, fonts.bold, fonts.cjk) == ("PL-Sans", "PL-Sans-Bold", "PL-CJK")
    assert fonts.cjk_psname == "DroidSansFallback"


def test_font_for_picks_the_cjk_font_for_any_cjk_script() -> None:
    for text in ("你好", "カタカナ", "ひらがな", "한국어", "，", "ＡＢＣ", "Series A 融资"):
        assert has_cjk(text)
        assert font_for(text, False) == "PL-CJK"
    assert not has_cjk("Straße, naïve, Здравствуйте — 100 %")
    assert font_for("Plain", False) == "PL-Sans"
    assert font_for("Plain", True) == "PL-Sans-Bold"


def test_characters_no_font_can_draw_are_dropped_not_boxed() -> None:
    assert drawable("Launch 🚀 day 👍🏽\u200d!") == "Launch day !"
    assert drawable("naïve Здравствуйте 中文 — 50 €") == "naïve Здравствуйте 中文 — 50 €"
    assert drawable("line one\nline\ttwo\x07") == "line one\nline two"


# --- fit_text --------------------------------------------------------------------------------------------------

SENTENCE = "Our customers are heads of radiology at European hospitals who read chest X-rays in arrival order."


def test_fit_text_keeps_the_start_size_when_the_text_fits() -> None:
    fitted = fit_text("Traction", None, True, 400, 60, 32, 9)
    assert (fitted.size, fitted.lines, fitted.truncated) == (32, ("Traction",), False)


def test_fit_text_shrinks_before_it_truncates() -> None:
    fitted = fit_text(SENTENCE, None, False, 300, 80, 28, 9)
    assert 9 < fitted.size < 28
    assert not fitted.truncated
    assert " ".join(fitted.lines) == SENTENCE
    assert fitted.height <= 80
    bigger = fit_text(SENTENCE, None, False, 300, 80, fitted.size + 1, fitted.size + 1)
    assert bigger.truncated  # one step larger would not have fitted


def test_fit_text_truncates_with_an_ellipsis_only_at_the_floor() -> None:
    fitted = fit_text(SENTENCE * 20, None, False, 300, 80, 28, 9)
    assert fitted.truncated
    assert fitted.size == 9
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert len(fitted.lines) * 9 * fitted.leading <= 80
    assert all(text_width(line, fitted.font, False, 9) <= 300 for line in fitted.lines)


def test_fit_text_lines_never_exceed_the_width() -> None:
    for width in (60, 137, 250, 800):
        fitted = fit_text(SENTENCE + " " + LONG_WORD + " 中文混排的句子，没有空格。", None, False, width, 1e6, 14, 14)
        assert not fitted.truncated
        assert all(text_width(line, fitted.font, False, 14) <= width + 1e-6 for line in fitted.lines)


def test_fit_text_wraps_chinese_between_characters_without_spaces() -> None:
    text = "我们的客户是拥有十到两百名客服的企业软件公司，他们的团队每周要花大量时间阅读、标注和转发工单。"
    fitted = fit_text(text, None, False, 160, 1e6, 14, 14)
    assert fitted.font == "PL-CJK"
    assert len(fitted.lines) > 2
    assert "".join(fitted.lines) == text
    assert not any(line[0] in "，。、" for line in fitted.lines)  # punctuation stays with the text before it


def test_fit_text_breaks_a_sixty_character_word_between_characters() -> None:
    assert len(LONG_WORD) == 60
    fitted = fit_text(LONG_WORD, None, False, 120, 1e6, 12, 12)
    assert len(fitted.lines) > 2
    assert "".join(fitted.lines) == LONG_WORD
    assert not fitted.truncated


def test_fit_text_keeps_titles_to_their_line_limit() -> None:
    fitted = fit_text("A slide title that goes on and on " * 6, None, True, 400, 500, 32, 20, max_lines=2)
    assert len(fitted.lines) == 2
    assert fitted.size == 20
    assert fitted.truncated


def test_fit_text_of_nothing_is_no_lines() -> None:
    fitted = fit_text("  🚀 ", None, False, 100, 100, 20, 9)
    assert fitted.lines == ()
    assert not fitted.truncated


# --- bad input -------------------------------------------------------------------------------------------------


def _traction(rows: int) -> list[dict[str, Any]]:
    return [{"period": f"20{20 + i // 12}-{i % 12 + 1:02d}", "metric": "users", "value": i * 10, "unit": "users"}
            for i in range(rows)]  # fmt: skip


def _stretched(value: Any, key: str = "") -> Any:
    """Every free-text field of a canvas with a 60-character word added; codes and dates left alone."""
    if isinstance(value, dict):
        return {k: _stretched(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_stretched(v, key) for v in value]
    if isinstance(value, str) and key not in {"status", "key", "category", "response", "currency", "period", "date"}:
        return f"{value} {LONG_WORD}{LONG_WORD[::-1]}" if value else LONG_WORD
    return value


SUPPORT = template("support_nlp")


def _mixed() -> dict[str, Any]:
    data = template("support_nlp")
    data["story"]["purpose"] = "🚀 Lumen routes tickets 中文 Здравствуйте ελληνικά 한국어 ✅ → العربية"
    data["story"]["customer_pain"] = "Pain 😤 with emoji 👩‍💻 and flags 🇪🇺 " * 30
    data["team"][0]["name"] = "Maya 陈 🌟"
    return data


@pytest.mark.parametrize(
    ("case", "canvas"),
    [
        ("empty", empty_canvas()),
        ("one traction point", {**empty_canvas(), "data": {**empty_canvas()["data"], "traction": _traction(1)}}),
        ("200 traction rows", {**SUPPORT, "data": {**SUPPORT["data"], "traction": _traction(200)}}),
        ("emoji and mixed scripts", _mixed()),
        ("60-character words everywhere", _stretched(template("medical_imaging"))),
    ],
)  # fmt: skip
def test_bad_input_renders_every_page(case: str, canvas: dict[str, Any]) -> None:
    deck = deck_of(canvas, name=f"{LONG_WORD} 🚀", notes=True)
    pdf = render_pdf(deck, charts={})
    texts = page_texts(pdf)
    assert len(texts) >= 1 + len([s for s in deck.slides if s.kind != "title"]) + 1
    assert not any(ch in "".join(texts) for ch in "🚀😤✅🌟")


def test_rows_that_do_not_fit_are_counted_not_dropped_silently() -> None:
    data = template("medical_imaging")
    data["data"]["experiments"] = data["data"]["experiments"] * 50
    data["ask"]["milestones"] = [{"date": "2027-01-01", "text": "A milestone that takes a while to say. " * 12}] * 6
    deck = deck_of(data, name=data["name"])
    pages = page_texts(render_pdf(deck, charts={}))[1:]
    texts = {slide.kind: text for slide, text in zip(deck.slides[1:], pages, strict=True)}
    shown = texts["performance"].count("ClearScan CXR v2")
    assert 1 <= shown < 200
    assert f"+{200 - shown} more" in texts["performance"]
    assert re.search(r"\+\d more", texts["roadmap"])


def test_text_never_shrinks_below_a_legible_size() -> None:
    data = _stretched(template("medical_imaging"))
    data["data"]["experiments"] = data["data"]["experiments"] * 50
    reader = read(render_pdf(deck_of(data, name=LONG_WORD, notes=True), charts={}))
    sizes = [
        float(operands[1])
        for page in reader.pages
        for operands, operator in ContentStream(page.get_contents(), reader).operations
        if operator == b"Tf"
    ]
    assert len(sizes) > 100
    assert min(sizes) >= 8


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("case", ["stretched", "mixed"])
def test_no_word_runs_off_the_page_margins(case: str, tmp_path: Path) -> None:
    canvas = _stretched(template("medical_imaging")) if case == "stretched" else _mixed()
    (tmp_path / "deck.pdf").write_bytes(render_pdf(deck_of(canvas, name=LONG_WORD, notes=True), charts={}))
    subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", tmp_path / "deck.pdf", tmp_path / "deck.html"], check=True)
    html = (tmp_path / "deck.html").read_text(encoding="utf-8", errors="replace")
    boxes = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    assert len(boxes) > 500
    for x_min, y_min, x_max, y_max in ((float(v) for v in box) for box in boxes):
        assert x_min >= MARGIN - 1
        assert x_max <= WIDTH - MARGIN + 1
        assert y_min >= 20
        assert y_max <= HEIGHT - 20


# --- progress, themes, speed -----------------------------------------------------------------------------------


def test_on_slide_is_called_once_per_page_with_increasing_counts() -> None:
    calls: list[tuple[int, int]] = []
    pdf = render_pdf(
        deck_of(template("support_nlp"), notes=True), charts={}, on_slide=lambda d, t: calls.append((d, t))
    )
    pages = len(read(pdf).pages)
    assert calls == [(done, pages) for done in range(1, pages + 1)]


def test_the_dark_theme_paints_a_dark_background() -> None:
    deck = deck_of(template("support_nlp"))
    dark = render_pdf(deck, charts={}, theme=DARK)
    light = render_pdf(deck, charts={}, theme=LIGHT)
    assert first_fill(dark) == pytest.approx(rgb(DARK.background), abs=1e-3)
    assert first_fill(light) == pytest.approx(rgb(LIGHT.background), abs=1e-3)
    assert sum(rgb(DARK.background)) < 0.5 < sum(rgb(DARK.ink)) - 2


def test_the_deck_theme_is_the_default_and_unknown_themes_fall_back_to_light() -> None:
    data = template("support_nlp")
    data["deck"] = {"theme": "dark"}
    assert first_fill(render_pdf(deck_of(data), charts={})) == pytest.approx(rgb(DARK.background), abs=1e-3)
    assert theme_get("neon") is LIGHT
    assert theme_get(None) is LIGHT
    assert theme_get("dark") is THEMES["dark"]
    assert DARK.palette.background == DARK.background
    assert LIGHT.palette.background == LIGHT.background


def test_a_full_deck_renders_well_under_a_second() -> None:
    deck = deck_of(template("medical_imaging"), notes=True)
    render_pdf(deck, charts={})  # fonts registered, caches warm
    start = time.perf_counter()
    render_pdf(deck, charts={}, theme=DARK)
    assert time.perf_counter() - start < 1.0
