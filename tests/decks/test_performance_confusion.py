"""The performance slide's confusion matrix and PitchLab's own measurements: slides, charts, cache keys, PDF."""

from __future__ import annotations

import copy
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import override_settings
from pypdf import PdfReader

from pitchlab.decks.charts.build import build_chart, chart_input, confusion_row
from pitchlab.decks.charts.ir import Palette
from pitchlab.decks.charts.svg import to_svg
from pitchlab.decks.pdf import chart_sizes, render_pdf
from pitchlab.decks.slides import Slide, build_deck
from pitchlab.pitches.documents import TEMPLATES_DIR

LABELS = ["billing", "bug_report", "account_access"]
NS = "{http://www.w3.org/2000/svg}"


def measured_row(**changes: Any) -> dict[str, Any]:
    row = {
        "model": "Ticket router",
        "metric": "accuracy",
        "value": 0.93,
        "baseline": None,
        "dataset": "holdout.csv",
        "samples": 400,
        "date": "2026-11-02",
        "measured": True,
        "device": "cuda:0",
        "confusion": {"labels": LABELS, "matrix": [[80, 3, 1], [2, 70, 5], [1, 4, 75]]},
    }
    return {**row, **changes}


def canvas_with(*rows: dict[str, Any]) -> dict[str, Any]:
    canvas: dict[str, Any] = json.loads((TEMPLATES_DIR / "support_nlp.json").read_text(encoding="utf-8"))
    canvas["data"]["experiments"] += list(rows)
    return canvas


def performance(canvas: dict[str, Any], lang: str = "en") -> Slide:
    return next(
        slide for slide in build_deck(name="Lumen", canvas=canvas, lang=lang).slides if slide.kind == "performance"
    )


def charts_of(slide: Slide) -> list[str]:
    return [block.chart for block in slide.blocks if block.kind == "chart"]


def test_a_row_with_a_confusion_matrix_adds_the_heatmap_to_the_performance_slide() -> None:
    assert charts_of(performance(canvas_with(measured_row()))) == ["performance", "confusion"]
    assert charts_of(performance(canvas_with())) == ["performance"]


def test_a_malformed_matrix_adds_no_heatmap() -> None:
    broken = measured_row(confusion={"labels": LABELS, "matrix": [[1, 2], [3, 4]]})
    assert charts_of(performance(canvas_with(broken))) == ["performance"]
    assert build_chart("confusion", canvas_with(broken), palette=Palette()) is None


def test_the_heatmap_is_the_newest_measured_rows() -> None:
    typed = measured_row(measured=False, date="2027-01-01", model="typed in")
    old = measured_row(date="2026-01-01", model="old run")
    new = measured_row(date="2026-06-01", model="new run")
    assert confusion_row(canvas_with(typed, new, old)) == new
    assert confusion_row(canvas_with(typed)) == typed  # no measurement: the founder's own matrix still shows
    assert confusion_row(canvas_with()) is None


def test_measured_rows_lead_the_table_and_say_who_measured_them_when_and_where() -> None:
    rows = next(block.rows for block in performance(canvas_with(measured_row())).blocks if block.kind == "table")
    assert rows[0][0] == "Ticket router"
    # n first: where a narrow slide cuts the line, the dataset's name is what is cut, never the sample count.
    assert rows[0][4] == "n = 400 · holdout.csv · measured by PitchLab · 2026-11-02 · cuda:0"
    assert "measured" not in " ".join(row[4] for row in rows[1:])
    zh = next(block.rows for block in performance(canvas_with(measured_row()), "zh").blocks if block.kind == "table")
    assert "PitchLab 实测" in zh[0][4]


def svg_texts(kind: str, canvas: dict[str, Any], lang: str = "en") -> list[str]:
    drawing = build_chart(kind, canvas, palette=Palette(), width=800, height=450, lang=lang)
    assert drawing is not None
    return ["".join(el.itertext()) for el in ET.fromstring(to_svg(drawing)).iter(NS + "text")]


def test_the_heatmap_caption_names_the_measurement_and_the_bars_star_it() -> None:
    canvas = canvas_with(measured_row())
    texts = svg_texts("confusion", canvas)
    assert "Measured by PitchLab · holdout.csv · n = 400 · 2026-11-02 · cuda:0" in texts
    assert {"80", "70", "75", "billing"} <= set(texts)
    bars = svg_texts("performance", canvas)
    # Each bar names its metric and its model, never a bare "accuracy (2)".
    assert "accuracy*" in bars
    assert "Ticket router" in bars
    assert not any("(2)" in text for text in bars)
    assert "*Measured by PitchLab" in bars
    plain = svg_texts("performance", canvas_with())
    assert not any("*" in text for text in plain)
    typed = svg_texts("confusion", canvas_with(measured_row(measured=False)))
    assert not any("Measured by PitchLab" in text for text in typed)


def test_many_classes_label_every_few_rows_and_keep_every_cell() -> None:
    n = 50
    row = measured_row(
        confusion={
            "labels": [f"class_{i}" for i in range(n)],
            "matrix": [[int(i == j) * 9 for j in range(n)] for i in range(n)],
        }
    )
    drawing = build_chart("confusion", canvas_with(row), palette=Palette(), width=340, height=220)
    assert drawing is not None
    root = ET.fromstring(to_svg(drawing))
    assert len([el for el in root.iter(NS + "rect") if el.get("data-actual")]) == n * n
    row_labels = [text for text in ("".join(el.itertext()) for el in root.iter(NS + "text")) if text.startswith("cla")]
    assert 2 <= len(row_labels) < n  # thinned so they do not overlap


def test_the_confusion_chart_input_follows_the_matrix_and_nothing_unrelated() -> None:
    canvas = canvas_with(measured_row())
    edited = copy.deepcopy(canvas)
    edited["story"]["purpose"] = "Something else."
    assert chart_input("confusion", canvas) == chart_input("confusion", edited)
    edited["data"]["experiments"][-1]["confusion"]["matrix"][0][0] = 81
    assert chart_input("confusion", canvas) != chart_input("confusion", edited)
    relabelled = copy.deepcopy(canvas)
    relabelled["data"]["experiments"][-1]["measured"] = False
    assert chart_input("performance", canvas) != chart_input("performance", relabelled)  # the star comes and goes
    json.dumps(chart_input("confusion", canvas))


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "decks-confusion"}}


@override_settings(CACHES=LOCMEM)
def test_a_changed_matrix_is_never_served_from_the_chart_cache() -> None:
    from django.core.cache import cache

    from pitchlab.decks.services import chart_svg

    cache.clear()
    canvas = canvas_with(measured_row())
    first = chart_svg("confusion", canvas, company="Lumen", theme="light", lang="en")
    assert first is not None
    assert 'data-count="80"' in first
    assert chart_svg("confusion", canvas, company="Lumen", theme="light", lang="en") == first  # a hit
    canvas["data"]["experiments"][-1]["confusion"]["matrix"][0][0] = 81
    second = chart_svg("confusion", canvas, company="Lumen", theme="light", lang="en")
    assert second is not None
    assert 'data-count="81"' in second
    assert 'data-count="80"' not in second


def test_the_pdf_sets_both_charts_side_by_side_over_the_table_and_names_the_measurement() -> None:
    canvas = canvas_with(measured_row())
    deck = build_deck(name="Lumen", canvas=canvas)
    sizes = chart_sizes(deck)
    assert set(sizes) >= {"performance", "confusion"}
    assert sizes["performance"][0] + sizes["confusion"][0] < 960 - 2 * 64  # both on one row, not stacked
    assert sizes["confusion"][1] == pytest.approx(sizes["performance"][1], abs=1)
    charts = {
        kind: drawing
        for kind, (w, h) in sizes.items()
        if (drawing := build_chart(kind, canvas, palette=Palette(), width=w, height=h, company="Lumen"))
    }
    reader = PdfReader(io.BytesIO(render_pdf(deck, charts=charts)))
    page = next(p for p in reader.pages if "Model performance" in p.extract_text())
    text = "".join(page.extract_text().split())
    assert "Confusionmatrix·Ticketrouter·accuracy" in text
    assert "MeasuredbyPitchLab·holdout.csv·n=400·2026-11-02·cuda:0" in text
    assert "measuredbyPitchLab·2026-11-02·cuda:0" in text  # the table's first record
    assert "Chart unavailable" not in page.extract_text()
