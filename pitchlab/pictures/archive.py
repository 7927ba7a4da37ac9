"""A pitch's pictures in its archive: each master under pictures/, and pictures.json with what each one is; the
masters kept only because a revision names them (pictures deleted since) under pictures/revisions/<digest>.<fmt>,
described by revisions.json's ``parts``."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from pitchlab.pictures import files
from pitchlab.pictures.models import Picture
from pitchlab.pictures.revisions import revision_masters
from pitchlab.pitches.archive import ArchiveFile, LeftOut, json_file, row, stored_file
from pitchlab.pitches.models import Pitch


def picture_archive_files(pitch: Pitch) -> Iterator[ArchiveFile | LeftOut]:
    """The masters (the re-encoded files PitchLab stores, not the uploads) and their rows."""
    rows = []
    for picture in pitch.pictures.select_related("created_by").order_by("created_at", "id"):
        entry = row(
            picture,
            "id",
            "role",
            "alt",
            "fmt",
            "width",
            "height",
            "size_bytes",
            "digest",
            "focal_x",
            "focal_y",
            "created_at",
            "updated_at",
        )
        crop = picture.crop
        entry["crop"] = None if crop is None else row(crop, "left", "top", "right", "bottom")
        entry["created_by"] = picture.created_by.get_username() if picture.created_by else None
        name = f"pictures/{picture.pk}-{posixpath.basename(picture.original.name or 'picture')}"
        item = stored_file(name, picture.original)
        yield item
        entry["file"] = None if isinstance(item, LeftOut) else name
        rows.append(entry)
    yield json_file("pictures.json", rows)
    stored = {entry["digest"] for entry in rows}
    for digest, fmt in sorted(revision_masters(pitch).items()):
        if digest not in stored:
            kept = Picture(original=files.master_name(pitch.pk, digest, fmt)).original  # a file no row names
            yield stored_file(f"pictures/revisions/{digest}.{fmt}", kept)
