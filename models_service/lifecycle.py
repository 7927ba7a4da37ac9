"""A model's life in a worker: loaded once into the process's cache (on the one engine thread), warmed up,
described, trained from a founder's examples, installed from a zip, deleted.

Every function takes the request payload as the web side sends it (plain JSON), checks it, and raises
:class:`ServiceError` for anything it refuses. Long operations take a ``progress`` callback and stop at their
time budget (the thread pool the worker runs on cannot kill a task, so budgets are kept here, cooperatively).
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from models_service import samples, training
from models_service.artefacts import ArtefactRefused, unpack_zip
from models_service.batching import Engine, in_fresh_thread
from models_service.config import ServiceConfig
from models_service.device import resolve_device
from models_service.errors import ServiceError
from models_service.files import check_model_id, model_path
from models_service.loading import LoadedModel, ModelCache
from models_service.payloads import base64_field, request
from models_service.predictors import text

Progress = Callable[[dict[str, Any]], None]  # called with {"stage": ..., "fraction": 0..1, ...}


@lru_cache(maxsize=4)
def model_cache(budget_mb: int) -> ModelCache:
    """The process's one cache of loaded models."""
    return ModelCache(budget_mb * 1024 * 1024)


@lru_cache(maxsize=4)
def engine(max_batch: int, batch_wait_ms: int) -> Engine:
    """The process's one engine thread, where every model is loaded and run (see models_service.batching)."""
    return Engine(max_batch=max_batch, max_wait_ms=batch_wait_ms)


def engine_for(config: ServiceConfig) -> Engine:
    """The engine of ``config``'s batching settings (one per process)."""
    return engine(config.max_batch, config.batch_wait_ms)


def load(config: ServiceConfig, model_id: Any) -> tuple[LoadedModel, float]:
    """The loaded model (from the cache when it is there) and the milliseconds it took to get it."""
    path = model_path(config, model_id)
    device = resolve_device(config.device).device
    started = time.perf_counter()
    cache = model_cache(config.memory_budget_mb)
    loaded = cache.peek(path)
    if loaded is None:  # loading runs torch, so on the engine thread
        job = engine_for(config).call(lambda: cache.get(str(model_id), path, device=device, threads=config.threads))
        loaded = job.result()
    return loaded, (time.perf_counter() - started) * 1000


def train_text(payload: Any, *, config: ServiceConfig, progress: Progress | None = None) -> dict[str, Any]:
    """A new text classifier fine-tuned from the MiniLM encoder on the founder's labelled examples.

    ``payload``: {"examples": [{"text": ..., "label": ...}, ...], optional "model" (the new id), "seed"}.
    """
    payload = request(payload)
    examples = payload.get("examples")
    if not isinstance(examples, list) or not examples:
        raise ServiceError("no_input", "Send the examples as a list of {text, label}.")
    if len(examples) > config.max_examples:
        raise ServiceError("too_many_inputs", f"At most {config.max_examples} examples (got {len(examples)}).")
    pairs: list[tuple[str, str]] = []
    for index, row in enumerate(examples, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("label"), str):
            raise ServiceError("bad_example", f"Example {index} must have a text and a label.")
        if not text.encodable(row["text"]) or not text.encodable(row["label"]):
            raise ServiceError(
                "bad_text", f"Example {index} has a character that cannot be encoded (a lone surrogate)."
            )
        if len(row["text"]) > config.max_text_chars:
            raise ServiceError(
                "text_too_long",
                f"Example {index} has {len(row['text'])} characters; the limit is {config.max_text_chars}.",
            )
        pairs.append((row["text"], row["label"].strip()))
    seed = payload.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ServiceError("bad_request", "seed must be a whole number.")
    model_id = payload.get("model") or f"text-{secrets.token_hex(6)}"
    check_model_id(model_id)
    target = config.models_dir / model_id
    if target.exists():
        raise ServiceError("model_exists", f"There is already a model {model_id!r}.")
    started = time.perf_counter()
    deadline = time.monotonic() + config.train_budget_s
    in_fresh_thread(
        lambda: training.train_text(
            pairs, target, base=config.text_base, seed=seed, progress=progress, deadline=deadline
        )
    )
    train_ms = (time.perf_counter() - started) * 1000
    loaded, _ = load(config, model_id)  # so this worker's first prediction with it is warm
    return {**_description(loaded, target), "train_ms": round(train_ms, 1)}


def build_samples(payload: Any, *, config: ServiceConfig, progress: Progress | None = None) -> dict[str, Any]:
    """The sample text and image models (skipped when already built, unless "force")."""
    payload = request(payload or {})
    force = payload.get("force", False) is True

    def report(name: str, state: dict[str, Any]) -> None:
        if progress is not None:
            progress({"sample": name, **state})

    built = in_fresh_thread(lambda: samples.build_samples(config.models_dir, force=force, progress=report))
    return {"ok": True, "samples": built}


def warmup(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """Load the given models (default: every model in the models folder, up to the memory budget)."""
    payload = request(payload or {})
    ids = payload.get("models")
    if ids is None:
        ids = sorted(p.name for p in config.models_dir.glob("*") if (p / "config.json").is_file())
    if not isinstance(ids, list):
        raise ServiceError("bad_request", "models must be a list of model ids.")
    loaded: dict[str, Any] = {}
    for model_id in ids:
        try:
            model, _ = load(config, model_id)
        except ServiceError as exc:
            loaded[str(model_id)] = exc.as_json()["error"]
            continue
        loaded[model.model_id] = {"device": model.device, "dtype": model.dtype, "load_ms": round(model.load_ms, 1)}
    return {"ok": True, "models": loaded, **resolve_device(config.device).as_json()}


def _metadata(path: Path) -> dict[str, Any] | None:
    """The model's ``pitchlab.json`` (how PitchLab trained it, its held-out metrics), or None."""
    try:
        metadata = json.loads((path / training.METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) else None


def _description(loaded: LoadedModel, path: Path) -> dict[str, Any]:
    """The answer of describe, install and train_text: what the web side stores about a model."""
    metadata = _metadata(path)
    metrics = metadata.get("metrics") if metadata is not None else None
    return {
        "ok": True,
        "model": loaded.model_id,
        "kind": loaded.kind,
        "labels": list(loaded.labels),
        "metadata": metadata,
        "metrics": metrics if isinstance(metrics, dict) else {},
        "device": loaded.device,
    }


def describe(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """A model's kind, labels, PitchLab metadata, held-out metrics and device; loads it, so the next call is warm.

    ``payload``: {"model": id}. Answers {"ok": true, "model", "kind", "labels": [...], "metadata": {...} or
    null, "metrics": {...} ({} when nothing was measured), "device"}.
    """
    payload = request(payload)
    loaded, _ = load(config, payload.get("model"))
    return _description(loaded, model_path(config, loaded.model_id))


def _check_protected(model_id: str) -> None:
    if model_id in samples.SAMPLES:
        raise ServiceError("protected", f"{model_id!r} is one of PitchLab's sample models; it cannot be changed.")


def _check_model_upload(size: int, config: ServiceConfig) -> None:
    if size > config.max_model_upload_bytes:
        raise ServiceError(
            "too_large", f"The zip is {size:,} bytes; the limit is {config.max_model_upload_bytes:,} bytes."
        )


def _first_line(exc: BaseException, limit: int = 300) -> str:
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def install(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """Install a founder's zipped Hugging Face–format classifier as a new model, load it and describe it.

    ``payload``: {"model": the new id, "zip": base64 of a zip of the model folder}. The zip is checked and
    unpacked by :func:`models_service.artefacts.unpack_zip` (safetensors only, no code, no unsafe paths, a
    classifier with labels) into a hidden folder that only becomes the model once accepted, so a refusal
    leaves nothing behind; each refusal keeps the artefact check's code and sentence. A model that passes
    the checks but does not load is removed again and refused as ``bad_model``. Answers like :func:`describe`.
    """
    payload = request(payload)
    model_id = check_model_id(payload.get("model"))
    _check_protected(model_id)
    target = config.models_dir / model_id
    if target.exists() or target.is_symlink():
        raise ServiceError("model_exists", f"There is already a model {model_id!r}.")
    raw = payload.get("zip")
    if isinstance(raw, str):  # before decoding: an oversized upload is refused without a second copy in memory
        _check_model_upload(len(raw) // 4 * 3 - raw[-2:].count("="), config)
    data = base64_field(
        raw, missing="Send the zipped model folder as base64 in 'zip'.", bad_code="bad_zip", what="The zip"
    )
    _check_model_upload(len(data), config)
    try:
        unpack_zip(data, target)
    except ArtefactRefused as exc:
        raise ServiceError(exc.code, str(exc)) from None
    except OSError as exc:
        if target.exists():  # another install of the same id got there first
            raise ServiceError("model_exists", f"There is already a model {model_id!r}.") from None
        raise ServiceError("install_failed", f"The model could not be saved: {_first_line(exc)}.") from None
    # pitchlab.json records what PitchLab itself trained and measured; one inside an upload would pass
    # the uploader's own claims off as PitchLab's measurements.
    (target / training.METADATA).unlink(missing_ok=True)
    try:
        loaded, _ = load(config, model_id)
    except Exception as exc:  # transformers raises many kinds (ValueError, OSError, RuntimeError...) for bad files
        shutil.rmtree(target, ignore_errors=True)
        detail = exc.message if isinstance(exc, ServiceError) else _first_line(exc)
        raise ServiceError(
            "bad_model", f"The model passed the checks but transformers could not load it: {detail}"
        ) from None
    return _description(loaded, target)


def delete(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """Remove a model's folder and drop it from this process's cache; deleting a missing model is not an error.

    ``payload``: {"model": id}. The sample models are refused (``protected``). Answers
    {"ok": true, "model": id, "deleted": whether a model folder was removed}. Other inference workers'
    caches are told by the task (a broadcast), not here.
    """
    payload = request(payload)
    model_id = check_model_id(payload.get("model"))
    _check_protected(model_id)
    path = config.models_dir / model_id
    resolved = path.resolve()  # the cache's key, taken while a linked folder can still be followed
    deleted = False
    if (path / "config.json").is_file():
        # Renamed away first, so no request ever loads a half-deleted folder.
        trash = path.parent / f".{model_id}.deleting-{secrets.token_hex(6)}"
        try:
            path.rename(trash)
        except FileNotFoundError:  # a concurrent delete got there first
            pass
        else:
            if trash.is_symlink():
                trash.unlink()
            else:
                shutil.rmtree(trash, ignore_errors=True)
            deleted = True
    model_cache(config.memory_budget_mb).evict(resolved)
    return {"ok": True, "model": model_id, "deleted": deleted}
