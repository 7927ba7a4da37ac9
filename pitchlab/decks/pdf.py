"""The deck as a PDF an investor can be sent: one 16:9 page per slide of the slide model (pure, no Django).

Each slide is drawn by the page drawer of its layout (``PAGE_LAYOUTS``, keyed on ``slide.layout``; the blocks
on it by ``pdf_blocks.BLOCK_DRAWERS``): a new layout is one entry there, its placement in ``pdf_layouts`` when it
arranges the blocks its own way (a big number, a quote, columns, a picture beside the words, charts beside their
takeaways), here when it draws the whole page (the cover, a picture filling the page). Page 1 is the cover (the
deck's slide with a cover layout, or the company and its purpose when that slide is hidden); every other visible
slide follows in the founder's order, with the company name and "n / N" in the footer; with ``notes_appendix``
set, the speaker notes follow in two columns, as many pages as they need. Text is set in the shipped fonts
(``fonts``), embedded, and fitted to its box (``pdf_text``). The pitch's pictures (``deck.pictures``) are asked of
``render_pdf``'s ``pictures`` at the size they are drawn (``pdf_pictures``): the logo over the company name on the
cover and left of it in every footer, the cover picture where the theme's cover treatment puts it
(``COVER_PICTURES``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.brand import relative_luminance
from pitchlab.decks.charts.ir import Drawing
from pitchlab.decks.deck_pictures import DeckPicture, PrintFiles
from pitchlab.decks.fonts import register_family
from pitchlab.decks.pdf_base import Box, Style
from pitchlab.decks.pdf_blocks import draw_slide_blocks, layout
from pitchlab.decks.pdf_layouts import CONTENT_LAYOUTS, ContentLayout, draw_picture_page, full_picture
from pitchlab.decks.pdf_pictures import Shape, draw_picture, fitted_box, remembered
from pitchlab.decks.pdf_text import FittedText, draw_text, families, fit_text
from pitchlab.decks.slides import Block, Deck, Slide
from pitchlab.decks.themes import Theme, branded, theme_get

WIDTH, HEIGHT = 960.0, 540.0
MARGIN = 64.0
CONTENT_BOTTOM = 64.0
NOTES_SIZE = 11.0
_WORDS = {
    "deck": ("Pitch deck", "路演材料"),
    "notes": ("Speaker notes", "演讲备注"),
    "continued": ("Speaker notes (continued)", "演讲备注（续）"),
    "no_notes": ("No speaker notes.", "暂无演讲备注。"),
    "seconds": ("{n} s planned", "计划 {n} 秒"),
    "total": ("{slides} · {minutes} planned", "共 {slides} 页 · 计划 {minutes}"),
}


def _word(lang: str, key: str, **values: object) -> str:
    en, zh = _WORDS[key]
    return (zh if lang.startswith("zh") else en).format(**values)


@dataclass(frozen=True)
class _Line:
    """One piece of an appendix column: fitted text, its colour and the space it takes."""

    fitted: FittedText
    color: str
    height: float


def _solid(c: Canvas, theme: Theme) -> None:
    c.setFillColor(theme.background)
    c.rect(0, 0, WIDTH, HEIGHT, stroke=0, fill=1)


def _edge(c: Canvas, theme: Theme) -> None:
    """The page with an accent edge down its left side, clear of the text (which starts at ``MARGIN``)."""
    _solid(c, theme)
    c.setFillColor(theme.accent)
    c.rect(0, 0, 10, HEIGHT, stroke=0, fill=1)


def _foot_band(c: Canvas, theme: Theme) -> None:
    """The page on a band of the surface colour under the footer, like the foot of a printed page."""
    _solid(c, theme)
    c.setFillColor(theme.surface)
    c.rect(0, 0, WIDTH, 50, stroke=0, fill=1)


# What each theme's ``backdrop`` draws behind a content page: a new treatment is one entry.
BACKDROPS: dict[str, Callable[[Canvas, Theme], None]] = {"solid": _solid, "edge": _edge, "foot_band": _foot_band}


def _background(c: Canvas, theme: Theme) -> None:
    BACKDROPS[theme.backdrop](c, theme)


def _label(theme: Theme, text: str) -> str:
    return text.upper() if theme.type.caps_labels else text


FOOTER_LOGO = Box(MARGIN, 18, 96, 16)  # the most room the footer's logo takes, left of the company name


def _footer(st: Style, deck: Deck, page: int, total: int) -> None:
    """The deck's logo (when it has one) and the company, with the brand's footer text, on the left; "n / N" on
    the right; over a hairline."""
    c, theme = st.c, st.theme
    c.setStrokeColor(theme.rule)
    c.setLineWidth(0.8)
    c.line(MARGIN, 40, WIDTH - MARGIN, 40)
    number = fit_text(f"{page} / {total}", None, False, 120, 14, 9.5, 9.5)
    note = deck.brand.footer
    left = _label(theme, f"{deck.company}  ·  {note}" if note else deck.company)
    x = MARGIN
    logo = deck.pictures.logo_for(theme.dark)
    if logo is not None:
        frame = fitted_box(logo.aspect, FOOTER_LOGO, anchor="w")
        if draw_picture(st, logo, frame, contain=True):
            x = frame.x + frame.w + 10
    room = WIDTH - MARGIN - 140 - x
    name = fit_text(left, None, False, room, 14, 9.5, 7, max_lines=1)
    draw_text(c, name, x, 32, room, theme.muted)
    draw_text(c, number, WIDTH - MARGIN - 120, 32, 120, theme.muted, align="right")


TITLE_TOP = HEIGHT - 56  # the top of a slide title's first line


def _title(title: str, theme: Theme) -> FittedText:
    width = WIDTH - 2 * MARGIN
    size, floor = theme.type.title, theme.type.title_min
    return fit_text(title, None, True, width, 84, size, floor, leading=theme.type.title_leading, max_lines=2)


def _content_area(title: FittedText) -> Box:
    """The part of a slide page below its title and above its footer."""
    top = TITLE_TOP - title.height - 26
    return Box(MARGIN, CONTENT_BOTTOM, WIDTH - 2 * MARGIN, top - CONTENT_BOTTOM)


def _bar(c: Canvas, theme: Theme, title: FittedText) -> str:
    """A short accent bar above the title."""
    c.setFillColor(theme.accent)
    c.rect(MARGIN, HEIGHT - 46, 36, 4, stroke=0, fill=1)
    return theme.ink


def _rule(c: Canvas, theme: Theme, title: FittedText) -> str:
    """A thin rule in the ink under the title, across the page, and a short heavier one in the accent over it."""
    y = TITLE_TOP - title.height - 12
    c.setStrokeColor(theme.ink)
    c.setLineWidth(0.6)
    c.line(MARGIN, y, WIDTH - MARGIN, y)
    c.setFillColor(theme.accent)
    c.rect(MARGIN, y - 1, 48, 2.5, stroke=0, fill=1)
    return theme.ink


def _band(c: Canvas, theme: Theme, title: FittedText) -> str:
    """A band of the accent (the brand primary) from the top of the page down past the title, text in its ink."""
    bottom = TITLE_TOP - title.height - 12
    c.setFillColor(theme.accent)
    c.rect(0, bottom, WIDTH, HEIGHT - bottom, stroke=0, fill=1)
    return theme.accent_ink


def _left_bar(c: Canvas, theme: Theme, title: FittedText) -> str:
    """An accent bar to the left of the title, as tall as its lines."""
    c.setFillColor(theme.accent)
    c.rect(MARGIN - 20, TITLE_TOP - title.height + 2, 5, title.height, stroke=0, fill=1)
    return theme.ink


def _plain(c: Canvas, theme: Theme, title: FittedText) -> str:
    return theme.ink


# How each theme's ``title`` treatment is drawn behind a slide title; returns the colour the title is set in.
TITLE_TREATMENTS: dict[str, Callable[[Canvas, Theme, FittedText], str]] = {
    "bar": _bar,
    "rule": _rule,
    "band": _band,
    "left_bar": _left_bar,
    "plain": _plain,
}


def _header(c: Canvas, theme: Theme, title: str) -> Box:
    """Draw a slide title in its theme's treatment; returns the content area below it."""
    fitted = _title(title, theme)
    ink = TITLE_TREATMENTS[theme.title](c, theme, fitted)
    draw_text(c, fitted, MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, ink)
    return _content_area(fitted)


def chart_sizes(deck: Deck, theme: Theme | None = None) -> dict[str, tuple[float, float]]:
    """The box, in points, each chart of ``deck`` is drawn into in ``theme`` (default: the deck's own; a theme's
    title sizes move the box): build charts at these sizes to draw them 1:1.

    A chart of another size is scaled to fit its box, keeping its proportions, so its text gets smaller.
    """
    theme = theme or theme_get(deck.theme)
    sizes: dict[str, tuple[float, float]] = {}
    for slide in deck.slides:
        place = page_layout(slide).place
        if place is not None:
            for block, box in place(slide.blocks, _slide_area(slide, theme)):
                if block.kind == "chart" and block.chart:
                    sizes.setdefault(block.chart, (round(box.w), round(box.h)))
    return sizes


def _circles(c: Canvas, theme: Theme) -> tuple[str, str, str]:
    """Rings of the accent off the right edge and a grid of dots: the light and dark themes' cover."""
    _background(c, theme)
    c.saveState()
    c.setFillColor(theme.accent)
    c.setStrokeColor(theme.accent)
    cx, cy = WIDTH - 30, HEIGHT / 2 + 10
    c.setFillAlpha(0.08)
    c.circle(cx, cy, 240, stroke=0, fill=1)
    c.setFillAlpha(0.12)
    c.circle(cx, cy, 150, stroke=0, fill=1)
    c.setStrokeAlpha(0.3)
    c.setLineWidth(1)
    c.circle(cx, cy, 300, stroke=1, fill=0)
    c.setFillAlpha(0.45)
    for i in range(7):
        for j in range(5):
            c.circle(WIDTH - 300 + i * 16, HEIGHT - 64 - j * 16, 1.6, stroke=0, fill=1)
    c.restoreState()
    return theme.ink, theme.muted, theme.accent


def _bleed(c: Canvas, theme: Theme) -> tuple[str, str, str]:
    """The whole page in the accent (the brand primary), every word in its ink; a page-colour strip at the foot."""
    c.setFillColor(theme.accent)
    c.rect(0, 0, WIDTH, HEIGHT, stroke=0, fill=1)
    c.saveState()
    c.setFillColor(theme.accent_ink)
    c.setFillAlpha(0.12)
    c.rect(WIDTH * 0.66, 0, WIDTH * 0.34, HEIGHT, stroke=0, fill=1)
    c.restoreState()
    return theme.accent_ink, theme.accent_ink, theme.accent_ink


def _ruled(c: Canvas, theme: Theme) -> tuple[str, str, str]:
    """A heavy rule at the head and a thin one at the foot, like a journal's title page (no backdrop)."""
    _solid(c, theme)
    c.setFillColor(theme.ink)
    c.rect(MARGIN, HEIGHT - 52, WIDTH - 2 * MARGIN, 3, stroke=0, fill=1)
    c.setStrokeColor(theme.ink)
    c.setLineWidth(0.6)
    c.line(MARGIN, 80, WIDTH - MARGIN, 80)
    return theme.ink, theme.muted, theme.accent


def _bare(c: Canvas, theme: Theme) -> tuple[str, str, str]:
    """Nothing but the page."""
    _solid(c, theme)
    return theme.ink, theme.muted, theme.accent


# What each theme's ``cover`` draws behind the cover's text; returns the colours of its title, purpose and label.
COVERS: dict[str, Callable[[Canvas, Theme], tuple[str, str, str]]] = {
    "circles": _circles,
    "bleed": _bleed,
    "rule": _ruled,
    "plain": _bare,
}


@dataclass(frozen=True)
class CoverPicture:
    """Where a cover treatment puts the cover picture: ``frame`` (clipped to ``shape``; it may run off the page,
    only its part on the page is drawn) and how far the cover's words may reach from the left (``text_right``)."""

    frame: Box
    shape: Shape
    text_right: float


# The cover picture in each cover treatment: inside the rings (circles), bled off the right edge over the
# accent page (bleed), a plate between the journal's rules (rule), a quiet rounded plate (plain).
COVER_PICTURES: dict[str, CoverPicture] = {
    "circles": CoverPicture(Box(WIDTH - 270, HEIGHT / 2 + 10 - 240, 480, 480), "circle", WIDTH - 270 - 48),
    "bleed": CoverPicture(Box(WIDTH * 0.62, 0, WIDTH * 0.38, HEIGHT), "rect", WIDTH * 0.62 - 44),
    "rule": CoverPicture(Box(WIDTH - MARGIN - 300, 104, 300, HEIGHT - 104 - 76), "rect", WIDTH - MARGIN - 344),
    "plain": CoverPicture(Box(WIDTH - MARGIN - 316, MARGIN, 316, HEIGHT - 2 * MARGIN), "round", WIDTH - MARGIN - 360),
}
COVER_LOGO = (240.0, 70.0)  # the most room the logo takes above the company name


def _cover_picture(st: Style, picture: DeckPicture) -> CoverPicture:
    """Draw the cover picture as the theme's cover treatment places it (nothing when its file is gone)."""
    place = COVER_PICTURES[st.theme.cover]
    frame = place.frame
    page = Box(0, 0, WIDTH, HEIGHT)
    left, bottom = max(frame.x, page.x), max(frame.y, page.y)
    shown = Box(left, bottom, min(frame.x + frame.w, WIDTH) - left, min(frame.top, HEIGHT) - bottom)
    if place.shape == "circle":
        st.c.saveState()
        path = st.c.beginPath()
        path.circle(frame.x + frame.w / 2, frame.y + frame.h / 2, frame.w / 2)
        st.c.clipPath(path, stroke=0, fill=0)
        draw_picture(st, picture, shown)
        st.c.restoreState()
    else:
        draw_picture(st, picture, shown, shape=place.shape, radius=14)
    return place


def _title_page(st: Style, deck: Deck, slide: Slide, page: int, total: int) -> None:
    """The cover: the logo, the slide's title (or the company) large, the purpose under it, the cover picture
    where the theme's cover treatment puts it; no page number."""
    c, theme = st.c, st.theme
    ink, muted, label_ink = COVERS[theme.cover](c, theme)
    title = slide.title or deck.company
    texts = [b.text for b in slide.blocks if b.kind == "text"]
    purpose = texts[0] if texts else deck.purpose
    cover = next((b.pictures[0] for b in slide.blocks if b.kind == "picture" and b.pictures), None)
    width = 560.0
    if cover is not None and st.pictures is not None:
        width = min(width, _cover_picture(st, cover).text_right - MARGIN)
    # The logo that reads on this cover: the words' colour tells whether the page under them is dark.
    logo = deck.pictures.logo_for(relative_luminance(ink) > 0.5)
    logo_box = None
    if logo is not None and st.pictures is not None:
        most_w, most_h = COVER_LOGO
        logo_w = min(most_w, most_h * logo.aspect)
        logo_box = Box(MARGIN, 0, logo_w, logo_w / logo.aspect)
    above = logo_box.h + 24 + (27 if theme.cover != "plain" else 0) if logo_box else 0.0
    size = theme.type.cover
    name = fit_text(title, None, True, width, 130 if logo_box else 150, size, 28, leading=1.08, max_lines=2)
    about = fit_text(purpose, None, False, width - 40, 96 if logo_box else 150, 22, 12, leading=1.35)
    gap = 26.0 if about.lines else 0.0
    top = HEIGHT / 2 + (name.height + gap + about.height - above) / 2 + 14
    top = min(top, HEIGHT - 64 - above)
    if logo is not None and logo_box is not None:
        draw_picture(st, logo, Box(logo_box.x, top + above - logo_box.h, logo_box.w, logo_box.h), contain=True)
    if theme.cover != "plain":
        c.setFillColor(label_ink)
        c.rect(MARGIN, top + 22, 56, 5, stroke=0, fill=1)
    draw_text(c, name, MARGIN, top, width, ink)
    draw_text(c, about, MARGIN, top - name.height - gap, width - 40, muted)
    label = _word(deck.lang, "deck") + (f"  ·  {deck.company}" if title != deck.company else "")
    if deck.brand.footer:
        label += f"  ·  {deck.brand.footer}"
    footer = fit_text(_label(theme, label), None, True, width, 16, 10.5, 8, max_lines=1)
    draw_text(c, footer, MARGIN, 58, width, label_ink)


def _slide_area(slide: Slide, theme: Theme) -> Box:
    return _content_area(_title(slide.title, theme))


def _slide_page(st: Style, deck: Deck, slide: Slide, page: int, total: int) -> None:
    """A slide's page: its title under an accent bar, its blocks below, the company and "n / N" in the footer."""
    _background(st.c, st.theme)
    draw_slide_blocks(st, slide, _header(st.c, st.theme, slide.title))  # the same box as _slide_area
    _footer(st, deck, page, total)


PageDraw = Callable[[Style, Deck, Slide, int, int], None]
Place = Callable[[Sequence[Block], Box], Sequence[tuple[Block, Box]]]


@dataclass(frozen=True)
class PageLayout:
    """How the PDF draws a slide of one layout: ``draw(style, deck, slide, page, total)``.

    ``place(blocks, area)`` says where the blocks its kinds' drawers draw go in the content area below the title
    (None: it places none, so sizes no chart); a ``cover`` layout's slide is page 1 of the PDF, whatever its place
    in the deck.
    """

    draw: PageDraw
    place: Place | None = layout
    cover: bool = False


def _content_page(content: ContentLayout) -> PageLayout:
    """A layout of ``pdf_layouts`` on a slide page: the title, its content, the footer."""

    def draw(st: Style, deck: Deck, slide: Slide, page: int, total: int) -> None:
        _background(st.c, st.theme)
        content.draw(st, slide.blocks, _header(st.c, st.theme, slide.title))
        _footer(st, deck, page, total)

    return PageLayout(draw, content.place)


def _picture_full_page(st: Style, deck: Deck, slide: Slide, page: int, total: int) -> None:
    """The slide's first picture fills the page, its title and first text a caption on a band at the foot, over
    the footer; without a picture to draw, the slide as text."""
    _background(st.c, st.theme)
    full = Box(0, 0, WIDTH, HEIGHT)
    if not draw_picture_page(st, slide.title, slide.blocks, full, margin=MARGIN, foot=CONTENT_BOTTOM):
        draw_slide_blocks(st, slide, _header(st.c, st.theme, slide.title))
    _footer(st, deck, page, total)


def _place_picture_full(blocks: Sequence[Block], area: Box) -> Sequence[tuple[Block, Box]]:
    """No block is placed beside a picture filling the page; without one, the generic slide's (a picture whose file
    turns out gone falls back too, its charts then scaled into boxes they were not built for)."""
    return [] if full_picture(blocks) is not None else layout(blocks, area)


_SLIDE = PageLayout(_slide_page)
PAGE_LAYOUTS: dict[str, PageLayout] = {
    "title": PageLayout(_title_page, place=None, cover=True),
    "text": _SLIDE,
    "bullets": _SLIDE,
    "chart": _SLIDE,
    "chart_table": _SLIDE,
    "chart_bullets": _SLIDE,
    "people": _SLIDE,
    "gallery": _SLIDE,
    "timeline": _SLIDE,
    "ask": _SLIDE,
    "demo": _SLIDE,
    "live_demo": _SLIDE,
    "picture_full": PageLayout(_picture_full_page, _place_picture_full),
    **{name: _content_page(content) for name, content in CONTENT_LAYOUTS.items()},
}


def page_layout(slide: Slide) -> PageLayout:
    """The page drawer of ``slide``'s layout; a layout without one is a KeyError naming it."""
    return PAGE_LAYOUTS[slide.layout]


def _pages(deck: Deck) -> list[Slide]:
    """The deck's slides in page order: the cover first (made from the company and purpose when hidden)."""
    cover = next((slide for slide in deck.slides if page_layout(slide).cover), None)
    if cover is None:
        blocks = (Block("text", text=deck.purpose),) if deck.purpose else ()
        cover = Slide(kind="title", title=deck.company, blocks=blocks, notes="", seconds=0, layout="title")
    return [cover, *(slide for slide in deck.slides if slide is not cover)]


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _appendix_columns(deck: Deck, theme: Theme, height: float, width: float) -> list[list[_Line]]:
    """The speaker notes laid out into columns of ``height``; a title is kept with its first lines."""
    entries: list[list[_Line]] = []
    for slide in deck.slides:
        head = fit_text(slide.title or deck.company, None, True, width, 60, 13, 13, max_lines=2)
        meta = fit_text(_word(deck.lang, "seconds", n=slide.seconds), None, False, width, 20, 9.5, 9.5)
        notes = fit_text(slide.notes or _word(deck.lang, "no_notes"), None, False, width, 1e7, NOTES_SIZE, NOTES_SIZE)
        color = theme.ink if slide.notes else theme.muted
        line_height = NOTES_SIZE * notes.leading
        body = [
            _Line(FittedText(notes.size, (line,), False, notes.font, False, notes.leading), color, line_height)
            for line in notes.lines
        ]
        entries.append([_Line(head, theme.ink, head.height + 2), _Line(meta, theme.accent, meta.height + 6), *body])
    columns: list[list[_Line]] = [[]]
    used = 0.0
    for entry in entries:
        keep = sum(line.height for line in entry[:4]) + 18
        if columns[-1] and used + keep > height:
            columns.append([])
            used = 0.0
        if columns[-1]:
            used += 18
            columns[-1].append(_Line(FittedText(1, (), False), theme.ink, 18))
        for line in entry:
            if used + line.height > height and columns[-1]:
                columns.append([])
                used = 0.0
            columns[-1].append(line)
            used += line.height
    return columns


def render_pdf(
    deck: Deck,
    *,
    charts: Mapping[str, Drawing],
    theme: Theme | None = None,
    on_slide: Callable[[int, int], None] | None = None,
    images: Mapping[str, bytes] | None = None,
    pictures: PrintFiles | None = None,
) -> bytes:
    """The deck as PDF bytes: title page, a page per slide, and the speaker-notes appendix if asked for.

    ``charts`` holds the built chart of each kind (a slide whose chart is missing shows a placeholder);
    ``theme`` defaults to the deck's own; ``on_slide(done, total)`` is called after every page; ``images``
    maps a live demo example's ``image_url`` to its bytes, drawn as a thumbnail (missing: a placeholder);
    ``pictures`` cuts the pictures ``deck.pictures`` places to their size (None: none are drawn).
    """
    theme = theme or branded(theme_get(deck.theme), deck.brand)
    with families(theme.heading_font, theme.body_font, theme.type.body):
        return _render(deck, charts, theme, on_slide, images or {}, pictures)


def _render(
    deck: Deck,
    charts: Mapping[str, Drawing],
    theme: Theme,
    on_slide: Callable[[int, int], None] | None,
    images: Mapping[str, bytes],
    pictures: PrintFiles | None = None,
) -> bytes:
    register_family(theme.heading_font)
    fonts = register_family(theme.body_font)
    pages = _pages(deck)
    column_w = (WIDTH - 2 * MARGIN - 40) / 2
    notes_top = min(_content_area(_title(_word(deck.lang, key), theme)).top for key in ("notes", "continued"))
    columns = _appendix_columns(deck, theme, notes_top - CONTENT_BOTTOM, column_w) if deck.notes_appendix else []
    notes_pages = [columns[i : i + 2] for i in range(0, len(columns), 2)]
    total = len(pages) + len(notes_pages)

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(WIDTH, HEIGHT), initialFontName=fonts.sans, pageCompression=1)
    c.setTitle(deck.company)
    c.setAuthor("PitchLab")
    c.setCreator("PitchLab")
    c.setSubject(deck.purpose)
    style = Style(c, theme, fonts, deck.lang, charts, images, remembered(pictures))
    page = 0

    def finish() -> None:
        c.showPage()
        if on_slide is not None:
            on_slide(page, total)

    for slide in pages:
        page += 1
        page_layout(slide).draw(style, deck, slide, page, total)
        finish()
    for index, pair in enumerate(notes_pages):
        page += 1
        _background(c, theme)
        title = _word(deck.lang, "notes" if index == 0 else "continued")
        _header(c, theme, title)
        if index == 0:
            count = (
                len(deck.slides)
                if deck.lang.startswith("zh")
                else f"{len(deck.slides)} slide" + "s" * (len(deck.slides) != 1)
            )
            summary = _word(deck.lang, "total", slides=count, minutes=_minutes(deck.planned_seconds))
            fitted = fit_text(summary, None, False, 400, 16, 10.5, 9, max_lines=1)
            draw_text(c, fitted, WIDTH - MARGIN - 400, HEIGHT - 40, 400, theme.muted, align="right")
        for col, lines in enumerate(pair):
            x, y = MARGIN + col * (column_w + 40), notes_top
            for line in lines:
                draw_text(c, line.fitted, x, y, column_w, line.color)
                y -= line.height
        _footer(style, deck, page, total)
        finish()
    c.save()
    return buffer.getvalue()
