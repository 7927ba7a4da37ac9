"""Writing a pitch's pictures: upload (checked, re-encoded, stored once), change, delete."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from pitchlab.pictures import files
from pitchlab.pictures.images import Box, make_master, picture_limits
from pitchlab.pictures.models import Picture
from pitchlab.pitches.models import Pitch


@dataclass(frozen=True)
class PictureChange:
    """A checked PATCH: None leaves a field as it is; ``clear_crop`` removes the crop box."""

    role: Picture.Role | None = None
    alt: str | None = None
    focal: tuple[float, float] | None = None
    crop: Box | None = None
    clear_crop: bool = False


def picture_upload(
    *, pitch: Pitch, user: User | None, data: bytes, role: Picture.Role, alt: str
) -> tuple[Picture, bool]:
    """Check and re-encode ``data`` and store it as a picture of ``pitch``: (the picture, whether it is new).

    The same image sent again to the same pitch is not stored twice: the picture already there is answered
    (with its own role and alt text). Refusals raise an ImageRefused before anything is written.
    """
    master = make_master(
        data, picture_limits(max_bytes=settings.PICTURE_MAX_BYTES, max_pixels=settings.PICTURE_MAX_PIXELS)
    )
    existing = Picture.objects.filter(pitch=pitch, digest=master.digest).first()
    if existing is not None:
        return existing, False
    name = files.master_name(pitch.pk, master.digest, master.fmt.value)
    path = Path(settings.MEDIA_ROOT) / name
    written = not path.exists()
    if written:
        files.write_atomic(path, master.data)
    try:
        with transaction.atomic():
            picture = Picture.objects.create(
                pitch=pitch,
                role=role,
                alt=alt,
                original=name,
                digest=master.digest,
                fmt=master.fmt.value,
                width=master.width,
                height=master.height,
                size_bytes=len(master.data),
                created_by=user,
            )
    except IntegrityError:
        # The same image, uploaded twice at once: the other request stored it (the same bytes, the same file).
        raced = Picture.objects.filter(pitch=pitch, digest=master.digest).first()
        if raced is None:
            if written:
                path.unlink(missing_ok=True)
            raise
        return raced, False
    except BaseException:
        if written:
            path.unlink(missing_ok=True)
        raise
    return picture, True


@transaction.atomic
def picture_update(*, picture: Picture, change: PictureChange) -> Picture:
    """Apply ``change``; sizes cut with the old crop or focal point are forgotten once it is committed."""
    geometry = picture.geometry
    if change.role is not None:
        picture.role = change.role
    if change.alt is not None:
        picture.alt = change.alt
    if change.focal is not None:
        picture.focal_x, picture.focal_y = change.focal
    if change.clear_crop:
        picture.crop_left = picture.crop_top = picture.crop_right = picture.crop_bottom = None
    elif change.crop is not None:
        box = change.crop
        picture.crop_left, picture.crop_top, picture.crop_right, picture.crop_bottom = (
            box.left,
            box.top,
            box.right,
            box.bottom,
        )
    picture.save()
    if picture.geometry != geometry:
        pitch_id, digest = picture.pitch_id, picture.digest
        transaction.on_commit(lambda: files.sizes_remove(pitch_id, digest))
    return picture


@transaction.atomic
def picture_delete(*, picture: Picture) -> None:
    """Delete the picture; its files go once the deletion is committed (pitchlab/pictures/signals.py)."""
    picture.delete()
