"""Checking a demo's inputs in the web process, before anything is queued (Pillow, never torch).

Images are decoded from their header first, so a decompression bomb is refused before its pixels are
read; accepted ones are turned upright (phone cameras), downscaled and re-encoded as PNG, so the worker
gets a small, known format whatever the browser sent.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import ImageOps

from pitchlab.core.exceptions import ApplicationError
from pitchlab.core.images import ImageLimits, open_checked

# The rules for reading an image (formats judged by content, bytes, pixels, bombs) live in pitchlab/core/images.py,
# shared with a pitch's pictures.
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
    """``data`` as an upright PNG whose longer side is at most MAX_SIDE, or an ImageRefused in words."""
    limits = ImageLimits(max_bytes=settings.DEMO_MAX_IMAGE_BYTES, max_pixels=settings.DEMO_MAX_IMAGE_PIXELS)
    image = ImageOps.exif_transpose(open_checked(data, limits))
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
