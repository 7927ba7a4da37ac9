"""Template filters of the web deck's renderer (``pitchlab.decks.web``): which template draws a slide or block,
and the theme's style for the page's head."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pitchlab.decks import web
from pitchlab.decks.slides import Deck

register = template.Library()
register.filter("layout_template", web.layout_template)
register.filter("block_template", web.block_template)
register.filter("figures", web.figures)
register.filter("flow", web.flow)
register.filter("table_rows", web.table_rows)
register.filter("theme_design", web.theme_design)


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
