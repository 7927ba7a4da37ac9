"""The sizes of a picture that its uses need, cut on demand and kept on disk (pitchlab/pictures/files.py).

The web asks for a width, snapped to one of a few (images.WIDTHS), so a pitch's cache holds at most a handful of
files per picture; the PDF asks for its placement's size at print resolution (``picture_for_print``), so a deck
of ten photos embeds ten small JPEGs, not ten camera originals.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pitchlab.pictures import files
from pitchlab.pictures.images import Fit, Fmt, for_print, rendition, snap_width
from pitchlab.pictures.models import Picture

# Shapes a web use may ask a picture to be cut to (around its focal point): few, so the cache stays bounded.
RATIOS: dict[str, float] = {"1:1": 1.0, "4:3": 4 / 3, "3:2": 1.5, "16:9": 16 / 9, "3:4": 0.75, "2:3": 2 / 3}
PRINT_DPI = 200
MAX_PRINT_PX = 6000  # a placement larger than any slide at 300 dpi is a mistake of the caller's


@dataclass(frozen=True)
class WebSize:
    """A checked request for a web size: the snapped width, format and optional shape."""

    width: int
    fmt: Fmt
    ratio: str | None = None

    def name(self, picture: Picture) -> str:
        """The cache file's name: the picture's geometry, this size and format (never the request's raw words)."""
        shape = f"-{self.ratio.replace(':', 'x')}" if self.ratio else ""
        return f"{picture.geometry.key()}-w{self.width}{shape}.{self.fmt.value}"


def web_size(*, picture: Picture, width: int, fmt: Fmt | None, accepts_webp: bool, ratio: str | None) -> WebSize:
    """What to serve: ``width`` snapped to WIDTHS and never past the picture's own width; WebP when the client
    takes it and named no format, else the master's own format."""
    chosen = fmt or (Fmt.WEBP if accepts_webp else Fmt(picture.fmt))
    crop = picture.crop
    own = picture.width if crop is None else max(1, round((crop.right - crop.left) * picture.width))
    return WebSize(width=min(snap_width(width), own), fmt=chosen, ratio=ratio)


def version(picture: Picture) -> str:
    """Changes whenever what any size shows changes (the master, crop box, focal point): the files' ETag base."""
    return hashlib.sha256(f"{picture.digest}:{picture.geometry.key()}".encode()).hexdigest()[:16]


def web_file(*, picture: Picture, size: WebSize) -> Path:
    """The file of ``size`` of ``picture``, cut now if it is not on disk yet."""
    path = files.size_path(picture.pitch_id, picture.digest, size.name(picture))
    if not path.exists():
        master = _master(picture)
        aspect = RATIOS[size.ratio] if size.ratio else None
        files.write_atomic(path, rendition(master, picture.geometry, width=size.width, fmt=size.fmt, aspect=aspect))
    return path


def picture_for_print(
    picture: Picture, width_pt: float, height_pt: float, dpi: int = PRINT_DPI, fit: Fit = Fit.COVER
) -> Path:
    """A file (JPEG, or PNG when the picture has transparency) holding ``picture`` as a placement of
    ``width_pt``×``height_pt`` points needs it at ``dpi``: filled around its focal point (COVER) or whole inside
    the frame (CONTAIN, for logos). Cut once and kept beside the master; reportlab reads it by name, so a logo
    on every slide is embedded in the PDF once."""
    if width_pt <= 0 or height_pt <= 0 or dpi <= 0:
        raise ValueError(f"a placement needs a positive size and dpi (got {width_pt}×{height_pt} pt at {dpi})")
    width_px = min(MAX_PRINT_PX, math.ceil(width_pt / 72 * dpi))
    height_px = min(MAX_PRINT_PX, math.ceil(height_pt / 72 * dpi))
    stem = f"{picture.geometry.key()}-p{width_px}x{height_px}-{fit.value}"
    for fmt in (Fmt.JPEG, Fmt.PNG):
        cached = files.size_path(picture.pitch_id, picture.digest, f"{stem}.{fmt.value}")
        if cached.exists():
            return cached
    data, fmt = for_print(_master(picture), picture.geometry, width_px=width_px, height_px=height_px, fit=fit)
    path = files.size_path(picture.pitch_id, picture.digest, f"{stem}.{fmt.value}")
    files.write_atomic(path, data)
    return path


def _master(picture: Picture) -> bytes:
    return (Path(settings.MEDIA_ROOT) / (picture.original.name or "")).read_bytes()
