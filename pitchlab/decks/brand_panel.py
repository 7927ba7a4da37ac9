"""The brand kit's panel in the canvas editor (pitches/panels.py), registered in DecksConfig.ready() in the Deck
section, before the Pictures panel: colours, fonts, footer and which logo the deck uses. It saves the canvas unit
``deck.brand`` (validated by brand_unit.py); static/pitchlab/brand.js makes it work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pitchlab.decks.brand_unit import LOGO_ROLES
from pitchlab.decks.font_catalogue import FONT_FAMILIES, FontFamily, font_family
from pitchlab.decks.themes import THEMES
from pitchlab.pictures import renditions
from pitchlab.pictures.models import Picture
from pitchlab.pictures.selectors import picture_list
from pitchlab.pitches.canvas import BRAND_FOOTER_LIMIT, empty_brand, get_unit
from pitchlab.pitches.panels import EditorPage

LOGO_THUMB_WIDTH = 160  # the smallest web rendition (pictures/images.WIDTHS): a picker shows them small


@dataclass(frozen=True)
class LogoChoice:
    """One of the pitch's logos as the picker offers it."""

    id: int
    src: str
    alt: str
    role: str
    role_label: str


def _brand(content: Any) -> dict[str, Any]:
    stored = get_unit(content, "deck.brand")
    return {**empty_brand(), **(stored if isinstance(stored, dict) else {})}


def _logos(page: EditorPage) -> list[LogoChoice]:
    pitch_id = page.pitch.pk
    choices = []
    # newest first: the picker's order matches its "newest uploaded" default
    for picture in reversed(list(picture_list(pitch=page.pitch).filter(role__in=LOGO_ROLES))):
        url = reverse("api-picture-file", args=[pitch_id, picture.pk])
        choices.append(
            LogoChoice(
                id=picture.pk,
                src=f"{url}?v={renditions.version(picture)}&w={LOGO_THUMB_WIDTH}",
                alt=picture.alt,
                role=picture.role,
                role_label=str(Picture.Role(picture.role).label),
            )
        )
    return choices


def _font(family: FontFamily) -> dict[str, str]:
    return {"id": family.id, "name": family.name, "stack": family.css_stack, "css": family.css}


def brand_panel_context(page: EditorPage) -> Mapping[str, Any]:
    """The stored brand kit, the font catalogue, the pitch's logos and the backgrounds of the preview."""
    brand = _brand(page.pitch.content)
    logos = _logos(page)
    # a stored id whose picture was deleted reads as "newest uploaded", as the deck reads it (deck_pictures.choose)
    ids = {logo.id for logo in logos}
    light, dark = THEMES["light"], THEMES["dark"]
    colours = [
        {
            "field": "primary",
            "label": _("Primary colour"),
            "hint": _("Titles, big numbers and coloured bands."),
            "value": brand["primary"],
            "default": light.accent,
        },
        {
            "field": "accent",
            "label": _("Accent colour"),
            "hint": _("Chart lines and series."),
            "value": brand["accent"],
            "default": light.palette.highlight,
        },
    ]
    logo_fields = [
        {"field": "logo", "label": _("Logo"), "chosen": brand["logo"] if brand["logo"] in ids else None},
        {
            "field": "logo_dark",
            "label": _("Logo for dark backgrounds"),
            "chosen": brand["logo_dark"] if brand["logo_dark"] in ids else None,
        },
    ]
    fonts = (("heading_font", _("Heading font")), ("body_font", _("Body font")))
    return {
        "brand": brand,
        "brand_font_fields": [
            {"field": field, "label": label, "value": family.id, "name": family.name, "stack": family.css_stack}
            for field, label in fonts
            for family in [font_family(brand[field])]
        ],
        "brand_footer_limit": BRAND_FOOTER_LIMIT,
        "brand_colours": colours,
        "brand_logo_fields": logo_fields,
        "brand_fonts": [_font(family) for family in FONT_FAMILIES.values()],
        "brand_font_sheets": sorted({family.css for family in FONT_FAMILIES.values()}),
        "brand_logos": logos,
        "brand_preview": {
            "light": light.background,
            "dark": dark.background,
            "light_primary": light.accent,
            "dark_primary": dark.accent,
            "light_accent": light.palette.highlight,
            "dark_accent": dark.palette.highlight,
        },
        "brand_initial": {**brand, "version": page.pitch.version},
    }
