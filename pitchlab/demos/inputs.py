"""Checking a demo's inputs in the web process, before anything is queued (Pillow, never torch).

Images are decoded from their header first, so a decompression bomb is refused before its pixels are
read; accepted ones are turned upright (phone cameras), downscaled and re-encoded as PNG, so the worker
gets a small, known format whatever the browser sent.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from pitchlab.core.exceptions import ApplicationError

# What every message says and models_service (predictors/image.py) accepts. Pillow is asked to recognise only
# these, by content: a GIF named .png, a BMP sent as image/jpeg, a TIFF, an ICO or an SVG are all refused alike.
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")
NOT_ACCEPTED = "This file is not an image PitchLab can read: send a PNG, JPEG or WebP image."
MAX_SIDE = 1024  # pixels: more than any of our image models looks at, small enough to travel fast


class InputTooLarge(ApplicationError):
    status_code = 413


def check_text(value: Any) -> str:
    """The text to classify, or a 400 that says what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        raise ApplicationError("Type some text to try the model.", extra={"field": "text"})
    limit = settings.DEMO_MAX_TEXT_CHARS
    if len(value) > limit:
        raise ApplicationError(
            f"The text has {len(value):,} characters; the limit is {limit:,}.", extra={"field": "text"}
        )
    return value


def read_upload(upload: UploadedFile[bytes], *, limit: int, what: str) -> bytes:
    """The bytes of an uploaded file, refusing an empty one (400) or one over ``limit`` (413) before reading it."""
    size = upload.size or 0
    if size == 0:
        raise ApplicationError(f"The {what} is empty (0 bytes).")
    if size > limit:
        raise InputTooLarge(f"The {what} is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB.")
    return bytes(upload.read())


def check_image(data: bytes) -> bytes:
    """``data`` as an upright PNG whose longer side is at most MAX_SIDE, or an ApplicationError in words."""
    if not data:
        raise ApplicationError("The image is empty (0 bytes).", extra={"field": "image"})
    if len(data) > settings.DEMO_MAX_IMAGE_BYTES:
        raise InputTooLarge(
            f"The image is {len(data) / 1e6:.1f} MB; the limit is {settings.DEMO_MAX_IMAGE_BYTES / 1e6:.0f} MB.",
            extra={"field": "image"},
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            width, height = image.size
            if image.format not in IMAGE_FORMATS:  # formats= already ensures it; kept as the rule's statement
                raise ApplicationError(NOT_ACCEPTED, extra={"field": "image"})
            if width * height > settings.DEMO_MAX_IMAGE_PIXELS:
                raise ApplicationError(
                    f"The image is {width:,}×{height:,} pixels; the limit is "
                    f"{settings.DEMO_MAX_IMAGE_PIXELS / 1e6:g} megapixels.",
                    extra={"field": "image"},
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses from the header, before reading a pixel: the picture claims far too many.
        raise ApplicationError(
            f"The image has far too many pixels; the limit is {settings.DEMO_MAX_IMAGE_PIXELS / 1e6:g} megapixels.",
            extra={"field": "image"},
        ) from None
    except UnidentifiedImageError:
        raise ApplicationError(NOT_ACCEPTED, extra={"field": "image"}) from None
    except (OSError, ValueError, SyntaxError):
        raise ApplicationError("The image is damaged and cannot be read.", extra={"field": "image"}) from None
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
