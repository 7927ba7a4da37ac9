"""Why a model predicts what it does, by occlusion: hide one word or one image patch and measure the drop.

For text, a word's weight is the drop in the label's log-odds, logit(p) − logit(p without the word), with
logit(p) = ln(p / (1 − p)); ``probability_drop`` is the same in probability. Log-odds, because a confident
model (p = 0.9999) barely moves in probability when one of several telling words goes, yet its odds
still fall tenfold: in probabilities every word of such a sentence would look irrelevant. For images a
cell's weight is the drop in log-odds too, scaled to [-1, 1]. Positive pushed the model towards the
label, negative away from it. Occlusion needs forward passes only, no gradients, so it works
the same for every architecture, dtype and device, and anyone can check a number by hiding the part
themselves. The variants run in batches (``chunk_size``); ``deadline`` is checked before each batch.

This module holds the occlusion maths every kind shares; each predictor builds its own variants
(``explain_text`` in :mod:`models_service.predictors.text`, ``explain_image`` in
:mod:`models_service.predictors.image`) and is reached through its ``explain`` hook.
"""

from __future__ import annotations

import base64
import io
import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from models_service.errors import ServiceError
from models_service.predictors.base import LoadedModel

if TYPE_CHECKING:
    from PIL import Image

# Variants per forward pass. On a CPU a bigger batch is no faster per variant (measured: MiniLM and
# ViT-base at 8 and 32 alike) but would let a run overshoot its deadline by a whole slow batch.
CHUNK_CPU = 8
CHUNK_ACCELERATOR = 32
HEATMAP_MAX_SIDE = 512
HEATMAP_ALPHA = 0.6
# The web's one colour convention for explanations (static/pitchlab/demo/core.js): blue toward the label, orange
# against it, a pair that stays apart for red-green colour blindness (the words use the same two).
HEATMAP_TOWARD = (37, 99, 235)
HEATMAP_AGAINST = (234, 88, 12)


def log_odds(scores: Sequence[float], target: int) -> float:
    """ln(p / (1 − p)) of class ``target``, from the raw scores: z_t − logsumexp(z_j, j ≠ t).

    Computed from the scores rather than from p, which a confident model rounds to exactly 1.0."""
    others = [z for j, z in enumerate(scores) if j != target]
    top = max(others)
    return scores[target] - (top + math.log(math.fsum(math.exp(z - top) for z in others)))


def softmax(scores: Sequence[float]) -> list[float]:
    """Probabilities from one row of raw scores, computed stably in floats."""
    top = max(scores)
    exps = [math.exp(z - top) for z in scores]
    total = math.fsum(exps)
    return [e / total for e in exps]


def heatmap_png(image: Image.Image, cells: list[list[float]]) -> str:
    """``image`` (longer side capped at 512 px) under the bilinearly upsampled ``cells`` in [-1, 1], as base64 PNG.

    Blue (``HEATMAP_TOWARD``) where a cell pushed towards the label, orange (``HEATMAP_AGAINST``) where it pushed
    away; opacity grows with the magnitude.
    """
    import torch
    from PIL import Image

    picture = image.convert("RGB")
    picture.thumbnail((HEATMAP_MAX_SIDE, HEATMAP_MAX_SIDE), Image.Resampling.BILINEAR)
    # a faded grey copy: the overlay's blue and orange must read on any picture, coloured bars included
    picture = Image.blend(picture.convert("L").convert("RGB"), Image.new("RGB", picture.size, "white"), 0.4)
    values = torch.nn.functional.interpolate(
        torch.tensor(cells, dtype=torch.float32)[None, None],
        size=(picture.height, picture.width),
        mode="bilinear",
        align_corners=False,
    )[0, 0]
    overlay = torch.zeros(picture.height, picture.width, 4, dtype=torch.uint8)
    toward, against = (values > 0).to(torch.uint8), (values < 0).to(torch.uint8)
    for channel in range(3):
        overlay[..., channel] = toward * HEATMAP_TOWARD[channel] + against * HEATMAP_AGAINST[channel]
    overlay[..., 3] = (values.abs().clamp(max=1.0) * HEATMAP_ALPHA * 255).round().to(torch.uint8)
    blended = Image.alpha_composite(picture.convert("RGBA"), Image.fromarray(overlay.numpy())).convert("RGB")
    buffer = io.BytesIO()
    blended.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def label_index(loaded: LoadedModel, label: str | None) -> int | None:
    """The index of ``label`` among the model's labels (None: explain the predicted one); unknown_label if absent."""
    if label is None:
        return None
    if label not in loaded.labels:
        raise ServiceError("unknown_label", f"{label!r} is not a label of this model ({', '.join(loaded.labels)}).")
    return loaded.labels.index(label)


def chunk_size(loaded: LoadedModel) -> int:
    """How many variants go through the model at once on its device."""
    return CHUNK_CPU if loaded.device.startswith("cpu") else CHUNK_ACCELERATOR


def in_chunks(
    count: int,
    forward: Callable[[Sequence[int]], list[list[float]]],
    loaded: LoadedModel,
    deadline: float | None,
) -> list[list[float]]:
    """``forward`` over indices ``0..count-1`` in batches, refusing to start a batch after ``deadline``."""
    size = chunk_size(loaded)
    rows: list[list[float]] = []
    for begin in range(0, count, size):
        if deadline is not None and time.monotonic() > deadline:
            raise ServiceError("timeout", "The explanation ran out of time; try a shorter text or a smaller grid.")
        rows.extend(forward(range(begin, min(begin + size, count))))
    return rows
