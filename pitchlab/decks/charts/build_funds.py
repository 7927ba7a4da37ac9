"""Use of funds: a donut of the shares (Wedge shapes) with the amount raised in its hole and a legend.

Each slice spans percent / 100 × 360°. When the percentages add up to less than 100 the rest is drawn as an
"unallocated" slice; when they add up to more, the slices are shares of their total (the labels keep the
founder's numbers). Slices of 6% or more carry their percentage; the legend lists every line with its percent.
"""

from __future__ import annotations

from pitchlab.core.numbers import money as amount_text
from pitchlab.decks.charts.common import (
    clean,
    fit_text,
    font,
    number,
    on_colour,
    raw_str,
    scale_of,
    series_colour,
    text_width,
    word,
    wrap_text,
)
from pitchlab.decks.charts.ir import Circle, Drawing, Line, Palette, Rect, Shape, Text, Wedge
from pitchlab.decks.charts.svg import point_on
from pitchlab.pitches.read_model import CanvasView

HOLE = 0.58
LABEL_MIN_PERCENT = 6.0


def _percent_text(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def _items(canvas: CanvasView) -> list[tuple[str, float, str]]:
    items: list[tuple[str, float, str]] = []
    for row in canvas.ask.use_of_funds:
        value = number(row.percent)
        if value is not None and value > 0:
            items.append((clean(row.label) or "?", value, raw_str(row.percent)))
    return items


def funds_shown(canvas: CanvasView) -> bool:
    """Whether ``canvas`` has a use-of-funds donut to draw (which then shows a positive amount in its hole)."""
    return bool(_items(canvas))


def build_funds(
    canvas: CanvasView, *, palette: Palette, width: float = 800, height: float = 450, lang: str = "en"
) -> Drawing | None:
    """The use-of-funds donut and legend; None when no line has a positive percentage."""
    items = _items(canvas)
    if not items:
        return None
    k = scale_of(width, height)
    margin = 24 * k
    total = sum(value for _, value, _ in items)
    scale = 360 / max(total, 100.0)
    radius = max(10 * k, min((height - 2 * margin) / 2, width * 0.24))
    cx, cy = margin + radius + 8 * k, height / 2
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    slices: list[tuple[str, float, str, str, float, float]] = []  # label, value, raw, colour, start, end
    angle = 0.0
    for i, (label, value, raw) in enumerate(items):
        end = min(360.0, angle + value * scale)
        slices.append((label, value, raw, series_colour(palette, i), angle, end))
        angle = end
    if total < 100 - 0.01:
        slices.append((word("unallocated", lang), 100 - total, "", palette.grid, angle, 360.0))
    for label, _value, raw, colour, start, end in slices:
        meta = (("label", label), ("percent", raw)) if raw else (("label", label), ("role", "unallocated"))
        shapes.append(Wedge(cx, cy, radius, start, end, fill=colour, meta=meta))
    if len(slices) > 1:
        for *_, start, _end in slices:
            x, y = point_on(cx, cy, radius + 1, start)
            shapes.append(Line(cx, cy, x, y, stroke=palette.background, width=2.5 * k))
    shapes.append(Circle(cx, cy, radius * HOLE, fill=palette.background))
    label_size = font(12, k)
    for _label, value, raw, colour, start, end in slices:
        if not raw or value * scale < LABEL_MIN_PERCENT * 3.6:
            continue
        x, y = point_on(cx, cy, radius * (1 + HOLE) / 2, (start + end) / 2)
        text = _percent_text(value)
        shapes.append(
            Text(
                x,
                y + label_size * 0.35,
                text,
                size=label_size,
                fill=on_colour(colour, palette),
                anchor="middle",
                bold=True,
            )
        )
    amount = number(canvas.ask.amount)
    currency = clean(canvas.ask.currency)
    hole_w = radius * HOLE * 1.6
    if amount is not None and amount > 0:
        big, small = font(22, k), font(11, k)
        shapes.append(
            Text(
                cx,
                cy - 4 * k,
                fit_text(word("raising", lang), small, hole_w),
                size=small,
                fill=palette.muted,
                anchor="middle",
            )
        )
        money = fit_text(amount_text(amount, currency, lang), big, hole_w)
        shapes.append(Text(cx, cy + big * 0.95, money, size=big, fill=palette.ink, anchor="middle", bold=True))
    shapes += _legend(slices, palette, cx + radius + 44 * k, margin, width - margin, height - margin, k, lang)
    return Drawing(
        kind="funds",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('funds', lang)}: " + ", ".join(f"{label} {_percent_text(value)}" for label, value, *_ in slices),
        description=amount_text(amount, currency, lang) if amount else "",
    )


def _legend(
    slices: list[tuple[str, float, str, str, float, float]],
    palette: Palette,
    left: float,
    top: float,
    right: float,
    bottom: float,
    k: float,
    lang: str,
) -> list[Shape]:
    size = font(12.5, k)
    line = size * 1.3
    gap = 12 * k
    swatch = size
    percent_w = max(text_width(_percent_text(value), size) for _, value, *_ in slices) + 10 * k
    text_left = left + swatch + 10 * k + percent_w
    text_w = max(10 * k, right - text_left)
    room = bottom - top
    max_lines = 2
    blocks = [wrap_text(label, size, text_w, max_lines) or [""] for label, *_ in slices]
    while sum(len(b) * line + gap for b in blocks) - gap > room and max_lines > 1:
        max_lines -= 1
        blocks = [wrap_text(label, size, text_w, max_lines) or [""] for label, *_ in slices]
    used = sum(len(b) * line + gap for b in blocks) - gap
    shown = len(slices)
    while used > room and shown > 1:  # keep room for a "+N more" line
        shown -= 1
        used = sum(len(b) * line + gap for b in blocks[:shown]) + line
    y = top + max(0.0, (room - used) / 2)
    shapes: list[Shape] = []
    for (_label, value, _raw, colour, *_), lines in zip(slices[:shown], blocks[:shown], strict=True):
        baseline = y + size
        shapes.append(Rect(left, baseline - size * 0.85, swatch, swatch, fill=colour, rx=3 * k))
        shapes.append(
            Text(left + swatch + 10 * k, baseline, _percent_text(value), size=size, fill=palette.ink, bold=True)
        )
        for i, text in enumerate(lines):
            shapes.append(Text(text_left, baseline + i * line, text, size=size, fill=palette.ink))
        y += len(lines) * line + gap
    if shown < len(slices):
        more = fit_text(word("more", lang, n=len(slices) - shown), size, right - left)
        shapes.append(Text(left, y + size, more, size=size, fill=palette.muted))
    return shapes
