"""Reading images that clients send: the one set of rules for demo inputs and a pitch's pictures (pure, Pillow).

An image is judged by its content, never by its name or declared type: Pillow is asked to recognise only PNG,
JPEG and WebP. Its size in bytes and its pixel count are checked before a pixel is decoded (the pixel count
from the header, so a decompression bomb is refused before it can take the memory it claims). Each refusal is
an ``ImageRefused`` of its own family, with the limit in its words and in ``extra``, so an API answers a 4xx
that says why and a form puts the words at its field.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from pitchlab.core.exceptions import ApplicationError

# What every message says. Pillow is asked to recognise only these, by content: a GIF named .png, a BMP sent as
# image/jpeg, a TIFF, an ICO or an SVG are all refused alike (models_service/predictors/image.py takes the same).
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")


def not_accepted_message() -> str:
    return _("This file is not an image PitchLab can read: send a PNG, JPEG or WebP image.")


@dataclass(frozen=True)
class ImageLimits:
    """What one entry point accepts. The demo inputs take any still frame; pictures are stricter."""

    max_bytes: int
    max_pixels: int
    field: str = "image"  # the form field or API parameter a refusal names
    max_aspect: float | None = None  # longer side / shorter side
    refuse_animated: bool = False
    refuse_cmyk: bool = False
    refuse_high_bit_depth: bool = False


class ImageRefused(ApplicationError):
    """An image PitchLab will not take; ``code`` names the family, ``extra`` the field and the limit."""

    code = "invalid"

    def __init__(self, message: str, *, field: str, **facts: Any) -> None:
        super().__init__(message, extra={"field": field, "code": self.code, "fields": {field: [message]}, **facts})


class EmptyImage(ImageRefused):
    code = "empty"


class ImageTooLarge(ImageRefused):
    """More bytes than allowed: 413, as every other body or file over its limit in PitchLab."""

    code = "too_large"
    status_code = 413


class NotAnImage(ImageRefused):
    code = "not_an_image"


class DamagedImage(ImageRefused):
    code = "damaged"


class TooManyPixels(ImageRefused):
    code = "too_many_pixels"


class AnimatedImage(ImageRefused):
    code = "animated"


class CmykImage(ImageRefused):
    code = "cmyk"


class HighBitDepthImage(ImageRefused):
    code = "high_bit_depth"


class ExtremeAspectImage(ImageRefused):
    code = "extreme_aspect"


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:g}"


def open_checked(data: bytes, limits: ImageLimits) -> Image.Image:
    """``data`` decoded (pixels loaded) if it passes every check of ``limits``; an ImageRefused otherwise.

    The order matters: bytes, then what the header says (format, pixel count, frames, colour, depth, shape),
    and only then the pixels, so nothing large is decoded before it is known to be allowed.
    """
    field = limits.field
    if not data:
        raise EmptyImage(_("The image is empty (0 bytes)."), field=field)
    if len(data) > limits.max_bytes:
        raise ImageTooLarge(
            _("The image is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1e6:.1f}", "limit": f"{limits.max_bytes / 1e6:.0f}"},
            field=field,
            limit_bytes=limits.max_bytes,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            width, height = image.size
            if image.format not in IMAGE_FORMATS:  # formats= already ensures it; kept as the rule's statement
                raise NotAnImage(not_accepted_message(), field=field)
            if width * height > limits.max_pixels:
                raise TooManyPixels(
                    _("The image is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels.")
                    % {"width": f"{width:,}", "height": f"{height:,}", "limit": _megapixels(limits.max_pixels)},
                    field=field,
                    limit_pixels=limits.max_pixels,
                )
            _check_header(image, data, limits)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses from the header, before reading a pixel: the picture claims far too many.
        raise TooManyPixels(
            _("The image has far too many pixels; the limit is %(limit)s megapixels.")
            % {"limit": _megapixels(limits.max_pixels)},
            field=field,
            limit_pixels=limits.max_pixels,
        ) from None
    except UnidentifiedImageError:
        raise NotAnImage(not_accepted_message(), field=field) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise DamagedImage(_("The image is damaged and cannot be read."), field=field) from None
    return image


def _check_header(image: Image.Image, data: bytes, limits: ImageLimits) -> None:
    field = limits.field
    # APNG and animated WebP open as their first frame; a picture that moves cannot be placed on a PDF page.
    if limits.refuse_animated and (getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1):
        raise AnimatedImage(
            _("The image is animated (%(frames)s frames); send a still image.")
            % {"frames": getattr(image, "n_frames", 2)},
            field=field,
        )
    if limits.refuse_cmyk and image.mode == "CMYK":
        # Converting print colours to screen colours without the press's profile changes them visibly:
        # the founder's own export in RGB is the faithful one.
        raise CmykImage(
            _("The image uses CMYK (print) colours; export it in RGB (sRGB) and send it again."), field=field
        )
    if limits.refuse_high_bit_depth and _bit_depth(image, data) > 8:
        raise HighBitDepthImage(
            _("The image has %(bits)s bits per channel; the limit is 8. Export it as an 8-bit image.")
            % {"bits": _bit_depth(image, data)},
            field=field,
            limit_bits=8,
        )
    width, height = image.size
    if limits.max_aspect is not None and max(width, height) > limits.max_aspect * max(1, min(width, height)):
        raise ExtremeAspectImage(
            _(
                "The image is %(width)s×%(height)s pixels: its longer side is more than %(ratio)s times its "
                "shorter side."
            )
            % {"width": f"{width:,}", "height": f"{height:,}", "ratio": f"{limits.max_aspect:g}"},
            field=field,
            limit_aspect=limits.max_aspect,
        )


def _bit_depth(image: Image.Image, data: bytes) -> int:
    """Bits per channel. Pillow opens a 16-bit RGB(A) PNG as 8-bit RGB(A), so the PNG header is read itself."""
    if image.format == "PNG" and data[12:16] == b"IHDR" and len(data) > 24:
        return data[24]
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        return 16 if image.mode.startswith("I;16") else 32
    return 8


def read_image_upload(upload: UploadedFile[bytes], limits: ImageLimits) -> bytes:
    """The bytes of an uploaded image, refused as too large from its size before it is read into memory."""
    size = upload.size or 0
    if size > limits.max_bytes:
        raise ImageTooLarge(
            _("The image is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1e6:.1f}", "limit": f"{limits.max_bytes / 1e6:.0f}"},
            field=limits.field,
            limit_bytes=limits.max_bytes,
        )
    return bytes(upload.read())
