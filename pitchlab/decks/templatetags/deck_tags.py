"""Template filters of the web deck's renderer (``pitchlab.decks.web``): which template draws a slide or block,
the theme's style for the page's head, and the ``<img>`` of a picture."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pitchlab.decks import web, web_layouts
from pitchlab.decks.deck_pictures import DeckPicture
from pitchlab.decks.slides import Block, Deck, Slide, initials

register = template.Library()
register.filter("layout_template", web.layout_template)
register.filter("block_template", web.block_template)
register.filter("figures", web.figures)
register.filter("flow", web.flow)
register.filter("table_rows", web.table_rows)
register.filter("theme_design", web.theme_design)
register.filter("initials", initials)
register.filter("pictures_of", web.pictures_of)
register.filter("statement_size", web.statement_size)
register.filter("column_size", web.column_size)
register.filter("first_words", web_layouts.first_words)
register.filter("big_block", web_layouts.big_block)
register.filter("first_picture", web_layouts.first_picture)
register.filter("without", web_layouts.without)
register.filter("columns_of", web_layouts.columns_of)
register.filter("figure_size", web_layouts.figure_size)
register.filter("title_extras", web_layouts.title_extras)
register.filter("text_size", web_layouts.text_size)
register.filter("narrow_size", web_layouts.narrow_size)


@register.simple_tag
def deck_theme_head(deck: Deck, theme: str) -> str:
    """The ``<link>``s of the brand's font stylesheets and a ``<style>`` setting the theme's custom properties."""
    style = web.theme_style(theme, deck)
    links = format_html_join("", '<link rel="stylesheet" href="{}">', ((static(path),) for path in style.stylesheets))
    # A <style> is raw text: HTML-escaping would turn the font names' quotes into entities CSS does not read. Every
    # value is a #rrggbb colour (branded() drops anything else), a number or a catalogue font stack, so no "<".
    css = style.css
    if "<" in css:
        raise ValueError(f"unexpected markup in a theme style: {css!r}")
    return format_html("{}<style>{}</style>", links, mark_safe(css))  # noqa: S308


@register.simple_tag
def slide_logo(deck: Deck, slide: Slide, theme: str) -> DeckPicture | None:
    """The logo ``slide`` shows in ``theme`` (``web.slide_logo``): ``{% slide_logo deck slide theme as logo %}``."""
    return web.slide_logo(deck, slide, theme)


@register.simple_tag
def deck_img(
    picture: DeckPicture,
    sizes: str,
    *,
    fit: str = "cover",
    on: Slide | None = None,
    alt: str | None = None,
    css: str = "",
) -> str:
    """The ``<img>`` of ``picture``: its web widths as a ``srcset`` for ``sizes``, its width and height (the page
    keeps its place before it loads), its alt text (``alt`` instead when given: "" for a decorative one), its
    focal point as ``object-position``. Lazy unless ``on`` the first slide (it shows at once). The server
    answers WebP to a browser that takes it, so one ``<img>`` is enough (no ``<picture>``)."""
    if fit not in ("cover", "contain"):
        raise ValueError(f"object-fit must be cover or contain, not {fit!r}")
    return format_html(
        '<img{} src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async"'
        ' style="object-fit: {}; object-position: {}">',
        format_html(' class="{}"', css) if css else "",
        picture.src(web.FALLBACK_WIDTH),
        web.srcset(picture),
        sizes,
        picture.width,
        picture.height,
        picture.alt if alt is None else alt,
        "eager" if on is not None and on.number == 1 else "lazy",
        fit,
        web.object_position(picture),
    )


@register.simple_tag(takes_context=True)
def editable(context: template.Context, owner: Block | Slide, part: str, *steps: object) -> str:
    """The attributes that make a text on a slide editable in the web deck's Edit mode: where it is written
    (``data-edit-unit``, ``data-edit-pointer``) and whether the text shown is generated (an edit there is stored
    as an override; "back to generated" clears it). Nothing where the page is not editable (``deck_editable``
    false: the share page, the audience window, a viewer) or the part has no source.

    ``steps`` follow the part's name, joined by dots, so a loop names its item without building the string:
    ``{% editable block "item" forloop.counter0 %}`` is part "item.2", ``{% editable block "person" i "bio" %}``
    "person.2.bio"."""
    if not context.get("deck_editable"):
        return ""
    part = ".".join((part, *map(str, steps)))
    source = owner.source(part)
    if source is None:
        return ""
    generated = mark_safe(" data-edit-generated") if source.generated else ""
    attributes = ' data-edit-unit="{}" data-edit-pointer="{}" data-edit-part="{}"{}'
    return format_html(attributes, source.unit, source.pointer, part, generated)
