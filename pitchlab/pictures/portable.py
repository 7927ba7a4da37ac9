"""A pitch's pictures travel with it: in its export zip, back in through an import, and into its duplicate.

The export's ``pictures/`` folder::

    manifest.json      {"format": "pitchlab.pictures", "version": 1, "pictures": [{id, role, alt, focal,
                       crop, format, width, height, digest, file}, …]}: ``id`` is the picture's id in the
                       exporting PitchLab, which the canvas' brand names as its logo
    <id>.<png|jpeg>    each master, as stored

An import reads the zip as hostile input: the manifest must parse, every file it names must be there and no
other, and each file must be what the manifest says (its SHA-256, format and size) and pass the uploads' image
gate. Everything is checked before anything is written. A file that is a clean master (no metadata, within the
master's size) is stored as it is, so a round trip keeps every pixel; one that is not is re-encoded as an
upload is. The new pictures get new ids: the brand's logo ids and custom slides' pictures are rewritten to them,
and an id that names no picture of the zip becomes null (a JSON-only import has none: its picture ids, another
pitch's, become null).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from rest_framework import serializers

from pitchlab.core.images import ImageRefused, open_checked
from pitchlab.pictures import files
from pitchlab.pictures.images import MASTER_MAX_SIDE, make_master, picture_limits
from pitchlab.pictures.models import ALT_MAX_LENGTH, Picture
from pitchlab.pitches.canvas import Canvas, get_unit
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.portable import CanvasChanges, PortablePart

FOLDER = "pictures"
MANIFEST = "manifest.json"
FORMAT = "pitchlab.pictures"
LOGO_FIELDS = ("logo", "logo_dark")
# What a re-encoded master never holds; a file carrying any of it is re-encoded on import.
METADATA_KEYS = frozenset({"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"})

Unit = Field(ge=0.0, le=1.0)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class CropIn(_Strict):
    left: float = Unit
    top: float = Unit
    right: float = Unit
    bottom: float = Unit

    @model_validator(mode="after")
    def _not_empty(self) -> CropIn:
        if not (self.left < self.right and self.top < self.bottom):
            raise ValueError("the crop box must have left < right and top < bottom")
        return self


class EntryIn(_Strict):
    id: int = Field(ge=1)
    role: Literal["logo", "logo_dark", "screenshot", "headshot", "cover"]
    alt: str = Field(max_length=ALT_MAX_LENGTH)
    focal: tuple[float, float]
    crop: CropIn | None
    format: Literal["png", "jpeg"]
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    file: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

    @model_validator(mode="after")
    def _focal_in_unit(self) -> EntryIn:
        if not all(0.0 <= value <= 1.0 for value in self.focal):
            raise ValueError("the focal point must lie between 0 and 1")
        return self


class ManifestIn(_Strict):
    format: Literal["pitchlab.pictures"]
    version: Literal[1]
    pictures: list[EntryIn]


@dataclass(frozen=True)
class Incoming:
    """A picture of an import, checked: its manifest entry and the bytes to store (the master)."""

    entry: EntryIn
    data: bytes
    digest: str
    fmt: str
    width: int
    height: int


def _refuse(path: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({f"{FOLDER}/{path}": [message]})


# Export


def picture_files(pitch: Pitch) -> Iterator[tuple[str, bytes]]:
    """Each master whose file is there, then the manifest describing them."""
    entries = []
    for picture in pitch.pictures.order_by("created_at", "id"):
        try:
            data = (Path(settings.MEDIA_ROOT) / (picture.original.name or "")).read_bytes()
        except OSError:
            continue  # a master gone from the disk reads as no picture on every slide: it has nothing to carry
        name = f"{picture.pk}.{picture.fmt}"
        crop = picture.crop
        entries.append(
            {
                "id": picture.pk,
                "role": picture.role,
                "alt": picture.alt,
                "focal": [picture.focal_x, picture.focal_y],
                "crop": None
                if crop is None
                else {"left": crop.left, "top": crop.top, "right": crop.right, "bottom": crop.bottom},
                "format": picture.fmt,
                "width": picture.width,
                "height": picture.height,
                "digest": picture.digest,
                "file": name,
            }
        )
        yield name, data
    manifest = {"format": FORMAT, "version": 1, "pictures": entries}
    yield MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode()


def pitches_with_pictures(pitch_ids: Collection[int]) -> set[int]:
    return set(Picture.objects.filter(pitch_id__in=pitch_ids).values_list("pitch_id", flat=True).distinct())


# Import


def manifest_read(data: bytes) -> ManifestIn:
    try:
        return ManifestIn.model_validate_json(data)
    except ValidationError as exc:
        lines = [_error_line(error["loc"], error["msg"]) for error in exc.errors()]
        raise serializers.ValidationError({f"{FOLDER}/{MANIFEST}": lines}) from None


def _error_line(location: tuple[int | str, ...], message: str) -> str:
    where = ".".join(str(part) for part in location) or "manifest"
    return f"{where}: {message.removeprefix('Value error, ')}"


def incoming_pictures(folder: Mapping[str, bytes]) -> list[Incoming]:
    """The pictures of an import's ``pictures/`` folder, each checked; a ValidationError naming the file."""
    if not folder:
        return []
    if MANIFEST not in folder:
        raise _refuse(MANIFEST, _("The zip holds pictures but no pictures/manifest.json describing them."))
    manifest = manifest_read(folder[MANIFEST])
    named = [entry.file for entry in manifest.pictures]
    for key, label in (("id", "id"), ("digest", "digest"), ("file", "file")):
        values = [getattr(entry, key) for entry in manifest.pictures]
        if len(set(values)) != len(values):
            raise _refuse(MANIFEST, _("Two pictures have the same %(field)s.") % {"field": label})
    for path in folder:
        if path != MANIFEST and path not in named:
            raise _refuse(path, _("This file is not listed in pictures/manifest.json."))
    return [_incoming(entry, folder.get(entry.file)) for entry in manifest.pictures]


def _incoming(entry: EntryIn, data: bytes | None) -> Incoming:
    if data is None:
        raise _refuse(entry.file, _("pictures/manifest.json lists this file but the zip does not hold it."))
    if hashlib.sha256(data).hexdigest() != entry.digest:
        raise _refuse(entry.file, _("The file does not match its digest in pictures/manifest.json."))
    limits = picture_limits(max_bytes=settings.PICTURE_MAX_BYTES, max_pixels=settings.PICTURE_MAX_PIXELS)
    try:
        image = open_checked(data, limits)
        if (image.format or "").lower() != entry.format or image.size != (entry.width, entry.height):
            raise _refuse(
                entry.file,
                _("The file is not the %(format)s picture pictures/manifest.json describes.")
                % {"format": entry.format.upper()},
            )
        if _clean_master(image):
            return Incoming(entry, data, entry.digest, entry.format, entry.width, entry.height)
        master = make_master(data, limits)
    except ImageRefused as exc:
        raise _refuse(entry.file, exc.message) from None
    return Incoming(entry, master.data, master.digest, master.fmt.value, master.width, master.height)


def _clean_master(image: Image.Image) -> bool:
    """Whether ``image`` is what make_master stores (so storing its bytes as they are keeps that promise)."""
    text = getattr(image, "text", None) or {}
    return (
        image.mode in ("RGB", "RGBA")
        and max(image.size) <= MASTER_MAX_SIDE
        and not text
        and not (METADATA_KEYS & set(image.info))
    )


def _store(pitch: Pitch, picture: Incoming | Picture, data: bytes, user: AbstractBaseUser | None) -> Picture:
    role: str
    if isinstance(picture, Incoming):
        entry = picture.entry
        digest, fmt, width, height = picture.digest, picture.fmt, picture.width, picture.height
        role, alt, (focal_x, focal_y) = entry.role, entry.alt, entry.focal
        crop = None if entry.crop is None else (entry.crop.left, entry.crop.top, entry.crop.right, entry.crop.bottom)
    else:
        digest, fmt, width, height = picture.digest, picture.fmt, picture.width, picture.height
        role, alt, focal_x, focal_y = picture.role, picture.alt, picture.focal_x, picture.focal_y
        box = picture.crop
        crop = None if box is None else (box.left, box.top, box.right, box.bottom)
    name = files.master_name(pitch.pk, digest, fmt)
    files.write_atomic(Path(settings.MEDIA_ROOT) / name, data)
    left, top, right, bottom = crop if crop is not None else (None, None, None, None)
    return Picture.objects.create(
        pitch=pitch,
        role=role,
        alt=alt,
        original=name,
        digest=digest,
        fmt=fmt,
        width=width,
        height=height,
        size_bytes=len(data),
        focal_x=focal_x,
        focal_y=focal_y,
        crop_left=left,
        crop_top=top,
        crop_right=right,
        crop_bottom=bottom,
        created_by_id=None if user is None else user.pk,
    )


def pictures_remapped(canvas: Canvas, ids: Mapping[int, int]) -> CanvasChanges:
    """The units that name pictures by id, rewritten through ``ids`` (an id not there becomes null), those that
    change: the brand's logos, and custom slides' pictures in ``deck.slides``."""
    return {**_brand_remapped(canvas, ids), **_slides_remapped(canvas, ids)}


def _unit_or_none(canvas: Canvas, path: str) -> Any:
    try:
        return get_unit(canvas, path)
    except (KeyError, TypeError):
        return None


def _brand_remapped(canvas: Canvas, ids: Mapping[int, int]) -> CanvasChanges:
    brand = _unit_or_none(canvas, "deck.brand")
    if not isinstance(brand, dict):
        return {}
    remapped = {**brand}
    for field in LOGO_FIELDS:
        old = brand.get(field)
        remapped[field] = ids.get(old) if isinstance(old, int) else None
    return {} if remapped == brand else {"deck.brand": remapped}


def _slides_remapped(canvas: Canvas, ids: Mapping[int, int]) -> CanvasChanges:
    rows = _unit_or_none(canvas, "deck.slides")
    if not isinstance(rows, list):
        return {}
    remapped = [
        {**row, "picture": ids.get(row["picture"])}
        if isinstance(row, dict) and isinstance(row.get("picture"), int)
        else row
        for row in rows
    ]
    return {} if remapped == rows else {"deck.slides": remapped}


def pictures_restore(pitch: Pitch, folder: Mapping[str, bytes], user: AbstractBaseUser | None) -> CanvasChanges:
    incoming = incoming_pictures(folder)  # every refusal comes before the first write
    ids = {picture.entry.id: _store(pitch, picture, picture.data, user).pk for picture in incoming}
    return pictures_remapped(pitch.content, ids)


def pictures_copy(source: Pitch, pitch: Pitch, user: AbstractBaseUser | None) -> CanvasChanges:
    ids = {}
    for picture in source.pictures.order_by("created_at", "id"):
        try:
            data = (Path(settings.MEDIA_ROOT) / (picture.original.name or "")).read_bytes()
        except OSError:
            continue  # gone from the disk: the copy has no such picture, and a logo naming it becomes null
        ids[picture.pk] = _store(pitch, picture, data, user).pk
    return pictures_remapped(pitch.content, ids)


def max_picture_file_bytes() -> int:
    return int(settings.PICTURE_MAX_BYTES)


PICTURES_PART = PortablePart(
    folder=FOLDER,
    files=picture_files,
    holders=pitches_with_pictures,
    restore=pictures_restore,
    copy=pictures_copy,
    discard=files.pitch_folder_remove,
    max_file_bytes=max_picture_file_bytes,
)
