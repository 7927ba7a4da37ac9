"""How complete a canvas is, per section and overall: one pure function the editor and the API share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pitchlab.pitches.canvas import STORY_FIELDS, Canvas

SECTIONS = ("story", "data", "demo", "team_ask", "business", "risks")


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


def _percent(row: Any) -> float:
    """A use-of-funds share, 0 for anything that is no finite 0–100 number (stored before the canvas' bounds)."""
    value = row.get("percent") if isinstance(row, dict) else None
    if not isinstance(value, int | float) or isinstance(value, bool):
        return 0.0
    try:
        share = float(value)
    except OverflowError:
        return 0.0
    return share if 0 <= share <= 100 else 0.0


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None


def _score(section: str, checks: dict[str, float | bool]) -> SectionScore:
    done = sum(float(v) for v in checks.values())
    missing = tuple(name for name, v in checks.items() if float(v) < 1)
    return SectionScore(section, done, len(checks), missing)


def _get(canvas: Canvas, *keys: str) -> Any:
    node: Any = canvas
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def completeness(canvas: Canvas) -> dict[str, Any]:
    """Each section's share of done items (a partial business item counts half) and the overall percent."""
    story = _score("story", {f"story.{n}": _filled(_get(canvas, "story", n)) for n in STORY_FIELDS})

    traction = _get(canvas, "data", "traction") or []
    market = _get(canvas, "data", "market") or {}
    competitors = _get(canvas, "data", "competitors") or {}
    experiments = _get(canvas, "data", "experiments") or []
    data = _score(
        "data",
        {
            "data.traction": len({row.get("period") for row in traction if isinstance(row, dict)}) >= 2,
            "data.market": all(_filled((market.get(k) or {}).get("value")) for k in ("tam", "sam", "som")),
            "data.competitors": len(competitors.get("items") or []) >= 2
            and _filled(competitors.get("x_axis"))
            and _filled(competitors.get("y_axis")),
            "data.experiments": any(
                isinstance(row, dict) and row.get("baseline") is not None and row.get("samples") for row in experiments
            ),
        },
    )
    demo = _score(
        "demo",
        {
            "demo.script": _filled(_get(canvas, "demo", "script")),
            "demo.examples": _filled(_get(canvas, "demo", "examples")),
        },
    )
    funds = _get(canvas, "ask", "use_of_funds") or []
    team_ask = _score(
        "team_ask",
        {
            "team": _filled(canvas.get("team")),
            "ask.amount": _filled(_get(canvas, "ask", "amount")),
            "ask.use_of_funds": bool(funds) and abs(math.fsum(_percent(r) for r in funds) - 100) < 0.01,
            "ask.milestones": _filled(_get(canvas, "ask", "milestones")),
        },
    )
    business_answers = canvas.get("business") or {}
    business = _score(
        "business",
        {
            f"business.{key}": {"done": 1.0, "partial": 0.5}.get(str((answer or {}).get("status")), 0.0)
            for key, answer in business_answers.items()
        },
    )
    risks_list = [r for r in canvas.get("risks") or [] if isinstance(r, dict)]
    risks = _score(
        "risks",
        {
            f"risks.{index}": bool(r.get("likelihood") and r.get("impact") and _filled(r.get("mitigation")))
            for index, r in enumerate(risks_list)
        },
    )
    scores = [story, data, demo, team_ask, business, risks]
    overall = round(sum(s.percent for s in scores) / len(scores))
    return {"overall": overall, "sections": {s.section: s.as_json() for s in scores}}
