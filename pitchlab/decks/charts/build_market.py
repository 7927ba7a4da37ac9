"""Market: TAM, SAM and SOM as nested circles whose areas are proportional to the values, with sources.

The circles share their lowest point; each radius is √(value / largest value) × the largest radius, so the
areas are true to the figures even when SOM > SAM (the larger circle is simply drawn first). A missing value
is left out. Each level is labelled on the right (name, compact value with currency, source and year) and joined
to the top of its circle by a leader line.
"""

from __future__ import annotations

import math

from pitchlab.core.numbers import money as money_text
from pitchlab.decks.charts.common import (
    clean,
    fit_text,
    font,
    mix,
    number,
    raw_str,
    scale_of,
    text_width,
    word,
    wrap_text,
)
from pitchlab.decks.charts.ir import Circle, Drawing, Palette, Polyline, Rect, Shape, Text
from pitchlab.pitches.read_model import CanvasView

LEVELS = ("tam", "sam", "som")


def build_market(
    canvas: CanvasView, *, palette: Palette, width: float = 800, height: float = 450, lang: str = "en"
) -> Drawing | None:
    """Nested, area-true TAM/SAM/SOM circles with values and sources; None when no size is given."""
    market = canvas.data.market
    currency = clean(market.currency)
    sizes = dict(market.sizes)
    levels: list[tuple[str, float, str, str, str]] = []  # level, value, raw, source, year
    for level in LEVELS:
        entry = sizes[level]
        value = number(entry.value)
        if value is None or value < 0:
            continue
        levels.append(
            (level, value, raw_str(entry.value), clean(entry.source), clean(entry.year) if entry.year else "")
        )
    if not levels:
        return None
    k = scale_of(width, height)
    margin = 24 * k
    growth = number(market.growth_rate)
    footer = 22 * k if growth is not None else 0.0
    biggest = max(v for _, v, *_ in levels)
    radius = max(10 * k, min((height - 2 * margin - footer) / 2, width * 0.24))
    cx, bottom = margin + radius, height - margin - footer
    fills = {"tam": mix(palette.accent, palette.background, 0.86), "sam": mix(palette.accent, palette.background, 0.6)}
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    radii: dict[str, float] = {}
    for level, value, raw, *_ in sorted(levels, key=lambda item: -item[1]):
        r = radius * math.sqrt(value / biggest) if biggest > 0 else 0.0
        if value > 0:
            r = max(r, 1.5 * k)
        radii[level] = r
        shapes.append(
            Circle(
                cx,
                bottom - r,
                r,
                fill=fills.get(level, palette.accent),
                stroke=palette.accent,
                stroke_width=1.5 * k,
                meta=(("level", level.upper()), ("value", raw), ("currency", currency)),
            )
        )
    label_x = cx + radius + 48 * k
    label_w = max(40 * k, width - margin - label_x)
    name_size, value_size, source_size = font(12, k), font(22, k), font(10.5, k)
    line = source_size * 1.35
    blocks: list[tuple[str, float, float, list[str], str, str]] = []  # level, top, height, lines, value, year
    for level, value, _raw, source, year in levels:
        lines = wrap_text(word("source", lang, text=source), source_size, label_w, 2) if source else []
        block_h = name_size + 6 * k + value_size + 6 * k + len(lines) * line
        blocks.append(
            (level, bottom - 2 * radii[level] - name_size, block_h, lines, _money(value, currency, lang), year)
        )
    tops = _spread([b[1] for b in blocks], [b[2] for b in blocks], margin, bottom, 14 * k)
    for (level, _, _, lines, money, year), top in zip(blocks, tops, strict=True):
        circle_top = bottom - 2 * radii[level]
        name_y = top + name_size
        value_y = name_y + 6 * k + value_size
        anchor_y = name_y - name_size * 0.35
        knee = max(cx, label_x - 28 * k)
        shapes.append(
            Polyline(
                ((cx, circle_top), (knee, circle_top), (label_x - 8 * k, anchor_y)), stroke=palette.muted, width=1 * k
            )
        )
        shapes.append(Circle(cx, circle_top, 2.5 * k, fill=palette.accent))
        shapes.append(Text(label_x, name_y, level.upper(), size=name_size, fill=palette.accent, bold=True))
        if year:
            year_x = label_x + text_width(level.upper(), name_size) + 8 * k
            text = fit_text(year, name_size, label_x + label_w - year_x)
            shapes.append(Text(year_x, name_y, text, size=name_size, fill=palette.muted, meta=(("role", "year"),)))
        shapes.append(
            Text(label_x, value_y, fit_text(money, value_size, label_w), size=value_size, fill=palette.ink, bold=True)
        )
        for i, text in enumerate(lines):
            y = value_y + 6 * k + line * (i + 1) - (line - source_size)
            shapes.append(Text(label_x, y, text, size=source_size, fill=palette.muted))
    if growth is not None:
        text = fit_text(word("market_growth", lang, rate=f"{growth:g}"), font(11, k), width - 2 * margin)
        shapes.append(Text(margin, height - margin * 0.7, text, size=font(11, k), fill=palette.muted))
    summary = ", ".join(f"{level.upper()} {_money(value, currency, lang)}" for level, value, *_ in levels)
    description = " ".join(
        f"{level.upper()}: {_money(value, currency, lang)}"
        + (f", {source}" if source else "")
        + (f" ({year})." if year else ".")
        for level, value, _, source, year in levels
    )
    return Drawing(
        kind="market",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('market', lang)}: {summary}",
        description=description,
        meta=(("currency", currency),),
    )


def _money(value: float, currency: str, lang: str) -> str:
    return money_text(value, currency, lang)


def _spread(wanted: list[float], heights: list[float], low: float, high: float, gap: float) -> list[float]:
    """Tops as close to ``wanted`` as possible, in order, without overlap, within [low, high] where possible."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    tops = list(wanted)
    previous_end = low
    for i in order:
        tops[i] = max(tops[i], previous_end)
        previous_end = tops[i] + heights[i] + gap
    next_start = high
    for i in reversed(order):
        tops[i] = min(tops[i], next_start - heights[i])
        next_start = tops[i] - gap
    return [max(low, top) for top in tops]
