"""Where the deck's pictures come from: a pitch's stored pictures as the slide model's ``DeckPictures``, and
their files cut for the PDF (``StoredPrintFiles``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse

from pitchlab.decks.deck_pictures import DeckPicture, DeckPictures, choose
from pitchlab.pictures import renditions
from pitchlab.pictures.geometry import Fit
from pitchlab.pictures.models import Picture
from pitchlab.pictures.selectors import picture_list
from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.read_model import CanvasView, as_view

logger = logging.getLogger(__name__)

PictureUrl = Callable[[Picture], str]


def owner_url(picture: Picture) -> str:
    """The picture's web file through the pictures API (the signed-in pages: web deck, presenter, audience)."""
    return f"{reverse('api-picture-file', args=[picture.pitch_id, picture.pk])}?v={renditions.version(picture)}"


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value))


def deck_picture(picture: Picture, url: str) -> DeckPicture:
    """``picture`` as a slide places it: its size as cut and its focal point within the cut."""
    crop = picture.geometry.crop
    span_x, span_y = crop.right - crop.left, crop.bottom - crop.top
    return DeckPicture(
        id=picture.pk,
        role=picture.role,
        alt=picture.alt,
        width=max(1, round(span_x * picture.width)),
        height=max(1, round(span_y * picture.height)),
        focal_x=_unit((picture.focal_x - crop.left) / span_x) if span_x else 0.5,
        focal_y=_unit((picture.focal_y - crop.top) / span_y) if span_y else 0.5,
        url=url,
    )


def deck_pictures(*, pitch: Pitch, canvas: CanvasView | Canvas, url: PictureUrl = owner_url) -> DeckPictures:
    """The pictures ``pitch``'s deck places, with the logo ids of ``canvas``' brand kit (the pitch's own canvas,
    or an exported revision's: its logo choice, the pictures as they are now)."""
    brand = as_view(canvas).deck.brand
    stored = [deck_picture(picture, url(picture)) for picture in picture_list(pitch=pitch)]
    return choose(stored, logo=brand.logo, logo_dark=brand.logo_dark)


class StoredPrintFiles:
    """A pitch's pictures cut for the PDF (``deck_pictures.PrintFiles``): each placement's size at print
    resolution, cut once and kept (``renditions.picture_for_print``)."""

    def __init__(self, pitch_id: int) -> None:
        self._pictures = {picture.pk: picture for picture in Picture.objects.filter(pitch_id=pitch_id)}

    def __call__(self, picture: DeckPicture, width_pt: float, height_pt: float, *, contain: bool) -> Path | None:
        stored = self._pictures.get(picture.id)
        if stored is None:
            return None
        try:
            return renditions.picture_for_print(stored, width_pt, height_pt, fit=Fit.CONTAIN if contain else Fit.COVER)
        except (OSError, ValueError):  # the file is gone or unreadable: the place stays empty, the export goes on
            logger.warning("picture %s could not be cut for print", picture.id, exc_info=True)
            return None
