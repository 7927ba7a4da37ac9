"""The bounds of every number a canvas holds, and of its lists (pure, standard library only).

``validation.py`` applies them to every write and import; ``tabular.py`` to pasted traction; the maths (growth,
charts, the deck) is safe for anything inside them, and degrades gracefully outside them, for canvases stored
before the bounds existed.

Why these numbers: a figure is bounded by what a company can have, not by what a float can hold. 10^15 is a
thousand trillion, more than ten times the world's yearly output, in any currency or count; and a figure smaller
than a millionth of its unit is a typing slip, not a measurement (use a smaller unit). Inside these bounds a
1,000-point series, its squares and its sums stay far from a float's limits, so no fit or scale can overflow.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "ASK_AMOUNT",
    "COMPETITOR_SCORE",
    "CONFUSION_COUNT",
    "DATE_MAX",
    "DATE_MIN",
    "EXPERIMENT_LATENCY",
    "EXPERIMENT_SCORE",
    "EXPERIMENT_VALUE",
    "FUND_PERCENT",
    "LARGEST",
    "MARKET_GROWTH_RATE",
    "MARKET_SIZE",
    "RISK_LEVEL",
    "ROW_CAPS",
    "SAMPLES",
    "SLIDE_SECONDS",
    "SMALLEST",
    "TRACTION_VALUE",
    "YEAR",
    "Bound",
    "format_bound",
    "is_latency_metric",
    "is_score_metric",
]

LARGEST = 10**15
"""The largest magnitude of any money amount, count or traction figure: 1,000,000,000,000,000."""
SMALLEST = Decimal("0.000001")
"""The smallest magnitude of a number other than 0."""


@dataclass(frozen=True)
class Bound:
    """The closed range [low, high] a number must lie in; ``whole`` numbers only when set.

    A number other than 0 must also be at least ``SMALLEST`` in size (whole numbers always are).
    """

    low: int
    high: int
    whole: bool = False

    def holds(self, value: int | float | Decimal) -> bool:
        """Whether ``value`` lies within, compared exactly (a huge int or a long decimal is not rounded first)."""
        if isinstance(value, float):
            if not math.isfinite(value):
                return False
            exact: int | Decimal = Decimal(value)
        else:
            exact = value
        if not self.low <= exact <= self.high:
            return False
        # Compared as floats: the float nearest 0.000001 lies just below the exact decimal, and must pass.
        return exact == 0 or abs(float(exact)) >= float(SMALLEST)

    def describe(self) -> str:
        """ "-1,000,000,000,000,000 to 1,000,000,000,000,000", "0 to 100", "1 to 5"."""
        return f"{format_bound(self.low)} to {format_bound(self.high)}"


def format_bound(value: int | Decimal) -> str:
    """A bound as people write it: "1,000,000,000,000,000", "10,000", "-100", "2100", "0.000001" (never "1E+15").

    Thousands are grouped from 10,000 on, so that years and seconds read as such ("1900", "3600").
    """
    exact = Decimal(value)
    text = f"{exact:,f}" if abs(exact) >= 10_000 else f"{exact:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


TRACTION_VALUE = Bound(-LARGEST, LARGEST)  # net revenue or margin can be negative
MARKET_SIZE = Bound(0, LARGEST)
MARKET_GROWTH_RATE = Bound(-100, 10_000)  # percent per year: a market can at most vanish, or grow 100-fold
YEAR = Bound(1900, 2100, whole=True)
COMPETITOR_SCORE = Bound(0, 10)
EXPERIMENT_VALUE = Bound(-LARGEST, LARGEST)
EXPERIMENT_SCORE = Bound(0, 100)  # accuracy, precision, recall, F1, AUC: a fraction (0–1) or a percent (0–100)
EXPERIMENT_LATENCY = Bound(0, LARGEST)  # a time cannot be negative
SAMPLES = Bound(1, 10**12, whole=True)
CONFUSION_COUNT = Bound(0, 10**12, whole=True)
ASK_AMOUNT = Bound(0, LARGEST)
FUND_PERCENT = Bound(0, 100)
RISK_LEVEL = Bound(1, 5, whole=True)
SLIDE_SECONDS = Bound(5, 3600, whole=True)
DATE_MIN, DATE_MAX = "1900-01-01", "2100-12-31"

ROW_CAPS: dict[str, int] = {
    "data.traction": 1000,  # e.g. four metrics over twenty years of weeks; the same cap as a paste
    "data.competitors": 100,
    "data.experiments": 200,
    "demo.examples": 200,
    "team": 100,
    "ask.use_of_funds": 50,
    "ask.milestones": 100,
    "risks": 100,
    "deck.slides": 100,
}
"""The most rows each list of the canvas holds."""

_SCORE = re.compile(
    r"accura|precision|recall|\bf-?1\b|f1[- _]?score|f-?score|\bauc\b|\broc\b|specificity|sensitivity|"
    r"准确率|精确率|精度|召回率|查准率|查全率",
    re.IGNORECASE,
)
_LATENCY = re.compile(r"latency|\bms\b|延迟|时延|耗时", re.IGNORECASE)


def is_score_metric(metric: str) -> bool:
    """Whether ``metric`` is a score between 0 and 1 (or 0 and 100 %): accuracy, precision, recall, F1, AUC…"""
    return bool(_SCORE.search(metric)) and not is_latency_metric(metric)


def is_latency_metric(metric: str) -> bool:
    """Whether ``metric`` measures time: it mentions "latency", "ms" or 延迟/时延/耗时."""
    return bool(_LATENCY.search(metric))
