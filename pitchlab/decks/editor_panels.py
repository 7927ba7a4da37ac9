"""The decks' parts of the canvas editor (pitches/panels.py), registered in DecksConfig.ready(): the deck panel
at the top of the Deck section, and the deck's full slide list (every kind once, with readable names) in its
"deck.slides" unit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from pitchlab.decks.picture_sources import deck_pictures
from pitchlab.decks.services import deck_build, pitch_deck, pitch_stage_models
from pitchlab.decks.slides import deck_settings, setting_json, slide_labels
from pitchlab.decks.web import LAYOUT_LABELS, theme_choices
from pitchlab.pitches.canvas import CUSTOM_SLIDE
from pitchlab.pitches.panels import EditorPage
from pitchlab.pitches.read_model import SlideSetting


def deck_panel_context(page: EditorPage) -> Mapping[str, Any]:
    """The deck as it will be, for the panel's outline: a live demo slide per chosen model included."""
    pitch = page.pitch
    return {
        "deck": pitch_deck(pitch=pitch, lang=page.lang, demos=pitch_stage_models(pitch=pitch)),
        "themes": theme_choices(),
    }


def _automatic_layouts(page: EditorPage, rows: list[dict[str, Any]]) -> dict[str, str]:
    """The layout each visible slide's content chooses (what "Automatic" means for its row, the founder's choice
    set aside): the deck built with every row's layout cleared. A row with no slide (hidden, nothing to show,
    the live demo group) is not in it."""
    pitch = page.pitch
    content = pitch.content
    cleared = {**content, "deck": {**content.get("deck", {}), "slides": [{**row, "layout": ""} for row in rows]}}
    deck = deck_build(
        name=pitch.name, canvas=cleared, lang=page.lang, pictures=deck_pictures(pitch=pitch, canvas=content)
    )
    return {slide.row: slide.layout for slide in deck.slides if slide.layouts}


def deck_slides_unit(unit: dict[str, Any], page: EditorPage) -> dict[str, Any]:
    """The slides unit lists every slide of the deck (not only those the founder changed), kinds by name, each
    row's layout by its label (and what "Automatic" is for it); a custom slide may be added (``new_row``: the
    editor gives it a random ``id``) and deleted, a kind's row may not."""
    rows = deck_settings(page.pitch.content)["slides"]
    with override("zh-hans" if page.lang == "zh" else "en"):
        labels = {**slide_labels(page.lang), CUSTOM_SLIDE: _("Custom slide")}
        layout_labels = {name: str(label) for name, label in LAYOUT_LABELS.items()}
        new_row = setting_json(SlideSetting(CUSTOM_SLIDE, title=_("New slide")))
        add_label = _("Add slide")
    extra = {
        "kind": {"labels": labels},
        "layout": {"labels": layout_labels, "automatic": _automatic_layouts(page, rows)},
    }
    columns = [{**column, **extra.get(column["key"], {})} for column in unit["columns"]]
    return {
        **unit,
        "value": rows,
        "columns": columns,
        "removable_kind": CUSTOM_SLIDE,
        "new_row": {"label": add_label, "value": new_row, "random_id": "id"},
    }
