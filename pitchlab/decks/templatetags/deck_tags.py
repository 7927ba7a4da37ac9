"""Template filters of the web deck's renderer (``pitchlab.decks.web``): which template draws a slide or block."""

from __future__ import annotations

from django import template

from pitchlab.decks import web

register = template.Library()
register.filter("layout_template", web.layout_template)
register.filter("block_template", web.block_template)
register.filter("figures", web.figures)
register.filter("flow", web.flow)
register.filter("table_rows", web.table_rows)
