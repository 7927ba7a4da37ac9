"""The ``deck.slides`` unit's rules, registered with the canvas in DecksConfig.ready(): which layouts a slide may
take and which generated texts it may override are the slide model's (``slides.layout_choices``,
``slides.override_slots``), so the rules live here and pitches does not import decks.

A row is a slide kind's settings (once per kind) or a custom slide (kind "custom", named by its ``id``, once per id)
with its own text, bullets and picture. A layout a kind does not have is refused naming the ones it has.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import serializers

from pitchlab.decks.slides import layout_choices, override_slots, slide_labels
from pitchlab.pitches.bounds import SLIDE_SECONDS
from pitchlab.pitches.canvas import CUSTOM_SLIDE, SLIDE_KINDS, slide_row_key
from pitchlab.pitches.validation import Row, UnitValidator, optional, rows, short, text

if TYPE_CHECKING:
    from pitchlab.pitches.models import Pitch

MAX_BULLETS = 12
MAX_CUSTOM = 40
"""Custom slides a deck may have (besides one row per kind)."""
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def _layout_names(kind: str) -> str:
    return ", ".join(layout_choices(kind))


class DeckSlide(Row):
    kind = serializers.ChoiceField(choices=(*SLIDE_KINDS, CUSTOM_SLIDE))
    id = short()
    title = short()
    notes = text()
    seconds = optional(SLIDE_SECONDS)
    hidden = serializers.BooleanField(required=False, default=False)
    layout = short()
    overrides = serializers.DictField(child=short(), required=False, default=dict)
    text = text()
    bullets = serializers.ListField(child=short(), required=False, default=list, max_length=MAX_BULLETS)
    picture = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["kind"]
        errors: dict[str, str] = {}
        custom = kind == CUSTOM_SLIDE
        name = _("Custom slide") if custom else slide_labels("zh" if get_language().startswith("zh") else "en")[kind]
        if attrs.get("layout") and attrs["layout"] not in layout_choices(kind):
            errors["layout"] = _("The slide “%(slide)s” has no layout '%(layout)s'. Choose one of: %(choices)s.") % {
                "slide": name,
                "layout": attrs["layout"],
                "choices": _layout_names(kind),
            }
        slots = override_slots(kind)
        unknown = sorted(slot for slot in attrs.get("overrides", {}) if slot not in slots)
        if unknown:
            errors["overrides"] = _("The slide “%(slide)s” has no generated text '%(slot)s'. It has: %(slots)s.") % {
                "slide": name,
                "slot": unknown[0],
                "slots": ", ".join(slots) or "—",
            }
        if custom and not ID_PATTERN.match(attrs.get("id", "")):
            errors["id"] = _("A custom slide needs an id of lowercase letters, digits and dashes (up to 32).")
        if not custom and (attrs.get("id") or attrs.get("text") or attrs.get("picture") is not None):
            errors["text"] = _("Only a custom slide has its own id, text and picture.")
        if errors:
            raise serializers.ValidationError(errors)
        # Blank overrides are no overrides: "back to generated" stores nothing.
        attrs["overrides"] = {slot: value for slot, value in attrs.get("overrides", {}).items() if value.strip()}
        if not custom:
            for key in ("id", "text", "picture"):
                attrs.pop(key, None)
        return attrs


def _one_row_per_slide(value: list[dict[str, Any]]) -> None:
    keys = [slide_row_key(row["kind"], row.get("id", "")) for row in value]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise serializers.ValidationError(_("Each slide appears once; listed more than once: %s.") % ", ".join(twice))
    if sum(1 for row in value if row["kind"] == CUSTOM_SLIDE) > MAX_CUSTOM:
        raise serializers.ValidationError(_("A deck holds at most %d custom slides.") % MAX_CUSTOM)


def slides_validator() -> UnitValidator:
    return rows(DeckSlide, "deck.slides"), _one_row_per_slide


def slides_picture_check(pitch: Pitch, value: list[dict[str, Any]], current: Any) -> None:
    """On write, a custom slide's ``picture`` must be one of ``pitch``'s pictures (or null). A picture id already
    stored on that slide passes unchanged: a picture deleted since leaves the slide without it, and must not block
    saving the words beside it."""
    from pitchlab.pictures.selectors import picture_get  # pictures' models load after the app registry

    stored = {
        row.get("id"): row.get("picture")
        for row in (current if isinstance(current, list) else [])
        if isinstance(row, dict) and row.get("kind") == CUSTOM_SLIDE
    }
    errors: dict[int, dict[str, list[str]]] = {}
    for index, row in enumerate(value):
        picture_id = row.get("picture")
        if picture_id is None or stored.get(row.get("id")) == picture_id:
            continue
        if picture_get(pitch=pitch, picture_id=picture_id) is None:
            message = _("Picture %(id)s is not one of this pitch's pictures: upload it here, then choose it.")
            errors[index] = {"picture": [message % {"id": picture_id}]}
    if errors:
        raise serializers.ValidationError(errors)  # type: ignore[arg-type]
