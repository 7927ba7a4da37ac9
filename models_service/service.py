"""What the tasks and the command line call: JSON in, JSON out, errors as data."""

from __future__ import annotations

import base64
import binascii
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from models_service.config import ServiceConfig
from models_service.device import resolve_device
from models_service.errors import ServiceError
from models_service.loading import ModelCache
from models_service.predictors import image, text, top_k

MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


@lru_cache(maxsize=4)
def model_cache(budget_mb: int) -> ModelCache:
    """The process's one cache of loaded models."""
    return ModelCache(budget_mb * 1024 * 1024)


def model_path(config: ServiceConfig, model_id: Any) -> Path:
    """The artefact folder of ``model_id`` under the models folder; ids are names, never paths."""
    if not isinstance(model_id, str) or not MODEL_ID.match(model_id) or ".." in model_id:
        raise ServiceError("bad_model_id", "A model id is lower-case letters, digits, '.', '_' or '-'.")
    path = config.models_dir / model_id
    if not (path / "config.json").is_file():
        raise ServiceError("unknown_model", f"There is no model {model_id!r}.")
    return path


def predict(payload: Any, *, config: ServiceConfig, received_at: float | None = None) -> dict[str, Any]:
    """Top-k labels for the texts or the image in ``payload``, with the model, device and timings.

    ``payload``: {"model": id, "texts": [...]} or {"model": id, "image": base64}, optional "top_k"
    and "sent_at" (the sender's clock, seconds) to report the time spent waiting in the queue.
    """
    received_at = time.time() if received_at is None else received_at
    if not isinstance(payload, dict):
        raise ServiceError("bad_request", "The request must be a JSON object.")
    k = payload.get("top_k", 3)
    if not isinstance(k, int) or not 1 <= k <= 20:
        raise ServiceError("bad_request", "top_k must be a whole number from 1 to 20.")
    path = model_path(config, payload.get("model"))
    device = resolve_device(config.device).device
    started = time.perf_counter()
    loaded = model_cache(config.memory_budget_mb).get(
        str(payload["model"]), path, device=device, threads=config.threads
    )
    load_ms = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    if loaded.kind == "text":
        inputs: list[Any] = text.check(
            payload.get("texts"), max_chars=config.max_text_chars, max_texts=config.max_texts
        )
    else:
        raw = payload.get("image")
        if not isinstance(raw, str):
            raise ServiceError("no_input", "Send the image as base64 in 'image'.")
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ServiceError("bad_image", "The image is not valid base64.") from None
        inputs = [image.decode(data, max_bytes=config.max_image_bytes, max_pixels=config.max_image_pixels)]
    preprocess_ms = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with loaded.lock:  # one forward at a time per model: the worker's threads share it
        probabilities = (text.forward if loaded.kind == "text" else image.forward)(loaded, inputs)
    forward_ms = (time.perf_counter() - started) * 1000

    sent_at = payload.get("sent_at")
    queue_ms = max(0.0, (received_at - sent_at) * 1000) if isinstance(sent_at, int | float) else None
    return {
        "ok": True,
        "model": loaded.model_id,
        "kind": loaded.kind,
        "device": loaded.device,
        "predictions": [top_k(row, loaded.labels, k) for row in probabilities],
        "timings": {
            "queue_ms": None if queue_ms is None else round(queue_ms, 2),
            "load_ms": round(load_ms, 2),
            "preprocess_ms": round(preprocess_ms, 2),
            "forward_ms": round(forward_ms, 2),
        },
    }
