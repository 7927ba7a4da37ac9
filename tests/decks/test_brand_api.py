"""The brand kit through the canvas API (``deck.brand``): stored normalised, refused with the reason, nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.decks.brand import colour_failures, deck_rules
from pitchlab.pitches.canvas import empty_brand, get_unit
from pitchlab.pitches.documents import canvas_read
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db

URL = "/api/pitches/{}/canvas/deck.brand/"


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Lumen")


@pytest.fixture
def api(api_client: APIClient, owner: User) -> APIClient:
    api_client.force_authenticate(owner)
    return api_client


def put(api: APIClient, pitch: Pitch, value: Any) -> Any:
    pitch.refresh_from_db()
    return api.put(URL.format(pitch.pk), {"base_version": pitch.version, "value": value}, format="json")


def patch(api: APIClient, pitch: Pitch, value: Any) -> Any:
    pitch.refresh_from_db()
    body = {"base_version": pitch.version, "changes": {"deck.brand": value}}
    return api.patch(f"/api/pitches/{pitch.pk}/canvas/", body, format="json")


GOOD = {
    "primary": "#E11D48",
    "accent": "#63f",
    "heading_font": "noto-serif",
    "body_font": "lato",
    "footer": "Lumen · 2025 · 机密",
    "logo": None,
    "logo_dark": None,
}


def test_a_new_pitch_has_the_default_brand(api: APIClient, pitch: Pitch) -> None:
    body = api.get(URL.format(pitch.pk)).json()
    assert body["value"] == empty_brand()
    assert body["value"]["heading_font"] == "noto-sans"


def test_a_canvas_written_before_the_brand_existed_reads_the_default(pitch: Pitch) -> None:
    del pitch.content["deck"]["brand"]
    assert get_unit(pitch.content, "deck.brand") == empty_brand()
    assert canvas_read(pitch.content)["deck"]["brand"] == empty_brand()  # an old export imports


@pytest.mark.parametrize("send", [put, patch])
def test_good_values_are_stored_normalised(api: APIClient, pitch: Pitch, send: Callable[..., Any]) -> None:
    response = send(api, pitch, GOOD)
    assert response.status_code == 200, response.json()
    pitch.refresh_from_db()
    assert pitch.content["deck"]["brand"] == {**GOOD, "primary": "#e11d48", "accent": "#6633ff"}
    assert pitch.unit_versions["deck.brand"] == pitch.version
    assert api.get(URL.format(pitch.pk)).json()["value"]["accent"] == "#6633ff"


def test_null_colours_mean_the_themes_own(api: APIClient, pitch: Pitch) -> None:
    put(api, pitch, GOOD)
    assert put(api, pitch, {**GOOD, "primary": None, "accent": None}).status_code == 200
    pitch.refresh_from_db()
    assert (pitch.content["deck"]["brand"]["primary"], pitch.content["deck"]["brand"]["accent"]) == (None, None)


def _refused(api: APIClient, pitch: Pitch, send: Callable[..., Any], value: Any) -> dict[str, Any]:
    """The field errors of the brand unit after a refused write; the brand and the version as they were."""
    fields: dict[str, Any] = _refused_all(api, pitch, send, value)["deck.brand"]
    return fields


def _refused_all(api: APIClient, pitch: Pitch, send: Callable[..., Any], value: Any) -> dict[str, Any]:
    before = put(api, pitch, GOOD)
    assert before.status_code == 200
    pitch.refresh_from_db()
    version, stored = pitch.version, pitch.content["deck"]["brand"]
    response = send(api, pitch, value)
    assert response.status_code == 400, response.json()
    pitch.refresh_from_db()
    assert (pitch.version, pitch.content["deck"]["brand"]) == (version, stored)  # nothing stored
    fields: dict[str, Any] = response.json()["extra"]["fields"]
    return fields


@pytest.mark.parametrize("send", [put, patch])
@pytest.mark.parametrize("colour", ["red", "#12345", "e11d48", "#e11d48aa", "rgb(225, 29, 72)", 0xE11D48, ""])
def test_a_colour_in_another_format_is_refused_naming_the_format(
    api: APIClient, pitch: Pitch, send: Callable[..., Any], colour: Any
) -> None:
    fields = _refused(api, pitch, send, {**GOOD, "accent": colour})
    assert list(fields) == ["accent"]
    assert "#RRGGBB" in fields["accent"][0]
    assert "#RGB" in fields["accent"][0]


@pytest.mark.parametrize("send", [put, patch])
@pytest.mark.parametrize(
    ("field", "colour", "needles"),
    [
        ("primary", "#f5d90a", ["#f5d90a", "light", "1.4:1", "titles need 3:1"]),  # yellow on white
        ("primary", "#000", ["#000000", "dark", "titles need 3:1"]),  # black on the dark theme
        ("primary", "#7a7a7a", ["band", "text needs 4.5:1"]),  # no text reads on it
        ("accent", "#FFE600", ["#ffe600", "light", "chart lines need 3:1"]),
    ],
)
def test_an_unreadable_colour_is_refused_with_the_reason_and_a_readable_suggestion(
    api: APIClient, pitch: Pitch, send: Callable[..., Any], field: str, colour: str, needles: list[str]
) -> None:
    fields = _refused(api, pitch, send, {**GOOD, field: colour})
    (message,) = fields[field]
    for needle in needles:
        assert needle in message
    suggestion = fields["suggested"][field]
    assert suggestion in message
    rules = deck_rules()
    assert not colour_failures(suggestion, rules.uses[field], rules.backgrounds)
    # The suggestion is accepted as it stands: the one-click fix works.
    assert send(api, pitch, {**GOOD, field: suggestion}).status_code == 200
    pitch.refresh_from_db()
    assert pitch.content["deck"]["brand"][field] == suggestion


@pytest.mark.parametrize("send", [put, patch])
@pytest.mark.parametrize("field", ["heading_font", "body_font"])
@pytest.mark.parametrize("font", ["comic-sans", "Lato", "", None, 3])
def test_a_font_not_in_the_catalogue_is_refused_naming_the_choices(
    api: APIClient, pitch: Pitch, send: Callable[..., Any], field: str, font: Any
) -> None:
    fields = _refused(api, pitch, send, {**GOOD, field: font})
    (message,) = fields[field]
    for choice in ("noto-sans", "noto-serif", "lato", "open-sans", "roboto", "caladea"):
        assert choice in message


@pytest.mark.parametrize("send", [put, patch])
def test_an_over_long_footer_is_refused(api: APIClient, pitch: Pitch, send: Callable[..., Any]) -> None:
    assert send(api, pitch, {**GOOD, "footer": "页" * 120}).status_code == 200
    fields = _refused(api, pitch, send, {**GOOD, "footer": "页" * 121})
    assert "120" in fields["footer"][0]


@pytest.mark.parametrize("logo", [0, -3, "7", 1.5, True, {"id": 7}])
def test_a_logo_is_a_positive_picture_id_or_null(api: APIClient, pitch: Pitch, logo: Any) -> None:
    fields = _refused(api, pitch, put, {**GOOD, "logo_dark": logo})
    assert list(fields) == ["logo_dark"]


@pytest.mark.parametrize("send", [put, patch])
@pytest.mark.parametrize("value", [None, [], "brand", 3, {"primary": "#fff", "footer": ["x"]}])
def test_a_brand_that_is_not_an_object_of_the_fields_is_refused(
    api: APIClient, pitch: Pitch, send: Callable[..., Any], value: Any
) -> None:
    fields = _refused_all(api, pitch, send, value)
    assert set(fields) <= {"deck.brand", "value"}  # PUT's value may not be null: refused before the unit


def test_an_unreadable_colour_with_another_bad_field_reports_the_format_first(api: APIClient, pitch: Pitch) -> None:
    """Contrast is judged on a brand whose fields are each valid; the format error comes alone, and says so."""
    fields = _refused(api, pitch, put, {**GOOD, "primary": "#f5d90a", "heading_font": "nope"})
    assert list(fields) == ["heading_font"]
