"""A confusion matrix as a heatmap: rows are the actual classes, columns the predicted ones.

A cell's colour is its share of its row (the fraction of that actual class predicted as the column's class),
so a small class's errors are as visible as a large one's; the count is written in the cell.
"""

from __future__ import annotations

from typing import Any

from pitchlab.decks.charts.common import (
    clean,
    compact,
    fit_text,
    font,
    mix,
    number,
    on_colour,
    scale_of,
    text_width,
    word,
)
from pitchlab.decks.charts.ir import Drawing, Palette, Rect, Shape, Text


def _matrix(row: dict[str, Any]) -> tuple[list[str], list[list[float]]]:
    confusion = row.get("confusion") if isinstance(row, dict) else None
    if not isinstance(confusion, dict):
        raise ValueError("This experiment has no confusion matrix.")
    labels = [clean(label) for label in confusion.get("labels") or []]
    matrix = confusion.get("matrix")
    if not labels or not isinstance(matrix, list) or len(matrix) != len(labels):
        raise ValueError("A confusion matrix needs one row of counts per label.")
    counts: list[list[float]] = []
    for cells in matrix:
        if not isinstance(cells, list) or len(cells) != len(labels):
            raise ValueError("A confusion matrix needs one count per label in every row.")
        values = [number(cell) for cell in cells]
        if any(v is None or v < 0 for v in values):
            raise ValueError("The counts of a confusion matrix must be numbers of 0 or more.")
        counts.append([v for v in values if v is not None])
    return labels, counts


def build_confusion(
    row: dict[str, Any], *, palette: Palette, width: float = 800, height: float = 450, lang: str = "en"
) -> Drawing:
    """The heatmap of ``row["confusion"]`` ({"labels": [...], "matrix": [[...]]}); ValueError when it is missing."""
    labels, counts = _matrix(row)
    n = len(labels)
    k = scale_of(width, height)
    margin, axis_size, label_size = 22 * k, font(12, k), font(11, k)
    row_label_w = min(width * 0.28, max(text_width(label, label_size) for label in labels) + 10 * k)
    top = margin + axis_size + 10 * k + label_size + 8 * k
    cell = max(4 * k, min((height - top - margin) / n, (width - 2 * margin - row_label_w) / n))
    left = margin + max(0.0, (width - 2 * margin - row_label_w - n * cell) / 2)  # the block is centred
    grid_left = left + row_label_w
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    shapes.append(
        Text(
            grid_left,
            margin + axis_size,
            fit_text(word("predicted", lang), axis_size, n * cell),
            size=axis_size,
            fill=palette.ink,
            bold=True,
        )
    )
    shapes.append(
        Text(
            left,
            margin + axis_size,
            fit_text(word("true", lang), axis_size, row_label_w),
            size=axis_size,
            fill=palette.ink,
            bold=True,
        )
    )
    size = min(font(13, k), max(6.0, cell * 0.3))
    for j, label in enumerate(labels):
        cx = grid_left + (j + 0.5) * cell
        shapes.append(
            Text(
                cx,
                top - 8 * k,
                fit_text(label, label_size, cell - 4 * k),
                size=label_size,
                fill=palette.muted,
                anchor="middle",
            )
        )
    for i, (label, cells) in enumerate(zip(labels, counts, strict=True)):
        y = top + i * cell
        text = fit_text(label, label_size, row_label_w - 10 * k)
        shapes.append(
            Text(
                grid_left - 8 * k,
                y + cell / 2 + label_size * 0.35,
                text,
                size=label_size,
                fill=palette.muted,
                anchor="end",
            )
        )
        total = sum(cells)
        for j, count in enumerate(cells):
            share = count / total if total else 0.0
            fill = mix(palette.background, palette.accent, 0.08 + 0.92 * share)
            meta = (
                ("actual", labels[i]),
                ("predicted", labels[j]),
                ("count", compact(count, 6)),
                ("share", f"{share:.3f}"),
            )
            x = grid_left + j * cell
            shapes.append(Rect(x, y, cell, cell, fill=fill, stroke=palette.background, stroke_width=1.5 * k, meta=meta))
            value = compact(count)
            if text_width(value, size) <= cell - 4 * k:
                shapes.append(
                    Text(
                        x + cell / 2,
                        y + cell / 2 + size * 0.35,
                        value,
                        size=size,
                        fill=on_colour(fill, palette),
                        anchor="middle",
                        bold=i == j,
                    )
                )
    metric = clean(row.get("metric")) if isinstance(row, dict) else ""
    return Drawing(
        kind="confusion",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('confusion', lang)}{': ' + metric if metric else ''}",
        description="; ".join(f"{labels[i]}: " + ", ".join(compact(c) for c in counts[i]) for i in range(n)),
    )


confusion_matrix = build_confusion
