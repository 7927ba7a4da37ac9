"""The rehearsals trend: each rehearsal's total time against the pitch's target, as an SVG string (pure).

Built on the decks' drawing IR and written by its SVG renderer, so it escapes text and rounds numbers the same
way the deck charts do. The input is ``Trend.as_json()`` (``timing.trend``): ``points`` oldest first, each
``{id, started_at, total, target, complete}``.

What it shows:
- complete rehearsals as filled points joined by a line, in order;
- incomplete ones (cut off) as hollow points, never joined: their totals are not comparable;
- the target as a dashed step line (a pitch's target can change between rehearsals);
- x: the rehearsal's number and date, y: minutes:seconds.

A trend is drawn at the size it is shown (a wide one for desks, a narrow one for phones), so the font sizes
here are in pixels at that size, not scaled.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pitchlab.decks.charts.common import fit_text, number, text_width
from pitchlab.decks.charts.ir import Circle, Drawing, Line, Palette, Polyline, Rect, Shape, Text
from pitchlab.decks.charts.svg import to_svg

WIDE = (960.0, 300.0)
NARROW = (360.0, 260.0)

_PALETTE = Palette()
_INCOMPLETE = "#98a2b3"
_TARGET = "#b54708"
_STEPS = (5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Rehearsal time against the target", "zh": "排练时长与目标"},
    "total": {"en": "total time", "zh": "总时长"},
    "incomplete": {"en": "incomplete (not counted)", "zh": "未完成（不计入）"},
    "target": {"en": "target", "zh": "目标"},
    "summary": {
        "en": "{n} rehearsals, {complete} complete. Target {target}.",
        "zh": "共 {n} 次排练，{complete} 次完成。目标 {target}。",
    },
    "point": {"en": "#{n} {date}: {total}{cut}.", "zh": "第 {n} 次 {date}：{total}{cut}。"},
    "cut": {"en": " (incomplete)", "zh": "（未完成）"},
}


def _word(key: str, lang: str, **values: object) -> str:
    forms = _WORDS[key]
    template = forms["zh"] if lang.startswith("zh") else forms["en"]
    return template.format(**values) if values else template


@dataclass(frozen=True)
class _Point:
    number: int  # 1-based, oldest first
    id: str
    started_at: str
    date: str
    total: float
    target: float
    complete: bool


def clock(seconds: float) -> str:
    """``seconds`` as m:ss (h:mm:ss from an hour), rounded to the second: 462 -> "7:42"."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _date(iso: str, lang: str) -> str:
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    return f"{when.month}月{when.day}日" if lang.startswith("zh") else f"{when.day} {_MONTHS[when.month - 1]}"


def _points(trend: Mapping[str, Any], lang: str) -> list[_Point]:
    raw = trend.get("points") if isinstance(trend, Mapping) else None
    points: list[_Point] = []
    for row in raw if isinstance(raw, list | tuple) else []:
        if not isinstance(row, Mapping):
            continue
        total, target = number(row.get("total")), number(row.get("target"))
        if total is None or target is None:
            continue
        started = str(row.get("started_at") or "")
        points.append(
            _Point(
                number=len(points) + 1,
                id=str(row.get("id", "")),
                started_at=started,
                date=_date(started, lang),
                total=max(0.0, total),
                target=max(0.0, target),
                complete=row.get("complete") is True,
            )
        )
    return points


def _ticks(low: float, high: float, room: float, size: float) -> list[float]:
    """Round durations from at most ``low`` to at least ``high``, spaced at least ~2.5 font sizes apart."""
    most = max(2, min(6, int(room / (2.6 * size))))
    span = max(high - low, 1.0)
    step = next((s for s in _STEPS if span / s <= most - 1), _STEPS[-1])
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    if stop <= start:
        stop = start + step
    return [float(start + i * step) for i in range(round((stop - start) / step) + 1)]


def build_trend(
    trend: Mapping[str, Any], *, lang: str = "en", width: float = WIDE[0], height: float = WIDE[1]
) -> Drawing | None:
    """The trend as a ``Drawing``, or None when there is no rehearsal to draw."""
    points = _points(trend, lang)
    if not points:
        return None
    palette = _PALETTE
    narrow = width < 560
    size = 11.0 if narrow else 13.0
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]

    legend_bottom, legend = _legend(points, lang, width, size)
    shapes += legend

    values = [p.total for p in points] + [p.target for p in points]
    low, high = min(values), max(values)
    pad = max(5.0, 0.08 * (high - low))
    plot_top = legend_bottom + 12
    plot_bottom = height - 2 * size - 14
    ticks = _ticks(max(0.0, low - pad), high + pad, plot_bottom - plot_top, size)
    labels = [clock(t) for t in ticks]
    plot_left = 4 + max(text_width(label, size) for label in labels) + 8
    plot_right = width - 8
    n = len(points)
    inset = min(24.0, (plot_right - plot_left) / 8)
    spacing = (plot_right - plot_left - 2 * inset) / (n - 1) if n > 1 else 0.0

    def x_of(i: int) -> float:
        return plot_left + inset + i * spacing if n > 1 else (plot_left + plot_right) / 2

    y_low, y_high = ticks[0], ticks[-1]

    def y_of(seconds: float) -> float:
        return plot_bottom - (seconds - y_low) / (y_high - y_low) * (plot_bottom - plot_top)

    for tick, label in zip(ticks, labels, strict=True):
        ty = y_of(tick)
        shapes.append(Line(plot_left, ty, plot_right, ty, stroke=palette.grid))
        shapes.append(Text(plot_left - 6, ty + size * 0.35, label, size=size, fill=palette.muted, anchor="end"))

    shapes += _x_labels(points, x_of, spacing, plot_bottom, size, plot_left, plot_right, palette)
    shapes.append(_target_line(points, x_of, y_of, spacing, plot_left, plot_right))

    complete = [(x_of(i), y_of(p.total)) for i, p in enumerate(points) if p.complete]
    if len(complete) > 1:
        shapes.append(Polyline(tuple(complete), stroke=palette.accent, width=2.5, meta=(("role", "total-line"),)))
    radius = max(2.5, min(5.5, spacing / 3 if n > 1 else 5.5))
    for i, p in enumerate(points):
        meta = (
            ("role", "point"),
            ("id", p.id),
            ("number", str(p.number)),
            ("started", p.started_at),
            ("total", f"{p.total:.1f}"),
            ("target", f"{p.target:.0f}"),
            ("complete", "true" if p.complete else "false"),
        )
        # complete: filled; incomplete (cut off): hollow, so it reads as "not a real total"
        fill, ring, ring_w = (palette.accent, "#ffffff", 1.5) if p.complete else ("#ffffff", _INCOMPLETE, 2.0)
        shapes.append(Circle(x_of(i), y_of(p.total), radius, fill=fill, stroke=ring, stroke_width=ring_w, meta=meta))
    last = next((i for i in range(n - 1, -1, -1) if points[i].complete), None)
    if last is not None:  # the latest complete total, written above its point
        text = clock(points[last].total)
        tx = min(max(x_of(last), plot_left + text_width(text, size) / 2), plot_right - text_width(text, size) / 2)
        ty = max(plot_top + size, y_of(points[last].total) - radius - 6)
        half = text_width(text, size) / 2
        # a backing so that the figure stays readable where it crosses the target line or the grid
        shapes.append(Rect(tx - half - 3, ty - size, 2 * half + 6, size * 1.3, fill=palette.background, rx=3))
        shapes.append(
            Text(tx, ty, text, size=size, fill=palette.accent, anchor="middle", bold=True, meta=(("role", "latest"),))
        )
    return Drawing(
        kind="rehearsal-trend",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=_word("title", lang),
        description=_describe(points, lang),
        meta=(("points", str(n)), ("complete", str(sum(p.complete for p in points)))),
    )


def _legend(points: Sequence[_Point], lang: str, width: float, size: float) -> tuple[float, list[Shape]]:
    """The legend rows from the top left, wrapped to ``width``; returns where they end and their shapes."""
    sample = 22.0
    items: list[tuple[str, str]] = [("total", _word("total", lang))]
    if any(not p.complete for p in points):
        items.append(("incomplete", _word("incomplete", lang)))
    targets = [clock(p.target) for p in points]
    shown = targets[0] if len(set(targets)) == 1 else f"{targets[0]} → {targets[-1]}"
    items.append(("target", f"{_word('target', lang)} {shown}"))
    shapes: list[Shape] = []
    x, baseline = 4.0, size + 4
    for kind, label in items:
        label = fit_text(label, size, width - 8 - sample - 6)
        item_w = sample + 6 + text_width(label, size)
        if x > 4 and x + item_w > width - 4:
            x, baseline = 4.0, baseline + size + 8
        mid = baseline - size * 0.35
        if kind == "total":
            shapes.append(Line(x, mid, x + sample, mid, stroke=_PALETTE.accent, width=2.5))
            shapes.append(Circle(x + sample / 2, mid, 4, fill=_PALETTE.accent, stroke="#ffffff", stroke_width=1.5))
        elif kind == "incomplete":
            shapes.append(Circle(x + sample / 2, mid, 4.5, fill="#ffffff", stroke=_INCOMPLETE, stroke_width=2))
        else:
            shapes.append(Line(x, mid, x + sample, mid, stroke=_TARGET, width=2, dash=(6, 4)))
        shapes.append(Text(x + sample + 6, baseline, label, size=size, fill=_PALETTE.ink, meta=(("role", "legend"),)))
        x += item_w + 18
    return baseline + 4, shapes


def _target_line(
    points: Sequence[_Point],
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    spacing: float,
    plot_left: float,
    plot_right: float,
) -> Polyline:
    """A dashed step line: each rehearsal's target across its slot, from the plot's left edge to its right."""
    coords: list[tuple[float, float]] = []
    n = len(points)
    for i, p in enumerate(points):
        left = plot_left if i == 0 else x_of(i) - spacing / 2
        right = plot_right if i == n - 1 else x_of(i) + spacing / 2
        y = y_of(p.target)
        if coords and coords[-1][1] != y:
            coords.append((left, coords[-1][1]))
        if not coords or coords[-1] != (left, y):
            coords.append((left, y))
        coords.append((right, y))
    if len(coords) == 1:  # pragma: no cover - a slot always has a width
        coords.append(coords[0])
    targets = sorted({f"{p.target:.0f}" for p in points}, key=float)
    return Polyline(
        tuple(coords), stroke=_TARGET, width=2, dash=(6, 4), meta=(("role", "target"), ("targets", " ".join(targets)))
    )


def _x_labels(
    points: Sequence[_Point],
    x_of: Callable[[int], float],
    spacing: float,
    plot_bottom: float,
    size: float,
    lo: float,
    hi: float,
    palette: Palette,
) -> list[Shape]:
    """ "#n" under each point and its date under that, thinned out so that no two labels touch."""
    widest = max(max(text_width(f"#{p.number}", size), text_width(p.date, size)) for p in points)
    step = 1 if len(points) == 1 else max(1, math.ceil((widest + 10) / max(spacing, 1e-9)))
    shapes: list[Shape] = []
    n = len(points)
    indexes = list(range(n - 1, -1, -step))[::-1]  # the latest rehearsal always has its label
    for i in indexes:
        p = points[i]
        half = widest / 2
        x = min(max(x_of(i), lo + half), hi - half)
        base = plot_bottom + size + 6
        shapes.append(Text(x, base, f"#{p.number}", size=size, fill=palette.ink, anchor="middle", bold=True))
        if p.date:
            shapes.append(Text(x, base + size + 3, p.date, size=size * 0.92, fill=palette.muted, anchor="middle"))
    return shapes


def _describe(points: Sequence[_Point], lang: str) -> str:
    targets = sorted({clock(p.target) for p in points})
    parts = [
        _word("summary", lang, n=len(points), complete=sum(p.complete for p in points), target=" / ".join(targets))
    ]
    for p in points:
        cut = "" if p.complete else _word("cut", lang)
        parts.append(_word("point", lang, n=p.number, date=p.date, total=clock(p.total), cut=cut))
    return " ".join(parts)


def trend_svg(trend: Mapping[str, Any], *, lang: str = "en", width: float = WIDE[0], height: float = WIDE[1]) -> str:
    """The trend chart as a standalone SVG document, or "" when there is no rehearsal yet.

    Draw it once at ``WIDE`` for desks and once at ``NARROW`` for phones; the page shows the one that fits.
    """
    drawing = build_trend(trend, lang=lang, width=width, height=height)
    return "" if drawing is None else to_svg(drawing)
