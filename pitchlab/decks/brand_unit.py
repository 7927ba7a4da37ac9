"""Validation of the canvas unit ``deck.brand``: the brand kit's colours, fonts, footer and logos.

Registered with the canvas (``pitches.validation.register_unit_validator``) when the decks app is ready: the
font catalogue and the themes the colours are checked against are the decks app's.

A refused colour answers 400 with a message per field and, beside the messages, the nearest readable colour
in a machine-readable map, ``suggested``, so that a client can offer it as a one-click fix::

    {"primary": ["#f5d90a on the light theme's background (#ffffff) is 1.4:1; titles need 3:1. ..."],
     "suggested": {"primary": "#a99507"}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from rest_framework import serializers

from pitchlab.decks.brand import ColourVerdict, Failure, check_brand_colours, deck_rules, format_ratio, normalise_colour
from pitchlab.decks.font_catalogue import FONT_FAMILIES
from pitchlab.pitches.canvas import BRAND_FOOTER_LIMIT
from pitchlab.pitches.validation import Row, UnitValidator

if TYPE_CHECKING:
    from pitchlab.pitches.models import Pitch

COLOUR_FIELDS = ("primary", "accent")


class Colour(serializers.Field[Any, Any, Any, Any]):
    """A colour as ``#RGB`` or ``#RRGGBB`` (any case), stored as lower-case ``#rrggbb``; null for the theme's own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, required=False, default=None, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        colour = normalise_colour(data) if isinstance(data, str) else None
        if colour is None:
            raise serializers.ValidationError(
                _("A colour is written #RRGGBB or #RGB in hexadecimal, e.g. #4f46e5; got %(value)s.")
                % {"value": _shown(data)}
            )
        return colour

    def to_representation(self, value: Any) -> Any:
        return value


def _shown(data: Any) -> str:
    text = data if isinstance(data, str) else repr(data)
    return text if len(text) <= 40 else text[:39] + "…"


class FontChoice(serializers.ChoiceField):
    """A font family of the catalogue; the refusal names every choice."""

    def __init__(self) -> None:
        super().__init__(choices=list(FONT_FAMILIES), required=False, default="noto-sans")

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is None:  # null gets the same answer as any other unknown font: the choices
            self.to_internal_value(data)
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and data in FONT_FAMILIES:
            return data
        raise serializers.ValidationError(
            _("%(value)s is not one of PitchLab's fonts; choose one of: %(choices)s.")
            % {"value": _shown(data), "choices": ", ".join(FONT_FAMILIES)}
        )


class PictureId(serializers.IntegerField):
    """The id of one of the pitch's pictures, or null. Only its shape is checked here (a positive whole number)."""

    def __init__(self) -> None:
        super().__init__(min_value=1, allow_null=True, required=False, default=None)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError(_("A picture is given by its id, a whole number, or null for none."))
        return int(super().to_internal_value(data))


class Brand(Row):
    primary = Colour()
    accent = Colour()
    heading_font = FontChoice()
    body_font = FontChoice()
    footer = serializers.CharField(
        max_length=BRAND_FOOTER_LIMIT, allow_blank=True, required=False, default="", trim_whitespace=False
    )
    logo = PictureId()
    logo_dark = PictureId()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Refuse a colour that is unreadable in any theme, with why and the nearest readable one."""
        verdicts = check_brand_colours({field: attrs.get(field) for field in COLOUR_FIELDS}, deck_rules())
        if verdicts:
            errors: dict[str, Any] = {verdict.field: [explain(verdict)] for verdict in verdicts}
            suggested = {verdict.field: verdict.suggestion for verdict in verdicts if verdict.suggestion}
            if suggested:
                errors["suggested"] = suggested
            raise serializers.ValidationError(errors)
        return attrs


# One message per use of a colour (brand.rules_for names the uses).
_FAILURE_MESSAGES = {
    "titles": gettext_lazy(
        "%(colour)s on the %(theme)s theme's background (%(against)s) is %(ratio)s; titles need %(needed)s"
    ),
    "chart_lines": gettext_lazy(
        "%(colour)s on the %(theme)s theme's background (%(against)s) is %(ratio)s; chart lines need %(needed)s"
    ),
    "band": gettext_lazy(
        "text on a band of %(colour)s reaches at most %(ratio)s (in %(against)s); text needs %(needed)s"
    ),
}


def _failure_text(failure: Failure) -> str:
    values = {
        "colour": failure.colour,
        "against": failure.against,
        # the theme's label in the reader's language ("午夜"), not its key ("midnight"); the labels are decks/web's
        "theme": pgettext("deck theme", failure.against_name) if failure.against_name else "",
        "ratio": format_ratio(failure.ratio),
        "needed": format_ratio(failure.needed),
    }
    return str(_FAILURE_MESSAGES[failure.use]) % values


def explain(verdict: ColourVerdict) -> str:
    """One sentence per failure, then the nearest readable colour (or that this hue has none)."""
    # The separator is a word like any other: Chinese joins clauses with a full-width semicolon.
    separator = pgettext("joins the reasons a colour is refused", "; ")
    reasons = separator.join(_failure_text(failure) for failure in verdict.failures)
    if verdict.suggestion is None:
        return _("%(reasons)s. No shade of this hue reads in every theme; choose another colour.") % {
            "reasons": reasons
        }
    return _("%(reasons)s. The nearest readable shade is %(suggestion)s.") % {
        "reasons": reasons,
        "suggestion": verdict.suggestion,
    }


def brand_validator() -> UnitValidator:
    return Brand(), None


# Either logo field may name either logo role: a founder who uploaded one logo only, light on dark, may pick it for
# both, and the deck reads them the same way (deck_pictures.choose takes any logo role for either).
LOGO_FIELDS = ("logo", "logo_dark")
LOGO_ROLES = ("logo", "logo_dark")


def brand_logo_check(pitch: Pitch, value: dict[str, Any], current: Any) -> None:
    """On write, ``logo``/``logo_dark`` must name a logo (either logo role) among ``pitch``'s pictures, or be null.

    Registered with the canvas (``pitches.validation.register_pitch_unit_check``): the unit validator sees the value
    alone. An id that is already stored passes unchanged, so that a logo deleted later (which the deck reads as no
    logo) does not block saving the colours beside it.
    """
    from pitchlab.pictures.selectors import picture_get  # pictures' models load after the app registry

    stored = current if isinstance(current, dict) else {}
    errors: dict[str, list[str]] = {}
    for field in LOGO_FIELDS:
        picture_id = value.get(field)
        if picture_id is None or picture_id == stored.get(field):
            continue
        picture = picture_get(pitch=pitch, picture_id=picture_id)
        if picture is None:
            errors[field] = [
                _("Picture %(id)s is not one of this pitch's pictures: upload the logo here, then choose it.")
                % {"id": picture_id}
            ]
        elif picture.role not in LOGO_ROLES:
            errors[field] = [
                _("Picture %(id)s is a %(role)s, not a logo: choose a picture uploaded as a logo.")
                % {"id": picture_id, "role": picture.get_role_display().lower()}
            ]
    if errors:
        raise serializers.ValidationError(errors)
