"""A live demo slide in the PDF: what the audience would have seen run (pure, no Django).

The block shows the model (name, kind, labels as chips), its curated examples as numbered rows (the web
deck's number keys pick the same ones) with the answer pre-flight cached for each -- the top label, its
score as a percentage and a bar -- its measured quality, and, when the audience link is open, the link
as text and as a QR code. A PDF cannot run the model, so the cached answers are what it can show.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]

from pitchlab.core import numbers
from pitchlab.decks.pdf_base import GAP, MIN_SIZE, Box, Style, block_word, split
from pitchlab.decks.pdf_text import draw_text, fit_text, text_width
from pitchlab.decks.slides import Block
from pitchlab.demos.qr import loopback_warning, qr_modules
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.metrics import format_figure, format_interval, format_samples, is_small_sample

ROW_MIN = 34.0  # an example row is never squeezed below this: fewer rows are shown, and "+n more"
ROW_MAX = {"text": 58.0, "image": 96.0}  # an image example's thumbnail gets the room a text's two lines need
ROW_GAP = 8.0
CHIP_SIZE = 10.5
WARNING_INK = "#b54708"  # amber: readable on the light and the dark theme alike


def draw_live_demo(st: Style, block: Block, box: Box) -> None:
    """The ``live_demo`` block of ``block.demo`` inside ``box``: header and labels, examples, quality and link."""
    model = block.demo
    if model is None or box.w <= 0 or box.h <= 0:
        return
    areas = body_boxes(box, _header(st, model, box))
    if areas is None:
        return
    main, side = areas
    if side is not None:
        _side_panel(st, model, side)
    _examples(st, model, main)


def body_boxes(box: Box, header: float) -> tuple[Box, Box | None] | None:
    """Where the examples and, in a wide block, the side panel go under a header ``header`` points tall; None when
    not even one example row fits (the PDF and the .pptx place them alike)."""
    body = Box(box.x, box.y, box.w, box.h - header - 14)
    if body.h < ROW_MIN:
        return None
    if box.w < 480:
        return body, None
    side_w = min(240.0, max(170.0, box.w * 0.3))
    main, side = split(body, [body.w - side_w - GAP, side_w], vertical=False)
    return main, side


# --- header -------------------------------------------------------------------------------------------------------


def _pill(st: Style, text: str, x: float, top: float, max_w: float, *, fill: str, ink: str, dot: bool = False) -> float:
    """A rounded label (a badge or a chip) whose top-left corner is at (x, top); returns its width (0: no room)."""
    inner = max_w - 16 - (10 if dot else 0)
    fitted = fit_text(text, None, False, inner, CHIP_SIZE * 1.3, CHIP_SIZE, CHIP_SIZE, max_lines=1)
    if inner < 12 or not fitted.lines:
        return 0.0
    height = CHIP_SIZE * 1.25 + 8
    width = text_width(fitted.lines[0], fitted.font, False, fitted.size) + 16 + (10 if dot else 0)
    st.card(Box(x, top - height, width, height), fill=fill, radius=height / 2)
    if dot:
        st.c.setFillColor(ink)
        st.c.circle(x + 10, top - height / 2, 2.6, stroke=0, fill=1)
    draw_text(st.c, fitted, x + 8 + (10 if dot else 0), top - 4, inner, ink)
    return width


def _header(st: Style, model: StageModel, box: Box) -> float:
    """Badges and the model's name on one line, its labels as chips below; returns the height used."""
    theme = st.theme
    height = CHIP_SIZE * 1.25 + 8
    x = box.x
    x += _pill(st, st.word("live"), x, box.top, box.w, fill=theme.accent, ink=theme.accent_ink, dot=True) + 10
    kind = st.word("kind_image" if model.kind == "image" else "kind_text")
    x += _pill(st, kind, x, box.top, box.x + box.w - x, fill=theme.surface, ink=theme.muted) + 10
    if not model.ready:
        x += _pill(st, st.word("preparing"), x, box.top, box.x + box.w - x, fill=theme.palette.highlight, ink="#ffffff")
        x += 10
    name = fit_text(model.name, None, True, box.x + box.w - x, 30, 16, MIN_SIZE, max_lines=1)
    draw_text(st.c, name, x, box.top - (height - name.height) / 2, box.x + box.w - x, theme.ink)
    labels = [label for label in model.labels if label.strip()]
    if not labels:
        return height
    top = box.top - height - 10
    caption = fit_text(st.word("labels"), None, True, 120, 20, CHIP_SIZE, CHIP_SIZE, max_lines=1)
    caption_w = text_width(caption.lines[0], caption.font, True, caption.size) + 10 if caption.lines else 0.0
    draw_text(st.c, caption, box.x, top - 4, caption_w, theme.muted)
    rows = _chips(st, labels, box.x + caption_w, top, box.w - caption_w, max_rows=2)
    return height + 10 + rows * height + (rows - 1) * 6


def _chips(st: Style, labels: Sequence[str], x: float, top: float, width: float, *, max_rows: int) -> int:
    """Labels as chips flowing over at most ``max_rows`` rows, the last chip "+n more" if they do not all fit."""
    height = CHIP_SIZE * 1.25 + 8
    fill, ink = st.theme.background, st.theme.ink
    row, cx = 1, x
    for index, label in enumerate(labels):
        rest = len(labels) - index
        fitted = fit_text(label, None, False, width - 16, 20, CHIP_SIZE, CHIP_SIZE, max_lines=1)
        chip_w = text_width(fitted.lines[0] if fitted.lines else "", fitted.font, False, CHIP_SIZE) + 16
        more = st.word("more", n=rest - 1)
        more_w = text_width(more, "PL-Sans", False, CHIP_SIZE) + 16 + 6 if rest > 1 else 0.0
        if cx > x and cx + chip_w > x + width:
            if row == max_rows:
                _outlined(st, st.word("more", n=rest), cx, top, x + width - cx, height)
                return row
            row, cx, top = row + 1, x, top - height - 6
        if row == max_rows and rest > 1 and cx + chip_w + more_w > x + width:
            _outlined(st, st.word("more", n=rest), cx, top, x + width - cx, height)
            return row
        _outlined(st, label, cx, top, x + width - cx, height, fill=fill, ink=ink)
        cx += chip_w + 6
    return row


def _outlined(
    st: Style, text: str, x: float, top: float, max_w: float, height: float, fill: str = "", ink: str = ""
) -> None:
    fitted = fit_text(text, None, False, max(0.0, max_w - 16), 20, CHIP_SIZE, CHIP_SIZE, max_lines=1)
    if not fitted.lines:
        return
    width = text_width(fitted.lines[0], fitted.font, False, CHIP_SIZE) + 16
    st.c.setStrokeColor(st.theme.rule)
    st.c.setLineWidth(1)
    st.c.setFillColor(fill or st.theme.surface)
    st.c.roundRect(x, top - height, width, height, height / 2, stroke=1, fill=1)
    draw_text(st.c, fitted, x + 8, top - 4, width - 16, ink or st.theme.muted)


# --- examples -----------------------------------------------------------------------------------------------------


def _top(cached: dict[str, Any] | None) -> tuple[str, float] | None:
    """The best label of a cached answer and its score (0..1), or None when there is no usable answer."""
    rows = cached.get("labels") if isinstance(cached, dict) else None
    scored = [
        (str(row.get("label", "")), float(row["score"]))
        for row in rows or []
        if isinstance(row, dict) and isinstance(row.get("score"), int | float) and not isinstance(row["score"], bool)
    ]
    return max(scored, key=lambda pair: pair[1]) if scored else None


def _percent(score: float) -> str:
    value = max(0.0, min(1.0, score))
    return numbers.percent(value, digits=0 if value >= 0.1 or value == 0 else 1)


def _examples(st: Style, model: StageModel, box: Box) -> None:
    examples = list(model.examples)
    if not examples:
        note = fit_text(st.word("no_examples"), None, False, box.w, box.h, 14, MIN_SIZE)
        draw_text(st.c, note, box.x, box.top, box.w, st.theme.muted)
        return
    fits = max(1, int((box.h + ROW_GAP) // (ROW_MIN + ROW_GAP)))
    # Past what fits, the last row becomes "+n more" (one example is always shown, however short the box).
    shown = examples if len(examples) <= fits else examples[: max(1, fits - 1)]
    if len(shown) < len(examples):
        note = fit_text(st.word("more", n=len(examples) - len(shown)), None, False, box.w, 16, 11, MIN_SIZE)
        draw_text(st.c, note, box.x, box.y + note.height, box.w, st.theme.muted)
        box = Box(box.x, box.y + note.height + ROW_GAP, box.w, box.h - note.height - ROW_GAP)
    row_h = min(ROW_MAX.get(model.kind, ROW_MAX["text"]), (box.h - ROW_GAP * (len(shown) - 1)) / len(shown))
    for index, example in enumerate(shown):
        top = box.top - index * (row_h + ROW_GAP)
        _example_row(st, example, index + 1, Box(box.x, top - row_h, box.w, row_h))


def _example_row(st: Style, example: StageExample, number: int, box: Box) -> None:
    theme = st.theme
    st.card(box, radius=8)
    key = 20.0
    if number <= 9:  # the web deck picks examples 1–9 with the number keys
        st.card(Box(box.x + 10, box.y + (box.h - key) / 2, key, key), fill=theme.accent, radius=5)
        digit = fit_text(str(number), None, True, key, key, 11, 11, max_lines=1)
        draw_text(st.c, digit, box.x + 10, box.y + box.h / 2 + digit.height / 2, key, theme.accent_ink, align="center")
    result_w = min(200.0, max(120.0, box.w * 0.36))
    left = box.x + 10 + key + 10
    text_w = box.w - (left - box.x) - result_w - 22
    inner_h = box.h - 10
    if example.image_url:
        _image_cell(st, example, left, box, text_w)
    else:
        text = fit_text(example.text, None, False, text_w, inner_h, 12.5, MIN_SIZE)
        draw_text(st.c, text, left, box.y + box.h / 2 + text.height / 2, text_w, theme.ink)
    _result(st, example, Box(box.x + box.w - result_w - 12, box.y + 5, result_w, inner_h))


def _image_cell(st: Style, example: StageExample, left: float, box: Box, width: float) -> None:
    side = max(0.0, min(box.h - 10, width))
    data = st.images.get(example.image_url)
    drawn = False
    if data and side >= 12:
        try:  # a file that is no readable image must not fail the export: it falls back to words
            reader = ImageReader(io.BytesIO(data))
            reader.getSize()
            st.c.drawImage(reader, left, box.y + 5, side, side, preserveAspectRatio=True, anchor="c", mask="auto")
            drawn = True
        except Exception:  # any decoding error means the same: no thumbnail
            drawn = False
    if drawn:
        return
    st.c.setStrokeColor(st.theme.rule)
    st.c.setDash(3, 3)
    st.c.setLineWidth(1)
    st.c.setFillColor(st.theme.background)
    st.c.roundRect(left, box.y + 5, side, side, 4, stroke=1, fill=1)
    st.c.setDash()
    room = max(0.0, width - side - 10)
    label = fit_text(st.word("image_example"), None, False, room, box.h - 10, 11, MIN_SIZE)
    draw_text(st.c, label, left + side + 10, box.y + box.h / 2 + label.height / 2, room, st.theme.muted)


def _result(st: Style, example: StageExample, box: Box) -> None:
    """Expected label, then the cached top label with its score and a bar; or "not pre-flighted yet"."""
    theme = st.theme
    expected_text = st.word("expected", label=example.expected) if example.expected else st.word("no_expected")
    expected = fit_text(expected_text, None, False, box.w, box.h * 0.4, 9.5, 8.5, max_lines=1)
    top = _top(example.cached)
    if top is None:
        answer = fit_text(st.word("not_preflighted"), None, False, box.w, box.h * 0.5, 11, MIN_SIZE, max_lines=1)
        height = expected.height + 2 + answer.height
        y = box.y + box.h / 2 + height / 2
        draw_text(st.c, expected, box.x, y, box.w, theme.muted)
        draw_text(st.c, answer, box.x, y - expected.height - 2, box.w, theme.muted)
        return
    label, score = top
    matches = not example.expected or label == example.expected
    colour = theme.accent if matches else theme.palette.highlight
    score_text = fit_text(_percent(score), None, True, 60, 20, 11.5, 11.5, max_lines=1)
    score_w = text_width(score_text.lines[0], score_text.font, True, score_text.size) if score_text.lines else 0.0
    name = fit_text(label, None, True, box.w - score_w - 8, 20, 11.5, MIN_SIZE, max_lines=1)
    bar_h = 4.0
    height = expected.height + 2 + name.height + 4 + bar_h
    y = box.y + box.h / 2 + height / 2
    draw_text(st.c, expected, box.x, y, box.w, theme.muted)
    y -= expected.height + 2
    draw_text(st.c, name, box.x, y, box.w - score_w - 8, colour)
    draw_text(st.c, score_text, box.x + box.w - score_w, y, score_w, theme.ink)
    y -= name.height + 4
    st.card(Box(box.x, y - bar_h, box.w, bar_h), fill=theme.rule, radius=2)
    filled = box.w * max(0.0, min(1.0, score))
    if filled > 0:
        st.card(Box(box.x, y - bar_h, max(filled, bar_h), bar_h), fill=colour, radius=2)


# --- quality and the audience link --------------------------------------------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and 0 <= value <= 1:
        return _percent(value)
    if isinstance(value, int | float):
        return numbers.count(value) if float(value).is_integer() else numbers.compact(value)
    return str(value).strip()


def _quality_row(metrics: dict[str, Any], key: str) -> dict[str, Any]:
    """A held-out figure of the model as an experiment row (pitches.metrics reads it): value, n and interval."""
    interval = (metrics.get("intervals") or {}).get(key) if isinstance(metrics.get("intervals"), dict) else None
    row: dict[str, Any] = {
        "metric": {"accuracy": "accuracy", "macro_f1": "F1"}.get(key, key),
        "value": metrics.get(key),
        "samples": metrics.get("samples", metrics.get("examples")),
    }
    if isinstance(interval, dict):
        row |= {"ci_low": interval.get("low"), "ci_high": interval.get("high")}
    return row


def quality_summary(metrics: dict[str, Any], lang: str) -> tuple[list[tuple[str, str, str]], str]:
    """What the side panel says of a model's measured quality, in ``lang`` (the PDF and the .pptx draw it): a tile
    (name, figure, "95% CI …") per held-out figure, and the line under them (n, the small-sample mark, the source;
    "Not evaluated yet" when there is nothing)."""
    rows = [(key, _quality_row(metrics, key)) for key in ("accuracy", "macro_f1") if _value(metrics.get(key))]
    tiles = [(block_word(lang, key), format_figure(row, lang), format_interval(row, lang)) for key, row in rows]
    tiles = [tile for tile in tiles if tile[1]]
    counted = next((row for _, row in rows if format_samples(row, lang)), None)
    source = _value(metrics.get("source"))
    parts = (
        format_samples(counted, lang) if counted else "",
        block_word(lang, "small_sample") if any(is_small_sample(row) for _, row in rows) else "",
        block_word(lang, "held_out") if source == "held-out set" else source,
    )
    return tiles, " · ".join(part for part in parts if part) or ("" if tiles else block_word(lang, "no_metrics"))


def _side_panel(st: Style, model: StageModel, box: Box) -> None:
    """The model's measured quality (big figures, each with its 95 % interval, then n, the small-sample mark and
    the source) and the audience link, in a card; every figure in the deck's language (pitches.metrics).

    Without a link the card is only as tall as the figures it holds.
    """
    theme = st.theme
    inner = box.inset(14)
    head = fit_text(st.word("metrics"), None, True, inner.w, 20, 11.5, MIN_SIZE, max_lines=1)
    tiles, details = quality_summary(model.metrics or {}, st.lang)
    line = fit_text(details, None, False, inner.w, 30, 9.5, 8.5, max_lines=2)
    tile_h = (66.0 if any(tile[2] for tile in tiles) else 44.0) if tiles else 0.0
    needed = head.height + 6 + (tile_h + 6 if tiles else 0) + line.height + 28
    card = box if model.audience_url else Box(box.x, box.top - min(box.h, needed), box.w, min(box.h, needed))
    st.card(card)
    draw_text(st.c, head, inner.x, inner.top, inner.w, theme.accent)
    y = inner.top - head.height - 6
    if tiles:
        cells = split(Box(inner.x, y - tile_h, inner.w, tile_h), [1.0] * len(tiles), vertical=False, gap=10)
        for (label, value, interval), cell in zip(tiles, cells, strict=True):
            big = fit_text(value, None, True, cell.w, 28, 22, 12, max_lines=1)
            draw_text(st.c, big, cell.x, cell.top, cell.w, theme.ink)
            small = fit_text(label, None, False, cell.w, 16, 9.5, 8.5, max_lines=1)
            draw_text(st.c, small, cell.x, cell.top - big.height, cell.w, theme.muted)
            # "95% CI 88–95%", on one line when it fits, else broken after its label: the numbers stay whole.
            top = cell.top - big.height - small.height
            label_part, _, span = interval.rpartition(" ")
            fits = text_width(interval, "PL-Sans", False, 8.5) <= cell.w
            for part in [interval] if fits or not label_part else [label_part, span]:
                ci = fit_text(part, None, False, cell.w, 12, 8.5, 7.5, max_lines=1)
                draw_text(st.c, ci, cell.x, top, cell.w, theme.muted)
                top -= ci.height
        y -= tile_h + 6
    draw_text(st.c, line, inner.x, y, inner.w, theme.muted)
    y -= line.height + 4
    if model.audience_url:
        _audience(st, model.audience_url, Box(inner.x, inner.y, inner.w, max(0.0, y - 8 - inner.y)))


def _audience(st: Style, url: str, box: Box) -> None:
    """The audience link: a QR code when it fits, the link as text under it.

    Only an absolute link gets a QR code: a phone cannot open a bare path ("/d/<token>/"), which is what
    a deck built outside a request knows.
    """
    theme = st.theme
    head = fit_text(st.word("try"), None, True, box.w, 18, 10.5, MIN_SIZE, max_lines=1)
    link = fit_text(url, None, False, box.w, 34, 9.5, 8, max_lines=2)
    modules = qr_modules(url) if url.startswith(("https://", "http://")) else None
    # A loopback link is dead for every phone: one short line under it says so (qr.LOOPBACK_WARNING, one message).
    warning = loopback_warning(url, st.lang)
    warn = fit_text(warning, None, False, box.w, 48, 8.5, MIN_SIZE, max_lines=4) if warning else None
    room = box.h - head.height - link.height - 12 - (warn.height + 4 if warn else 0)
    side = min(box.w, room)
    y = box.top
    draw_text(st.c, head, box.x, y, box.w, theme.ink)
    y -= head.height + 4
    if modules and side >= 56:
        _qr(st, modules, box.x + (box.w - side) / 2, y - side, side)
        y -= side + 6
    draw_text(st.c, link, box.x, y, box.w, theme.accent)
    if warn is not None:
        draw_text(st.c, warn, box.x, y - link.height - 4, box.w, WARNING_INK)


def _qr(st: Style, modules: Sequence[Sequence[bool]], x: float, y: float, side: float) -> None:
    """Dark modules on white with a two-module quiet zone, whatever the theme: scanners need the contrast."""
    count = len(modules) + 4
    unit = side / count
    st.c.setFillColor("#ffffff")
    st.c.roundRect(x, y, side, side, 4, stroke=0, fill=1)
    st.c.setFillColor("#000000")
    for row_index, row in enumerate(modules):
        top = y + side - (row_index + 2) * unit
        start = None
        for col, dark in enumerate((*row, False)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:  # one rectangle per run of dark modules: a lighter PDF
                st.c.rect(x + (start + 2) * unit, top - unit, (col - start) * unit, unit, stroke=0, fill=1)
                start = None
