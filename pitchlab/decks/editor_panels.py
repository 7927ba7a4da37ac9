"""The decks' parts of the canvas editor (pitches/panels.py), registered in DecksConfig.ready(): the deck panel
at the top of the Deck section, and the deck's full slide list (every kind once, with readable names) in its
"deck.slides" unit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pitchlab.decks.services import pitch_deck, pitch_stage_models
from pitchlab.decks.slides import deck_settings, slide_labels
from pitchlab.decks.web import theme_choices
from pitchlab.pitches.panels import EditorPage


def deck_panel_context(page: EditorPage) -> Mapping[str, Any]:
    """The deck as it will be, for the panel's outline: a live demo slide per chosen model included."""
    pitch = page.pitch
    return {
        "deck": pitch_deck(pitch=pitch, lang=page.lang, demos=pitch_stage_models(pitch=pitch)),
        "themes": theme_choices(),
    }


def deck_slides_unit(unit: dict[str, Any], page: EditorPage) -> dict[str, Any]:
    """The slides unit lists every slide of the deck (not only those the founder changed), kinds by name."""
    labels = slide_labels(page.lang)
    columns = [{**column, "labels": labels} if column["key"] == "kind" else column for column in unit["columns"]]
    return {**unit, "value": deck_settings(page.pitch.content)["slides"], "columns": columns}
