"""A pitch's pictures as images: the stored master and the sizes cut from it (pure: bytes and typed data in,
bytes out; no Django models, no disk).

The master is what the founder sent, re-encoded: upright (EXIF orientation applied), in sRGB, every piece of
metadata gone (EXIF with its GPS position, XMP, comments, the ICC profile), at most MASTER_MAX_SIDE pixels on
its longer side. Colour: an embedded ICC profile is used once, to convert the pixels to sRGB, and then dropped.
Browsers, reportlab and the PowerPoint writer all take untagged pixels as sRGB, so a Display-P3 photo from a
phone looks the same on every surface; keeping the profile instead would leave each renderer to honour it (the
PDF one does not) and would keep in the file what the founder's camera wrote about itself.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from pitchlab.core.images import ImageLimits, open_checked
from pitchlab.pictures.geometry import FULL, Box, Fit, Fmt, Geometry

__all__ = ["FULL", "Box", "Fit", "Fmt", "Geometry"]  # re-exported: callers of the pipeline need them

# The largest rendition is 1920 px wide; a full 16:9 slide printed at 200 dpi is 2667 px wide. 4000 px keeps
# a photo sharp on both while a 48-megapixel phone photo does not sit on disk at 15 MB.
MASTER_MAX_SIDE = 4000
MAX_ASPECT = 8.0  # a banner 8 times as wide as it is high still fits a slide; a 1×40 strip is a mistake
WIDTHS = (160, 320, 640, 1280, 1920)  # the web's sizes: a bounded cache, and srcset steps a browser can choose from
JPEG_QUALITY = 88
WEBP_QUALITY = 82


def picture_limits(*, max_bytes: int, max_pixels: int) -> ImageLimits:
    """What a pitch's picture must be: the demo's rules and more (still, RGB, 8-bit, not a strip)."""
    return ImageLimits(
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        field="file",
        max_aspect=MAX_ASPECT,
        refuse_animated=True,
        refuse_cmyk=True,
        refuse_high_bit_depth=True,
    )


@dataclass(frozen=True)
class Master:
    """A re-encoded picture, ready to store: its bytes, their SHA-256, format and size in pixels."""

    data: bytes
    digest: str
    fmt: Fmt
    width: int
    height: int


def make_master(data: bytes, limits: ImageLimits) -> Master:
    """``data`` checked against ``limits`` and re-encoded: upright, sRGB, no metadata, at most MASTER_MAX_SIDE.

    A picture with transparency stays a PNG with its alpha; one without becomes a JPEG when it came as a JPEG
    (a photo) and a PNG otherwise (screenshots keep their sharp text). Raises an ImageRefused family member.
    """
    source = open_checked(data, limits)
    was_jpeg = source.format == "JPEG"
    image = _to_srgb(source)
    image = ImageOps.exif_transpose(image)
    image = _plain_mode(image)
    image.thumbnail((MASTER_MAX_SIDE, MASTER_MAX_SIDE), Image.Resampling.LANCZOS)
    fmt = Fmt.PNG if image.mode == "RGBA" or not was_jpeg else Fmt.JPEG
    out = encode(image, fmt)
    return Master(out, hashlib.sha256(out).hexdigest(), fmt, image.width, image.height)


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "L", "LA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A profile littleCMS cannot read (or one for another colour space): the pixels are taken as sRGB.
        return image
    if converted is None:  # only when inPlace=True; kept for the type checker
        return image
    # The EXIF orientation must survive for exif_transpose; encode() drops all of info afterwards.
    converted.info = dict(image.info)
    return converted


def _plain_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when some pixel is not opaque: palettes, greyscale and 1-bit pictures included."""
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    rgba = image.convert("RGBA") if has_alpha else None
    if rgba is not None:
        extrema = rgba.getchannel("A").getextrema()
        if isinstance(extrema[0], int | float) and extrema[0] < 255:
            return rgba
    return image.convert("RGB") if image.mode != "RGB" else image.copy()


def encode(image: Image.Image, fmt: Fmt) -> bytes:
    """``image`` in ``fmt`` with nothing but pixels: no EXIF, XMP, ICC profile, text chunks or DPI."""
    clean = image.copy()
    clean.info = {}  # Pillow writes an image's info (icc_profile, exif, transparency…) back unless told not to
    if fmt is Fmt.JPEG and clean.mode != "RGB":
        clean = _flatten(clean)
    out = io.BytesIO()
    if fmt is Fmt.JPEG:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt is Fmt.WEBP:
        clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """A transparent picture on white, for formats without alpha (a logo in a JPEG)."""
    rgba = image.convert("RGBA")
    ground = Image.new("RGB", rgba.size, (255, 255, 255))
    ground.paste(rgba, mask=rgba.getchannel("A"))
    return ground


def snap_width(requested: int) -> int:
    """The smallest of WIDTHS at least ``requested`` (the largest when none is): the cache holds few sizes."""
    for width in WIDTHS:
        if width >= requested:
            return width
    return WIDTHS[-1]


def cut(image: Image.Image, geometry: Geometry, *, aspect: float | None = None) -> Image.Image:
    """The crop box of ``image``; with ``aspect`` (width/height), the largest part of it of that shape whose
    centre is as near the focal point as the box allows."""
    left, top, right, bottom = geometry.crop.pixels(image.width, image.height)
    if aspect is not None:
        width, height = right - left, bottom - top
        if width / height > aspect:  # too wide: keep the full height, slide a narrower window across
            new_width = max(1, round(height * aspect))
            centre = geometry.focal_x * image.width
            left = int(min(max(centre - new_width / 2, left), right - new_width))
            right = left + new_width
        else:
            new_height = max(1, round(width / aspect))
            centre = geometry.focal_y * image.height
            top = int(min(max(centre - new_height / 2, top), bottom - new_height))
            bottom = top + new_height
    return image.crop((left, top, right, bottom))


def resized(image: Image.Image, width: int, height: int | None = None) -> Image.Image:
    """``image`` scaled to ``width`` (keeping its shape) or into width×height; never enlarged."""
    target = (width, height if height is not None else max(1, round(image.height * width / image.width)))
    if target[0] >= image.width and target[1] >= image.height:
        return image
    copy = image.copy()
    copy.thumbnail(target, Image.Resampling.LANCZOS)
    return copy


def _decode_at_least(image: Image.Image, geometry: Geometry, width: int, height: int) -> None:
    """Load ``image``; a JPEG is decoded at the smallest of its 1/2, 1/4, 1/8 scales whose crop box still holds
    ``width``×``height`` pixels (libjpeg's DCT scaling: a 4000-pixel photo cut for a 400-pixel headshot decodes a
    sixteenth of the pixels, several times faster, and the resize from there is the same LANCZOS). The geometry
    is normalised, so the cut is the same part at any scale."""
    if image.format == "JPEG":
        crop = geometry.crop
        need = (math.ceil(width / (crop.right - crop.left)), math.ceil(height / (crop.bottom - crop.top)))
        image.draft(image.mode, need)
    image.load()


def rendition(master: bytes, geometry: Geometry, *, width: int, fmt: Fmt, aspect: float | None = None) -> bytes:
    """The web's size of a picture: cut (crop box, then ``aspect`` around the focal point), ``width`` wide at
    most, encoded as ``fmt``."""
    with Image.open(io.BytesIO(master)) as image:
        _decode_at_least(image, geometry, width, 1)
        return encode(resized(cut(image, geometry, aspect=aspect), width), fmt)


def for_print(master: bytes, geometry: Geometry, *, width_px: int, height_px: int, fit: Fit) -> tuple[bytes, Fmt]:
    """A placement's pixels at print resolution: COVER fills width_px×height_px around the focal point, CONTAIN
    fits inside it. Never enlarged (a small logo stays small and sharp as the PDF scales it). JPEG unless the
    picture has transparency (PNG), which keeps a deck of ten photos small."""
    with Image.open(io.BytesIO(master)) as image:
        _decode_at_least(image, geometry, width_px, height_px)
        part = cut(image, geometry, aspect=width_px / height_px if fit is Fit.COVER else None)
        out = resized(part, width_px, height_px)
        fmt = Fmt.PNG if out.mode == "RGBA" else Fmt.JPEG
        return encode(out, fmt), fmt
