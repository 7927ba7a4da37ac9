"""Traction: each metric's actual values as a line with points, and its projection as a labelled dashed line.

Metrics share a panel (and an axis) only when they have the same unit, the same periods and a similar scale
(largest values within a factor of 4); otherwise each metric gets its own panel with its own axis, so a small
metric is never flattened against a large one. At most four metrics are drawn. Projections come from
``pitches.growth.analyse`` (three periods ahead, from the better-fitting trend) and are always labelled with the
fit's RMSE.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from pitchlab.decks.charts.common import (
    compact,
    fit_text,
    font,
    nice_ticks,
    scale_of,
    series_colour,
    text_width,
    word,
)
from pitchlab.decks.charts.ir import Circle, Drawing, Line, Palette, Polyline, Rect, Shape, Text
from pitchlab.decks.charts.traction_series import Series, panels_of, traction_series
from pitchlab.pitches.read_model import CanvasView


def build_traction(
    canvas: CanvasView, *, palette: Palette, width: float = 800, height: float = 450, lang: str = "en"
) -> Drawing | None:
    """Line chart(s) of the traction metrics with dashed, RMSE-labelled projections; None without data."""
    series = traction_series(canvas)
    if not series:
        return None
    k = scale_of(width, height)
    colours = {s.metric: series_colour(palette, i) for i, s in enumerate(series)}
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    panels = panels_of(series)
    margin_x, margin_y, gap = 20 * k, 16 * k, 28 * k
    columns = 1 if len(panels) == 1 else 2
    rows = math.ceil(len(panels) / columns)
    panel_w = (width - 2 * margin_x - (columns - 1) * gap) / columns
    panel_h = (height - 2 * margin_y - (rows - 1) * gap) / rows
    for index, panel in enumerate(panels):
        bx = margin_x + (index % columns) * (panel_w + gap)
        by = margin_y + (index // columns) * (panel_h + gap)
        shapes += _panel(panel, colours, palette, bx, by, panel_w, panel_h, k, lang)
    return Drawing(
        kind="traction",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('traction', lang)}: {', '.join(s.metric for s in series)}",
        description=" ".join(_describe(s, lang) for s in series),
        meta=(("panels", str(len(panels))),),
    )


def _describe(s: Series, lang: str) -> str:
    unit = f" {s.unit}" if s.unit else ""
    text = f"{s.metric}: {compact(s.values[0], lang=lang)} ({s.periods[0]})"
    if len(s.values) > 1:
        text += f" → {compact(s.values[-1], lang=lang)} ({s.periods[-1]})"
    text += unit + "."
    if s.projections:
        end = s.projections[-1]
        text += f" {word('projection', lang, rmse=s.rmse)}: {compact(end.value, lang=lang)} ({end.period})."
    return text


def _panel(
    panel: list[Series],
    colours: dict[str, str],
    palette: Palette,
    bx: float,
    by: float,
    bw: float,
    bh: float,
    k: float,
    lang: str,
) -> list[Shape]:
    shapes: list[Shape] = []
    title_size, legend_size, tick_size = font(15, k), font(11, k), font(10.5, k)
    single = len(panel) == 1
    title = panel[0].metric if single else " · ".join(s.metric for s in panel)
    shapes.append(
        Text(bx, by + title_size, fit_text(title, title_size, bw), size=title_size, fill=palette.ink, bold=True)
    )
    y = by + title_size + 8 * k
    names = [word("actual", lang)] if single else [s.metric for s in panel]
    name_w = min(bw / 2 - 34 * k, max(text_width(name, legend_size) for name in names))
    for s in panel:
        y += legend_size + 5 * k
        shapes += _legend_row(s, colours[s.metric], palette, bx, y, bw, name_w, legend_size, k, lang, single)
    lead = panel[0]
    periods = list(lead.periods) + [p.period for p in lead.projections]
    n_actual, n_slots = len(lead.periods), len(periods)
    values = [v for s in panel for v in s.values] + [p.value for s in panel for p in s.projections]
    unit_y = y + legend_size + 10 * k
    plot_top = unit_y + 8 * k
    plot_bottom = by + bh - tick_size - 8 * k
    plot_h = max(10 * k, plot_bottom - plot_top)
    headroom = 0.04 * (max(values) / 2 - min(values) / 2 or abs(max(values)) / 2 or 0.5) * 2  # halves: no overflow
    ticks = nice_ticks(min(values), max(values) + headroom, max(2, min(6, int(plot_h / (30 * k)))))
    labels = [compact(t, lang=lang) for t in ticks]
    label_w = max(text_width(label, tick_size) for label in labels)
    plot_left, plot_right = bx + label_w + 8 * k, bx + bw - 4 * k
    unit = lead.unit
    if unit:
        shapes.append(Text(bx, unit_y, fit_text(unit, tick_size, bw), size=tick_size, fill=palette.muted))
    inset = min(14 * k, (plot_right - plot_left) / 6)
    span = plot_right - plot_left - 2 * inset
    spacing = span / (n_slots - 1) if n_slots > 1 else span

    def x_of(i: int) -> float:
        return plot_left + inset + i * spacing if n_slots > 1 else (plot_left + plot_right) / 2

    low, high = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        # Clamped to the axis: only a value past nice_ticks' AXIS_LIMIT (stored before the canvas' bounds) lies
        # outside it, and it is drawn at the edge rather than a mile off the page.
        return plot_bottom - (min(high, max(low, v)) - low) / (high - low) * plot_h

    if n_slots > n_actual:
        zone_x = (x_of(n_actual - 1) + x_of(n_actual)) / 2
        shapes.append(
            Rect(
                zone_x,
                plot_top,
                plot_right - zone_x,
                plot_h,
                fill=palette.grid,
                opacity=0.35,
                meta=(("role", "projection-zone"),),
            )
        )
    for tick, label in zip(ticks, labels, strict=True):
        ty = y_of(tick)
        stroke = palette.muted if tick == 0 else palette.grid
        shapes.append(Line(plot_left, ty, plot_right, ty, stroke=stroke, width=1.2 if tick == 0 else 1))
        shapes.append(
            Text(plot_left - 6 * k, ty + tick_size * 0.35, label, size=tick_size, fill=palette.muted, anchor="end")
        )
    shapes += _period_labels(
        periods, n_actual, x_of, spacing, plot_bottom + 6 * k + tick_size, bx, bx + bw, tick_size, k, palette
    )
    dense = spacing < 9 * k  # points closer than this would blur the line: draw them as bare dots on it
    radius = 1.25 * k if dense else min(4 * k, spacing / 3)
    for s in panel:
        colour = colours[s.metric]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(s.values)]
        if s.projections:
            dashed = [points[-1]] + [(x_of(n_actual + j), y_of(p.value)) for j, p in enumerate(s.projections)]
            shapes.append(
                Polyline(
                    tuple(dashed),
                    stroke=colour,
                    width=2 * k,
                    dash=(6 * k, 4 * k),
                    meta=(("metric", s.metric), ("role", "projection"), ("rmse", s.rmse)),
                )
            )
            for j, p in enumerate(s.projections, start=n_actual):
                shapes.append(
                    Circle(
                        x_of(j),
                        y_of(p.value),
                        radius,
                        fill=palette.background,
                        stroke=colour,
                        stroke_width=1.5 * k,
                        meta=(
                            ("metric", s.metric),
                            ("period", p.period),
                            ("value", f"{p.value:.6g}"),
                            ("role", "projected"),
                        ),
                    )
                )
        if len(points) > 1:
            shapes.append(
                Polyline(tuple(points), stroke=colour, width=2.5 * k, meta=(("metric", s.metric), ("role", "actual")))
            )
        for (px, py), period, raw in zip(points, s.periods, s.raws, strict=True):
            meta = (("metric", s.metric), ("period", period), ("value", raw), ("role", "point"))
            ring = None if dense else palette.background
            shapes.append(Circle(px, py, radius, fill=colour, stroke=ring, stroke_width=1 * k, meta=meta))
        if single:  # the latest value, written beside its point, on the side the line does not come from
            text = compact(s.values[-1], lang=lang)
            tx, ty = points[-1]
            falling = len(s.values) > 1 and s.values[-2] > s.values[-1]
            if falling:
                ty = min(plot_bottom - 3 * k, ty + radius + 4 * k + tick_size * 0.8)
            else:
                ty = max(plot_top + tick_size, ty - radius - 5 * k)
            tx = max(plot_left + text_width(text, tick_size), tx - radius - 3 * k)
            shapes.append(Text(tx, ty, text, size=tick_size, fill=colour, anchor="end", bold=True))
    return shapes


def _legend_row(
    s: Series,
    colour: str,
    palette: Palette,
    x: float,
    y: float,
    w: float,
    name_w: float,
    size: float,
    k: float,
    lang: str,
    single: bool,
) -> list[Shape]:
    sample = 22 * k
    mid = y - size * 0.35
    shapes: list[Shape] = [Line(x, mid, x + sample, mid, stroke=colour, width=2.5 * k)]
    label = fit_text(word("actual", lang) if single else s.metric, size, name_w)
    shapes.append(Text(x + sample + 5 * k, y, label, size=size, fill=palette.ink))
    if s.projections:
        px = x + sample + 5 * k + name_w + 16 * k
        shapes.append(Line(px, mid, px + sample, mid, stroke=colour, width=2 * k, dash=(5 * k, 3 * k)))
        text = fit_text(word("projection", lang, rmse=s.rmse), size, x + w - (px + sample + 5 * k))
        shapes.append(
            Text(
                px + sample + 5 * k,
                y,
                text,
                size=size,
                fill=palette.ink,
                meta=(("role", "projection-label"), ("metric", s.metric)),
            )
        )
    return shapes


def _period_labels(
    periods: list[str],
    n_actual: int,
    x_of: Callable[[int], float],
    spacing: float,
    baseline: float,
    lo: float,
    hi: float,
    size: float,
    k: float,
    palette: Palette,
) -> list[Shape]:
    widest = max(text_width(p, size) for p in periods)
    room = max(spacing, 1e-9)
    step = max(1, math.ceil((min(widest, 110 * k) + 10 * k) / room))
    shapes: list[Shape] = []
    last_right = -math.inf
    for i in range(0, len(periods), step):
        text = fit_text(periods[i], size, min(hi - lo, step * room - 6 * k))
        half = text_width(text, size) / 2
        x = min(max(x_of(i), lo + half), hi - half)  # kept inside the panel at both ends
        if not text or x - half < last_right + 4 * k:
            continue
        last_right = x + half
        fill = palette.muted if i >= n_actual else palette.ink
        shapes.append(Text(x, baseline, text, size=size, fill=fill, anchor="middle", meta=(("role", "period"),)))
    return shapes
