"""The plain types of a picture's use: its formats, how it fits a frame, and where it is cut (pure)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class Fmt(StrEnum):
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"

    @property
    def content_type(self) -> str:
        return f"image/{self.value}"


class Fit(StrEnum):
    COVER = "cover"  # fill the frame, cutting what falls outside around the focal point (photos)
    CONTAIN = "contain"  # all of the picture inside the frame (logos)


@dataclass(frozen=True)
class Box:
    """A part of a picture in normalised coordinates (0..1 of the width and height), left < right, top < bottom."""

    left: float
    top: float
    right: float
    bottom: float

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        left, top = round(self.left * width), round(self.top * height)
        return left, top, max(left + 1, round(self.right * width)), max(top + 1, round(self.bottom * height))


FULL = Box(0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class Geometry:
    """Where a picture is cut: its crop box (FULL: none) and its focal point (normalised, of the whole picture)."""

    crop: Box = FULL
    focal_x: float = 0.5
    focal_y: float = 0.5

    def key(self) -> str:
        """A short, stable name of this geometry for cache files and ETags."""
        text = f"{self.crop.left:.4f},{self.crop.top:.4f},{self.crop.right:.4f},{self.crop.bottom:.4f}"
        text += f";{self.focal_x:.4f},{self.focal_y:.4f}"
        return hashlib.sha256(text.encode()).hexdigest()[:10]
