"""Apps add files to a pitch's archive (``archive_files``) beside JSON parts, without pitches knowing them."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField

from pitchlab.pitches import archive
from pitchlab.pitches.archive import ArchiveFile, LeftOut, archive_files, pitch_archive_build, stored_file
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create


@pytest.fixture
def no_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "_PARTS", {})


def build(pitch: Pitch) -> zipfile.ZipFile:
    return zipfile.ZipFile(pitch_archive_build(pitch=pitch))


def manifest(zipped: zipfile.ZipFile) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(zipped.read("manifest.json"))
    return result


def field_file(tmp_path: Path, name: str, content: bytes | None) -> FieldFile:
    """A FieldFile on its own storage; ``content`` None: the file is named but missing from disk."""
    storage = FileSystemStorage(location=tmp_path)
    if content is not None:
        name = storage.save(name, ContentFile(content))
    field = FileField(storage=storage)
    return FieldFile(None, field, name)  # type: ignore[arg-type]  # no model row: the part only reads it


@pytest.mark.django_db
def test_a_file_part_streams_its_files_into_the_zip_and_the_manifest(
    make_user: Callable[..., User], no_parts: None, tmp_path: Path
) -> None:
    big = bytes(range(256)) * 10_000  # read in several chunks
    pulled: list[str] = []

    def pictures(pitch: Pitch) -> Iterator[ArchiveFile | LeftOut]:
        pulled.append(pitch.name)
        yield f"pictures/{pitch.pk}-logo.png", [b"\x89PNG", b"rest"]
        yield stored_file("pictures/photo.jpg", field_file(tmp_path, "photo.jpg", big))
        yield stored_file("pictures/gone.jpg", field_file(tmp_path, "gone.jpg", None))
        yield LeftOut("pictures/huge.tiff", "Too large for an archive.")

    archive_files("pictures", pictures)
    pitch = pitch_create(owner=make_user("founder"), name="Acme AI")
    zipped = build(pitch)

    assert pulled == ["Acme AI"]
    assert zipped.read(f"pictures/{pitch.pk}-logo.png") == b"\x89PNGrest"
    assert zipped.read("pictures/photo.jpg") == big
    assert zipped.getinfo("pictures/photo.jpg").compress_type == zipfile.ZIP_STORED  # already compressed
    listed = {entry["path"]: entry for entry in manifest(zipped)["files"]}
    assert listed["pictures/photo.jpg"] == {
        "path": "pictures/photo.jpg",
        "size": len(big),
        "sha256": hashlib.sha256(big).hexdigest(),
    }
    assert "pictures/gone.jpg" not in zipped.namelist()
    left_out = {item["what"]: item["why"] for item in manifest(zipped)["left_out"]}
    assert set(left_out) == {"pictures/gone.jpg", "pictures/huge.tiff"}
    assert "could not be read" in left_out["pictures/gone.jpg"]


@pytest.mark.django_db
def test_a_file_that_fails_while_being_read_is_left_out_with_the_reason(
    make_user: Callable[..., User], no_parts: None
) -> None:
    def failing() -> Iterator[bytes]:
        yield b"half"
        raise OSError(5, "Input/output error")

    archive_files("broken", lambda pitch: [("broken/file.bin", failing())])
    zipped = build(pitch_create(owner=make_user("founder"), name="Acme AI"))

    assert "broken/file.bin" not in {entry["path"] for entry in manifest(zipped)["files"]}
    assert manifest(zipped)["left_out"] == [
        {"what": "broken/file.bin", "why": "The file could not be read: Input/output error"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/etc/passwd", "../outside.txt", "pictures/../../x", "pictures//x", "pictures/", "", "a\\b", "./x"]
)
def test_a_part_naming_an_unsafe_path_fails_the_archive(
    make_user: Callable[..., User], no_parts: None, path: str
) -> None:
    archive_files("bad", lambda pitch: [(path, [b"x"])])
    pitch = pitch_create(owner=make_user("founder"), name="Acme AI")
    with pytest.raises(ValueError, match="not a safe path"):
        build(pitch)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["pitch.json", "members.json", "manifest.json", "pictures/a.png"])
def test_a_part_cannot_overwrite_another_file(make_user: Callable[..., User], no_parts: None, path: str) -> None:
    archive_files("a-first", lambda pitch: [("pictures/a.png", [b"x"])])
    archive_files("b-second", lambda pitch: [(path, [b"y"])])
    pitch = pitch_create(owner=make_user("founder"), name="Acme AI")
    with pytest.raises(ValueError, match="wrote"):
        build(pitch)


def test_a_part_name_the_canvas_writes_is_refused() -> None:
    with pytest.raises(ValueError, match="new part name"):
        archive_files("pitch.json", lambda pitch: [])
