"""Every chart of a pitch, defined once: canvas data in, a ``Drawing`` out (pure; drawn by ``svg`` and ``pdf``).

``build_chart(kind, canvas, ...)`` builds one of ``CHART_KINDS``; ``chart_input(kind, canvas)`` is the part of the
canvas that chart depends on, for a cache key (the caller adds the language, size, palette and company). Both take
the canvas' read model (``pitches.read_model.CanvasView``); a raw validated document is still accepted and parsed
once at the entry while callers move over (transitional).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from pitchlab.decks.charts.build_competition import build_competition
from pitchlab.decks.charts.build_confusion import confusion_experiment, confusion_row
from pitchlab.decks.charts.build_funds import build_funds
from pitchlab.decks.charts.build_market import build_market
from pitchlab.decks.charts.build_performance import build_confusion, build_performance, confusion_matrix
from pitchlab.decks.charts.build_risks import build_risks
from pitchlab.decks.charts.build_traction import build_traction
from pitchlab.decks.charts.ir import Drawing, Palette
from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.read_model import CanvasView, as_view

__all__ = [
    "ALL_CHART_KINDS",
    "CHART_KINDS",
    "build_chart",
    "build_competition",
    "build_confusion",
    "build_funds",
    "build_market",
    "build_performance",
    "build_risks",
    "build_traction",
    "chart_input",
    "confusion_experiment",
    "confusion_matrix",
    "confusion_row",
]

CHART_KINDS = ("traction", "market", "competition", "performance", "risks", "funds")
# The confusion matrix joins the performance slide only when an experiment carries one (``confusion_row``),
# so it is not among the charts every complete pitch has.
ALL_CHART_KINDS = (*CHART_KINDS, "confusion")


class _Builder:
    """A chart builder's signature (every one but competition ignores ``company``)."""

    def __init__(self, build: Callable[..., Drawing | None], *, takes_company: bool = False) -> None:
        self.build, self.takes_company = build, takes_company


def _confusion(canvas: CanvasView, **options: Any) -> Drawing | None:
    row = confusion_experiment(canvas)
    return None if row is None else build_confusion(row, **options)


_BUILDERS: dict[str, _Builder] = {
    "traction": _Builder(build_traction),
    "market": _Builder(build_market),
    "competition": _Builder(build_competition, takes_company=True),
    "performance": _Builder(build_performance),
    "risks": _Builder(build_risks),
    "funds": _Builder(build_funds),
    "confusion": _Builder(_confusion),
}
assert tuple(_BUILDERS) == ALL_CHART_KINDS, "one builder per chart kind"


def _unknown(kind: str) -> ValueError:
    return ValueError(f"Unknown chart kind {kind!r}; expected one of {', '.join(ALL_CHART_KINDS)}.")


def build_chart(
    kind: str,
    canvas: CanvasView | Canvas,
    *,
    palette: Palette,
    width: float = 800,
    height: float = 450,
    lang: str = "en",
    company: str = "",
) -> Drawing | None:
    """The ``kind`` chart of ``canvas`` (one of ``ALL_CHART_KINDS``), or None when there is nothing to draw.

    ``company`` is the startup's name, which the competition chart highlights; other charts ignore it.
    """
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise _unknown(kind)
    options: dict[str, Any] = {"palette": palette, "width": width, "height": height, "lang": lang}
    if builder.takes_company:
        options["company"] = company
    return builder.build(as_view(canvas), **options)


def _pick(rows: Iterable[Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{key: getattr(row, key) for key in keys} for row in rows]


def _traction_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    return {"traction": _pick(canvas.data.traction, ("period", "metric", "value", "unit"))}


def _market_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    return {"market": asdict(canvas.data.market)}


def _competition_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    competitors = canvas.data.competitors
    result: dict[str, Any] = {
        "x_axis": competitors.x_axis,
        "y_axis": competitors.y_axis,
        "items": _pick(competitors.items, ("name", "x", "y", "us", "strengths", "weaknesses")),
    }
    if company:
        result["company"] = company
    return result


def _performance_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    picked = ("model", "metric", "value", "baseline", "measured", "samples", "ci_low", "ci_high", "unit")
    return {"experiments": _pick(canvas.data.experiments, picked)}


def _risks_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    return {"risks": _pick(canvas.risks, ("title", "likelihood", "impact"))}


def _funds_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    return {
        "use_of_funds": _pick(canvas.ask.use_of_funds, ("label", "percent")),
        "amount": canvas.ask.amount,
        "currency": canvas.ask.currency,
    }


def _confusion_input(canvas: CanvasView, company: str) -> dict[str, Any]:
    row = confusion_experiment(canvas)
    if row is None or row.confusion is None:
        return {"experiment": None}
    keys = ("metric", "model", "measured", "dataset", "samples", "date", "device")
    return {"experiment": {"confusion": asdict(row.confusion), **_pick([row], keys)[0]}}


_INPUTS: dict[str, Callable[[CanvasView, str], dict[str, Any]]] = {
    "traction": _traction_input,
    "market": _market_input,
    "competition": _competition_input,
    "performance": _performance_input,
    "risks": _risks_input,
    "funds": _funds_input,
    "confusion": _confusion_input,
}
assert tuple(_INPUTS) == ALL_CHART_KINDS, "one cache input per chart kind"


def chart_input(kind: str, canvas: CanvasView | Canvas, *, company: str = "") -> dict[str, Any]:
    """Only the part of ``canvas`` the ``kind`` chart depends on (JSON-friendly), to hash for a cache key.

    Two canvases with equal ``chart_input`` give the same chart for the same language, size, palette and company.
    For "competition" a non-empty ``company`` is included, since the chart highlights it.
    """
    picker = _INPUTS.get(kind)
    if picker is None:
        raise _unknown(kind)
    return picker(as_view(canvas), company)
