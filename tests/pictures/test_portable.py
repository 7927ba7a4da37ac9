"""Pictures travel with the pitch: the export zip, its import (hostile input), the duplicate and revisions."""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.decks.picture_sources import deck_pictures
from pitchlab.pictures.images import Box
from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import PictureChange, picture_delete, picture_update, picture_upload
from pitchlab.pitches import portable
from pitchlab.pitches.canvas import get_unit
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_delete, pitch_duplicate, pitch_write, revision_create, revision_restore
from tests.pictures.conftest import encoded
from tests.security.test_hostile_uploads import RawZip

pytestmark = pytest.mark.django_db

BRAND = "deck.brand"


def _choose_logos(pitch: Pitch, *, logo: int | None, logo_dark: int | None = None) -> Pitch:
    pitch.refresh_from_db()
    brand = {**get_unit(pitch.content, BRAND), "logo": logo, "logo_dark": logo_dark}
    return pitch_write(pitch_id=pitch.pk, changes={BRAND: brand}, base_version=pitch.version)


def _stored(picture: Picture, media: Path) -> bytes:
    return (media / (picture.original.name or "")).read_bytes()


@pytest.fixture
def furnished(pitch: Pitch, owner: User) -> Pitch:
    """A pitch with a logo (PNG with alpha), two screenshots cut and focused, and a headshot (a JPEG photo)."""
    logo, _ = picture_upload(
        pitch=pitch,
        user=owner,
        data=encoded("PNG", mode="RGBA", colour=(0, 90, 200, 128)),
        role=Picture.Role.LOGO,
        alt="Acme logo",
    )
    first, _ = picture_upload(
        pitch=pitch,
        user=owner,
        data=encoded("PNG", (320, 200), colour="green"),
        role=Picture.Role.SCREENSHOT,
        alt="The dashboard",
    )
    second, _ = picture_upload(
        pitch=pitch,
        user=owner,
        data=encoded("PNG", (300, 180), colour="navy"),
        role=Picture.Role.SCREENSHOT,
        alt="The report",
    )
    picture_upload(
        pitch=pitch,
        user=owner,
        data=encoded("JPEG", (120, 160), colour="tan"),
        role=Picture.Role.HEADSHOT,
        alt="Jane Doe",
    )
    picture_update(picture=first, change=PictureChange(focal=(0.25, 0.75), crop=Box(0.1, 0.2, 0.9, 0.8)))
    picture_update(picture=second, change=PictureChange(focal=(0.6, 0.4)))
    return _choose_logos(pitch, logo=logo.pk)


@pytest.fixture
def page(client: Client, owner: User) -> Client:
    client.force_login(owner)
    return client


def _export(page: Client, pitch: Pitch) -> bytes:
    response = page.get(f"/pitches/{pitch.pk}/export/")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def _import(page: Client, data: bytes, name: str = "pitch.zip") -> Any:
    return page.post("/pitches/import/", {"document": SimpleUploadedFile(name, data, "application/zip")})


def _picture_rows(pitch: Pitch) -> list[tuple[Any, ...]]:
    return [
        (p.role, p.alt, p.focal_x, p.focal_y, p.crop, p.fmt, p.width, p.height, p.digest)
        for p in pitch.pictures.order_by("created_at", "id")
    ]


def test_a_pitch_with_pictures_exports_a_zip_and_imports_back_with_the_same_pictures(
    page: Client, furnished: Pitch, owner: User, media: Path
) -> None:
    response = page.get(f"/pitches/{furnished.pk}/export/")
    assert response["Content-Type"] == "application/zip"
    assert f'filename="pitch-{furnished.pk}.zip"' in response["Content-Disposition"]
    members = _members(_export(page, furnished))
    manifest = json.loads(members["pictures/manifest.json"])
    assert [entry["role"] for entry in manifest["pictures"]] == ["logo", "screenshot", "screenshot", "headshot"]
    assert json.loads(members["pitch.json"])["canvas"] == furnished.content
    for entry in manifest["pictures"]:
        assert hashlib.sha256(members[f"pictures/{entry['file']}"]).hexdigest() == entry["digest"]

    response = _import(page, _export(page, furnished))
    assert response.status_code == 302, response.content.decode()[-2000:]
    copy = Pitch.objects.exclude(pk=furnished.pk).get()
    assert _picture_rows(copy) == _picture_rows(furnished)
    originals = list(furnished.pictures.order_by("created_at", "id"))
    for old, new in zip(originals, copy.pictures.order_by("created_at", "id"), strict=True):
        assert new.pk != old.pk
        assert str(new.original.name).startswith(f"pictures/{copy.pk}/")
        assert _stored(new, media) == _stored(old, media)  # every pixel, byte for byte
    new_logo = copy.pictures.get(role=Picture.Role.LOGO)
    assert get_unit(copy.content, BRAND)["logo"] == new_logo.pk
    assert deck_pictures(pitch=copy, canvas=copy.content).logo.id == new_logo.pk  # type: ignore[union-attr]


def test_the_api_exports_the_zip_and_imports_it_as_a_multipart_file(
    client_of: APIClient, furnished: Pitch, media: Path
) -> None:
    response = client_of.get(f"/api/pitches/{furnished.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    created = client_of.post(
        "/api/pitches/import/",
        {"document": SimpleUploadedFile("acme.zip", data, "application/zip")},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    copy = Pitch.objects.get(pk=created.json()["id"])
    assert _picture_rows(copy) == _picture_rows(furnished)


def test_a_pitch_without_pictures_still_exports_and_imports_plain_json(page: Client, pitch: Pitch) -> None:
    response = page.get(f"/pitches/{pitch.pk}/export/")
    assert response["Content-Type"] == "application/json"
    assert f'filename="pitch-{pitch.pk}.json"' in response["Content-Disposition"]
    assert "Export JSON" in page.get(f"/pitches/{pitch.pk}/").content.decode()
    imported = _import(page, response.content, name="pitch.json")
    assert imported.status_code == 302
    assert Pitch.objects.count() == 2
    assert not Picture.objects.exists()


def test_the_export_buttons_say_zip_when_pictures_come_along(page: Client, furnished: Pitch) -> None:
    assert "Export with pictures (.zip)" in page.get(f"/pitches/{furnished.pk}/").content.decode()
    assert "Export (.zip)" in page.get("/").content.decode()


def test_a_json_import_of_a_pitch_that_had_a_logo_names_no_logo(page: Client, furnished: Pitch) -> None:
    members = _members(_export(page, furnished))
    response = _import(page, members["pitch.json"], name="pitch.json")
    assert response.status_code == 302
    copy = Pitch.objects.exclude(pk=furnished.pk).get()
    assert get_unit(copy.content, BRAND)["logo"] is None  # the other pitch's picture id is no picture of this one
    assert not copy.pictures.exists()


def test_a_viewer_may_export_neither_the_zip_nor_a_duplicate(furnished: Pitch, make_user: Callable[..., User]) -> None:
    viewer = make_user("vera")
    PitchMember.objects.create(pitch=furnished, user=viewer, role=PitchMember.Role.VIEWER)
    browser = Client()
    browser.force_login(viewer)
    assert browser.get(f"/pitches/{furnished.pk}/export/").status_code == 403
    assert browser.post(f"/pitches/{furnished.pk}/duplicate/").status_code == 403
    assert Pitch.objects.count() == 1


# ---------- hostile zips: each refused with its reason, nothing stored ----------


def _manifest(members: dict[str, bytes]) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(members["pictures/manifest.json"])
    return manifest


def _with_manifest(members: dict[str, bytes], manifest: Any) -> dict[str, bytes]:
    return {**members, "pictures/manifest.json": json.dumps(manifest).encode()}


def _first_file(members: dict[str, bytes]) -> str:
    return "pictures/" + str(_manifest(members)["pictures"][0]["file"])


def _not_an_image(members: dict[str, bytes]) -> dict[str, bytes]:
    """A file with a matching digest (the manifest cannot vouch for it) that is HTML, not an image."""
    html = b"<!doctype html><script>alert(1)</script>"
    manifest = _manifest(members)
    manifest["pictures"][0]["digest"] = hashlib.sha256(html).hexdigest()
    return {**_with_manifest(members, manifest), _first_file(members): html}


def _bad_crop(members: dict[str, bytes]) -> dict[str, bytes]:
    manifest = _manifest(members)
    manifest["pictures"][1]["crop"] = {"left": 0.9, "top": 0.1, "right": 0.2, "bottom": 0.8}
    return _with_manifest(members, manifest)


def _unlisted(members: dict[str, bytes]) -> dict[str, bytes]:
    manifest = _manifest(members)
    manifest["pictures"] = manifest["pictures"][1:]
    return _with_manifest(members, manifest)


HOSTILE: dict[str, tuple[Callable[[dict[str, bytes]], dict[str, bytes] | bytes], str]] = {
    "a path climbing out": (lambda m: {**m, "../evil.png": m[_first_file(m)]}, "must stay inside"),
    "an absolute path": (lambda m: {**m, "/etc/evil.png": b"x"}, "must stay inside"),
    "a path inside climbing out": (lambda m: {**m, "pictures/../../evil.png": b"x"}, "must stay inside"),
    "a member no export holds": (lambda m: {**m, "run.sh": b"rm -rf /"}, "not part of a PitchLab export"),
    "a zip bomb as pitch.json": (lambda m: {**m, "pitch.json": b" " * 6_000_000}, "unpacks to 6.0 MB"),
    "no pitch.json": (lambda m: {k: v for k, v in m.items() if k != "pitch.json"}, "has no pitch.json"),
    "no manifest": (
        lambda m: {k: v for k, v in m.items() if k != "pictures/manifest.json"},
        "no pictures/manifest.json",
    ),
    "a manifest that is not JSON": (lambda m: {**m, "pictures/manifest.json": b"{pictures: "}, "manifest.json"),
    "a manifest of another format": (lambda m: _with_manifest(m, {**_manifest(m), "format": "x"}), "format"),
    "a crop box inside out": (_bad_crop, "left < right"),
    "a picture that is not an image": (_not_an_image, "not an image PitchLab can read"),
    "a picture changed after export": (
        lambda m: {**m, _first_file(m): encoded("PNG", colour="purple")},
        "does not match its digest",
    ),
    "a picture the manifest does not list": (_unlisted, "not listed in pictures/manifest.json"),
    "a picture the manifest lists but is missing": (
        lambda m: {k: v for k, v in m.items() if k != _first_file(m)},
        "does not hold it",
    ),
    "a pitch.json that is not a pitch": (lambda m: {**m, "pitch.json": b'{"format": "x"}'}, "not a PitchLab pitch"),
    "not a zip at all": (lambda m: b"<html>not a zip</html>", "not a readable zip"),
}


@pytest.mark.parametrize(("mutate", "words"), list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_zip_is_refused_with_its_reason_and_nothing_is_stored(
    page: Client, furnished: Pitch, media: Path, mutate: Callable[[dict[str, bytes]], Any], words: str
) -> None:
    members = _members(_export(page, furnished))
    files_before = sorted(media.rglob("*"))
    changed = mutate(members)
    response = _import(page, changed if isinstance(changed, bytes) else _zip(changed))
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert words in body, body[body.find("import-errors") : body.find("import-errors") + 600]
    assert "<script>alert(1)" not in body
    assert Pitch.objects.count() == 1
    assert Picture.objects.count() == 4
    assert sorted(media.rglob("*")) == files_before


def test_too_many_entries_and_too_much_in_total_are_refused_from_the_directory(
    page: Client, furnished: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(page, furnished)
    monkeypatch.setattr(portable, "BUNDLE_MAX_ENTRIES", 3)
    assert "The zip holds 6 files; an export holds at most 3." in _import(page, data).content.decode()
    monkeypatch.setattr(portable, "BUNDLE_MAX_ENTRIES", 500)
    monkeypatch.setattr(portable, "BUNDLE_MAX_UNCOMPRESSED", 2_000)
    assert "The zip unpacks to" in _import(page, data).content.decode()
    assert Pitch.objects.count() == 1


def test_a_member_that_lies_about_its_size_reads_as_damaged(page: Client, furnished: Pitch) -> None:
    members = _members(_export(page, furnished))
    raw = RawZip()
    for name, data in members.items():
        raw.add(name, data, declare=100 if name == "pictures/manifest.json" else None)
    response = _import(page, raw.bytes())
    assert response.status_code == 400
    assert "damaged in the zip" in response.content.decode()
    assert Pitch.objects.count() == 1


def test_the_api_refuses_a_hostile_zip_with_400_naming_the_member(client_of: APIClient, furnished: Pitch) -> None:
    exported = b"".join(client_of.get(f"/api/pitches/{furnished.pk}/export/").streaming_content)  # type: ignore[attr-defined]
    members = {**_members(exported), "../evil.png": b"x"}
    response = client_of.post(
        "/api/pitches/import/",
        {"document": SimpleUploadedFile("p.zip", _zip(members), "application/zip")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "../evil.png" in json.dumps(response.json())
    assert Pitch.objects.count() == 1


def test_a_failure_after_the_pictures_were_written_removes_them(
    page: Client, furnished: Pitch, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(page, furnished)
    files_before = sorted(media.rglob("*"))

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("pitchlab.pitches.services.revision_create", broken)
    with pytest.raises(RuntimeError):
        _import(page, data)
    assert Pitch.objects.count() == 1
    assert Picture.objects.count() == 4
    assert sorted(media.rglob("*")) == files_before


def test_a_picture_with_metadata_is_re_encoded_on_import(page: Client, furnished: Pitch) -> None:
    """A hand-made zip may carry what a master never holds (here a PNG text chunk): it is stored re-encoded."""
    from PIL import PngImagePlugin

    members = _members(_export(page, furnished))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 48.85N 2.35E")
    buffer = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (64, 48), "orange").save(buffer, format="PNG", pnginfo=info)
    tagged = buffer.getvalue()
    manifest = _manifest(members)
    entry = manifest["pictures"][1]
    entry.update(digest=hashlib.sha256(tagged).hexdigest(), width=64, height=48, crop=None)
    response = _import(page, _zip({**_with_manifest(members, manifest), f"pictures/{entry['file']}": tagged}))
    assert response.status_code == 302
    stored = Pitch.objects.exclude(pk=furnished.pk).get().pictures.get(alt="The dashboard")
    assert stored.digest != entry["digest"]
    assert b"GPS" not in Path(stored.original.path).read_bytes()


# ---------- duplicate, revisions, deletion ----------


def test_a_duplicate_gets_its_own_copies_of_the_pictures_and_its_logo(
    furnished: Pitch, owner: User, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    copy = pitch_duplicate(pitch=furnished, owner=owner)
    assert _picture_rows(copy) == _picture_rows(furnished)
    new_logo = copy.pictures.get(role=Picture.Role.LOGO)
    copy.refresh_from_db()
    assert get_unit(copy.content, BRAND)["logo"] == new_logo.pk
    assert all(str(p.original.name).startswith(f"pictures/{copy.pk}/") for p in copy.pictures.all())
    with django_capture_on_commit_callbacks(execute=True):
        pitch_delete(pitch=furnished)
    assert not (media / "pictures" / str(furnished.pk)).exists()
    assert all(Path(p.original.path).is_file() for p in copy.pictures.all())  # the original's deletion spared them


def test_restoring_a_revision_whose_logo_file_is_gone_gives_a_deck_without_it(
    pitch: Pitch, owner: User, media: Path
) -> None:
    logo, _ = picture_upload(pitch=pitch, user=owner, data=encoded("PNG"), role=Picture.Role.LOGO, alt="Old logo")
    pitch = _choose_logos(pitch, logo=logo.pk)
    revision = revision_create(pitch=pitch, reason="manual", note="with the old logo")
    _choose_logos(pitch, logo=None)
    picture_delete(picture=logo)
    (media / (logo.original.name or "")).unlink()  # the master the revision names, removed by hand

    restored = revision_restore(pitch_id=pitch.pk, revision=revision)
    assert not restored.pictures.exists()  # nothing to bring it back from
    assert get_unit(restored.content, BRAND)["logo"] is None  # the canvas comes back without it
    placed = deck_pictures(pitch=restored, canvas=restored.content)
    assert placed.logo is None
    assert placed.logo_dark is None
    assert restored.revisions.first().note == f"from version {revision.version}"  # type: ignore[union-attr]


def test_deleting_a_pitch_with_imported_pictures_leaves_nothing_on_disk(
    page: Client, furnished: Pitch, owner: User, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _import(page, _export(page, furnished))
    copy = Pitch.objects.exclude(pk=furnished.pk).get()
    assert (media / "pictures" / str(copy.pk)).is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        pitch_delete(pitch=copy)
    assert not (media / "pictures" / str(copy.pk)).exists()
