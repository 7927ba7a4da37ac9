"""The pictures' API: upload, list, detail, change, delete and the file, as a founder, and bad input."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.pictures.models import Picture
from pitchlab.pitches.models import Pitch, PitchMember
from tests.pictures.conftest import encoded

pytestmark = pytest.mark.django_db


def upload(client: APIClient, pitch: Pitch, data: bytes, role: str = "screenshot", **fields: Any) -> Any:
    body = {"file": SimpleUploadedFile("shot.png", data, content_type="image/png"), "role": role, **fields}
    return client.post(f"/api/pitches/{pitch.pk}/pictures/", body, format="multipart")


def files_under(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def test_upload_stores_a_stripped_master_and_answers_the_picture(
    client_of: APIClient, pitch: Pitch, owner: User, media: Path
) -> None:
    response = upload(client_of, pitch, encoded("JPEG", (120, 80)), role="cover", alt="Our office")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["role"], body["alt"], body["format"], body["width"], body["height"]) == (
        "cover",
        "Our office",
        "jpeg",
        120,
        80,
    )
    assert body["focal"] == {"x": 0.5, "y": 0.5}
    assert body["crop"] is None
    assert body["file_url"].endswith(f"?v={body['version']}")
    picture = Picture.objects.get(pk=body["id"])
    assert picture.pitch_id == pitch.pk
    assert picture.created_by == owner
    stored = media / (picture.original.name or "")
    assert stored.parent == media / "pictures" / str(pitch.pk)
    assert stored.name == f"{picture.digest}.jpeg"
    assert Image.open(stored).size == (120, 80)


def test_the_same_bytes_twice_are_stored_once(client_of: APIClient, pitch: Pitch, media: Path) -> None:
    data = encoded("PNG", (50, 40), colour="blue")
    first = upload(client_of, pitch, data, role="logo")
    again = upload(client_of, pitch, data, role="cover")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["role"] == "logo"
    assert Picture.objects.count() == 1
    assert len(files_under(media)) == 1


BAD = [
    ("not an image", b"%PDF-1.4 hello", "not_an_image", "PNG, JPEG or WebP"),
    ("gif", encoded("GIF", (20, 20), "P", 3), "not_an_image", "PNG, JPEG or WebP"),
    ("cmyk", encoded("JPEG", (20, 20), "CMYK", (0, 0, 0, 0)), "cmyk", "CMYK"),
    ("strip", encoded("PNG", (900, 100)), "extreme_aspect", "more than 8 times"),
    ("damaged", encoded("PNG", (64, 64))[:70], "damaged", "damaged"),
]


@pytest.mark.parametrize(("data", "code", "words"), [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_images_are_400_with_the_reason_at_the_file_and_nothing_stored(
    client_of: APIClient, pitch: Pitch, media: Path, data: bytes, code: str, words: str
) -> None:
    response = upload(client_of, pitch, data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert words in body["message"]
    assert body["extra"]["code"] == code
    assert body["extra"]["fields"] == {"file": [body["message"]]}
    assert not Picture.objects.exists()
    assert files_under(media) == []


def test_a_file_over_the_limit_is_413_naming_it_and_nothing_stored(
    client_of: APIClient, pitch: Pitch, media: Path, settings: Any
) -> None:
    settings.PICTURE_MAX_BYTES = 1000
    response = upload(client_of, pitch, encoded("PNG", (300, 300), compress_level=0))
    assert response.status_code == 413
    assert "the limit is 0 MB" in response.json()["message"] or response.json()["extra"]["limit_bytes"] == 1000
    assert response.json()["extra"]["fields"]["file"]
    assert not Picture.objects.exists()
    assert files_under(media) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"role": "wallpaper"}, "role"), ({"alt": "x" * 301}, "alt"), ({"file": None}, "file")],
)
def test_bad_fields_are_400_naming_the_field(
    client_of: APIClient, pitch: Pitch, fields: dict[str, Any], field: str
) -> None:
    body: dict[str, Any] = {"file": SimpleUploadedFile("a.png", encoded(), content_type="image/png"), "role": "logo"}
    body.update(fields)
    body = {key: value for key, value in body.items() if value is not None}
    response = client_of.post(f"/api/pitches/{pitch.pk}/pictures/", body, format="multipart")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]
    assert not Picture.objects.exists()


def test_list_filters_by_role_and_a_viewer_reads_but_cannot_change(
    client_of: APIClient, pitch: Pitch, make_user: Any
) -> None:
    upload(client_of, pitch, encoded(colour="red"), role="logo")
    upload(client_of, pitch, encoded(colour="blue"), role="headshot")
    assert [p["role"] for p in client_of.get(f"/api/pitches/{pitch.pk}/pictures/").json()] == ["logo", "headshot"]
    assert [p["role"] for p in client_of.get(f"/api/pitches/{pitch.pk}/pictures/?role=headshot").json()] == ["headshot"]
    assert client_of.get(f"/api/pitches/{pitch.pk}/pictures/?role=nope").status_code == 400
    viewer = make_user("vera")
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=pitch.owner)
    api = APIClient()
    api.force_authenticate(viewer)
    assert len(api.get(f"/api/pitches/{pitch.pk}/pictures/").json()) == 2
    assert upload(api, pitch, encoded(colour="green")).status_code == 403
    assert Picture.objects.count() == 2


@pytest.fixture
def picture(client_of: APIClient, pitch: Pitch) -> Picture:
    image = Image.new("RGB", (400, 200), (0, 160, 0))
    image.paste((230, 0, 0), (0, 0, 200, 200))  # red left half, green right half
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    response = upload(client_of, pitch, buffer.getvalue())
    assert response.status_code == 201
    return Picture.objects.get(pk=response.json()["id"])


def test_patch_sets_focal_point_crop_role_and_alt(client_of: APIClient, pitch: Pitch, picture: Picture) -> None:
    url = f"/api/pitches/{pitch.pk}/pictures/{picture.pk}/"
    before = client_of.get(url).json()["version"]
    change = {
        "role": "headshot",
        "alt": "Jane",
        "focal": {"x": 0.2, "y": 0.7},
        "crop": {"left": 0.1, "top": 0, "right": 0.5, "bottom": 1},
    }
    response = client_of.patch(url, change, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["crop"] == {"left": 0.1, "top": 0.0, "right": 0.5, "bottom": 1.0}
    assert response.json()["version"] != before
    picture.refresh_from_db()
    assert (picture.role, picture.alt, picture.focal_x, picture.focal_y) == ("headshot", "Jane", 0.2, 0.7)
    assert (picture.crop_left, picture.crop_right) == (0.1, 0.5)
    cleared = client_of.patch(url, {"crop": None}, format="json")
    assert cleared.json()["crop"] is None
    picture.refresh_from_db()
    assert picture.crop is None


@pytest.mark.parametrize(
    "change",
    [
        {"focal": {"x": 1.5, "y": 0.5}},
        {"focal": {"x": 0.5}},
        {"crop": {"left": 0.5, "top": 0, "right": 0.5, "bottom": 1}},
        {"crop": {"left": 0.6, "top": 0, "right": 0.2, "bottom": 1}},
        {"crop": {"left": -0.1, "top": 0, "right": 0.2, "bottom": 1}},
        {"role": "wallpaper"},
    ],
)
def test_patch_refuses_out_of_range_or_empty_geometry(
    client_of: APIClient, pitch: Pitch, picture: Picture, change: dict[str, Any]
) -> None:
    response = client_of.patch(f"/api/pitches/{pitch.pk}/pictures/{picture.pk}/", change, format="json")
    assert response.status_code == 400
    assert set(change) <= set(response.json()["extra"]["fields"])
    picture.refresh_from_db()
    assert (picture.focal_x, picture.crop, picture.role) == (0.5, None, "screenshot")


def test_file_snaps_width_negotiates_webp_and_revalidates(client_of: APIClient, pitch: Pitch, picture: Picture) -> None:
    url = f"/api/pitches/{pitch.pk}/pictures/{picture.pk}/file/"
    webp = client_of.get(url + "?w=150", HTTP_ACCEPT="image/avif,image/webp,*/*")
    assert webp.status_code == 200
    assert webp["Content-Type"] == "image/webp"
    assert "Accept" in webp["Vary"]
    assert webp["Cache-Control"] == "private, no-cache"
    assert Image.open(io.BytesIO(b"".join(webp.streaming_content))).size == (160, 80)  # type: ignore[attr-defined]
    plain = client_of.get(url + "?w=150", HTTP_ACCEPT="*/*")
    assert plain["Content-Type"] == "image/png"  # the master's own format
    assert plain["ETag"] != webp["ETag"]
    again = client_of.get(url + "?w=150", HTTP_ACCEPT="image/webp", HTTP_IF_NONE_MATCH=webp["ETag"])
    assert again.status_code == 304
    versioned = client_of.get(url + f"?w=150&fmt=jpeg&v={picture.pk and _version(client_of, pitch, picture)}")
    assert versioned["Content-Type"] == "image/jpeg"
    assert "immutable" in versioned["Cache-Control"]
    big = client_of.get(url + "?w=5000&fmt=png")
    assert Image.open(io.BytesIO(b"".join(big.streaming_content))).size == (400, 200)  # type: ignore[attr-defined]


def _version(client: APIClient, pitch: Pitch, picture: Picture) -> str:
    return str(client.get(f"/api/pitches/{pitch.pk}/pictures/{picture.pk}/").json()["version"])


def test_file_applies_the_crop_and_a_ratio_around_the_focal_point(
    client_of: APIClient, pitch: Pitch, picture: Picture, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/api/pitches/{pitch.pk}/pictures/{picture.pk}/"
    client_of.get(url + "file/?w=320&fmt=png")
    sizes = media / "pictures" / str(pitch.pk) / "sizes"
    assert len(list(sizes.iterdir())) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client_of.patch(url, {"focal": {"x": 0.9, "y": 0.5}}, format="json")
    assert list(sizes.iterdir()) == []  # sizes cut with the old geometry are forgotten
    square = client_of.get(url + "file/?w=160&fmt=png&ratio=1:1")
    image = Image.open(io.BytesIO(b"".join(square.streaming_content)))  # type: ignore[attr-defined]
    assert image.size == (160, 160)
    assert image.convert("RGB").getpixel((80, 80)) == (0, 160, 0)  # the focal point is on the green right
    client_of.patch(url, {"crop": {"left": 0, "top": 0, "right": 0.25, "bottom": 1}}, format="json")
    cropped = client_of.get(url + "file/?w=1920&fmt=png")
    image = Image.open(io.BytesIO(b"".join(cropped.streaming_content)))  # type: ignore[attr-defined]
    assert image.size == (100, 200)
    assert image.convert("RGB").getpixel((50, 100)) == (230, 0, 0)


@pytest.mark.parametrize("query", ["w=0", "w=abc", "w=20000", "fmt=gif", "ratio=5:1"])
def test_bad_file_parameters_are_400(client_of: APIClient, pitch: Pitch, picture: Picture, query: str) -> None:
    response = client_of.get(f"/api/pitches/{pitch.pk}/pictures/{picture.pk}/file/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["extra"]["fields"]


def test_a_picture_of_another_pitch_is_404(client_of: APIClient, pitch: Pitch, picture: Picture, owner: User) -> None:
    from pitchlab.pitches.services import pitch_create

    other = pitch_create(owner=owner, name="Other")
    assert client_of.get(f"/api/pitches/{other.pk}/pictures/{picture.pk}/").status_code == 404
    assert client_of.get(f"/api/pitches/{other.pk}/pictures/{picture.pk}/file/").status_code == 404
