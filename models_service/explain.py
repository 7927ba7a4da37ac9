"""Why a model predicts what it does, by occlusion: hide one word or one image patch and measure the drop.

For text, a word's weight is the drop in the label's log-odds, logit(p) − logit(p without the word), with
logit(p) = ln(p / (1 − p)); ``probability_drop`` is the same in probability. Log-odds, because a confident
model (p = 0.9999) barely moves in probability when one of several telling words goes, yet its odds
still fall tenfold: in probabilities every word of such a sentence would look irrelevant. For images a
cell's weight is the drop in log-odds too, scaled to [-1, 1]. Positive pushed the model towards the
label, negative away from it. Occlusion needs forward passes only, no gradients, so it works
the same for every architecture, dtype and device, and anyone can check a number by hiding the part
themselves. The variants run in batches (``chunk_size``); ``deadline`` is checked before each batch.
"""

from __future__ import annotations

import base64
import io
import math
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from models_service.errors import ServiceError
from models_service.loading import LoadedModel
from models_service.predictors import argmax
from models_service.predictors import image as image_predictor
from models_service.predictors import text as text_predictor

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

# The CJK ideograph blocks BERT's tokenizer splits into single characters: Chinese is written without
# spaces, so each character is a word.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# A word is one CJK ideograph or a run of letters and digits. Punctuation and symbols are never words:
# they carry little meaning, each would cost a forward pass, and hiding "-" in "foo-bar" says nothing.
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def explain_text(
    loaded: LoadedModel, text: str, *, label: str | None = None, deadline: float | None = None, max_words: int = 128
) -> dict[str, Any]:
    """Per-word weights towards ``label`` (default: the predicted label), by deleting one word at a time.

    Each variant is the text with one word deleted, run through ``predictors.text.forward`` exactly as a
    prediction is (same tokenizer call, truncation and padding), so the numbers agree with ``predict``.
    For WordPiece tokenizers deleting the word's characters is the same as dropping its word pieces.
    Words after the first ``max_words`` are listed with weight 0 and ``truncated`` is true.
    """
    wanted = _label_index(loaded, label)
    spans = word_spans(loaded.processor, text)
    scored = spans[: max(max_words, 0)]
    texts = [text, *(_without(text, start, end) for start, end in scored)]
    scores = _in_chunks(
        len(texts),
        lambda indices: text_predictor.logits(loaded, [texts[i] for i in indices]).tolist(),
        loaded,
        deadline,
    )
    rows = [_softmax(row) for row in scores]
    target = argmax(rows[0]) if wanted is None else wanted
    probability = rows[0][target]
    unscored = [0.0] * (len(spans) - len(scored))
    drops = [probability - row[target] for row in rows[1:]] + unscored
    weights = [log_odds(scores[0], target) - log_odds(row, target) for row in scores[1:]] + unscored
    return {
        "label": loaded.labels[target],
        "probability": probability,
        "method": "occlusion",
        "words": [
            {"word": text[start:end], "start": start, "end": end, "weight": weight, "probability_drop": drop}
            for (start, end), weight, drop in zip(spans, weights, drops, strict=True)
        ],
        "truncated": len(scored) < len(spans),
    }


def log_odds(scores: Sequence[float], target: int) -> float:
    """ln(p / (1 − p)) of class ``target``, from the raw scores: z_t − logsumexp(z_j, j ≠ t).

    Computed from the scores rather than from p, which a confident model rounds to exactly 1.0."""
    others = [z for j, z in enumerate(scores) if j != target]
    top = max(others)
    return scores[target] - (top + math.log(math.fsum(math.exp(z - top) for z in others)))


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(z - top) for z in scores]
    total = math.fsum(exps)
    return [e / total for e in exps]


def word_spans(tokenizer: Any, text: str) -> list[tuple[int, int]]:
    """The words of ``text`` as ``(start, end)`` character offsets, in order.

    A fast tokenizer says where its words are (``word_ids`` and offsets), which merges word pieces back
    into whole words; each is then cut by ``_WORD``, so CJK characters stand alone and punctuation drops
    out. A slow tokenizer has no offsets: the whole text is cut by ``_WORD``.
    """
    regions = [(0, len(text))]
    if getattr(tokenizer, "is_fast", False):
        encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        merged: dict[int, tuple[int, int]] = {}
        for word_id, (start, end) in zip(encoding.word_ids(), encoding["offset_mapping"], strict=True):
            if word_id is not None:
                first, last = merged.get(word_id, (start, end))
                merged[word_id] = (min(first, start), max(last, end))
        regions = sorted(merged.values()) or regions
    spans: list[tuple[int, int]] = []
    for start, end in regions:
        for match in _WORD.finditer(text, start, end):
            if not spans or match.start() >= spans[-1][1]:  # regions of odd tokenizers may overlap
                spans.append(match.span())
    return spans


def _without(text: str, start: int, end: int) -> str:
    before, after = text[:start], text[end:]
    if before[-1:].isalnum() and after[:1].isalnum():  # "abc123def" without "123" must not become one word
        return f"{before} {after}"
    return before + after


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

    wanted = _label_index(loaded, label)
    pixels = image_predictor.pixels(loaded, [image])[0]
    height, width = int(pixels.shape[-2]), int(pixels.shape[-1])
    if not 1 <= grid <= min(height, width):
        raise ServiceError("bad_request", f"grid must be between 1 and {min(height, width)}.")
    ys = [i * height // grid for i in range(grid + 1)]
    xs = [i * width // grid for i in range(grid + 1)]

    def variant(index: int) -> Any:  # 0: the image itself; 1 + r * grid + c: cell (r, c) hidden
        if index == 0:
            return pixels
        row, column = divmod(index - 1, grid)
        hidden = pixels.clone()
        hidden[:, ys[row] : ys[row + 1], xs[column] : xs[column + 1]] = 0
        return hidden

    def forward(indices: Sequence[int]) -> list[list[float]]:
        scores: list[list[float]] = image_predictor.logits(loaded, torch.stack([variant(i) for i in indices])).tolist()
        return scores

    scores = _in_chunks(1 + grid * grid, forward, loaded, deadline)
    probabilities = _softmax(scores[0])
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


def _label_index(loaded: LoadedModel, label: str | None) -> int | None:
    if label is None:
        return None
    if label not in loaded.labels:
        raise ServiceError("unknown_label", f"{label!r} is not a label of this model ({', '.join(loaded.labels)}).")
    return loaded.labels.index(label)


def chunk_size(loaded: LoadedModel) -> int:
    """How many variants go through the model at once on its device."""
    return CHUNK_CPU if loaded.device.startswith("cpu") else CHUNK_ACCELERATOR


def _in_chunks(
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
