"""A pitch's archive holds its pictures: each stored master, and pictures.json describing them."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from pitchlab.pictures.images import Box
from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import PictureChange, picture_update, picture_upload
from pitchlab.pitches.archive import pitch_archive_build
from pitchlab.pitches.models import Pitch
from tests.pictures.conftest import encoded

pytestmark = pytest.mark.django_db


def test_the_archive_holds_each_master_and_pictures_json(pitch: Pitch, owner: User, media: Path) -> None:
    logo, _ = picture_upload(pitch=pitch, user=owner, data=encoded("PNG"), role=Picture.Role.LOGO, alt="Acme")
    photo, _ = picture_upload(
        pitch=pitch, user=owner, data=encoded("JPEG", colour="blue"), role=Picture.Role.HEADSHOT, alt="Jane"
    )
    picture_update(picture=photo, change=PictureChange(focal=(0.2, 0.3), crop=Box(0.1, 0.1, 0.9, 0.8)))
    with zipfile.ZipFile(pitch_archive_build(pitch=pitch)) as zipped:
        rows = json.loads(zipped.read("pictures.json"))
        assert [row["role"] for row in rows] == ["logo", "headshot"]
        assert rows[0]["alt"] == "Acme"
        assert rows[1]["crop"] == {"left": 0.1, "top": 0.1, "right": 0.9, "bottom": 0.8}
        assert (rows[1]["focal_x"], rows[1]["focal_y"]) == (0.2, 0.3)
        assert rows[1]["created_by"] == owner.get_username()
        for row, picture in zip(rows, (logo, photo), strict=True):
            stored = (media / (picture.original.name or "")).read_bytes()
            assert zipped.read(row["file"]) == stored
            assert hashlib.sha256(zipped.read(row["file"])).hexdigest() == row["digest"]
        listed = {entry["path"] for entry in json.loads(zipped.read("manifest.json"))["files"]}
        assert {rows[0]["file"], rows[1]["file"], "pictures.json"} <= listed


def test_a_missing_master_is_left_out_with_a_note(pitch: Pitch, owner: User, media: Path) -> None:
    picture, _ = picture_upload(pitch=pitch, user=owner, data=encoded("PNG"), role=Picture.Role.COVER, alt="")
    (media / (picture.original.name or "")).unlink()
    with zipfile.ZipFile(pitch_archive_build(pitch=pitch)) as zipped:
        rows = json.loads(zipped.read("pictures.json"))
        assert rows[0]["file"] is None
        left_out = json.loads(zipped.read("manifest.json"))["left_out"]
        assert any(entry["what"].startswith("pictures/") for entry in left_out)
