"""Deleting a picture or its pitch leaves nothing on disk, once committed; a deletion rolled back leaves all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.test import APIClient

from pitchlab.pictures.models import Picture
from pitchlab.pictures.renditions import picture_for_print
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.models import Pitch
from tests.pictures.conftest import encoded

pytestmark = pytest.mark.django_db(transaction=True)


def _pictures(pitch: Pitch, owner: User) -> list[Picture]:
    made = []
    for colour, role in (("red", Picture.Role.LOGO), ("blue", Picture.Role.HEADSHOT)):
        picture, created = picture_upload(pitch=pitch, user=owner, data=encoded(colour=colour), role=role, alt="")
        assert created
        picture_for_print(picture, 72, 72)  # a cached size beside the master
        made.append(picture)
    return made


def _folder(media: Path, pitch: Pitch) -> Path:
    return media / "pictures" / str(pitch.pk)


def test_deleting_a_picture_removes_its_master_and_sizes_only(
    client_of: APIClient, pitch: Pitch, owner: User, media: Path
) -> None:
    gone, kept = _pictures(pitch, owner)
    before = sorted(path.name for path in _folder(media, pitch).rglob("*") if path.is_file())
    assert len(before) == 4
    response = client_of.delete(f"/api/pitches/{pitch.pk}/pictures/{gone.pk}/")
    assert response.status_code == 204
    assert not Picture.objects.filter(pk=gone.pk).exists()
    left = [path.name for path in _folder(media, pitch).rglob("*") if path.is_file()]
    assert sorted(left) == sorted(name for name in before if name.startswith(kept.digest[:16]))


def test_deleting_the_pitch_leaves_nothing_of_its_pictures(
    client_of: APIClient, pitch: Pitch, owner: User, media: Path
) -> None:
    _pictures(pitch, owner)
    assert _folder(media, pitch).exists()
    assert client_of.delete(f"/api/pitches/{pitch.pk}/").status_code == 204
    assert not Picture.objects.exists()
    assert not _folder(media, pitch).exists()


class Abort(Exception):
    pass


def _delete_rolled_back(delete: Callable[[], Any]) -> None:
    try:
        with transaction.atomic():
            delete()
            raise Abort
    except Abort:
        pass


def test_a_rolled_back_deletion_leaves_the_files(pitch: Pitch, owner: User, media: Path) -> None:
    pictures = _pictures(pitch, owner)
    files = sorted(path for path in _folder(media, pitch).rglob("*") if path.is_file())

    _delete_rolled_back(lambda: Pitch.objects.filter(pk=pitch.pk).delete())
    _delete_rolled_back(pictures[0].delete)
    assert Picture.objects.count() == 2
    assert sorted(path for path in _folder(media, pitch).rglob("*") if path.is_file()) == files
    assert all(path.stat().st_size > 0 for path in files)


def test_a_failed_upload_row_leaves_no_file(pitch: Pitch, owner: User, media: Path, monkeypatch: Any) -> None:
    def refuse(**kwargs: Any) -> Picture:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Picture.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        picture_upload(pitch=pitch, user=owner, data=encoded(colour="green"), role=Picture.Role.COVER, alt="")
    assert [path for path in media.rglob("*") if path.is_file()] == []
