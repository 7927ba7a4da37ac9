"""What an experiment row's figure can claim: its 95 % interval, its sample size, and the small-sample rule (pure).

One function, :func:`is_small_sample`, decides whether a figure rests on too few samples; the evaluation preview,
the API, the checker (``small_sample``) and every slide renderer ask it, so they can never disagree.

The rule (docs/metrics.md): a figure is a **small sample** when it was measured on fewer than
``SMALL_SAMPLE_N`` = 100 samples, or when its 95 % interval is wider than ±``SMALL_SAMPLE_HALF_WIDTH`` = 10
points (half the interval's width, on the 0–100 % scale). At n = 100 a Wilson interval around 80 % is already
about ±8 points; below that a difference from a baseline of a few points is noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pitchlab.pitches.bounds import is_latency_metric, is_score_metric

__all__ = [
    "CI_METHODS",
    "SMALL_SAMPLE_HALF_WIDTH",
    "SMALL_SAMPLE_N",
    "format_figure",
    "format_interval",
    "format_latency",
    "half_width_points",
    "interval_of",
    "is_small_sample",
    "percent",
    "scale_of",
]

SMALL_SAMPLE_N = 100
"""Below this many samples a measured figure is a small sample."""
SMALL_SAMPLE_HALF_WIDTH = 10.0
"""Half an interval's width, in points of the 0–100 % scale, beyond which a figure is a small sample."""
CI_METHODS = ("wilson", "bootstrap")
"""How an interval was computed: ``wilson`` (score interval of a proportion), ``bootstrap`` (percentile)."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def scale_of(row: Mapping[str, Any]) -> float:
    """100 when a score row is written in percent (a value or interval end above 1), else 1 (a fraction)."""
    figures = [_number(row.get(key)) for key in ("value", "ci_low", "ci_high", "baseline")]
    return 100.0 if any(f is not None and f > 1 for f in figures) else 1.0


def interval_of(row: Mapping[str, Any]) -> tuple[float, float] | None:
    """The row's 95 % interval ``(low, high)``, or None when it has none (or a broken one)."""
    low, high = _number(row.get("ci_low")), _number(row.get("ci_high"))
    if low is None or high is None or low > high:
        return None
    return low, high


def half_width_points(row: Mapping[str, Any]) -> float | None:
    """Half the width of a score's interval in points of the 0–100 % scale; None for no interval or no score."""
    interval = interval_of(row)
    metric = row.get("metric")
    if interval is None or not isinstance(metric, str) or not is_score_metric(metric):
        return None
    low, high = interval
    return (high - low) / 2 * (100.0 / scale_of(row))


def is_small_sample(row: Mapping[str, Any]) -> bool:
    """Whether the row's figure rests on a small sample: n < 100, or a score interval wider than ±10 points.

    A row that states neither n nor an interval is not called small here (the checker's ``no_sample_count``
    asks for n instead).
    """
    samples = row.get("samples")
    if isinstance(samples, int | float) and not isinstance(samples, bool) and 0 < samples < SMALL_SAMPLE_N:
        return True
    half = half_width_points(row)
    return half is not None and half > SMALL_SAMPLE_HALF_WIDTH


def percent(value: float, digits: int = 1) -> str:
    """0.91 → "91%", 0.885 → "88.5%" (a fraction shown as a percentage, trailing zeros dropped)."""
    return f"{value * 100:.{digits}f}".rstrip("0").rstrip(".") + "%"


def format_latency(value: float, unit: str = "ms") -> str:
    """A time with its unit and a sensible precision: 14.039298999932726 → "14.0 ms", 1234.5 → "1,235 ms"."""
    if value >= 1000:
        return f"{value:,.0f} {unit}".strip()
    if value >= 100:
        return f"{value:.0f} {unit}".strip()
    return f"{value:.1f} {unit}".strip()


def _score(value: float, scale: float) -> str:
    return percent(value) if scale == 1.0 else f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def format_figure(row: Mapping[str, Any]) -> str:
    """The row's value as a slide shows it: a score as a percentage, a time with its unit, others as given."""
    value = _number(row.get("value"))
    if value is None:
        return ""
    metric, unit = _text(row.get("metric")), _text(row.get("unit"))
    if is_latency_metric(metric) or unit in ("ms", "s"):
        return format_latency(value, unit or "ms")
    if is_score_metric(metric) and row.get("measured") is True:
        return _score(value, scale_of(row))
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def format_interval(row: Mapping[str, Any], *, zh: bool = False) -> str:
    """ "95% CI 72.2–100%" for a score, "95% CI 12.0–16.5 ms" for a time; "" without an interval."""
    interval = interval_of(row)
    if interval is None:
        return ""
    low, high = interval
    metric, unit = _text(row.get("metric")), _text(row.get("unit"))
    if is_score_metric(metric):
        scale = scale_of(row)
        span = f"{_score(low, scale).rstrip('%')}–{_score(high, scale)}"
    elif is_latency_metric(metric) or unit:
        span = f"{format_latency(low, '').strip()}–{format_latency(high, unit or 'ms')}"
    else:
        span = f"{low:g}–{high:g}"
    return f"95% 置信区间 {span}" if zh else f"95% CI {span}"
