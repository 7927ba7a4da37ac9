"""Measured figures on the Model performance slide carry n, their 95 % interval and a small-sample mark, in the
slide model (web deck, presenter), the SVG chart and the PDF (read back with pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pitchlab.decks.charts.build import build_chart
from pitchlab.decks.charts.ir import Palette
from pitchlab.decks.charts.svg import to_svg
from pitchlab.decks.pdf import chart_sizes, render_pdf
from pitchlab.decks.slides import build_deck
from tests.decks.test_performance_confusion import NS, canvas_with, measured_row, performance


def ten_rows(**changes: Any) -> dict[str, Any]:
    """What accepting a 10-row evaluation writes: 8 of 10 right, Wilson 49.0–94.3 %."""
    row = measured_row(
        model="Ticket router",
        dataset="March tickets",
        value=0.8,
        samples=10,
        ci_low=0.4902,
        ci_high=0.9433,
        ci_method="wilson",
        confusion=None,
    )
    return {**row, **changes}


def latency_row() -> dict[str, Any]:
    return measured_row(metric="latency (p50)", value=14.0, unit="ms", samples=10, confusion=None, dataset="March")


def table(canvas: dict[str, Any], lang: str = "en") -> tuple[tuple[str, ...], ...]:
    return next(block.rows for block in performance(canvas, lang).blocks if block.kind == "table")


def test_the_table_shows_the_interval_n_and_the_small_sample_mark() -> None:
    rows = table(canvas_with(ten_rows(), latency_row()))
    accuracy = next(row for row in rows if row[1] == "accuracy" and row[0] == "Ticket router")
    assert accuracy[2] == "80% (95% CI 49–94.3%)"
    assert "n = 10" in accuracy[4]
    assert "small sample" in accuracy[4]
    latency = next(row for row in rows if row[1] == "latency (p50)")
    assert latency[2] == "14.0 ms"
    zh = table(canvas_with(ten_rows()), "zh")
    assert "样本量小" in next(row for row in zh if row[0] == "Ticket router")[4]


def test_a_large_sample_is_not_marked_small() -> None:
    rows = table(canvas_with(ten_rows(samples=4000, ci_low=0.787, ci_high=0.812)))
    accuracy = next(row for row in rows if row[0] == "Ticket router")
    assert "n = 4,000" in accuracy[4]
    assert "small sample" not in accuracy[4]


def test_a_sample_model_row_is_labelled_as_such() -> None:
    rows = table(canvas_with(ten_rows(sample_model=True)))
    assert "PitchLab sample model" in next(row for row in rows if row[0] == "Ticket router")[4]


def svg(canvas: dict[str, Any]) -> ET.Element:
    drawing = build_chart("performance", canvas, palette=Palette(), width=800, height=450)
    assert drawing is not None
    return ET.fromstring(to_svg(drawing))


def test_the_chart_draws_the_interval_and_marks_the_small_sample() -> None:
    root = svg(canvas_with(ten_rows()))
    bar = next(el for el in root.iter(NS + "rect") if el.get("data-series") == "model" and el.get("data-n") == "10")
    assert bar.get("data-small-sample") == "true"
    assert float(bar.get("opacity") or bar.get("fill-opacity") or "1") < 1  # not a bare solid bar
    whisker = next(el for el in root.iter(NS + "line") if el.get("data-role") == "interval")
    assert (whisker.get("data-low"), whisker.get("data-high")) == ("0.4902", "0.9433")
    top, bottom = sorted(float(whisker.get(key) or "nan") for key in ("y1", "y2"))
    bar_top = float(bar.get("y") or "nan")
    assert top < bar_top < bottom  # the interval spans the bar's top: 49–94 % around 80 %
    texts = ["".join(el.itertext()) for el in root.iter(NS + "text")]
    assert "n = 10" in texts
    assert "small sample" in texts
    assert "Ticket router" in texts
    assert not any("(2)" in text for text in texts)


def test_latency_is_never_a_percent_bar() -> None:
    root = svg(canvas_with(latency_row()))
    texts = ["".join(el.itertext()) for el in root.iter(NS + "text")]
    assert "14.0 ms · n = 10 · small sample" in texts
    assert not any(text == "1400%" or text == "14%" for text in texts)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_shows_n_and_the_interval(tmp_path: Path) -> None:
    canvas = canvas_with(ten_rows(), latency_row())
    deck = build_deck(name="Lumen", canvas=canvas)
    charts = {
        kind: drawing
        for kind, (w, h) in chart_sizes(deck).items()
        if (drawing := build_chart(kind, canvas, palette=Palette(), width=w, height=h, company="Lumen"))
    }
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(render_pdf(deck, charts=charts))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page = next(p for p in text.split("\f") if "Model performance" in p)
    flat = " ".join(page.split())
    assert "n = 10" in flat
    assert "95% CI 49–94.3%" in flat
    assert "small sample" in flat
    assert "14.0 ms" in flat


def test_a_time_shows_the_unit_the_founder_typed_and_none_is_invented() -> None:
    typed = {"model": "Router", "metric": "latency", "value": 0.42, "baseline": 1.4, "samples": 2000}
    rows = table(canvas_with({**typed, "unit": "s"}))
    row = next(row for row in rows if row[0] == "Router")
    assert (row[2], row[3]) == ("0.4 s", "1.4 s")
    bare = next(row for row in table(canvas_with(typed)) if row[0] == "Router")
    assert "ms" not in bare[2]
    assert "ms" not in bare[3]


def test_figures_baselines_and_counts_are_written_by_the_decks_language() -> None:
    typed = {"model": "Router", "metric": "F1", "value": 0.885, "baseline": 0.7, "samples": 12000, "dataset": "v2"}
    for lang in ("en", "zh"):
        row = next(row for row in table(canvas_with(typed), lang) if row[0] == "Router")
        assert (row[2], row[3]) == ("88.5%", "70%")  # a founder's 0.885 is a score, never a bare "0.885"
        assert row[4].startswith("n = 12,000")
    root = svg(canvas_with(typed))
    texts = ["".join(el.itertext()) for el in root.iter(NS + "text")]
    assert "n = 12,000" in texts
    assert "88.5%" in texts
