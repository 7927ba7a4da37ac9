"""Risks: a likelihood × impact heatmap (1–5 each, coloured by likelihood × impact) with numbered markers.

Each scored risk is a numbered circle in its cell; several in one cell are laid out in a small grid so none
overlap. Risks are numbered from the most to the least severe, and a legend on the right maps each number to
its title (cut with "…" to fit; when there are too many, the last line says how many more there are).
"""

from __future__ import annotations

import math

from pitchlab.decks.charts.common import (
    arrow,
    clean,
    fit_text,
    font,
    number,
    on_colour,
    scale_of,
    text_width,
    word,
)
from pitchlab.decks.charts.ir import Circle, Drawing, Palette, Rect, Shape, Text
from pitchlab.pitches.read_model import CanvasView

_SEVERITY = (2, 4, 8, 12, 16, 25)
"""Upper bounds of likelihood × impact for each step of a six-colour heat scale."""


def heat_colour(score: int, palette: Palette) -> str:
    """The palette's heat colour for a likelihood × impact score from 1 to 25."""
    step = next(i for i, bound in enumerate(_SEVERITY) if score <= bound)
    heat = palette.heat or (palette.grid,)
    return heat[min(len(heat) - 1, round(step * (len(heat) - 1) / (len(_SEVERITY) - 1)))]


def risk_score(value: object) -> int | None:
    """A likelihood or impact as a whole score from 1 to 5 (rounded, clamped); None when it is not a number."""
    result = number(value)
    if result is None:
        return None
    return min(5, max(1, round(result)))


def build_risks(
    canvas: CanvasView, *, palette: Palette, width: float = 800, height: float = 450, lang: str = "en"
) -> Drawing | None:
    """The risk heatmap with numbered markers and a legend; None when no risk has both scores."""
    scored: list[tuple[str, int, int]] = []
    unscored = 0
    for row in canvas.risks:
        likelihood, impact = risk_score(row.likelihood), risk_score(row.impact)
        if likelihood is None or impact is None:
            unscored += 1
            continue
        scored.append((clean(row.title) or "?", likelihood, impact))
    if not scored:
        return None
    scored.sort(key=lambda r: (-r[1] * r[2], -r[2]))
    k = scale_of(width, height)
    margin, axis_size, tick_size = 22 * k, font(12, k), font(10.5, k)
    grid_top = margin + axis_size + 12 * k
    grid_left = margin + text_width("5", tick_size) + 10 * k
    bottom_room = tick_size + axis_size + 22 * k
    cell = max(6 * k, min((height - grid_top - margin - bottom_room) / 5, (width * 0.55 - grid_left) / 5))
    grid_bottom = grid_top + 5 * cell
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    shapes += arrow(margin + 4 * k, margin + axis_size, margin + 4 * k, margin + 2 * k, palette.ink, 1.5 * k, 3.5 * k)
    shapes.append(
        Text(margin + 14 * k, margin + axis_size, word("impact", lang), size=axis_size, fill=palette.ink, bold=True)
    )
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            score = likelihood * impact
            x, y = grid_left + (likelihood - 1) * cell, grid_bottom - impact * cell
            meta = (("likelihood", str(likelihood)), ("impact", str(impact)), ("score", str(score)))
            shapes.append(
                Rect(
                    x,
                    y,
                    cell,
                    cell,
                    fill=heat_colour(score, palette),
                    stroke=palette.background,
                    stroke_width=2 * k,
                    rx=3 * k,
                    meta=meta,
                )
            )
    for step in range(1, 6):
        cx = grid_left + (step - 0.5) * cell
        shapes.append(
            Text(cx, grid_bottom + tick_size + 6 * k, str(step), size=tick_size, fill=palette.muted, anchor="middle")
        )
        cy = grid_bottom - (step - 0.5) * cell
        shapes.append(
            Text(grid_left - 8 * k, cy + tick_size * 0.35, str(step), size=tick_size, fill=palette.muted, anchor="end")
        )
    title_y = grid_bottom + tick_size + axis_size + 14 * k
    right = grid_left + 5 * cell
    shapes += arrow(
        right - 14 * k, title_y - axis_size * 0.35, right, title_y - axis_size * 0.35, palette.ink, 1.5 * k, 3.5 * k
    )
    likelihood_title = Text(
        right - 22 * k, title_y, word("likelihood", lang), size=axis_size, fill=palette.ink, anchor="end", bold=True
    )
    shapes.append(likelihood_title)
    cells: dict[tuple[int, int], list[int]] = {}
    for number_, (_, likelihood, impact) in enumerate(scored, start=1):
        cells.setdefault((likelihood, impact), []).append(number_)
    for (likelihood, impact), numbers in cells.items():
        columns = math.ceil(math.sqrt(len(numbers)))
        rows = math.ceil(len(numbers) / columns)
        pitch = cell / max(columns, rows)
        radius = max(2 * k, min(12 * k, pitch / 2 - 2 * k))
        x0, y0 = grid_left + (likelihood - 1) * cell, grid_bottom - impact * cell
        for position, n in enumerate(numbers):
            line, column = divmod(position, columns)
            in_line = min(columns, len(numbers) - line * columns)
            cx = x0 + cell / 2 + (column - (in_line - 1) / 2) * pitch
            cy = y0 + cell / 2 + (line - (rows - 1) / 2) * pitch
            title = scored[n - 1][0]
            marker = (("number", str(n)), ("title", title), ("likelihood", str(likelihood)), ("impact", str(impact)))
            shapes.append(
                Circle(cx, cy, radius, fill=palette.ink, stroke=palette.background, stroke_width=1.5 * k, meta=marker)
            )
            size = max(5.0, min(font(11, k), radius * 1.05))
            shapes.append(
                Text(
                    cx,
                    cy + size * 0.35,
                    str(n),
                    size=size,
                    fill=on_colour(palette.ink, palette),
                    anchor="middle",
                    bold=True,
                )
            )
    shapes += _legend(
        scored, unscored, palette, grid_left + 5 * cell + 36 * k, grid_top, width - margin, height - margin, k, lang
    )
    return Drawing(
        kind="risks",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('risks', lang)}: {len(scored)}",
        description="; ".join(
            f"{n}. {t} ({word('likelihood', lang)} {li}, {word('impact', lang)} {im})"
            for n, (t, li, im) in enumerate(scored, start=1)
        ),
    )


def _legend(
    scored: list[tuple[str, int, int]],
    unscored: int,
    palette: Palette,
    left: float,
    top: float,
    right: float,
    bottom: float,
    k: float,
    lang: str,
) -> list[Shape]:
    size = font(11.5, k)
    line = size * 1.75
    if unscored:
        bottom -= line
    rows = max(1, int((bottom - top) // line))
    columns = 1 if len(scored) <= rows or right - left < 2 * 150 * k else 2
    capacity = rows * columns
    shown = len(scored) if len(scored) <= capacity else capacity - 1
    column_w = (right - left - (columns - 1) * 18 * k) / columns
    radius = size * 0.72
    shapes: list[Shape] = []
    for i in range(shown):
        title = scored[i][0]
        column, row = divmod(i, rows)
        x = left + column * (column_w + 18 * k)
        y = top + row * line + size
        shapes.append(Circle(x + radius, y - size * 0.35, radius, fill=palette.ink))
        shapes.append(
            Text(
                x + radius,
                y,
                str(i + 1),
                size=size * 0.85,
                fill=on_colour(palette.ink, palette),
                anchor="middle",
                bold=True,
            )
        )
        text = fit_text(title, size, column_w - 2 * radius - 8 * k)
        shapes.append(
            Text(x + 2 * radius + 8 * k, y, text, size=size, fill=palette.ink, meta=(("number", str(i + 1)),))
        )
    if shown < len(scored):
        column, row = divmod(shown, rows)
        x = left + column * (column_w + 18 * k)
        more = fit_text(word("more", lang, n=len(scored) - shown), size, column_w)
        shapes.append(Text(x, top + row * line + size, more, size=size, fill=palette.muted))
    if unscored:
        note = fit_text(word("unscored", lang, n=unscored), size, right - left)
        shapes.append(Text(left, bottom + line * 0.8, note, size=size, fill=palette.muted))
    return shapes
