"""The pitch's pictures in the .pptx: each embedded once, whole, and cropped per placement (pure).

The PDF cuts a picture to each place it is drawn at; a .pptx would then hold one copy per slide. Here every
picture is asked of ``PrintFiles`` once, whole (``contain``) at the largest size the deck places it (the whole
slide for a screenshot or the cover, the cover's logo size for a logo, a team card's face), and each placement
shows it through the picture's own crop (around its focal point), which the founder can still change in the
office suite. python-pptx stores an image part once per distinct file (by its hash), so the logo in every
footer and a screenshot on two slides are one part each.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from lxml import etree
from pptx.oxml.ns import qn
from pptx.shapes.picture import Picture
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from pitchlab.decks.deck_pictures import DeckPicture, PrintFiles
from pitchlab.decks.powerpoint.base import HEIGHT, WIDTH, Frame
from pitchlab.decks.slides import Deck

_WHOLE = (WIDTH, HEIGHT)  # the largest place a picture takes: the whole slide (picture_full, the bleed cover)
# The largest place a logo or a face takes when no slide shows it as a picture of its own: the cover's logo
# (``pdf.COVER_LOGO``), a team card's round headshot (104 pt, cut from a photo up to about 2:1).
_LOGO = (240.0, 70.0)
_FACE = (208.0, 208.0)


def _largest_places(deck: Deck) -> dict[int, tuple[float, float]]:
    """The size each of the deck's pictures is asked for, once: the whole slide for a picture a slide shows as a
    picture (a screenshot, the cover, a custom slide's), else the most its logo or face place takes."""
    sizes: dict[int, tuple[float, float]] = {}
    for picture in (deck.pictures.logo, deck.pictures.logo_dark):
        if picture is not None:
            sizes[picture.id] = _LOGO
    for slide in deck.slides:
        for block in slide.blocks:
            for person in block.people:
                if person.photo is not None:
                    sizes.setdefault(person.photo.id, _FACE)
    for slide in deck.slides:
        for block in slide.blocks:
            for picture in block.pictures:
                sizes[picture.id] = _WHOLE
    return sizes


class PictureStore:
    """Where the renderer gets a picture's file (once per picture, at the largest size the deck places it) and a
    demo example's image bytes."""

    def __init__(self, files: PrintFiles | None, images: Mapping[str, bytes], deck: Deck | None = None) -> None:
        self._files = files
        self._paths: dict[int, Path | None] = {}
        self._sizes = _largest_places(deck) if deck is not None else {}
        self.images = images

    @property
    def enabled(self) -> bool:
        return self._files is not None

    def path(self, picture: DeckPicture) -> Path | None:
        if self._files is None:
            return None
        if picture.id not in self._paths:
            self._paths[picture.id] = self._files(picture, *self._sizes.get(picture.id, _WHOLE), contain=True)
        return self._paths[picture.id]


def _crop(picture: DeckPicture, frame: Frame) -> tuple[float, float, float, float]:
    """The (left, right, top, bottom) fractions of the picture cut away so that it fills ``frame`` around its
    focal point."""
    aspect, box = picture.aspect, frame.w / frame.h if frame.h else 1.0
    if abs(aspect - box) < 1e-3:
        return 0.0, 0.0, 0.0, 0.0
    if aspect > box:  # wider than the frame: cut the sides
        keep = box / aspect
        left = min(max(picture.focal_x - keep / 2, 0.0), 1.0 - keep)
        return left, 1.0 - keep - left, 0.0, 0.0
    keep = aspect / box
    top = min(max(picture.focal_y - keep / 2, 0.0), 1.0 - keep)
    return 0.0, 0.0, top, 1.0 - keep - top


def contained(picture: DeckPicture, frame: Frame, anchor: str = "c") -> Frame:
    """The largest frame of the picture's proportions inside ``frame`` (centred, or at its left for "w")."""
    aspect = picture.aspect or 1.0
    w = min(frame.w, frame.h * aspect)
    h = w / aspect
    x = frame.x if anchor == "w" else frame.x + (frame.w - w) / 2
    return Frame(x, frame.y + (frame.h - h) / 2, w, h)


def place_picture(
    shapes: SlideShapes, store: PictureStore, picture: DeckPicture, frame: Frame, *, contain: bool = False
) -> Picture | None:
    """The picture filling ``frame`` (cut around its focal point), or whole inside it (``contain``: logos);
    None when the deck places no pictures or its file is gone (the place stays empty, as in the PDF)."""
    path = store.path(picture)
    if path is None or frame.w <= 0 or frame.h <= 0:
        return None
    target = contained(picture, frame) if contain else frame
    shape = shapes.add_picture(str(path), Pt(target.x), Pt(target.y), Pt(target.w), Pt(target.h))
    if not contain:
        shape.crop_left, shape.crop_right, shape.crop_top, shape.crop_bottom = _crop(picture, frame)
    shape.name = f"Picture {picture.id}"
    if picture.alt:
        shape._element.find(qn("p:nvPicPr")).find(qn("p:cNvPr")).set("descr", picture.alt[:1000])
    return shape


def round_corners(picture: Picture, radius: float) -> None:
    """Round the picture's corners by ``radius`` points (the PDF's rounded frames), not the default quarter."""
    from pptx.enum.shapes import MSO_SHAPE

    picture.auto_shape_type = MSO_SHAPE.ROUNDED_RECTANGLE
    geometry = picture._element.spPr.find(qn("a:prstGeom"))
    shortest = min(picture.width or 1, picture.height or 1)
    if geometry is not None:
        listed = geometry.find(qn("a:avLst"))
        if listed is None:
            listed = etree.SubElement(geometry, qn("a:avLst"))
        for old in list(listed):
            listed.remove(old)
        guide = etree.SubElement(listed, qn("a:gd"))
        guide.set("name", "adj")
        guide.set("fmla", f"val {min(50000, int(100000 * Pt(radius) / shortest))}")


def place_image(shapes: SlideShapes, data: bytes, frame: Frame, name: str = "") -> Picture | None:
    """An image from bytes (a demo example's thumbnail, the QR code) whole inside ``frame``."""
    try:
        shape = shapes.add_picture(io.BytesIO(data), Pt(frame.x), Pt(frame.y))
    except Exception:  # bytes that are not an image python-pptx can read: the place stays empty
        return None
    width, height = shape.width or 1, shape.height or 1
    scale = min(Pt(frame.w) / width, Pt(frame.h) / height)
    shape.width, shape.height = Emu(int(width * scale)), Emu(int(height * scale))
    shape.left = Emu(int(Pt(frame.x) + (Pt(frame.w) - shape.width) / 2))
    shape.top = Emu(int(Pt(frame.y) + (Pt(frame.h) - shape.height) / 2))
    if name:
        shape.name = name
    return shape
