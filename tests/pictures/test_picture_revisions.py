"""Pictures are part of a pitch's revisions: a restore brings back those deleted since, with their settings and
the logo choice; their masters stay on disk while a revision names them, and go with the pitch."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect
from rest_framework.test import APIClient

from pitchlab.decks.picture_sources import deck_pictures
from pitchlab.pictures.images import Box
from pitchlab.pictures.models import Picture
from pitchlab.pictures.renditions import picture_for_print
from pitchlab.pictures.services import PictureChange, picture_delete, picture_update, picture_upload
from pitchlab.pitches.archive import pitch_archive_build
from pitchlab.pitches.canvas import get_unit
from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.services import pitch_delete, pitch_write, revision_create, revision_restore
from tests.pictures.conftest import encoded

pytestmark = pytest.mark.django_db

BRAND = "deck.brand"
PASSWORD = "a-long enough passphrase"
Committed = Callable[..., Any]  # django_capture_on_commit_callbacks


def _choose_logo(pitch: Pitch, logo: int | None) -> Pitch:
    pitch.refresh_from_db()
    brand = {**get_unit(pitch.content, BRAND), "logo": logo}
    return pitch_write(pitch_id=pitch.pk, changes={BRAND: brand}, base_version=pitch.version)


def _upload(pitch: Pitch, owner: User, role: Picture.Role, alt: str, **image: Any) -> Picture:
    picture, created = picture_upload(pitch=pitch, user=owner, data=encoded(**image), role=role, alt=alt)
    assert created
    return picture


def _settings(picture: Picture) -> tuple[Any, ...]:
    return (picture.role, picture.alt, picture.focal_x, picture.focal_y, picture.crop, picture.digest, picture.fmt)


def _files(media: Path, pitch: Pitch) -> list[str]:
    return sorted(path.name for path in (media / "pictures" / str(pitch.pk)).rglob("*") if path.is_file())


@pytest.fixture
def logo_and_screenshot(pitch: Pitch, owner: User) -> tuple[Picture, Picture]:
    """A logo (PNG with alpha) chosen in the brand kit, and a screenshot cut and focused; each with a cached size."""
    logo = _upload(pitch, owner, Picture.Role.LOGO, "Acme logo", mode="RGBA", colour=(0, 90, 200, 128))
    shot = _upload(pitch, owner, Picture.Role.SCREENSHOT, "The dashboard", size=(120, 80), colour="green")
    shot = picture_update(
        picture=shot, change=PictureChange(focal=(0.25, 0.75), crop=Box(left=0.1, top=0.2, right=0.9, bottom=0.8))
    )
    for picture in (logo, shot):
        picture_for_print(picture, 40, 40)
    _choose_logo(pitch, logo.pk)
    pitch.refresh_from_db()  # the canvas naming the logo, which the tests' revisions record
    return logo, shot


def test_a_revision_records_the_pictures_without_their_pixels(
    pitch: Pitch, logo_and_screenshot: tuple[Picture, Picture]
) -> None:
    logo, shot = logo_and_screenshot
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    revision.refresh_from_db()
    saved = revision.parts["pictures"]
    assert [(entry["id"], entry["digest"]) for entry in saved] == [(logo.pk, logo.digest), (shot.pk, shot.digest)]
    assert saved[1]["focal"] == [0.25, 0.75]
    assert saved[1]["crop"] == [0.1, 0.2, 0.9, 0.8]
    assert saved[0]["crop"] is None
    assert len(json.dumps(revision.parts)) < 1000  # a description, no image data


def test_restoring_brings_back_the_pictures_deleted_since_with_their_settings_and_the_logo_choice(
    pitch: Pitch,
    owner: User,
    logo_and_screenshot: tuple[Picture, Picture],
    media: Path,
    client_of: APIClient,
    django_capture_on_commit_callbacks: Committed,
) -> None:
    logo, shot = logo_and_screenshot
    before = {picture.role: _settings(picture) for picture in (logo, shot)}
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL, note="with the old logo")
    _choose_logo(pitch, None)
    with django_capture_on_commit_callbacks(execute=True):
        picture_delete(picture=logo)
        picture_delete(picture=shot)
    assert not pitch.pictures.exists()
    # A newer logo, uploaded after the revision: the deck would fall back to it were the restored choice lost.
    newer = _upload(pitch, owner, Picture.Role.LOGO, "New logo", colour="yellow")

    restored = revision_restore(pitch_id=pitch.pk, revision=revision)

    back = {picture.role: picture for picture in restored.pictures.exclude(pk=newer.pk)}
    assert {role: _settings(picture) for role, picture in back.items()} == before
    assert {back[Picture.Role.LOGO].pk, back[Picture.Role.SCREENSHOT].pk}.isdisjoint({logo.pk, shot.pk})
    for picture in back.values():  # the same pixels, from the master kept on disk
        assert hashlib.sha256((media / (picture.original.name or "")).read_bytes()).hexdigest() == picture.digest
    assert restored.pictures.filter(pk=newer.pk).exists()  # added since: it stays
    new_logo = back[Picture.Role.LOGO]
    assert get_unit(restored.content, BRAND)["logo"] == new_logo.pk
    placed = deck_pictures(pitch=restored, canvas=restored.content)
    assert placed.logo is not None
    assert placed.logo.id == new_logo.pk
    assert [picture.id for picture in placed.screenshots] == [back[Picture.Role.SCREENSHOT].pk]
    served = client_of.get(reverse("api-picture-file", args=[pitch.pk, new_logo.pk]))
    assert served.status_code == 200
    # The restore's own revision records the pictures as they now are.
    latest = restored.revisions.first()
    assert latest is not None
    assert latest.reason == PitchRevision.Reason.RESTORE
    assert sorted(entry["id"] for entry in latest.parts["pictures"]) == sorted(
        [new_logo.pk, back["screenshot"].pk, newer.pk]
    )


def test_a_restore_leaves_the_pictures_still_there_as_they_are(
    pitch: Pitch, logo_and_screenshot: tuple[Picture, Picture]
) -> None:
    logo, shot = logo_and_screenshot
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    picture_update(picture=shot, change=PictureChange(alt="The dashboard, after a week", clear_crop=True))

    restored = revision_restore(pitch_id=pitch.pk, revision=revision)

    assert sorted(restored.pictures.values_list("pk", flat=True)) == sorted([logo.pk, shot.pk])
    shot.refresh_from_db()
    assert (shot.alt, shot.crop) == ("The dashboard, after a week", None)  # an edit made since is not lost
    assert get_unit(restored.content, BRAND)["logo"] == logo.pk


def test_deleting_a_picture_keeps_its_master_while_a_revision_names_it_and_drops_the_cached_sizes(
    pitch: Pitch,
    owner: User,
    logo_and_screenshot: tuple[Picture, Picture],
    media: Path,
    django_capture_on_commit_callbacks: Committed,
) -> None:
    logo, _shot = logo_and_screenshot
    revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    unnamed = _upload(pitch, owner, Picture.Role.HEADSHOT, "Ada", colour="purple")  # after the revision
    picture_for_print(unnamed, 40, 40)
    before = _files(media, pitch)
    assert len(before) == 6

    with django_capture_on_commit_callbacks(execute=True):
        picture_delete(picture=logo)
        picture_delete(picture=unnamed)

    left = _files(media, pitch)
    assert f"{logo.digest}.png" in left  # named by the revision: kept for a restore
    assert not [name for name in left if name.startswith(logo.digest[:16] + "-")]  # its sizes went
    assert not [name for name in left if name.startswith(unnamed.digest[:16])]  # named by nothing: all gone


def test_deleting_the_pitch_removes_the_masters_its_revisions_kept(
    pitch: Pitch,
    logo_and_screenshot: tuple[Picture, Picture],
    media: Path,
    django_capture_on_commit_callbacks: Committed,
) -> None:
    logo, _shot = logo_and_screenshot
    revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    with django_capture_on_commit_callbacks(execute=True):
        picture_delete(picture=logo)
    assert f"{logo.digest}.png" in _files(media, pitch)
    with django_capture_on_commit_callbacks(execute=True):
        pitch_delete(pitch=pitch)
    assert not (media / "pictures" / str(pitch.pk)).exists()
    assert not Picture.objects.exists()


def test_uploading_a_deleted_picture_again_reuses_the_kept_master(
    pitch: Pitch, owner: User, logo_and_screenshot: tuple[Picture, Picture], media: Path
) -> None:
    logo, _shot = logo_and_screenshot
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    picture_delete(picture=logo)
    again, created = picture_upload(
        pitch=pitch, user=owner, data=encoded(mode="RGBA", colour=(0, 90, 200, 128)), role=Picture.Role.LOGO, alt="x"
    )
    assert created
    assert again.digest == logo.digest

    restored = revision_restore(pitch_id=pitch.pk, revision=revision)

    assert restored.pictures.filter(digest=logo.digest).count() == 1  # the row there now stands for it
    assert get_unit(restored.content, BRAND)["logo"] == again.pk


def test_a_revision_made_before_pictures_were_versioned_restores_the_canvas_only(
    pitch: Pitch, logo_and_screenshot: tuple[Picture, Picture]
) -> None:
    logo, shot = logo_and_screenshot
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    PitchRevision.objects.filter(pk=revision.pk).update(parts={})  # as the migration leaves older revisions
    revision.refresh_from_db()
    logo_id = logo.pk
    picture_delete(picture=logo)

    restored = revision_restore(pitch_id=pitch.pk, revision=revision)

    assert list(restored.pictures.values_list("pk", flat=True)) == [shot.pk]
    assert get_unit(restored.content, BRAND)["logo"] == logo_id  # the canvas as it was, naming no picture
    assert deck_pictures(pitch=restored, canvas=restored.content).logo is None


def test_the_archive_holds_the_masters_only_revisions_name_and_what_each_revision_recorded(
    pitch: Pitch,
    logo_and_screenshot: tuple[Picture, Picture],
    media: Path,
    django_capture_on_commit_callbacks: Committed,
) -> None:
    logo, shot = logo_and_screenshot
    revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    stored = (media / (logo.original.name or "")).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        picture_delete(picture=logo)

    with zipfile.ZipFile(pitch_archive_build(pitch=pitch)) as zipped:
        names = zipped.namelist()
        assert zipped.read(f"pictures/revisions/{logo.digest}.png") == stored
        # A picture still there is in the archive once, as its row's file.
        assert [name for name in names if shot.digest in name] == [f"pictures/{shot.pk}-{shot.digest}.png"]
        assert [row["digest"] for row in json.loads(zipped.read("pictures.json"))] == [shot.digest]
        revisions = json.loads(zipped.read("revisions.json"))
        assert [entry["digest"] for entry in revisions[-1]["parts"]["pictures"]] == [logo.digest, shot.digest]
        listed = {entry["path"] for entry in json.loads(zipped.read("manifest.json"))["files"]}
        assert f"pictures/revisions/{logo.digest}.png" in listed


def test_a_revisions_detail_counts_the_pictures_then_and_now(
    pitch: Pitch, owner: User, logo_and_screenshot: tuple[Picture, Picture], client_of: APIClient
) -> None:
    logo, _shot = logo_and_screenshot
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    url = f"/api/pitches/{pitch.pk}/revisions/{revision.pk}/"
    assert client_of.get(url).json()["parts_since"] == []  # the same pictures
    picture_delete(picture=logo)
    _upload(pitch, owner, Picture.Role.HEADSHOT, "Ada", colour="purple")
    _upload(pitch, owner, Picture.Role.HEADSHOT, "Grace", colour="orange")
    assert client_of.get(url).json()["parts_since"] == [{"part": "pictures", "before": 2, "after": 3}]


def _sign_in(browser: Any, base: str, owner: User) -> Any:
    owner.set_password(PASSWORD)
    owner.save()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", owner.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="My pitches")).to_be_visible()
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_in_the_editor_a_revision_says_how_many_pictures_it_had_and_its_restore_shows_them_again(
    browser: Any, live_server: Any, pitch: Pitch, owner: User, logo_and_screenshot: tuple[Picture, Picture]
) -> None:
    logo, shot = logo_and_screenshot
    revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL, note="with pictures")
    picture_delete(picture=logo)  # committed at once (a transactional test): files go as they would
    picture_delete(picture=shot)
    page = _sign_in(browser, live_server.url, owner)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-pictures-panel]")
    expect(panel.locator("[data-picture]")).to_have_count(0)

    row = page.locator("#revision-list li").filter(has_text="with pictures")
    row.get_by_role("button", name="Compare").click()
    expect(page.locator("#revision-diff")).to_contain_text("Pictures: 2 → 0")
    if os.environ.get("PITCHLAB_SHOTS_DIR"):
        page.locator("#section-revisions").screenshot(path=f"{os.environ['PITCHLAB_SHOTS_DIR']}/compare.png")
    row.get_by_role("button", name="Restore").click()

    items = panel.locator("[data-picture]")
    expect(items).to_have_count(2)
    for index in range(2):
        img = items.nth(index).locator("img")
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    expect(panel.locator('[data-picture-group="logo"] [data-picture-alt]')).to_have_value("Acme logo")
    assert sorted(Picture.objects.filter(pitch=pitch).values_list("role", flat=True)) == ["logo", "screenshot"]
    # The brand kit shows the restored choice: the logo brought back, not "newest uploaded".
    restored_logo = Picture.objects.get(pitch=pitch, role="logo")
    expect(page.locator('[data-brand-logo="logo"]:checked')).to_have_value(str(restored_logo.pk))
    if os.environ.get("PITCHLAB_SHOTS_DIR"):
        page.locator("[data-pictures-panel]").screenshot(path=f"{os.environ['PITCHLAB_SHOTS_DIR']}/restored.png")
    assert errors == []
    page.context.close()
