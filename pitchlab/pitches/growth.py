"""Growth figures for one traction metric over time (monthly users, MRR, paying teams, ...).

Pure Python (standard library only), so it can run anywhere: in a view, a Celery task or a notebook.

A series is an ordered sequence of points of ONE metric; each point is a ``Point`` or a plain
``(period_label, value)`` pair. Period labels are opaque strings ("2024-03", "Q1 2025"): they are
never parsed, only checked for being unique, and the points are taken in the order given, one period apart.

What it computes:

* period-over-period growth rates;
* compound growth per period over the whole series (CAGR-style), and ``annualise`` to turn a
  per-period rate into a yearly one;
* two least-squares trend fits over x = 0..n-1 — linear (y = a + b·x) and exponential
  (ln y = a + b·x) — each with its RMSE and R² in the metric's own units, and the better of the two
  (lower RMSE);
* projections from the better fit, always flagged as projections and labelled with the fit's RMSE.

``analyse`` returns all of it as one ``GrowthReport``; ``GrowthReport.as_json()`` gives plain
dicts, lists, strings, floats and None, ready for ``json.dumps``.

Bad input raises ``ValueError`` with a message meant for a founder to read. Every finite value is accepted and
nothing overflows: sums and squares are taken on values scaled to at most 1 in size, growth is compared through
logarithms, and a figure too large for a float (a trend extrapolated far enough) is a ``ValueError`` or None, never
an OverflowError and never an infinity in the report.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "MAX_PERIODS_AHEAD",
    "Fit",
    "FitKind",
    "GrowthRate",
    "GrowthReport",
    "Point",
    "PointLike",
    "ProjectedPoint",
    "analyse",
    "annualise",
    "best_fit",
    "compound_growth",
    "exponential_fit",
    "growth_rates",
    "linear_fit",
    "next_period",
    "project",
]

MAX_PERIODS_AHEAD = 120
"""The furthest a projection may reach, in periods (ten years of months)."""

FitKind: TypeAlias = Literal["linear", "exponential"]

# Two RMSEs closer than this (relative to the largest |value|) count as a tie: floating-point noise.
_TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Point:
    """One observed value of the metric for one period."""

    period: str
    value: float


PointLike: TypeAlias = Point | tuple[str, float]


@dataclass(frozen=True)
class GrowthRate:
    """Growth from ``previous_period`` to ``period`` as a fraction (0.1 is +10%); None when undefined."""

    period: str
    previous_period: str
    rate: float | None


@dataclass(frozen=True)
class Fit:
    """A least-squares trend over x = 0..n-1, where x counts periods from the first point.

    * ``kind == "linear"``: y = intercept + slope·x, so ``slope`` is the change per period in the metric's units.
    * ``kind == "exponential"``: ln y = intercept + slope·x, i.e. y = e^intercept · e^(slope·x), so the
      metric grows by ``growth_per_period`` = e^slope - 1 each period.

    ``rmse`` and ``r_squared`` both measure the fit in the metric's own units (for the exponential fit, against
    e^(intercept + slope·x), not against ln y), so the two kinds of fit can be compared directly.

    With only 2 points either fit passes through both exactly: ``rmse`` is 0 and says nothing about how well the
    trend holds; 3 or more points are needed for a meaningful RMSE. ``r_squared`` is None when every value is the
    same (there is no variation to explain).
    """

    kind: FitKind
    intercept: float
    slope: float
    rmse: float
    r_squared: float | None
    n_points: int

    @property
    def growth_per_period(self) -> float | None:
        """The constant growth rate per period the exponential fit implies; None for a linear fit."""
        if self.kind != "exponential":
            return None
        return _expm1(self.slope)

    def predict(self, x: float) -> float:
        """The fitted value at x periods after the first point (x may lie beyond the data)."""
        if self.kind == "linear":
            return self.intercept + self.slope * x
        return _exp(self.intercept + self.slope * x)

    def as_json(self) -> dict[str, Any]:
        """The fit as plain JSON-friendly values."""
        return {
            "kind": self.kind,
            "intercept": self.intercept,
            "slope": self.slope,
            "growth_per_period": self.growth_per_period,
            "rmse": self.rmse,
            "r_squared": self.r_squared,
            "n_points": self.n_points,
        }


@dataclass(frozen=True)
class ProjectedPoint:
    """A value the chosen trend projects for a future period: an estimate, never an observation.

    ``period`` is the last observed period label plus an offset (e.g. "2024-06 +1"), since labels are not parsed;
    ``index`` is x, counted from the first observed point (the first projection has index n).
    """

    period: str
    index: int
    value: float
    label: str
    fit: FitKind
    projected: bool = True

    def as_json(self) -> dict[str, Any]:
        """The projected point as plain JSON-friendly values."""
        return {
            "period": self.period,
            "index": self.index,
            "value": self.value,
            "label": self.label,
            "fit": self.fit,
            "projected": self.projected,
        }


@dataclass(frozen=True)
class GrowthReport:
    """Every growth figure for one series; see ``analyse``."""

    points: tuple[Point, ...]
    growth_rates: tuple[GrowthRate, ...]
    compound_growth_per_period: float | None
    linear_fit: Fit
    exponential_fit: Fit | None
    chosen_fit: FitKind
    projections: tuple[ProjectedPoint, ...]

    @property
    def chosen(self) -> Fit:
        """The fit the projections come from."""
        if self.chosen_fit == "exponential" and self.exponential_fit is not None:
            return self.exponential_fit
        return self.linear_fit

    def as_json(self) -> dict[str, Any]:
        """The report as plain dicts, lists, strings, floats, bools and None (``json.dumps``-ready)."""
        return {
            "points": [{"period": p.period, "value": p.value} for p in self.points],
            "growth_rates": [
                {"period": g.period, "previous_period": g.previous_period, "rate": g.rate} for g in self.growth_rates
            ],
            "compound_growth_per_period": self.compound_growth_per_period,
            "linear_fit": self.linear_fit.as_json(),
            "exponential_fit": None if self.exponential_fit is None else self.exponential_fit.as_json(),
            "chosen_fit": self.chosen_fit,
            "projections": [p.as_json() for p in self.projections],
        }


# --- public functions -------------------------------------------------------------------------------------------


def growth_rates(points: Sequence[PointLike]) -> tuple[GrowthRate, ...]:
    """Period-over-period growth, (v[i] - v[i-1]) / v[i-1], for each consecutive pair of points.

    The rate is None where the previous value is 0 or negative: from 0 any increase is an infinite percentage,
    and from a negative value (e.g. net revenue after refunds) the sign of the ratio flips — going from -10 to +10
    would read as -200% — so no percentage would be honest there.
    """
    series = _validated(points)
    rates: list[GrowthRate] = []
    for previous, current in itertools.pairwise(series):
        # Float arithmetic gives an infinity rather than raising (1e300 over 1e-10): that rate is None too.
        rate = None if previous.value <= 0 else (current.value - previous.value) / previous.value
        rates.append(GrowthRate(period=current.period, previous_period=previous.period, rate=_finite(rate)))
    return tuple(rates)


def compound_growth(points: Sequence[PointLike]) -> float | None:
    """The constant growth rate per period that takes the first value to the last (CAGR-style).

    (last / first) ** (1 / (n - 1)) - 1, where n is the number of points. None when there are fewer than 2 points,
    when the first value is 0 or negative (no rate can grow from there) or when the last value is negative.
    A last value of 0 gives -1.0 (-100%).
    """
    series = _validated(points)
    if len(series) < 2:
        return None
    first, last = series[0].value, series[-1].value
    if first <= 0 or last < 0:
        return None
    if last == 0:
        return -1.0
    # Through logarithms: last / first itself overflows for 1e300 over 1e-10, while its n-th root need not.
    return _finite(_expm1((math.log(last) - math.log(first)) / (len(series) - 1)))


def annualise(rate: float, periods_per_year: int) -> float:
    """The yearly rate equivalent to ``rate`` compounded each period: (1 + rate) ** periods_per_year - 1.

    Use 12 for monthly periods, 4 for quarterly, 52 for weekly. ``rate`` must be at least -1 (-100%).
    """
    if isinstance(periods_per_year, bool) or not isinstance(periods_per_year, int) or periods_per_year < 1:
        raise ValueError(
            f"periods_per_year must be a whole number of 1 or more (e.g. 12 for months), got {periods_per_year!r}"
        )
    if not math.isfinite(rate):
        raise ValueError(f"The growth rate must be a finite number, got {rate!r}.")
    if rate < -1:
        raise ValueError(f"A growth rate cannot be below -100% per period, got {rate:.1%}.")
    try:
        result = (1 + rate) ** periods_per_year - 1
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise ValueError(f"A growth rate of {rate:.1%} per period is too large to annualise.")
    return result


def linear_fit(points: Sequence[PointLike]) -> Fit:
    """The least-squares straight line y = intercept + slope·x through the series (x = 0..n-1).

    Needs at least 2 points.
    """
    series = _validated(points, minimum=2)
    ys = [p.value for p in series]
    scale = _scale(ys)
    # Fitted on the values scaled to at most 1 in size, so that no sum of squares can overflow; the line is then
    # scaled back, which is exact for a line.
    intercept, slope = _least_squares([y / scale for y in ys])
    fit = _make_fit("linear", intercept * scale, slope * scale, ys)
    if not all(math.isfinite(v) for v in (fit.intercept, fit.slope, fit.rmse, fit.r_squared or 0.0)):
        raise ValueError("These values are too large to fit a trend; try a larger unit (thousands, millions).")
    return fit


def exponential_fit(points: Sequence[PointLike]) -> Fit | None:
    """The least-squares exponential trend ln y = intercept + slope·x through the series (x = 0..n-1).

    None when any value is 0 or negative (an exponential curve never reaches them), or when the curve cannot be
    evaluated in floating point. Needs at least 2 points.
    """
    series = _validated(points, minimum=2)
    ys = [p.value for p in series]
    if any(y <= 0 for y in ys):
        return None
    intercept, slope = _least_squares([math.log(y) for y in ys])
    fit = _make_fit("exponential", intercept, slope, ys)
    growth = fit.growth_per_period
    if not all(math.isfinite(v) for v in (fit.rmse, fit.r_squared or 0.0, growth if growth is not None else 0.0)):
        return None
    return fit


def best_fit(points: Sequence[PointLike]) -> Fit:
    """The linear or exponential fit, whichever has the lower RMSE.

    A tie (within floating-point noise, as always with only 2 points) goes to the linear fit: the more
    conservative assumption for projections. Needs at least 2 points.
    """
    series = _validated(points, minimum=2)
    return _choose(linear_fit(series), exponential_fit(series), series)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})[- ]?Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


def next_period(last: str, step: int) -> str:
    """The label ``step`` periods after ``last`` for "2025-03", "2025-Q1"/"2025 Q1" and "2025"; else "last +step"."""
    if match := _MONTH.match(last):
        months = int(match[1]) * 12 + int(match[2]) - 1 + step
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if match := _QUARTER.match(last):
        quarters = int(match[1]) * 4 + int(match[2]) - 1 + step
        return f"{quarters // 4:04d}-Q{quarters % 4 + 1}"
    if match := _YEAR.match(last):
        return str(int(match[1]) + step)
    return f"{last} +{step}"


def project(points: Sequence[PointLike], periods_ahead: int) -> tuple[ProjectedPoint, ...]:
    """The next ``periods_ahead`` values (1 to 120) projected from the better-fitting trend of the series.

    Each one is flagged ``projected=True`` and labelled "projection (RMSE …)" with the fit's RMSE, in the metric's
    units, as a reminder of how far the data strayed from the trend. Needs at least 2 points.
    """
    _check_periods_ahead(periods_ahead)
    series = _validated(points, minimum=2)
    return _project(series, best_fit(series), periods_ahead)


def analyse(points: Sequence[PointLike], *, periods_ahead: int = 3) -> GrowthReport:
    """All growth figures for the series: growth rates, compound growth, both fits, the better one and projections.

    Needs at least 2 points with finite values and unique period labels; ``periods_ahead`` must be 1 to 120.
    """
    _check_periods_ahead(periods_ahead)
    series = _validated(points, minimum=2)
    linear = linear_fit(series)
    exponential = exponential_fit(series)
    chosen = _choose(linear, exponential, series)
    return GrowthReport(
        points=series,
        growth_rates=growth_rates(series),
        compound_growth_per_period=compound_growth(series),
        linear_fit=linear,
        exponential_fit=exponential,
        chosen_fit=chosen.kind,
        projections=_project(series, chosen, periods_ahead),
    )


# --- internals --------------------------------------------------------------------------------------------------


def _validated(points: Sequence[PointLike], *, minimum: int = 0) -> tuple[Point, ...]:
    """The points as ``Point``s, or ValueError naming the first problem found."""
    series: list[Point] = []
    seen: set[str] = set()
    for position, raw in enumerate(points, start=1):
        point = _as_point(raw, position)
        if point.period in seen:
            raise ValueError(f"duplicate period '{point.period}': each period may appear only once.")
        seen.add(point.period)
        series.append(point)
    if len(series) < minimum:
        raise ValueError(
            f"At least {minimum} data points are needed to measure a trend, got {len(series)}. "
            "Add more periods of data."
        )
    return tuple(series)


def _as_point(raw: object, position: int) -> Point:
    if isinstance(raw, Point):
        period, value = raw.period, raw.value
    elif isinstance(raw, tuple) and len(raw) == 2:
        period, value = raw
    else:
        raise ValueError(f"Point {position} must be a (period, value) pair, got {raw!r}.")
    if not isinstance(period, str) or not period.strip():
        raise ValueError(f"Point {position} needs a period label such as '2024-03', got {period!r}.")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"The value for period '{period}' must be a number, got {value!r}.")
    try:
        number = float(value)
    except OverflowError:  # an int of hundreds of digits (JSON keeps them whole)
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"The value for period '{period}' must be a finite number, got {number!r}.")
    return Point(period=period, value=number)


def _check_periods_ahead(periods_ahead: int) -> None:
    if (
        isinstance(periods_ahead, bool)
        or not isinstance(periods_ahead, int)
        or not 1 <= periods_ahead <= MAX_PERIODS_AHEAD
    ):
        raise ValueError(f"periods_ahead must be a whole number from 1 to {MAX_PERIODS_AHEAD}, got {periods_ahead!r}.")


def _least_squares(ys: Sequence[float]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line through (x, ys[x]) for x = 0..n-1; centred for accuracy."""
    n = len(ys)
    x_mean = (n - 1) / 2
    y_mean = math.fsum(ys) / n
    sxx = math.fsum((x - x_mean) ** 2 for x in range(n))
    sxy = math.fsum((x - x_mean) * (y - y_mean) for x, y in enumerate(ys))
    slope = sxy / sxx
    return y_mean - slope * x_mean, slope


def _make_fit(kind: FitKind, intercept: float, slope: float, ys: Sequence[float]) -> Fit:
    """The fit with its RMSE and R² measured against ``ys`` in their own units.

    The residuals are summed in units of the largest |value| (the squares of 1e200 would overflow) and the RMSE
    scaled back; a prediction that overflows makes the RMSE infinite, which the callers turn away.
    """
    n = len(ys)
    scale = _scale(ys)
    partial = Fit(kind=kind, intercept=intercept, slope=slope, rmse=0.0, r_squared=None, n_points=n)
    ss_res = _sum_of_squares(y / scale - partial.predict(x) / scale for x, y in enumerate(ys))
    y_mean = math.fsum(y / scale for y in ys) / n
    ss_tot = _sum_of_squares(y / scale - y_mean for y in ys)
    r_squared = None if ss_tot == 0 else 1 - ss_res / ss_tot
    rmse = math.sqrt(ss_res / n) * scale
    return Fit(kind=kind, intercept=intercept, slope=slope, rmse=rmse, r_squared=r_squared, n_points=n)


def _choose(linear: Fit, exponential: Fit | None, series: Sequence[Point]) -> Fit:
    if exponential is None:
        return linear
    tolerance = _TIE_TOLERANCE * max(abs(p.value) for p in series)
    return exponential if exponential.rmse < linear.rmse - tolerance else linear


def _project(series: Sequence[Point], fit: Fit, periods_ahead: int) -> tuple[ProjectedPoint, ...]:
    n = len(series)
    last_period = series[-1].period
    label = f"projection (RMSE {_format_rmse(fit.rmse, series)})"
    projections: list[ProjectedPoint] = []
    for step in range(1, periods_ahead + 1):
        value = fit.predict(n - 1 + step)
        if not math.isfinite(value):
            raise ValueError(
                f"The {fit.kind} trend grows too large to project {periods_ahead} periods ahead; project fewer periods."
            )
        projections.append(
            ProjectedPoint(
                period=next_period(last_period, step), index=n - 1 + step, value=value, label=label, fit=fit.kind
            )
        )
    return tuple(projections)


def _format_rmse(rmse: float, series: Sequence[Point]) -> str:
    """The RMSE for a label: "0" for floating-point noise, one decimal from 1 up, 3 significant digits below 1."""
    if rmse <= _TIE_TOLERANCE * max(abs(p.value) for p in series):
        return "0"
    if rmse >= 1e15:  # past a thousand trillion, digits are noise: 3 significant ones, like "1.23e+18"
        return f"{rmse:.3g}"
    if rmse >= 1:
        return f"{rmse:,.1f}"
    return f"{rmse:.3g}"


def _exp(exponent: float) -> float:
    """e**exponent, or infinity where that overflows a float."""
    try:
        return math.exp(exponent)
    except OverflowError:
        return math.inf


def _expm1(exponent: float) -> float:
    """e**exponent - 1, or infinity where that overflows a float."""
    try:
        return math.expm1(exponent)
    except OverflowError:
        return math.inf


def _finite(value: float | None) -> float | None:
    """``value``, or None when it is not a finite number (a report never holds an infinity: JSON has none)."""
    return value if value is not None and math.isfinite(value) else None


def _scale(ys: Sequence[float]) -> float:
    """The largest |y|, or 1 when every y is 0: dividing by it brings every y into [-1, 1]."""
    return max((abs(y) for y in ys), default=0.0) or 1.0


def _sum_of_squares(values: Iterable[float]) -> float:
    """The sum of the squares; infinity (not OverflowError) when a value is infinite or a square overflows."""
    squares: list[float] = []
    for value in values:
        if not math.isfinite(value) or abs(value) > 1e100:  # a square past 1e200 could overflow the sum
            return math.inf
        squares.append(value * value)
    return math.fsum(squares)
