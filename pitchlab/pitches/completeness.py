"""How complete a canvas is, per section and overall: one pure function the editor and the API share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pitchlab.pitches.canvas import STORY_FIELDS, Canvas
from pitchlab.pitches.read_model import CanvasView, FundUse, Num, as_view

SECTIONS = ("story", "data", "demo", "team_ask", "business", "risks")
_BUSINESS_CREDIT = {"done": 1.0, "partial": 0.5}  # a partial business item counts half


@dataclass(frozen=True)
class SectionScore:
    section: str
    done: float
    total: int
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def as_json(self) -> dict[str, Any]:
        return {"done": self.done, "total": self.total, "percent": self.percent, "missing": list(self.missing)}


def _share(row: FundUse) -> float:
    """A use-of-funds share, 0 for anything that is no finite 0–100 number (stored before the canvas' bounds)."""
    if row.percent is None:
        return 0.0
    try:
        share = float(row.percent)
    except OverflowError:
        return 0.0
    return share if 0 <= share <= 100 else 0.0


def _filled(text: str) -> bool:
    return bool(text.strip())


def _given(value: Num | None) -> bool:
    return value is not None


def _score(section: str, checks: dict[str, float | bool]) -> SectionScore:
    done = sum(float(v) for v in checks.values())
    missing = tuple(name for name, v in checks.items() if float(v) < 1)
    return SectionScore(section, done, len(checks), missing)


def completeness(canvas: CanvasView | Canvas) -> dict[str, Any]:
    """Each section's share of done items (a partial business item counts half) and the overall percent.

    ``canvas`` is a ``CanvasView``; a validated canvas document is still accepted and parsed once
    (``read_model.as_view``, transitional while callers move to passing a view).
    """
    view = as_view(canvas)
    story = _score("story", {f"story.{n}": _filled(getattr(view.story, n)) for n in STORY_FIELDS})

    data, ask = view.data, view.ask
    market, competitors = data.market, data.competitors
    data_score = _score(
        "data",
        {
            "data.traction": len({row.period for row in data.traction}) >= 2,
            "data.market": all(_given(size.value) for _, size in market.sizes),
            "data.competitors": len(competitors.items) >= 2
            and _filled(competitors.x_axis)
            and _filled(competitors.y_axis),
            "data.experiments": any(row.baseline is not None and bool(row.samples) for row in data.experiments),
        },
    )
    demo = _score("demo", {"demo.script": _filled(view.demo.script), "demo.examples": bool(view.demo.examples)})
    team_ask = _score(
        "team_ask",
        {
            "team": bool(view.team),
            "ask.amount": _given(ask.amount),
            "ask.use_of_funds": bool(ask.use_of_funds)
            and abs(math.fsum(_share(row) for row in ask.use_of_funds) - 100) < 0.01,
            "ask.milestones": bool(ask.milestones),
        },
    )
    business = _score(
        "business", {f"business.{item.key}": _BUSINESS_CREDIT.get(item.status, 0.0) for item in view.business}
    )
    risks = _score(
        "risks",
        {
            f"risks.{index}": bool(risk.likelihood and risk.impact and _filled(risk.mitigation))
            for index, risk in enumerate(view.risks)
        },
    )
    scores = [story, data_score, demo, team_ask, business, risks]
    overall = round(sum(s.percent for s in scores) / len(scores))
    return {"overall": overall, "sections": {s.section: s.as_json() for s in scores}}
