"""Image classification: check and decode the bytes safely, preprocess, forward, softmax."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from models_service.errors import ServiceError
from models_service.loading import LoadedModel

FORMATS = ("PNG", "JPEG", "WEBP")


def decode(data: bytes, *, max_bytes: int, max_pixels: int) -> Any:
    """An RGB Pillow image from PNG/JPEG/WebP bytes; ServiceError for anything too big or undecodable.

    The pixel count is read from the header and checked before any pixel is decoded, so a small
    file that would expand into gigabytes (a decompression bomb) is refused without expanding it.
    """
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ServiceError("no_input", "Send an image.")
    if len(data) > max_bytes:
        raise ServiceError("image_too_large", f"The image is {len(data)} bytes; the limit is {max_bytes}.")
    try:
        # Only the three formats are even parsed: other decoders' header code never sees a client's bytes.
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (UnidentifiedImageError, OSError, ValueError):
        raise ServiceError("bad_image", "These bytes are not a PNG, JPEG or WebP image.") from None
    except Image.DecompressionBombError:
        raise ServiceError("image_too_many_pixels", "The image has too many pixels.") from None
    if image.format not in FORMATS:
        raise ServiceError("bad_image", f"{image.format or 'This'} images are not accepted; send PNG, JPEG or WebP.")
    width, height = image.size
    if width * height > max_pixels:
        raise ServiceError(
            "image_too_many_pixels", f"The image is {width}×{height} pixels; the limit is {max_pixels} pixels."
        )
    try:
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ServiceError("bad_image", "The image is damaged and cannot be decoded.") from None
    return image.convert("RGB")


def pixels(loaded: LoadedModel, images: Sequence[Any]) -> Any:
    """The model's input tensor for ``images`` (its processor's resizing and normalisation), on its device."""
    values = loaded.processor(images=list(images), return_tensors="pt")["pixel_values"]
    return values.to(loaded.device, dtype=next(loaded.model.parameters()).dtype)


def logits(loaded: LoadedModel, batch: Any) -> Any:
    """The model's raw scores (a float32 tensor) for each row of a pixel tensor, as one batch on its device."""
    import torch

    with torch.inference_mode():
        scores = loaded.model(pixel_values=batch).logits.float()
    if scores.shape[0] != len(batch):
        raise RuntimeError(f"{len(batch)} images gave {scores.shape[0]} predictions")
    return scores


def forward(loaded: LoadedModel, images: Sequence[Any]) -> list[list[float]]:
    """Class probabilities for each image, computed as one batch on the model's device."""
    import torch

    result: list[list[float]] = torch.softmax(logits(loaded, pixels(loaded, images)), dim=-1).cpu().tolist()
    return result
