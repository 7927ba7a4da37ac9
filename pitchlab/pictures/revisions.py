"""A pitch's pictures are part of its revisions (``pitches/revision_parts.py``).

Each revision records, under ``parts["pictures"]``, every picture the pitch had then: its id, role, alt text,
focal point, crop, and which master it shows (digest, format, size); never the pixels. A master stays on disk
while a row or any revision of its pitch names its digest (``master_still_named``, asked when a picture is
deleted), so a restore can bring the picture back. Revisions are never pruned on their own: they go with their
pitch, whose whole folder goes then (``signals.py``), so no master outlives everything that names it.

Restoring a revision follows one rule: pictures deleted since come back, pictures added since stay, and the
ones still there are left as they are (their alt text, focal point or crop may have been improved since, and
those edits make no revision: a restore must not lose them). A picture comes back as a new row with the
revision's role, alt, focal point and crop, showing the kept master; the restored canvas' logo ids are
rewritten from the revision's ids to the rows' ids. A picture whose master is gone from the disk (removed by
hand, or deleted while the revision naming it was being made) is skipped with a log line: the logo naming it
reads as none, as a restore always did before pictures were versioned.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings

from pitchlab.pictures import files
from pitchlab.pictures.models import Picture
from pitchlab.pictures.portable import pictures_remapped
from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.portable import CanvasChanges
from pitchlab.pitches.revision_parts import RevisionPart

logger = logging.getLogger(__name__)

PART = "pictures"


def pictures_snapshot(pitch: Pitch) -> list[dict[str, Any]]:
    """What a revision keeps of ``pitch``'s pictures: enough to make each row again, no pixels."""
    return [_entry(picture) for picture in Picture.objects.filter(pitch=pitch).order_by("created_at", "id")]


def _entry(picture: Picture) -> dict[str, Any]:
    crop = picture.crop
    return {
        "id": picture.pk,
        "role": picture.role,
        "alt": picture.alt,
        "focal": [picture.focal_x, picture.focal_y],
        "crop": None if crop is None else [crop.left, crop.top, crop.right, crop.bottom],
        "digest": picture.digest,
        "fmt": picture.fmt,
        "width": picture.width,
        "height": picture.height,
        "size_bytes": picture.size_bytes,
    }


def pictures_revision_restore(pitch: Pitch, saved: Any, canvas: Canvas) -> CanvasChanges:
    """Bring back the pictures of ``saved`` deleted since; the brand of ``canvas`` remapped to the rows' ids."""
    current = {picture.digest: picture for picture in Picture.objects.filter(pitch=pitch)}
    ids = {picture.pk: picture.pk for picture in current.values()}
    for entry in saved:
        picture = current.get(entry["digest"])
        if picture is None:
            picture = _bring_back(pitch, entry)
            if picture is None:
                continue
            current[picture.digest] = picture
        ids[entry["id"]] = picture.pk
    return pictures_remapped(canvas, ids)


def _bring_back(pitch: Pitch, entry: dict[str, Any]) -> Picture | None:
    name = files.master_name(pitch.pk, entry["digest"], entry["fmt"])
    if not (Path(settings.MEDIA_ROOT) / name).is_file():
        logger.warning(
            "pitch %s: picture %s of the restored revision is not brought back, its master %s is gone",
            pitch.pk,
            entry["id"],
            name,
        )
        return None
    left, top, right, bottom = entry["crop"] if entry["crop"] is not None else (None, None, None, None)
    return Picture.objects.create(
        pitch=pitch,
        role=entry["role"],
        alt=entry["alt"],
        original=name,
        digest=entry["digest"],
        fmt=entry["fmt"],
        width=entry["width"],
        height=entry["height"],
        size_bytes=entry["size_bytes"],
        focal_x=entry["focal"][0],
        focal_y=entry["focal"][1],
        crop_left=left,
        crop_top=top,
        crop_right=right,
        crop_bottom=bottom,
    )


def revision_masters(pitch: Pitch) -> dict[str, str]:
    """Every master the revisions of ``pitch`` name: digest → format."""
    named: dict[str, str] = {}
    for parts in PitchRevision.objects.filter(pitch=pitch).values_list("parts", flat=True).iterator():
        for entry in parts.get(PART, []):
            named[entry["digest"]] = entry["fmt"]
    return named


def master_still_named(pitch_id: int, digest: str) -> bool:
    """Whether a picture row or a revision of the pitch still names the master ``digest`` (so it must stay).

    A substring search of the revisions' JSON (as text, on SQLite and PostgreSQL alike): a SHA-256 in hex
    appears there only as a picture's digest.
    """
    return (
        Picture.objects.filter(pitch_id=pitch_id, digest=digest).exists()
        or PitchRevision.objects.filter(pitch_id=pitch_id, parts__icontains=digest).exists()
    )


PICTURES_REVISION_PART = RevisionPart(name=PART, snapshot=pictures_snapshot, restore=pictures_revision_restore)
