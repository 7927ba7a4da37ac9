"""Reading a pitch's pictures. Who may read them is decided before (pitchlab/pitches/access.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from pitchlab.pictures.models import Picture
from pitchlab.pitches.models import Pitch


def picture_list(*, pitch: Pitch, role: str | None = None) -> QuerySet[Picture]:
    pictures = Picture.objects.filter(pitch=pitch)
    return pictures.filter(role=role) if role else pictures


def picture_get(*, pitch: Pitch, picture_id: int) -> Picture | None:
    picture = Picture.objects.filter(pitch=pitch, pk=picture_id).first()
    if picture is not None:
        picture.pitch = pitch  # the caller checked access on this object: no second query for it
    return picture
