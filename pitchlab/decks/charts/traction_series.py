"""The traction series of a canvas: one per metric (at most four), each with its growth projection (pure).

Metrics share a panel (and an axis) only when they have the same unit, the same periods and a similar scale
(largest values within a factor of 4); otherwise each metric gets its own panel, so a small metric is never
flattened against a large one. Projections come from ``pitches.growth.analyse`` (three periods ahead, from the
better-fitting trend), with the fit's RMSE for their label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pitchlab.decks.charts.common import clean, number, raw_str
from pitchlab.pitches.bounds import LARGEST
from pitchlab.pitches.growth import Point, ProjectedPoint, analyse
from pitchlab.pitches.read_model import CanvasView

MAX_SERIES = 4
PERIODS_AHEAD = 3
SHARED_SCALE_RATIO = 4.0
_RMSE = re.compile(r"RMSE (.+)\)$")


@dataclass(frozen=True)
class Series:
    metric: str
    unit: str
    periods: tuple[str, ...]
    values: tuple[float, ...]
    raws: tuple[str, ...]
    projections: tuple[ProjectedPoint, ...]
    rmse: str

    @property
    def peak(self) -> float:
        return max([abs(v) for v in self.values] + [abs(p.value) for p in self.projections])


def traction_series(canvas: CanvasView) -> list[Series]:
    """The first four metrics of the canvas's traction rows, in order, each with its projection (if 2+ points)."""
    grouped: dict[str, list[tuple[str, float, str, str]]] = {}
    for row in canvas.data.traction:
        metric, period, value = clean(row.metric), clean(row.period), number(row.value)
        if not metric or not period or value is None:
            continue
        if metric not in grouped and len(grouped) == MAX_SERIES:
            continue
        points = grouped.setdefault(metric, [])
        if all(p[0] != period for p in points):
            points.append((period, value, raw_str(row.value), clean(row.unit)))
    result = []
    for metric, points in grouped.items():
        projections: tuple[ProjectedPoint, ...] = ()
        rmse = ""
        if len(points) >= 2:
            try:
                report = analyse([Point(p[0], p[1]) for p in points], periods_ahead=PERIODS_AHEAD)
            except ValueError:
                report = None
            if report is not None:
                projections = _plausible(report.projections)
                match = _RMSE.search(report.projections[0].label)
                rmse = match.group(1) if match else ""
        unit = next((p[3] for p in points if p[3]), "")
        result.append(
            Series(
                metric=metric,
                unit=unit,
                periods=tuple(p[0] for p in points),
                values=tuple(p[1] for p in points),
                raws=tuple(p[2] for p in points),
                projections=projections,
                rmse=rmse,
            )
        )
    return result


def _plausible(projections: tuple[ProjectedPoint, ...]) -> tuple[ProjectedPoint, ...]:
    """The projections up to the first that no company can reach (past the canvas' bound on any figure).

    A steep exponential trend of valid figures (0.000001 to 10^15 in two periods) projects 10^78 three periods on:
    drawn, it would flatten the actual data to a line at 0. The growth report still gives the figures.
    """
    kept: list[ProjectedPoint] = []
    for point in projections:
        if abs(point.value) > LARGEST:
            break
        kept.append(point)
    return tuple(kept)


def _compatible(a: Series, b: Series) -> bool:
    if a.unit.casefold() != b.unit.casefold() or a.periods != b.periods:
        return False
    high, low = max(a.peak, b.peak), min(a.peak, b.peak)
    return high == 0 or (low > 0 and high / low <= SHARED_SCALE_RATIO)


def panels_of(series: list[Series]) -> list[list[Series]]:
    panels: list[list[Series]] = []
    for item in series:
        home = next((p for p in panels if all(_compatible(item, other) for other in p)), None)
        if home is None:
            panels.append([item])
        else:
            home.append(item)
    return panels
