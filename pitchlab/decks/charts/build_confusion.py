"""A confusion matrix as a heatmap: rows are the actual classes, columns the predicted ones.

A cell's colour is its share of its row (the fraction of that actual class predicted as the column's class),
so a small class's errors are as visible as a large one's; the count is written in the cell. Under the grid a
caption names the experiment and, for a result PitchLab measured itself, says so with its dataset, sample count,
date and device.
"""

from __future__ import annotations

import math
from typing import Any

from pitchlab.core.numbers import count as count_text
from pitchlab.decks.charts.common import (
    clean,
    compact,
    fit_text,
    font,
    mix,
    number,
    on_colour,
    rows_of,
    scale_of,
    section,
    text_width,
    word,
)
from pitchlab.decks.charts.ir import Drawing, Palette, Rect, Shape, Text
from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.read_model import CanvasView, Experiment, as_view, canvas_view


def confusion_counts(row: Experiment) -> tuple[list[str], list[list[float]]]:
    """The confusion matrix of ``row``: its class names and the counts (actual classes down, predicted across)."""
    confusion = row.confusion
    if confusion is None:
        raise ValueError("This experiment has no confusion matrix.")
    labels = [clean(label) for label in confusion.labels]
    if not labels or len(confusion.matrix) != len(labels):
        raise ValueError("A confusion matrix needs one row of counts per label.")
    counts: list[list[float]] = []
    for cells in confusion.matrix:
        if len(cells) != len(labels):
            raise ValueError("A confusion matrix needs one count per label in every row.")
        values = [number(cell) for cell in cells]
        if any(v is None or v < 0 for v in values):
            raise ValueError("The counts of a confusion matrix must be numbers of 0 or more.")
        counts.append([v for v in values if v is not None])
    return labels, counts


def confusion_index(canvas: CanvasView) -> int | None:
    """The position (in ``canvas.data.experiments``) of the experiment whose confusion matrix the deck shows, or
    None when no experiment has a usable one.

    A result PitchLab measured wins over a typed-in one; among those, the newest (by date, then the later row).
    """
    candidates: list[tuple[bool, str, int]] = []
    for index, row in enumerate(canvas.data.experiments):
        try:
            confusion_counts(row)
        except ValueError:
            continue
        candidates.append((row.measured, clean(row.date), index))
    return max(candidates)[2] if candidates else None


def confusion_experiment(canvas: CanvasView) -> Experiment | None:
    """The experiment whose confusion matrix the deck shows (see ``confusion_index``), or None."""
    index = confusion_index(canvas)
    return None if index is None else canvas.data.experiments[index]


def confusion_row(canvas: Canvas) -> dict[str, Any] | None:
    """The stored experiment row (a dict) whose matrix the deck shows, or None.

    Transitional, for callers that still hold the raw document: typed code asks ``confusion_experiment``.
    """
    index = confusion_index(as_view(canvas))
    if index is None:
        return None
    row: dict[str, Any] = rows_of(section(canvas, "data", "experiments"))[index]
    return row


def caption_lines(row: Experiment, lang: str) -> tuple[str, str]:
    """The caption under a confusion matrix: what was measured, and where the figures come from."""
    head = word("confusion", lang)
    metric, model = clean(row.metric), clean(row.model)
    head += "".join(f" · {part}" for part in (model, metric) if part)
    samples = number(row.samples)
    source = [clean(row.dataset), f"n = {count_text(samples, lang)}" if samples is not None else ""]
    if row.measured:
        source = [word("measured", lang), *source, clean(row.date), clean(row.device)]
    return head, " · ".join(part for part in source if part)


def build_confusion(
    row: Experiment | dict[str, Any],
    *,
    palette: Palette,
    width: float = 800,
    height: float = 450,
    lang: str = "en",
) -> Drawing:
    """The heatmap of the experiment's confusion matrix; ValueError when it has none (or an unusable one).

    A stored row (a dict) is still taken while callers move to the read model (transitional).
    """
    if isinstance(row, dict):
        row = _experiment_of(row)
    labels, counts = confusion_counts(row)
    n = len(labels)
    k = scale_of(width, height)
    margin, axis_size, label_size = 22 * k, font(12, k), font(11, k)
    caption_size = font(11, k)
    caption_h = 2 * caption_size * 1.3 + 8 * k
    row_label_w = min(width * 0.28, max(text_width(label, label_size) for label in labels) + 10 * k)
    top = margin + axis_size + 10 * k + label_size + 8 * k
    cell = max(4 * k, min((height - top - margin - caption_h) / n, (width - 2 * margin - row_label_w) / n))
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
    # With many classes the cells get smaller than a line of text: label every ``step``-th row and column only.
    step = max(1, math.ceil(label_size * 1.15 / cell))
    for j, label in enumerate(labels):
        if j % step:
            continue
        cx = grid_left + (j + 0.5) * cell
        shapes.append(
            Text(
                cx,
                top - 8 * k,
                fit_text(label, label_size, cell * step - 4 * k),
                size=label_size,
                fill=palette.muted,
                anchor="middle",
            )
        )
    for i, (label, cells) in enumerate(zip(labels, counts, strict=True)):
        y = top + i * cell
        if i % step == 0:
            shapes.append(
                Text(
                    grid_left - 8 * k,
                    y + cell / 2 + label_size * 0.35,
                    fit_text(label, label_size, row_label_w - 10 * k),
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
            shapes.append(
                Rect(
                    x,
                    y,
                    cell,
                    cell,
                    fill=fill,
                    stroke=palette.background,
                    stroke_width=min(1.5 * k, cell * 0.06),
                    meta=meta,
                )
            )
            # The exact count, grouped the language's way ("1,204"); a cell too narrow for it gets the short form.
            value = count_text(count, lang)
            if text_width(value, size) > cell - 4 * k:
                value = compact(count, lang=lang)
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
    head, source = caption_lines(row, lang)
    baseline = min(height - margin - caption_size * 1.3, top + n * cell + 8 * k + caption_size)
    shapes.append(
        Text(
            margin,
            baseline,
            fit_text(head, caption_size, width - 2 * margin),
            size=caption_size,
            fill=palette.ink,
            bold=True,
        )
    )
    if source:
        shapes.append(
            Text(
                margin,
                baseline + caption_size * 1.3,
                fit_text(source, caption_size, width - 2 * margin),
                size=caption_size,
                fill=palette.muted,
                meta=(("measured", "true" if row.measured else "false"),),
            )
        )
    metric = clean(row.metric)
    return Drawing(
        kind="confusion",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('confusion', lang)}{': ' + metric if metric else ''}",
        description="; ".join(f"{labels[i]}: " + ", ".join(compact(c) for c in counts[i]) for i in range(n))
        + (f" ({source})" if source else ""),
    )


confusion_matrix = build_confusion


def _experiment_of(row: dict[str, Any]) -> Experiment:
    """One stored experiment row, parsed as the read model parses it (transitional: see ``build_confusion``)."""
    (experiment,) = canvas_view({"data": {"experiments": [row]}}).data.experiments
    return experiment
