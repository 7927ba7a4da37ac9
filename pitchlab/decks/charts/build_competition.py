"""Competition: a 2×2 positioning map on the founder's own two axes (scores 0–10, quadrant lines at 5).

Each competitor is a circle with its name; the startup itself (the item marked ``us``, else the item named like
``company``) is drawn bigger, in the palette's highlight colour, labelled first as "<name> (us)", and a legend
below the map says which colour is the startup. When any item has strengths or weaknesses, the map takes the
left part of the drawing and a panel on the right lists them per company (the startup first), wrapped and cut
to the room there. A label goes right of its point, else left,
above or below, whichever stays inside the drawing and clear of labels already placed; if none does, it is
cut with "…" on the roomier side.
"""

from __future__ import annotations

from pitchlab.decks.charts.common import (
    arrow,
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
from pitchlab.decks.charts.ir import Anchor, Circle, Drawing, Line, Palette, Rect, Shape, Text
from pitchlab.pitches.read_model import CanvasView

Box = tuple[float, float, float, float]  # left, top, right, bottom


def build_competition(
    canvas: CanvasView,
    *,
    palette: Palette,
    width: float = 800,
    height: float = 450,
    lang: str = "en",
    company: str = "",
) -> Drawing | None:
    """The positioning map, the startup highlighted; None when no competitor has both scores."""
    competitors = canvas.data.competitors
    items: list[tuple[str, float, float, str, str]] = []
    notes: list[tuple[str, str]] = []  # (strengths, weaknesses) of each item
    flagged: list[int] = []
    for item in competitors.items:
        name, x, y = clean(item.name), number(item.x), number(item.y)
        if name and x is not None and y is not None:
            if item.us:
                flagged.append(len(items))
            items.append((name, x, y, raw_str(item.x), raw_str(item.y)))
            notes.append((clean(item.strengths), clean(item.weaknesses)))
    if not items:
        return None
    own = clean(company).casefold()
    star = flagged[0] if flagged else None
    if star is None:  # canvases from before the "us" flag: the item named like the company
        star = next((i for i, item in enumerate(items) if own and item[0].casefold() == own), None)
    k = scale_of(width, height)
    margin, axis_size, tick_size, label_size = 22 * k, font(12, k), font(10.5, k), font(12, k)
    order = ([star] if star is not None else []) + [i for i in range(len(items)) if i != star]
    panel: list[Shape] = []
    map_right = width
    if any(strengths or weaknesses for strengths, weaknesses in notes) and width >= 360 * k:
        map_right = round(width * 0.56, 2)
        panel = _notes_panel(
            [(items[i][0], *notes[i], i == star) for i in order],
            palette,
            (map_right + 4 * k, margin, width - margin, height - margin),
            k,
            lang,
        )
    legend_size = font(11, k)
    plot_left = margin + text_width("10", tick_size) + 8 * k
    plot_right = map_right - margin
    plot_top = margin + axis_size + 12 * k
    plot_bottom = height - margin - axis_size - tick_size - 16 * k
    if star is not None and panel:  # the legend takes the line under the x-axis title
        plot_bottom -= legend_size + 8 * k
    plot_w, plot_h = plot_right - plot_left, plot_bottom - plot_top

    def px(score: float) -> float:
        return plot_left + min(10.0, max(0.0, score)) / 10 * plot_w

    def py(score: float) -> float:
        return plot_bottom - min(10.0, max(0.0, score)) / 10 * plot_h

    shapes: list[Shape] = [
        Rect(0, 0, width, height, fill=palette.background),
        Rect(plot_left, plot_top, plot_w, plot_h, fill=palette.background, stroke=palette.grid, stroke_width=1 * k),
        Rect(px(5), plot_top, plot_w / 2, plot_h / 2, fill=mix(palette.accent, palette.background, 0.93)),
    ]
    for score in (2.5, 7.5):
        shapes.append(Line(px(score), plot_top, px(score), plot_bottom, stroke=palette.grid, width=0.8 * k))
        shapes.append(Line(plot_left, py(score), plot_right, py(score), stroke=palette.grid, width=0.8 * k))
    shapes.append(Line(px(5), plot_top, px(5), plot_bottom, stroke=palette.muted, width=1.2 * k, dash=(5 * k, 4 * k)))
    shapes.append(Line(plot_left, py(5), plot_right, py(5), stroke=palette.muted, width=1.2 * k, dash=(5 * k, 4 * k)))
    for score in (0, 5, 10):
        shapes.append(
            Text(
                px(score),
                plot_bottom + tick_size + 6 * k,
                str(score),
                size=tick_size,
                fill=palette.muted,
                anchor="middle",
            )
        )
        shapes.append(
            Text(
                plot_left - 6 * k,
                py(score) + tick_size * 0.35,
                str(score),
                size=tick_size,
                fill=palette.muted,
                anchor="end",
            )
        )
    x_axis, y_axis = clean(competitors.x_axis), clean(competitors.y_axis)
    if y_axis:
        text = fit_text(y_axis, axis_size, map_right - 2 * margin - 14 * k)
        shapes += arrow(
            margin + 4 * k, margin + axis_size, margin + 4 * k, margin + 2 * k, palette.ink, 1.5 * k, 3.5 * k
        )
        shapes.append(Text(margin + 14 * k, margin + axis_size, text, size=axis_size, fill=palette.ink, bold=True))
    legend: list[Shape] = []
    legend_right = plot_left
    if star is not None:
        legend, legend_right = _legend(palette, plot_left, height - margin, legend_size, k, lang)
    if x_axis:
        # Beside the legend on one line when there is no panel; on its own line above the legend otherwise.
        axis_base = height - margin - (legend_size + 8 * k if panel and legend else 0)
        room = plot_right - (legend_right + 12 * k if legend and not panel else margin)
        text = fit_text(f"{x_axis} →", axis_size, room)
        shapes.append(Text(plot_right, axis_base, text, size=axis_size, fill=palette.ink, anchor="end", bold=True))
    shapes += legend
    radii = {i: (11 * k if i == star else 7 * k) for i in range(len(items))}
    taken: list[Box] = [
        (px(x) - radii[i], py(y) - radii[i], px(x) + radii[i], py(y) + radii[i])
        for i, (_, x, y, *_) in enumerate(items)
    ]
    quadrant_lines: list[Box] = [(px(5), plot_top, px(5), plot_bottom), (plot_left, py(5), plot_right, py(5))]
    bounds: Box = (6 * k, 4 * k, map_right - 6 * k, height - 4 * k)
    labels: list[Shape] = []
    for i in order:
        name, x, y, raw_x, raw_y = items[i]
        highlight = i == star
        colour = palette.highlight if highlight else palette.accent
        meta = (("name", name), ("x", raw_x), ("y", raw_y)) + ((("role", "company"),) if highlight else ())
        shapes.append(
            Circle(px(x), py(y), radii[i], fill=colour, stroke=palette.background, stroke_width=2 * k, meta=meta)
        )
        cap = max(140 * k, plot_w * 0.45)
        shown = word("named_us", lang, name=name) if highlight else name
        label = _place_label(shown, px(x), py(y), radii[i] + 5 * k, label_size, bounds, taken, quadrant_lines, cap)
        taken.append(label[1])
        text, (left, _, right, _), anchor, baseline = label
        tx = left if anchor == "start" else right if anchor == "end" else (left + right) / 2
        if text:
            meta_label = (("label", name),)
            labels.append(
                Text(
                    tx,
                    baseline,
                    text,
                    size=label_size,
                    fill=palette.ink,
                    anchor=anchor,
                    bold=highlight,
                    meta=meta_label,
                )
            )
    shapes += labels
    shapes += panel
    names = ", ".join(
        f"{word('named_us', lang, name=name) if i == star else name} ({raw_x}, {raw_y})"
        for i, (name, _, _, raw_x, raw_y) in enumerate(items)
    )
    return Drawing(
        kind="competition",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('competition', lang)}: {x_axis or 'x'} × {y_axis or 'y'}",
        description=names,
        meta=(("company", items[star][0] if star is not None else ""),),
    )


def _legend(
    palette: Palette, left: float, baseline: float, size: float, k: float, lang: str
) -> tuple[list[Shape], float]:
    """The legend "● us  ● competitors" from ``left`` on ``baseline``; its shapes and where it ends on the right."""
    shapes: list[Shape] = []
    x = left
    for colour, key, role in ((palette.highlight, "us", "us"), (palette.accent, "competitors", "competitors")):
        r = size * 0.38
        shapes.append(Circle(x + r, baseline - size * 0.33, r, fill=colour, meta=(("legend", role),)))
        text = word(key, lang)
        shapes.append(Text(x + 2 * r + 5 * k, baseline, text, size=size, fill=palette.ink, meta=(("legend", role),)))
        x += 2 * r + 5 * k + text_width(text, size) + 14 * k
    return shapes, x - 14 * k


def _notes_panel(
    entries: list[tuple[str, str, str, bool]], palette: Palette, box: Box, k: float, lang: str
) -> list[Shape]:
    """Each company's name, strengths and weaknesses, stacked in ``box`` (left, top, right, bottom).

    The text shrinks (down to the smallest readable size) and each note loses lines until every company fits;
    what still does not fit is said as "+N more".
    """
    left, top, right, bottom = box
    room_w, room_h = right - left, bottom - top
    sizes = [font(size, k) for size in (12, 11, 10, 9)]
    # Smaller text before fewer lines, down to 10 points; then fewer lines at the smallest sizes.
    tries = [(size, 3) for size in sizes[:3]] + [(size, 2) for size in sizes[1:]] + [(sizes[-1], 1)]
    for size, max_lines in tries:
        blocks = [_note_lines(entry, size, room_w, max_lines, lang) for entry in entries]
        if _stack_height(blocks, size, k) <= room_h:
            return _draw_notes(entries, blocks, palette, left, top, size, k, len(entries), lang, room_w)
    size = sizes[-1]
    blocks = [_note_lines(entry, size, room_w, 1, lang) for entry in entries]
    shown = len(entries)
    while shown > 1 and _stack_height(blocks[:shown], size, k) + size * 1.3 > room_h:
        shown -= 1
    return _draw_notes(entries, blocks, palette, left, top, size, k, shown, lang, room_w)


def _note_lines(entry: tuple[str, str, str, bool], size: float, width: float, max_lines: int, lang: str) -> list[str]:
    name, strengths, weaknesses, _ = entry
    lines = [fit_text(word("named_us", lang, name=name) if entry[3] else name, size, width - size)]
    for key, text in (("strengths", strengths), ("weaknesses", weaknesses)):
        if text:
            lines += wrap_text(word(key, lang, text=text), size, width, max_lines)
    return lines


def _stack_height(blocks: list[list[str]], size: float, k: float) -> float:
    return sum(len(lines) * size * 1.3 for lines in blocks) + max(0, len(blocks) - 1) * 8 * k


def _draw_notes(
    entries: list[tuple[str, str, str, bool]],
    blocks: list[list[str]],
    palette: Palette,
    left: float,
    top: float,
    size: float,
    k: float,
    shown: int,
    lang: str,
    width: float,
) -> list[Shape]:
    shapes: list[Shape] = []
    line = size * 1.3
    y = top
    for (name, _, _, is_us), lines in zip(entries[:shown], blocks[:shown], strict=True):
        colour = palette.highlight if is_us else palette.accent
        r = size * 0.32
        shapes.append(Circle(left + r, y + size * 0.62, r, fill=colour))
        for index, text in enumerate(lines):
            shapes.append(
                Text(
                    left + (size if index == 0 else 0),
                    y + size * 0.95,
                    text,
                    size=size,
                    fill=palette.ink if index == 0 else palette.muted,
                    bold=index == 0,
                    meta=(("note", name),),
                )
            )
            y += line
        y += 8 * k
    if shown < len(entries):
        more = fit_text(word("more", lang, n=len(entries) - shown), size, width)
        shapes.append(Text(left, y + size * 0.95, more, size=size, fill=palette.muted))
    return shapes


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(
    name: str,
    x: float,
    y: float,
    offset: float,
    size: float,
    bounds: Box,
    taken: list[Box],
    lines: list[Box],
    cap: float,
) -> tuple[str, Box, Anchor, float]:
    """(text, box, anchor, baseline) for the label of the point at (x, y), at most ``cap`` wide.

    The first spot inside ``bounds`` that overlaps no ``taken`` box wins, preferring one that crosses none of
    ``lines`` (boxes of zero width or height); failing that, the label is cut to the free room beside the point.
    """
    name = fit_text(name, size, cap)
    width = text_width(name, size)
    ascent, descent = size * 0.8, size * 0.25
    mid = min(max(y + size * 0.35, bounds[1] + ascent), bounds[3] - descent)
    candidates: list[tuple[Box, Anchor, float]] = [
        ((x + offset, mid - ascent, x + offset + width, mid + descent), "start", mid),
        ((x - offset - width, mid - ascent, x - offset, mid + descent), "end", mid),
        ((x - width / 2, y - offset - ascent - descent, x + width / 2, y - offset), "middle", y - offset - descent),
        ((x - width / 2, y + offset, x + width / 2, y + offset + ascent + descent), "middle", y + offset + ascent),
    ]
    inside = [c for c in candidates if _within(c[0], bounds)]
    free = [c for c in inside if not any(_overlaps(c[0], other) for other in taken)]
    for box, anchor, baseline in free:
        if not any(_crosses(box, line) for line in lines):
            return name, box, anchor, baseline
    if free:
        return name, *free[0]
    # No free spot for the whole label: cut it to the free room on its right or its left.
    band = (mid - ascent, mid + descent)
    start, stop = x + offset, x - offset
    right_end, left_end = bounds[2], bounds[0]
    for box in taken:
        if box[1] < band[1] and band[0] < box[3]:
            if box[2] > start:
                right_end = min(right_end, max(start, box[0]))
            if box[0] < stop:
                left_end = max(left_end, min(stop, box[2]))
    right = fit_text(name, size, right_end - start - 2)
    left = fit_text(name, size, stop - left_end - 2)
    if right or left:
        if len(right) >= len(left):
            return right, (start, mid - ascent, start + text_width(right, size), mid + descent), "start", mid
        return left, (stop - text_width(left, size), mid - ascent, stop, mid + descent), "end", mid
    if inside:
        return name, *inside[0]
    text = fit_text(name, size, max(bounds[2] - start, stop - bounds[0]))
    if bounds[2] - start >= stop - bounds[0]:
        return text, (start, mid - ascent, start + text_width(text, size), mid + descent), "start", mid
    return text, (stop - text_width(text, size), mid - ascent, stop, mid + descent), "end", mid


def _crosses(box: Box, line: Box) -> bool:
    return box[0] <= line[2] and line[0] <= box[2] and box[1] <= line[3] and line[1] <= box[3]


def _within(box: Box, bounds: Box) -> bool:
    return box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
