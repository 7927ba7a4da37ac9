"""The competition chart marks the founder's own company and shows strengths and weaknesses; the ask slide says
its amount once, in the deck's language (slide model, SVG and the PDF as pdftotext reads it)."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pitchlab.decks.charts.build import build_chart, chart_input
from pitchlab.decks.charts.common import text_width
from pitchlab.decks.charts.ir import Drawing, Palette, Text
from pitchlab.decks.charts.svg import to_svg
from pitchlab.decks.pdf import chart_sizes, render_pdf
from pitchlab.decks.slides import build_deck

TEMPLATES = Path(__file__).resolve().parents[2] / "pitchlab" / "pitches" / "data" / "templates"
NS = "{http://www.w3.org/2000/svg}"
PALETTE = Palette()


def support() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES / "support_nlp.json").read_text(encoding="utf-8"))
    return data


def competition(
    canvas: dict[str, Any], *, company: str = "", lang: str = "en", size: tuple[int, int] = (800, 450)
) -> Drawing:
    drawing = build_chart(
        "competition", canvas, palette=PALETTE, width=size[0], height=size[1], lang=lang, company=company
    )
    assert drawing is not None
    return drawing


def svg_texts(drawing: Drawing) -> list[str]:
    root = ET.fromstring(to_svg(drawing))
    return ["".join(el.itertext()) for el in root.iter(f"{NS}text")]


def test_the_chart_marks_us_in_the_highlight_colour_with_a_label_and_a_legend() -> None:
    drawing = competition(support(), company="Lumen Support AI")
    root = ET.fromstring(to_svg(drawing))
    (star,) = [el for el in root.iter(f"{NS}circle") if el.get("data-role") == "company"]
    assert star.get("data-name") == "Lumen Support AI"
    assert star.get("fill") == PALETTE.highlight
    texts = svg_texts(drawing)
    assert "Lumen Support AI (us)" in texts
    legend = {el.get("data-legend"): el for el in root.iter(f"{NS}circle") if el.get("data-legend")}
    assert legend["us"].get("fill") == PALETTE.highlight
    assert legend["competitors"].get("fill") == PALETTE.accent
    assert {"us", "competitors"} <= set(texts)


def test_the_us_flag_marks_the_company_whatever_the_pitch_is_called_and_in_chinese() -> None:
    canvas = support()
    canvas["data"]["competitors"]["items"][2]["us"] = True
    drawing = competition(canvas, company="Lumen Support AI", lang="zh")
    root = ET.fromstring(to_svg(drawing))
    (star,) = [el for el in root.iter(f"{NS}circle") if el.get("data-role") == "company"]
    assert star.get("data-name") == "Enterprise conversational-AI platforms"
    texts = svg_texts(drawing)
    assert any(text.endswith("（我们）") for text in texts)
    assert {"我们", "竞争对手"} <= set(texts)
    assert "Lumen Support AI（我们）" not in texts


def test_an_older_canvas_without_the_flag_or_a_matching_name_marks_nobody_and_draws_no_us_legend() -> None:
    drawing = competition(support(), company="Somebody else")
    root = ET.fromstring(to_svg(drawing))
    assert not [el for el in root.iter(f"{NS}circle") if el.get("data-role") == "company" or el.get("data-legend")]
    assert not any("(us)" in text for text in svg_texts(drawing))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(800, 450), (860, 330), (420, 300)])
def test_strengths_and_weaknesses_are_shown_inside_the_drawing(lang: str, size: tuple[int, int]) -> None:
    canvas = support()
    drawing = competition(canvas, company="Lumen Support AI", lang=lang, size=size)
    notes = [s for s in drawing.shapes if isinstance(s, Text) and dict(s.meta).get("note")]
    joined = " ".join(s.text for s in notes)
    strengths, weaknesses = ("Strengths:", "Weaknesses:") if lang == "en" else ("优势：", "劣势：")
    assert strengths in joined
    assert weaknesses in joined
    assert "Learns each customer's own queues" in joined
    assert "Small brand" in joined
    for shape in notes:  # measured with the charts' generous estimate: nothing runs off the drawing
        assert shape.x >= 0
        assert shape.x + text_width(shape.text, shape.size) <= drawing.width + 0.5
        assert shape.size <= shape.y <= drawing.height


def test_a_long_list_of_competitors_is_cut_with_more_instead_of_running_off() -> None:
    canvas = support()
    rows = canvas["data"]["competitors"]["items"]
    canvas["data"]["competitors"]["items"] = [
        {**row, "name": f"{row['name']} {i}", "strengths": row["strengths"] * 3} for i in range(5) for row in rows
    ]
    drawing = competition(canvas, size=(800, 450))
    texts = [s for s in drawing.shapes if isinstance(s, Text)]
    assert any(re.fullmatch(r"\+\d+ more", s.text) for s in texts)
    assert all(s.y <= drawing.height for s in texts)


def test_the_cache_key_changes_with_strengths_weaknesses_and_the_flag() -> None:
    canvas = support()
    before = chart_input("competition", canvas)
    for key, value in (("strengths", "new"), ("weaknesses", "new"), ("us", True)):
        changed = copy.deepcopy(canvas)
        changed["data"]["competitors"]["items"][1][key] = value
        assert chart_input("competition", changed) != before


# --- the ask slide ------------------------------------------------------------------------------------------------


def ask_texts(lang: str, canvas: dict[str, Any]) -> str:
    deck = build_deck(name="Lumen Support AI", canvas=canvas, lang=lang)
    (ask,) = [slide for slide in deck.slides if slide.kind == "ask"]
    words = [text for block in ask.blocks for row in block.rows for text in row]
    drawings = [
        build_chart(block.chart, canvas, palette=PALETTE, lang=lang) for block in ask.blocks if block.kind == "chart"
    ]
    words += [text for drawing in drawings if drawing for text in svg_texts(drawing)]
    return " | ".join(words)


def test_the_chinese_ask_slide_shows_the_amount_once_as_250_wan() -> None:
    text = ask_texts("zh", support())
    assert text.count("250万 USD") == 1
    assert "2.5M" not in text


def test_the_english_ask_slide_shows_the_amount_once_as_2_5m() -> None:
    text = ask_texts("en", support())
    assert text.count("2.5M USD") == 1
    assert "万" not in text


def test_without_use_of_funds_the_amount_stands_alone_in_the_deck_language() -> None:
    canvas = support()
    canvas["ask"]["use_of_funds"] = []
    assert ask_texts("zh", canvas).count("250万 USD") == 1
    assert ask_texts("en", canvas).count("2.5M USD") == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_pdftotext_of_a_chinese_decks_ask_slide_shows_the_amount_once(tmp_path: Path) -> None:
    canvas = support()
    deck = build_deck(name="Lumen Support AI", canvas=canvas, lang="zh")
    charts = {}
    for kind, (width, height) in chart_sizes(deck).items():
        drawing = build_chart(kind, canvas, palette=PALETTE, width=width, height=height, lang="zh")
        if drawing is not None:
            charts[kind] = drawing
    (tmp_path / "deck.pdf").write_bytes(render_pdf(deck, charts=charts))
    page = 1 + [slide.kind for slide in deck.slides if slide.kind != "title"].index("ask") + 1  # title page first
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), tmp_path / "deck.pdf", "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    squashed = "".join(out.split())
    assert "融资需求" in squashed  # the ask slide's title: the right page
    assert squashed.count("250万USD") == 1
    assert "2.5M" not in squashed
