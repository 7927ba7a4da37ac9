"""The founder's slide settings through the API: layouts, overrides and custom slides are written as the
"deck.slides" unit of the canvas API (checked against the slide model, refused with the reason), read back through
the deck slides API and the deck's fragments; a viewer reads and never writes, a stranger sees nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.decks.slides import deck_settings, layout_choices, override_slots
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_import
from tests.pictures.conftest import encoded

pytestmark = pytest.mark.django_db

CANVAS = "/api/pitches/{}/canvas/"
SLIDES = "/api/pitches/{}/deck/slides/"
FRAGMENT = "/pitches/{}/deck/slides/"
LAYOUTS = "/pitches/{}/deck/layouts/{}/"


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture
def api(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def as_user(user: User) -> tuple[APIClient, Client]:
    api_client, client = APIClient(), Client()
    api_client.force_authenticate(user)
    client.force_login(user)
    return api_client, client


@pytest.fixture
def viewer(make_user: Callable[..., User], pitch: Pitch) -> User:
    user = make_user("viewer")
    PitchMember.objects.create(pitch=pitch, user=user, role=PitchMember.Role.VIEWER)
    return user


def rows(pitch: Pitch) -> list[dict[str, Any]]:
    """The completed slide rows, as the editor and Edit mode read them and write them back whole."""
    pitch.refresh_from_db()
    value: list[dict[str, Any]] = deck_settings(pitch.content)["slides"]
    return value


def with_row(pitch: Pitch, key: str, **changes: Any) -> list[dict[str, Any]]:
    value = rows(pitch)
    row = next(row for row in value if row["kind"] == key)
    row.update(changes)
    return value


def write(api: APIClient, pitch: Pitch, value: Any) -> Any:
    pitch.refresh_from_db()
    body = {"base_version": pitch.version, "changes": {"deck.slides": value}}
    return api.patch(CANVAS.format(pitch.pk), body, format="json")


def custom(slide_id: str, **extra: Any) -> dict[str, Any]:
    row = {"kind": "custom", "id": slide_id, "title": "Pilot results", "notes": "", "seconds": None}
    return {**row, "hidden": False, "layout": "", "overrides": {}, "bullets": [], "text": "", "picture": None, **extra}


def upload(api: APIClient, pitch: Pitch) -> int:
    file = SimpleUploadedFile("shot.png", encoded("PNG", (800, 500), colour="teal"), content_type="image/png")
    body = {"file": file, "role": "screenshot", "alt": "The pilot dashboard"}
    response = api.post(f"/api/pitches/{pitch.pk}/pictures/", body, format="multipart")
    assert response.status_code == 201, response.content
    picture_id: int = response.json()["id"]
    return picture_id


def slide_of(api: APIClient, pitch: Pitch, row: str) -> dict[str, Any]:
    response = api.get(SLIDES.format(pitch.pk))
    assert response.status_code == 200, response.content
    return next(slide for slide in response.json()["slides"] if slide["row"] == row)


def errors(response: Any) -> Any:
    assert response.status_code == 400, response.content
    return response.json()["extra"]["fields"]["deck.slides"]


def test_a_layout_the_kind_offers_is_stored_and_the_deck_slides_api_shows_it(api: APIClient, pitch: Pitch) -> None:
    before = slide_of(api, pitch, "problem")
    assert (before["layout"], before["chosen"]) == ("big_number", False)  # the market figure chose it
    assert before["layouts"] == list(layout_choices("problem"))

    response = write(api, pitch, with_row(pitch, "problem", layout="quote"))

    assert response.status_code == 200, response.content
    assert next(row for row in rows(pitch) if row["kind"] == "problem")["layout"] == "quote"
    after = slide_of(api, pitch, "problem")
    assert (after["layout"], after["chosen"], after["hidden"]) == ("quote", True, False)


def test_a_layout_the_kind_has_not_is_refused_naming_the_choices(api: APIClient, pitch: Pitch) -> None:
    version = pitch.version

    found = errors(write(api, pitch, with_row(pitch, "team", layout="big_number")))

    message = str(found)
    assert "big_number" in message
    for name in layout_choices("team"):
        assert name in message
    pitch.refresh_from_db()
    assert pitch.version == version  # nothing stored


def test_an_unknown_override_slot_is_refused_naming_the_slots(api: APIClient, pitch: Pitch) -> None:
    found = errors(write(api, pitch, with_row(pitch, "story", overrides={"heading.nope": "Hi"})))

    message = str(found)
    assert "heading.nope" in message
    for slot in override_slots("story"):
        assert slot in message


def test_an_override_shows_on_the_slide_and_a_blank_one_is_dropped(api: APIClient, pitch: Pitch) -> None:
    overrides = {"heading.origin": "How it began", "heading.why_now": "   "}

    assert write(api, pitch, with_row(pitch, "story", overrides=overrides)).status_code == 200

    assert next(row for row in rows(pitch) if row["kind"] == "story")["overrides"] == {"heading.origin": "How it began"}
    client = Client()
    client.force_login(pitch.owner)
    html = client.get(FRAGMENT.format(pitch.pk), {"row": "story"}).content.decode()
    assert "How it began" in html
    assert ">Origin<" not in html  # the generated heading gave way
    assert "Why now" in html  # the blank override left the generated one


def test_a_custom_slide_is_stored_and_shows_at_its_place_with_its_text_bullets_and_picture(
    api: APIClient, pitch: Pitch
) -> None:
    picture = upload(api, pitch)
    value = rows(pitch)
    at = next(index for index, row in enumerate(value) if row["kind"] == "problem") + 1
    slide = custom("pilot-1", text="Three pilots, one renewal.", bullets=["Acme", "Globex"], picture=picture)
    value.insert(at, slide)

    assert write(api, pitch, value).status_code == 200

    assert rows(pitch)[at] == slide
    listed = api.get(SLIDES.format(pitch.pk)).json()["slides"]
    order = [entry["row"] for entry in listed]
    assert order[order.index("problem") + 1] == "custom-pilot-1"
    shown = listed[order.index("custom-pilot-1")]
    assert (shown["kind"], shown["title"], shown["key"]) == ("custom", "Pilot results", "custom-pilot-1")
    assert shown["layouts"] == list(layout_choices("custom"))
    client = Client()
    client.force_login(pitch.owner)
    html = client.get(FRAGMENT.format(pitch.pk), {"row": "custom-pilot-1"}).content.decode()
    for text in ("Pilot results", "Three pilots, one renewal.", "Acme", "Globex", f"/pictures/{picture}/"):
        assert text in html


def test_a_custom_slide_with_another_pitchs_picture_is_refused_at_picture(
    api: APIClient, pitch: Pitch, owner: User
) -> None:
    other = pitch_import(owner=owner, document=template_document("support_nlp"))
    foreign = upload(api, other)
    value = [*rows(pitch), custom("pilot", picture=foreign)]

    found = errors(write(api, pitch, value))

    assert "picture" in found[str(len(value) - 1)]


def test_two_rows_with_the_same_custom_id_are_refused(api: APIClient, pitch: Pitch) -> None:
    found = errors(write(api, pitch, [*rows(pitch), custom("twice"), custom("twice", title="Again")]))

    assert "custom-twice" in str(found)


def test_a_custom_row_without_an_id_is_refused(api: APIClient, pitch: Pitch) -> None:
    found = errors(write(api, pitch, [*rows(pitch), custom("")]))

    assert "id" in str(found)


def test_a_viewer_reads_the_slides_and_cannot_write_them(pitch: Pitch, viewer: User) -> None:
    api_client, _ = as_user(viewer)

    assert api_client.get(SLIDES.format(pitch.pk)).status_code == 200
    assert api_client.get(CANVAS.format(pitch.pk)).status_code == 200
    assert write(api_client, pitch, with_row(pitch, "problem", layout="quote")).status_code == 403


def test_a_stranger_gets_404_on_the_read_and_the_write(pitch: Pitch, make_user: Callable[..., User]) -> None:
    api_client, _ = as_user(make_user("stranger"))

    assert api_client.get(SLIDES.format(pitch.pk)).status_code == 404
    assert write(api_client, pitch, with_row(pitch, "problem", layout="quote")).status_code == 404


def test_the_deck_slides_api_lists_hidden_rows_and_omitted_kinds(api: APIClient, pitch: Pitch) -> None:
    assert write(api, pitch, with_row(pitch, "risks", hidden=True, layout="columns")).status_code == 200

    body = api.get(SLIDES.format(pitch.pk), {"lang": "en"}).json()

    assert "risks" not in [slide["row"] for slide in body["slides"]]
    assert [slide["number"] for slide in body["slides"]] == list(range(1, len(body["slides"]) + 1))
    hidden = next(row for row in body["hidden"] if row["row"] == "risks")
    assert (hidden["layout"], hidden["hidden"]) == ("columns", True)
    for left_out in body["omitted"]:
        assert left_out["reason"].startswith("Left out")


def test_the_fragments_answer_a_viewer_without_edit_marks(pitch: Pitch, viewer: User) -> None:
    _, client = as_user(viewer)

    slides = client.get(FRAGMENT.format(pitch.pk))
    layouts = client.get(LAYOUTS.format(pitch.pk, "problem"))

    assert slides.status_code == 200
    assert layouts.status_code == 200
    assert "data-edit-" not in slides.content.decode()
    body = layouts.json()
    assert [entry["name"] for entry in body["layouts"]] == list(layout_choices("problem"))
    assert all("data-edit-" not in entry["html"] for entry in body["layouts"])
    assert "deck.css" in body["head"]
    assert body["theme"]


def test_the_fragments_answer_404_to_a_stranger_and_for_an_unknown_row(
    pitch: Pitch, make_user: Callable[..., User]
) -> None:
    _, stranger = as_user(make_user("stranger"))
    owner = Client()
    owner.force_login(pitch.owner)

    assert stranger.get(FRAGMENT.format(pitch.pk)).status_code == 404
    assert stranger.get(LAYOUTS.format(pitch.pk, "problem")).status_code == 404
    assert owner.get(LAYOUTS.format(pitch.pk, "custom-nope")).status_code == 404
    assert owner.get(FRAGMENT.format(pitch.pk), {"row": "custom-nope"}).status_code == 404
