"""Image classification: check and decode the bytes safely, preprocess, forward, softmax; explain by hiding cells."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models_service.config import ServiceConfig
from models_service.errors import ServiceError
from models_service.explain import heatmap_png, in_chunks, label_index, log_odds, softmax
from models_service.payloads import base64_field
from models_service.predictors import argmax
from models_service.predictors.base import (
    MODEL_OPTIONS,
    PROCESSOR_OPTIONS,
    LoadedModel,
    Network,
    Predictor,
    softmax_rows,
    transformers_network,
)
from models_service.zips import ArtefactRefused, read_labelled_images

if TYPE_CHECKING:
    from PIL import Image

FORMATS = ("PNG", "JPEG", "WEBP")
PREPROCESSOR = "preprocessor_config.json"


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
    return softmax_rows(logits(loaded, pixels(loaded, images)))


def explain_image(
    loaded: LoadedModel, image: Image.Image, *, label: str | None = None, deadline: float | None = None, grid: int = 8
) -> dict[str, Any]:
    """A ``grid``×``grid`` saliency map towards ``label`` (default: the predicted label), by hiding one cell at a time.

    The image is preprocessed once; each variant sets one cell of ``pixel_values`` to 0, which after
    normalisation is the processor's per-channel mean. The grid covers the processed image, which for
    processors that only resize (ViTImageProcessor) is the whole image squeezed to the model's size, so
    cell (r, c) is the same fraction of the original; for a processor that centre-crops, the map covers
    the crop but is drawn over the whole image. ``grid`` is row-major, top row first, divided by
    ``scale`` (the largest absolute drop in log-odds) so it lies in [-1, 1]; ``heatmap_png`` is the image (longer
    side at most 512 px) under a blue (towards) / orange (away) overlay.
    """
    import torch

    wanted = label_index(loaded, label)
    values = pixels(loaded, [image])[0]
    height, width = int(values.shape[-2]), int(values.shape[-1])
    if not 1 <= grid <= min(height, width):
        raise ServiceError("bad_request", f"grid must be between 1 and {min(height, width)}.")
    ys = [i * height // grid for i in range(grid + 1)]
    xs = [i * width // grid for i in range(grid + 1)]

    def variant(index: int) -> Any:  # 0: the image itself; 1 + r * grid + c: cell (r, c) hidden
        if index == 0:
            return values
        row, column = divmod(index - 1, grid)
        hidden = values.clone()
        hidden[:, ys[row] : ys[row + 1], xs[column] : xs[column + 1]] = 0
        return hidden

    def forward(indices: Sequence[int]) -> list[list[float]]:
        scores: list[list[float]] = logits(loaded, torch.stack([variant(i) for i in indices])).tolist()
        return scores

    scores = in_chunks(1 + grid * grid, forward, loaded, deadline)
    probabilities = softmax(scores[0])
    target = argmax(probabilities) if wanted is None else wanted
    probability = probabilities[target]
    drops = [log_odds(scores[0], target) - log_odds(row, target) for row in scores[1:]]
    scale = max(abs(drop) for drop in drops)
    cells = [[drops[r * grid + c] / scale if scale > 0 else 0.0 for c in range(grid)] for r in range(grid)]
    return {
        "label": loaded.labels[target],
        "probability": probability,
        "method": "occlusion",
        "grid": cells,
        "scale": scale,
        "heatmap_png": heatmap_png(image, cells),
    }


class ImagePredictor(Predictor):
    """Image classifiers: one PNG/JPEG/WebP image in (base64), top labels out, an occlusion heatmap as explanation."""

    kind = "image"
    architecture_suffix = "ForImageClassification"
    noun = "an image classifier"

    def artefact_refusal(self, top_level: set[str]) -> ArtefactRefused | None:
        if PREPROCESSOR in top_level:
            return None
        return ArtefactRefused(
            "missing_preprocessor",
            f"This image model has no {PREPROCESSOR}; add it with image_processor.save_pretrained().",
            file=PREPROCESSOR,
        )

    def load(self, path: Path, *, device: str, dtype: Any) -> Network:
        from transformers import AutoImageProcessor, AutoModelForImageClassification

        model = AutoModelForImageClassification.from_pretrained(path, dtype=dtype, **MODEL_OPTIONS)
        processor = AutoImageProcessor.from_pretrained(path, **PROCESSOR_OPTIONS)
        return transformers_network(model, processor, device)

    def warmup_batches(self) -> list[list[Any]]:
        from PIL import Image

        return [[Image.new("RGB", (32, 32), "white")] * 2]

    def check_input(self, payload: dict[str, Any], config: ServiceConfig) -> list[Any]:
        data = base64_field(
            payload.get("image"), missing="Send the image as base64 in 'image'.", bad_code="bad_image", what="The image"
        )
        return [decode(data, max_bytes=config.max_image_bytes, max_pixels=config.max_image_pixels)]

    def labelled_set(self, payload: dict[str, Any], config: ServiceConfig) -> tuple[list[Any], list[str]]:
        """ "zip": base64 of a zip with one folder of images per label."""
        data = base64_field(
            payload.get("zip"),
            missing="Send the labelled images as a base64 zip (one folder per label) in 'zip'.",
            bad_code="bad_dataset",
            what="The zip",
        )
        if len(data) > config.max_upload_bytes:
            raise ServiceError(
                "too_large", f"The zip is {len(data):,} bytes; the limit is {config.max_upload_bytes:,}."
            )
        try:
            members = read_labelled_images(data, max_images=config.max_examples, max_bytes=config.max_upload_bytes * 4)
        except ArtefactRefused as exc:
            raise ServiceError(exc.code, str(exc)) from None
        images: list[Any] = []
        for label, name, content in members:
            try:
                images.append(decode(content, max_bytes=config.max_image_bytes, max_pixels=config.max_image_pixels))
            except ServiceError as exc:
                raise ServiceError(exc.code, f"{label}/{name}: {exc.message}") from None
        return images, [label for label, _, _ in members]

    def predict(self, loaded: LoadedModel, inputs: Sequence[Any]) -> list[list[float]]:
        return forward(loaded, inputs)

    def explain(self, loaded: LoadedModel, item: Any, *, label: str | None, deadline: float | None) -> dict[str, Any]:
        return explain_image(loaded, item, label=label, deadline=deadline)


PREDICTOR = ImagePredictor()
