"""What an experiment row's figure can claim: its 95 % interval, its sample size, and the small-sample rule (pure).

One function, :func:`is_small_sample`, decides whether a figure rests on too few samples; the evaluation preview,
the API, the checker (``small_sample``) and every slide renderer ask it, so they can never disagree.

The rule (docs/metrics.md): a figure is a **small sample** when it was measured on fewer than
``SMALL_SAMPLE_N`` = 100 samples, or when its 95 % interval is wider than ±``SMALL_SAMPLE_HALF_WIDTH`` = 10
points (half the interval's width, on the 0–100 % scale). At n = 100 a Wilson interval around 80 % is already
about ±8 points; below that a difference from a baseline of a few points is noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pitchlab.core import numbers
from pitchlab.pitches.bounds import is_latency_metric, is_score_metric

__all__ = [
    "CI_METHODS",
    "SMALL_SAMPLE_HALF_WIDTH",
    "SMALL_SAMPLE_N",
    "format_baseline",
    "format_figure",
    "format_interval",
    "format_latency",
    "format_number",
    "format_samples",
    "half_width_points",
    "interval_of",
    "is_score_row",
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
    return numbers.finite(value)  # None for a bool, NaN, an infinity or an int too large for a float


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


def percent(value: float, digits: int = 1, lang: str = "en") -> str:
    """0.91 → "91%", 0.885 → "88.5%" (a fraction shown as a percentage, trailing zeros dropped)."""
    return numbers.percent(value, lang, digits)


def format_latency(value: float, unit: str = "ms", lang: str = "en") -> str:
    """A time with its unit and a sensible precision: 14.039298999932726 → "14.0 ms", 1234.5 → "1,235 ms"."""
    return numbers.measure(value, unit, lang)


def _score(value: float, scale: float, lang: str) -> str:
    return numbers.percent(value / 100 if scale == 100.0 else value, lang)


def is_score_row(row: Mapping[str, Any]) -> bool:
    """Whether the row's figures are a score shown as a percentage: a score metric (accuracy, F1, …) with no unit
    and its value, baseline and interval all fractions (0–1) or all percent (0–100)."""
    metric = _text(row.get("metric"))
    if not is_score_metric(metric) or _text(row.get("unit")).strip() not in ("", "%"):
        return False
    figures = [_number(row.get(key)) for key in ("value", "ci_low", "ci_high", "baseline")]
    return all(f is None or 0 <= f <= 100 for f in figures)


def format_number(row: Mapping[str, Any], value: float, lang: str = "en", *, with_unit: bool = True) -> str:
    """One of the row's figures (its value, baseline or an interval end) in the pitch's language: a score as a
    percentage, a time with its unit (when the row names one) at one decimal, any other figure compact with its
    unit. A time without a unit gets none: PitchLab does not guess ms or s (the checker's ``no_unit`` asks)."""
    metric, unit = _text(row.get("metric")), _text(row.get("unit")).strip()
    if is_score_row(row):
        return _score(value, scale_of(row), lang)
    if is_latency_metric(metric) or unit in ("ms", "s"):
        return numbers.measure(value, unit if with_unit else "", lang)
    text = numbers.compact(value, lang=lang)
    return f"{text} {unit}".strip() if with_unit else text


def format_figure(row: Mapping[str, Any], lang: str = "en") -> str:
    """The row's value as a slide shows it: a score as a percentage, a time with its unit, others as given."""
    value = _number(row.get("value"))
    return "" if value is None else format_number(row, value, lang)


def format_baseline(row: Mapping[str, Any], lang: str = "en") -> str:
    """The row's baseline, written like its value ("78%", "1,400 ms"); "" without one."""
    value = _number(row.get("baseline"))
    return "" if value is None else format_number(row, value, lang)


def format_interval(row: Mapping[str, Any], lang: str = "en") -> str:
    """ "95% CI 72.2–100%" for a score, "95% CI 12.0–16.5 ms" for a time ("95% 置信区间 …" in Chinese); "" without
    an interval."""
    interval = interval_of(row)
    if interval is None:
        return ""
    low, high = interval
    first = format_number(row, low, lang, with_unit=False)
    span = f"{first.rstrip('%')}–{format_number(row, high, lang)}"
    return f"95% 置信区间 {span}" if numbers.is_zh(lang) else f"95% CI {span}"


def format_samples(row: Mapping[str, Any], lang: str = "en") -> str:
    """ "n = 2,000" for a row that states its sample count, else ""."""
    samples = _number(row.get("samples"))
    return f"n = {numbers.count(samples, lang)}" if samples is not None and samples >= 1 else ""
