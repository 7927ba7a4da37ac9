"""The brand kit's logo ids are checked against the pitch they are written to: one of its own logos, or null."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_delete, picture_upload
from pitchlab.pitches.canvas import empty_brand
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db

URL = "/api/pitches/{}/canvas/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


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


def picture(pitch: Pitch, role: Picture.Role, colour: str = "red") -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    stored, _ = picture_upload(pitch=pitch, user=None, data=buffer.getvalue(), role=role, alt="")
    return stored


def write(api: APIClient, pitch: Pitch, **brand: Any) -> Any:
    pitch.refresh_from_db()
    body = {"base_version": pitch.version, "changes": {"deck.brand": {**empty_brand(), **brand}}}
    return api.patch(URL.format(pitch.pk), body, format="json")


def stored_brand(pitch: Pitch) -> dict[str, Any]:
    pitch.refresh_from_db()
    brand: dict[str, Any] = pitch.content["deck"]["brand"]
    return brand


def refused(response: Any, field: str) -> str:
    """The one message at ``deck.brand.<field>`` of a 400."""
    assert response.status_code == 400, response.json()
    fields = response.json()["extra"]["fields"]
    assert list(fields) == ["deck.brand"]
    assert list(fields["deck.brand"]) == [field]
    message: str = fields["deck.brand"][field][0]
    return message


def test_the_pitchs_own_logos_are_stored(api: APIClient, pitch: Pitch) -> None:
    logo, dark = picture(pitch, Picture.Role.LOGO), picture(pitch, Picture.Role.LOGO_DARK, "navy")
    assert write(api, pitch, logo=logo.pk, logo_dark=dark.pk).status_code == 200
    assert (stored_brand(pitch)["logo"], stored_brand(pitch)["logo_dark"]) == (logo.pk, dark.pk)


def test_either_logo_role_may_fill_either_field(api: APIClient, pitch: Pitch) -> None:
    only = picture(pitch, Picture.Role.LOGO_DARK)  # one logo, light on dark, used for both
    assert write(api, pitch, logo=only.pk, logo_dark=only.pk).status_code == 200
    assert stored_brand(pitch)["logo"] == only.pk


def test_null_means_the_newest_logo(api: APIClient, pitch: Pitch) -> None:
    logo = picture(pitch, Picture.Role.LOGO)
    write(api, pitch, logo=logo.pk)
    assert write(api, pitch, logo=None, logo_dark=None).status_code == 200
    assert stored_brand(pitch)["logo"] is None


def test_another_pitchs_picture_is_refused_naming_the_field(api: APIClient, pitch: Pitch, owner: User) -> None:
    other = pitch_create(owner=owner, name="Other")  # the same founder's: still not this pitch's
    theirs = picture(other, Picture.Role.LOGO)
    pitch.refresh_from_db()
    version, before = pitch.version, stored_brand(pitch)
    message = refused(write(api, pitch, logo=theirs.pk), "logo")
    assert f"Picture {theirs.pk} is not one of this pitch's pictures" in message
    assert (stored_brand(pitch), pitch.version) == (before, version)  # nothing written


def test_a_missing_picture_is_refused(api: APIClient, pitch: Pitch) -> None:
    assert "not one of this pitch's pictures" in refused(write(api, pitch, logo_dark=987654), "logo_dark")


def test_a_screenshot_is_not_a_logo(api: APIClient, pitch: Pitch) -> None:
    shot = picture(pitch, Picture.Role.SCREENSHOT)
    message = refused(write(api, pitch, logo=shot.pk), "logo")
    assert message == f"Picture {shot.pk} is a product screenshot, not a logo: choose a picture uploaded as a logo."
    assert stored_brand(pitch)["logo"] is None


def test_a_deleted_logo_that_stays_chosen_does_not_block_other_changes(api: APIClient, pitch: Pitch) -> None:
    logo = picture(pitch, Picture.Role.LOGO)
    logo_id = logo.pk
    write(api, pitch, logo=logo_id)
    picture_delete(picture=logo)
    response = write(api, pitch, logo=logo_id, footer="Lumen")  # a client that still holds the old id
    assert response.status_code == 200, response.json()
    assert stored_brand(pitch)["footer"] == "Lumen"
    # but choosing it anew is refused: it is gone
    write(api, pitch, logo=None)
    assert "not one of this pitch's pictures" in refused(write(api, pitch, logo=logo_id), "logo")


def test_the_shape_is_checked_before_the_pitch(api: APIClient, pitch: Pitch) -> None:
    response = write(api, pitch, logo="7")
    assert "whole number" in refused(response, "logo")


def test_a_viewer_cannot_choose_a_logo(pitch: Pitch, make_user: Callable[..., User]) -> None:
    logo = picture(pitch, Picture.Role.LOGO)
    viewer = make_user("viewer")
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=pitch.owner)
    client = APIClient()
    client.force_authenticate(viewer)
    response = write(client, pitch, logo=logo.pk)
    assert response.status_code == 403
    assert stored_brand(pitch)["logo"] is None
