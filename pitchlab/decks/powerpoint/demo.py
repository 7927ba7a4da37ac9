"""A live demo slide in the .pptx: the PDF's live demo block (``pdf_demo``) as shapes a founder can edit (pure).

The same information in the same places as the PDF: the model's name with its kind and ready badges, its labels
as chips ("+n more" when they do not fit), the curated examples as numbered rows with the answer pre-flight cached
for each (top label, score, bar, expected label), the measured quality, and the audience link with its QR code.
Every place is worked out in the PDF's own boxes (``pdf_base.Box``, y from the foot of the page) with the PDF's
sizes and fitting, and only turned into a slide ``Frame`` where a shape is added; so the two files agree to the
point. Words are text boxes (a chip's words sit inside its rounded shape), the QR code is a PNG picture (segno)
and the link a hyperlink.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from lxml import etree
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape as AutoShape
from pptx.util import Pt

from pitchlab.decks.brand import contrast_ratio
from pitchlab.decks.pdf_base import MIN_SIZE, Box, split
from pitchlab.decks.pdf_demo import (
    CHIP_SIZE,
    ROW_GAP,
    ROW_MAX,
    ROW_MIN,
    WARNING_INK,
    _percent,
    _top,
    body_boxes,
    quality_summary,
)
from pitchlab.decks.pdf_text import FittedText, fit_text, text_width
from pitchlab.decks.powerpoint.base import (
    HEIGHT,
    Align,
    Anchor,
    Frame,
    Para,
    fill_text,
    rectangle,
    rgb,
    shown_text,
    text_box,
)
from pitchlab.decks.powerpoint.pages import Page
from pitchlab.decks.powerpoint.pictures import place_image
from pitchlab.decks.slides import Block
from pitchlab.demos.qr import loopback_warning
from pitchlab.demos.stage import StageExample, StageModel

QR_SCALE = 8  # pixels per module: a 150 pt code stays sharp when the slide is projected large
PILL_H = CHIP_SIZE * 1.25 + 8
HYPERLINK_COLOUR = "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"


def draw_live_demo(page: Page, block: Block, frame: Frame) -> None:
    """The ``live_demo`` block of ``block.demo`` inside ``frame``: header and labels, examples, quality and link."""
    model = block.demo
    if model is None or frame.w <= 0 or frame.h < PILL_H:  # not even the badges' line fits
        return
    box = Box(frame.x, HEIGHT - frame.bottom, frame.w, frame.h)
    areas = body_boxes(box, _header(page, model, box))
    if areas is None:
        return
    main, side = areas
    if side is not None:
        _side_panel(page, model, side)
    _examples(page, model, main)


# --- drawing in the PDF's boxes -----------------------------------------------------------------------------------


def _text(
    page: Page,
    text: str,
    fitted: FittedText,
    x: float,
    top: float,
    width: float,
    color: str,
    align: Align = "left",
    name: str = "",
) -> None:
    """``text`` as the PDF sets it (``fitted``), its first line's box at ``top`` (y from the foot)."""
    if not fitted.lines or width <= 0:
        return
    para = Para(shown_text(text, fitted), fitted.size, color, bold=fitted.bold, align=align)
    text_box(page.shapes, Frame(x, HEIGHT - top, width, fitted.height), [para], page.look, name=name)


def _card(page: Page, box: Box, fill: str = "", radius: float = 10) -> AutoShape:
    return rectangle(
        page.shapes, Frame.of(box), fill or page.look.theme.surface, radius=min(radius, box.h / 2, box.w / 2)
    )


def _words_in(
    shape: AutoShape, para: Para, page: Page, *, left: float, right: float, anchor: Anchor = "middle"
) -> None:
    """``para`` inside a shape (a chip, a badge, a number key), ``left``/``right`` points in from its sides."""
    fill_text(shape.text_frame, [para], page.look, anchor=anchor)
    shape.text_frame.margin_left, shape.text_frame.margin_right = Pt(left), Pt(right)


# --- header -------------------------------------------------------------------------------------------------------


def _pill(
    page: Page, text: str, x: float, top: float, max_w: float, *, fill: str, ink: str, dot: bool = False
) -> float:
    """A rounded label (a badge) whose top-left corner is at (x, top); returns its width (0: no room)."""
    inner = max_w - 16 - (10 if dot else 0)
    fitted = fit_text(text, None, False, inner, CHIP_SIZE * 1.3, CHIP_SIZE, CHIP_SIZE, max_lines=1)
    if inner < 12 or not fitted.lines:
        return 0.0
    width = text_width(fitted.lines[0], fitted.font, False, fitted.size) + 16 + (10 if dot else 0)
    shape = _card(page, Box(x, top - PILL_H, width, PILL_H), fill, radius=PILL_H / 2)
    # The right inset is half the PDF's padding: the office suite measures the same font a hair differently, and a
    # badge's word must not wrap onto a second line.
    _words_in(shape, Para(shown_text(text, fitted), fitted.size, ink), page, left=8 + (10 if dot else 0), right=4)
    if dot:
        spot = page.shapes.add_shape(
            MSO_SHAPE.OVAL, Pt(x + 10 - 2.6), Pt(HEIGHT - top + PILL_H / 2 - 2.6), Pt(5.2), Pt(5.2)
        )
        spot.fill.solid()
        spot.fill.fore_color.rgb = rgb(ink)
        spot.line.fill.background()
    return width


def _header(page: Page, model: StageModel, box: Box) -> float:
    """Badges and the model's name on one line, its labels as chips below; returns the height used."""
    theme = page.look.theme
    x = box.x
    x += _pill(page, page.word("live"), x, box.top, box.w, fill=theme.accent, ink=theme.accent_ink, dot=True) + 10
    kind = page.word("kind_image" if model.kind == "image" else "kind_text")
    x += _pill(page, kind, x, box.top, box.x + box.w - x, fill=theme.surface, ink=theme.muted) + 10
    if not model.ready:
        ready = page.word("preparing")
        x += _pill(page, ready, x, box.top, box.x + box.w - x, fill=theme.palette.highlight, ink="#ffffff") + 10
    name = fit_text(model.name, None, True, box.x + box.w - x, 30, 16, MIN_SIZE, max_lines=1)
    _text(page, model.name, name, x, box.top - (PILL_H - name.height) / 2, box.x + box.w - x, theme.ink)
    labels = [label for label in model.labels if label.strip()]
    # Two rows of chips where the box has the room (the PDF assumes it has), one or none where it is short.
    max_rows = min(2, int((box.h - PILL_H - 10 + 6) // (PILL_H + 6)))
    if not labels or max_rows < 1:
        return PILL_H
    top = box.top - PILL_H - 10
    caption = fit_text(page.word("labels"), None, True, 120, 20, CHIP_SIZE, CHIP_SIZE, max_lines=1)
    caption_w = text_width(caption.lines[0], caption.font, True, caption.size) + 10 if caption.lines else 0.0
    _text(page, page.word("labels"), caption, box.x, top - 4, caption_w, theme.muted)
    rows = _chips(page, labels, box.x + caption_w, top, box.w - caption_w, max_rows=max_rows)
    return PILL_H + 10 + rows * PILL_H + (rows - 1) * 6


def _chips(page: Page, labels: Sequence[str], x: float, top: float, width: float, *, max_rows: int) -> int:
    """Labels as chips flowing over at most ``max_rows`` rows, the last chip "+n more" if they do not all fit."""
    theme = page.look.theme
    row, cx = 1, x
    for index, label in enumerate(labels):
        rest = len(labels) - index
        fitted = fit_text(label, None, False, width - 16, 20, CHIP_SIZE, CHIP_SIZE, max_lines=1)
        chip_w = text_width(fitted.lines[0] if fitted.lines else "", fitted.font, False, CHIP_SIZE) + 16
        more = page.word("more", n=rest - 1)
        more_w = text_width(more, "PL-Sans", False, CHIP_SIZE) + 16 + 6 if rest > 1 else 0.0
        if cx > x and cx + chip_w > x + width:
            if row == max_rows:
                _outlined(page, page.word("more", n=rest), cx, top, x + width - cx, name="More labels")
                return row
            row, cx, top = row + 1, x, top - PILL_H - 6
        if row == max_rows and rest > 1 and cx + chip_w + more_w > x + width:
            _outlined(page, page.word("more", n=rest), cx, top, x + width - cx, name="More labels")
            return row
        _outlined(page, label, cx, top, x + width - cx, fill=theme.background, ink=theme.ink, name="Label")
        cx += chip_w + 6
    return row


def _outlined(
    page: Page, text: str, x: float, top: float, max_w: float, *, fill: str = "", ink: str = "", name: str
) -> None:
    """A chip: ``text`` in a rounded shape outlined in the theme's rule colour."""
    theme = page.look.theme
    fitted = fit_text(text, None, False, max(0.0, max_w - 16), 20, CHIP_SIZE, CHIP_SIZE, max_lines=1)
    if not fitted.lines:
        return
    width = text_width(fitted.lines[0], fitted.font, False, CHIP_SIZE) + 16
    shape = _card(page, Box(x, top - PILL_H, width, PILL_H), fill or theme.surface, radius=PILL_H / 2)
    shape.name = name
    shape.line.color.rgb = rgb(theme.rule)
    shape.line.width = Pt(1)
    _words_in(shape, Para(shown_text(text, fitted), CHIP_SIZE, ink or theme.muted), page, left=8, right=4)


# --- examples -----------------------------------------------------------------------------------------------------


def _examples(page: Page, model: StageModel, box: Box) -> None:
    muted = page.look.theme.muted
    examples = list(model.examples)
    if not examples:
        words = page.word("no_examples")
        _text(page, words, fit_text(words, None, False, box.w, box.h, 14, MIN_SIZE), box.x, box.top, box.w, muted)
        return
    fits = max(1, int((box.h + ROW_GAP) // (ROW_MIN + ROW_GAP)))
    shown = examples if len(examples) <= fits else examples[: fits - 1]
    if len(shown) < len(examples):
        words = page.word("more", n=len(examples) - len(shown))
        note = fit_text(words, None, False, box.w, 16, 11, MIN_SIZE)
        _text(page, words, note, box.x, box.y + note.height, box.w, muted, name="More examples")
        box = Box(box.x, box.y + note.height + ROW_GAP, box.w, box.h - note.height - ROW_GAP)
    if not shown:  # room for one row only, and more examples than that: the count says it (pdf_demo divides by 0)
        return
    row_h = min(ROW_MAX.get(model.kind, ROW_MAX["text"]), (box.h - ROW_GAP * (len(shown) - 1)) / len(shown))
    for index, example in enumerate(shown):
        top = box.top - index * (row_h + ROW_GAP)
        _example_row(page, example, index + 1, Box(box.x, top - row_h, box.w, row_h))


def _example_row(page: Page, example: StageExample, number: int, box: Box) -> None:
    theme = page.look.theme
    _card(page, box, radius=8).name = f"Example {number}"
    key = 20.0
    if number <= 9:  # the web deck picks examples 1–9 with the number keys
        shape = _card(page, Box(box.x + 10, box.y + (box.h - key) / 2, key, key), theme.accent, radius=5)
        _words_in(shape, Para(str(number), 11, theme.accent_ink, bold=True, align="center"), page, left=0, right=0)
    result_w = min(200.0, max(120.0, box.w * 0.36))
    left = box.x + 10 + key + 10
    text_w = box.w - (left - box.x) - result_w - 22
    if example.image_url:
        _image_cell(page, example, number, left, box, text_w)
    else:
        text = fit_text(example.text, None, False, text_w, box.h - 10, 12.5, MIN_SIZE)
        _text(page, example.text, text, left, box.y + box.h / 2 + text.height / 2, text_w, theme.ink)
    _result(page, example, Box(box.x + box.w - result_w - 12, box.y + 5, result_w, box.h - 10))


def _image_cell(page: Page, example: StageExample, number: int, left: float, box: Box, width: float) -> None:
    """The example's thumbnail when its bytes are an image; else a dashed frame and "image example"."""
    theme = page.look.theme
    side = max(0.0, min(box.h - 10, width))
    data = page.pictures.images.get(example.image_url)
    place = Frame.of(Box(left, box.y + 5, side, side))
    if data and side >= 12 and place_image(page.shapes, data, place, name=f"Example {number} picture") is not None:
        return
    frame = _card(page, Box(left, box.y + 5, side, side), theme.background, radius=4)
    frame.line.color.rgb = rgb(theme.rule)
    frame.line.width = Pt(1)
    frame.line.dash_style = MSO_LINE.DASH
    room = max(0.0, width - side - 10)
    words = page.word("image_example")
    label = fit_text(words, None, False, room, box.h - 10, 11, MIN_SIZE)
    _text(page, words, label, left + side + 10, box.y + box.h / 2 + label.height / 2, room, theme.muted)


def _result(page: Page, example: StageExample, box: Box) -> None:
    """Expected label, then the cached top label with its score and a bar; or "not pre-flighted yet"."""
    theme = page.look.theme
    said = page.word("expected", label=example.expected) if example.expected else page.word("no_expected")
    expected = fit_text(said, None, False, box.w, box.h * 0.4, 9.5, 8.5, max_lines=1)
    top = _top(example.cached)
    if top is None:
        words = page.word("not_preflighted")
        answer = fit_text(words, None, False, box.w, box.h * 0.5, 11, MIN_SIZE, max_lines=1)
        y = box.y + box.h / 2 + (expected.height + 2 + answer.height) / 2
        _text(page, said, expected, box.x, y, box.w, theme.muted)
        _text(page, words, answer, box.x, y - expected.height - 2, box.w, theme.muted)
        return
    label, score = top
    colour = theme.accent if not example.expected or label == example.expected else theme.palette.highlight
    percent = _percent(score)
    score_text = fit_text(percent, None, True, 60, 20, 11.5, 11.5, max_lines=1)
    score_w = text_width(score_text.lines[0], score_text.font, True, score_text.size) if score_text.lines else 0.0
    name = fit_text(label, None, True, box.w - score_w - 8, 20, 11.5, MIN_SIZE, max_lines=1)
    bar_h = 4.0
    y = box.y + box.h / 2 + (expected.height + 2 + name.height + 4 + bar_h) / 2
    _text(page, said, expected, box.x, y, box.w, theme.muted)
    y -= expected.height + 2
    _text(page, label, name, box.x, y, box.w - score_w - 8, colour)
    # The score's box is a little wider than the PDF measures it, leftwards: "97%" must not wrap in the office suite.
    _text(page, percent, score_text, box.x + box.w - score_w - 6, y, score_w + 6, theme.ink, align="right")
    y -= name.height + 4
    _card(page, Box(box.x, y - bar_h, box.w, bar_h), theme.rule, radius=2)
    filled = box.w * max(0.0, min(1.0, score))
    if filled > 0:
        _card(page, Box(box.x, y - bar_h, max(filled, bar_h), bar_h), colour, radius=2)


# --- quality and the audience link --------------------------------------------------------------------------------


def _side_panel(page: Page, model: StageModel, box: Box) -> None:
    """The model's measured quality (big figures with their 95 % intervals, then n, the small-sample mark and the
    source) and the audience link, in a card only as tall as its figures when there is no link."""
    theme = page.look.theme
    inner = box.inset(14)
    head_words = page.word("metrics")
    head = fit_text(head_words, None, True, inner.w, 20, 11.5, MIN_SIZE, max_lines=1)
    tiles, details = quality_summary(model.metrics or {}, page.deck.lang)
    line = fit_text(details, None, False, inner.w, 30, 9.5, 8.5, max_lines=2)
    tile_h = (66.0 if any(tile[2] for tile in tiles) else 44.0) if tiles else 0.0
    needed = head.height + 6 + (tile_h + 6 if tiles else 0) + line.height + 28
    if needed > box.h:  # a short block (the PDF would draw past its foot): the figures need their whole card
        return
    card = box if model.audience_url else Box(box.x, box.top - min(box.h, needed), box.w, min(box.h, needed))
    _card(page, card).name = "Measured quality"
    _text(page, head_words, head, inner.x, inner.top, inner.w, theme.accent)
    y = inner.top - head.height - 6
    if tiles:
        cells = split(Box(inner.x, y - tile_h, inner.w, tile_h), [1.0] * len(tiles), vertical=False, gap=10)
        for (label, value, interval), cell in zip(tiles, cells, strict=True):
            _tile(page, label, value, interval, cell)
        y -= tile_h + 6
    _text(page, details, line, inner.x, y, inner.w, theme.muted)
    y -= line.height + 4
    if model.audience_url:
        _audience(page, model.audience_url, Box(inner.x, inner.y, inner.w, max(0.0, y - 8 - inner.y)))


def _tile(page: Page, label: str, value: str, interval: str, cell: Box) -> None:
    """A big figure, its name under it, then "95% CI 88–95%" (broken after its label when narrow)."""
    theme = page.look.theme
    big = fit_text(value, None, True, cell.w, 28, 22, 12, max_lines=1)
    _text(page, value, big, cell.x, cell.top, cell.w, theme.ink)
    small = fit_text(label, None, False, cell.w, 16, 9.5, 8.5, max_lines=1)
    _text(page, label, small, cell.x, cell.top - big.height, cell.w, theme.muted)
    top = cell.top - big.height - small.height
    label_part, _, span = interval.rpartition(" ")
    fits = text_width(interval, "PL-Sans", False, 8.5) <= cell.w
    for part in [interval] if fits or not label_part else [label_part, span]:
        ci = fit_text(part, None, False, cell.w, 12, 8.5, 7.5, max_lines=1)
        _text(page, part, ci, cell.x, top, cell.w, theme.muted)
        top -= ci.height


def _audience(page: Page, url: str, box: Box) -> None:
    """The audience link: a QR code when it fits (only an absolute link: a phone cannot open a bare path), the link
    as a hyperlink under it, and the loopback warning (``qr.loopback_warning``) when no phone can open it."""
    theme = page.look.theme
    head_words = page.word("try")
    head = fit_text(head_words, None, True, box.w, 18, 10.5, MIN_SIZE, max_lines=1)
    link = fit_text(url, None, False, box.w, 34, 9.5, 8, max_lines=2)
    absolute = url.startswith(("https://", "http://"))
    warning = loopback_warning(url, page.deck.lang)
    warn = fit_text(warning, None, False, box.w, 48, 8.5, MIN_SIZE, max_lines=4) if warning else None
    room = box.h - head.height - link.height - 12 - (warn.height + 4 if warn else 0)
    if room + 4 < 0:  # not even the heading and the link fit under the figures
        return
    side = min(box.w, room)
    y = box.top
    _text(page, head_words, head, box.x, y, box.w, theme.ink)
    y -= head.height + 4
    if absolute and side >= 56:
        place_image(
            page.shapes,
            qr_png(url, theme.ink),
            Frame(box.x + (box.w - side) / 2, HEIGHT - y, side, side),
            "Audience QR code",
        )
        y -= side + 6
    if link.lines:
        para = Para(shown_text(url, link), link.size, theme.accent, link=url)
        shape = text_box(page.shapes, Frame(box.x, HEIGHT - y, box.w, link.height), [para], page.look)
        shape.name = "Audience link"
        for click in shape.text_frame._txBody.iter(qn("a:hlinkClick")):
            _text_coloured(click)
    if warn is not None:
        _text(page, warning, warn, box.x, y - link.height - 4, box.w, WARNING_INK)


def _text_coloured(click: etree._Element) -> None:
    """A hyperlink set in its run's colour (the theme's accent), not the office theme's link blue, which is
    unreadable on a dark slide: Office 2019's hyperlink colour extension, which LibreOffice 7.1+ reads too."""
    ext = etree.SubElement(etree.SubElement(click, qn("a:extLst")), qn("a:ext"))
    ext.set("uri", "{A12FA001-AC4F-418D-AE19-62706E023703}")
    etree.SubElement(ext, f"{{{HYPERLINK_COLOUR}}}hlinkClr", nsmap={"ahyp": HYPERLINK_COLOUR}).set("val", "tx")


def qr_png(url: str, ink: str) -> bytes:
    """``url``'s QR code (the modules ``qr.qr_modules`` gives) as a PNG: dark modules in ``ink`` on white with a
    two-module quiet zone; in black where ``ink`` is too light for a scanner on white (a dark theme's ink)."""
    dark = ink if contrast_ratio(ink, "#ffffff") >= 7 else "#000000"
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=QR_SCALE, border=2, dark=dark, light="#ffffff")
    return buffer.getvalue()
