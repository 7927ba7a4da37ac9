"""Every chart of a pitch, defined once: canvas data in, a ``Drawing`` out (pure; drawn by ``svg`` and ``pdf``).

``build_chart(kind, canvas, ...)`` builds one of ``CHART_KINDS``; ``chart_input(kind, canvas)`` is the part of the
canvas that chart depends on, for a cache key (the caller adds the language, size, palette and company).
"""

from __future__ import annotations

from typing import Any

from pitchlab.decks.charts.build_competition import build_competition
from pitchlab.decks.charts.build_confusion import confusion_row
from pitchlab.decks.charts.build_funds import build_funds
from pitchlab.decks.charts.build_market import build_market
from pitchlab.decks.charts.build_performance import build_confusion, build_performance, confusion_matrix
from pitchlab.decks.charts.build_risks import build_risks
from pitchlab.decks.charts.build_traction import build_traction
from pitchlab.decks.charts.common import rows_of, section
from pitchlab.decks.charts.ir import Drawing, Palette

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
    "confusion_matrix",
    "confusion_row",
]

CHART_KINDS = ("traction", "market", "competition", "performance", "risks", "funds")
# The confusion matrix joins the performance slide only when an experiment carries one (``confusion_row``),
# so it is not among the charts every complete pitch has.
ALL_CHART_KINDS = (*CHART_KINDS, "confusion")


def build_chart(
    kind: str,
    canvas: dict[str, Any],
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
    if kind == "traction":
        return build_traction(canvas, palette=palette, width=width, height=height, lang=lang)
    if kind == "market":
        return build_market(canvas, palette=palette, width=width, height=height, lang=lang)
    if kind == "competition":
        return build_competition(canvas, palette=palette, width=width, height=height, lang=lang, company=company)
    if kind == "performance":
        return build_performance(canvas, palette=palette, width=width, height=height, lang=lang)
    if kind == "risks":
        return build_risks(canvas, palette=palette, width=width, height=height, lang=lang)
    if kind == "funds":
        return build_funds(canvas, palette=palette, width=width, height=height, lang=lang)
    if kind == "confusion":
        row = confusion_row(canvas)
        return None if row is None else build_confusion(row, palette=palette, width=width, height=height, lang=lang)
    raise ValueError(f"Unknown chart kind {kind!r}; expected one of {', '.join(ALL_CHART_KINDS)}.")


def _pick(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{key: row.get(key) for key in keys} for row in rows]


def chart_input(kind: str, canvas: dict[str, Any], *, company: str = "") -> dict[str, Any]:
    """Only the part of ``canvas`` the ``kind`` chart depends on (JSON-friendly), to hash for a cache key.

    Two canvases with equal ``chart_input`` give the same chart for the same language, size, palette and company.
    For "competition" a non-empty ``company`` is included, since the chart highlights it.
    """
    if kind == "traction":
        return {"traction": _pick(rows_of(section(canvas, "data", "traction")), ("period", "metric", "value", "unit"))}
    if kind == "market":
        market = section(canvas, "data", "market")
        return {"market": market if isinstance(market, dict) else None}
    if kind == "competition":
        competitors = section(canvas, "data", "competitors")
        competitors = competitors if isinstance(competitors, dict) else {}
        result: dict[str, Any] = {
            "x_axis": competitors.get("x_axis"),
            "y_axis": competitors.get("y_axis"),
            "items": _pick(rows_of(competitors.get("items")), ("name", "x", "y", "us", "strengths", "weaknesses")),
        }
        if company:
            result["company"] = company
        return result
    if kind == "performance":
        rows = rows_of(section(canvas, "data", "experiments"))
        picked = ("model", "metric", "value", "baseline", "measured", "samples", "ci_low", "ci_high", "unit")
        return {"experiments": _pick(rows, picked)}
    if kind == "risks":
        return {"risks": _pick(rows_of(section(canvas, "risks")), ("title", "likelihood", "impact"))}
    if kind == "funds":
        return {
            "use_of_funds": _pick(rows_of(section(canvas, "ask", "use_of_funds")), ("label", "percent")),
            "amount": section(canvas, "ask", "amount"),
            "currency": section(canvas, "ask", "currency"),
        }
    if kind == "confusion":
        row = confusion_row(canvas)
        keys = ("confusion", "metric", "model", "measured", "dataset", "samples", "date", "device")
        return {"experiment": None if row is None else _pick([row], keys)[0]}
    raise ValueError(f"Unknown chart kind {kind!r}; expected one of {', '.join(ALL_CHART_KINDS)}.")
