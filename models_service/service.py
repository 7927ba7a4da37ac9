"""What the tasks and the command line call: JSON in, JSON out, errors as data.

Every function takes the request payload as the web side sends it (plain JSON), checks it before any
tensor is built, and raises :class:`ServiceError` for anything it refuses. Long operations take a
``progress`` callback and stop at their time budget (the thread pool the worker runs on cannot kill
a task, so budgets are kept here, cooperatively).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import shutil
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from models_service.artefacts import ArtefactRefused, read_labelled_images, unpack_zip
from models_service.batching import BatchResult, Engine, in_fresh_thread
from models_service.config import ServiceConfig
from models_service.device import resolve_device
from models_service.errors import ServiceError
from models_service.evaluation import EvaluationInputError, read_text_csv
from models_service.evaluation import evaluate as score
from models_service.loading import LoadedModel, ModelCache
from models_service.predictors import argmax, image, text, top_k
from models_service.samples import SAMPLES
from models_service.training import METADATA

MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")

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
    return engine(config.max_batch, config.batch_wait_ms)


def model_path(config: ServiceConfig, model_id: Any) -> Path:
    """The artefact folder of ``model_id`` under the models folder; ids are names, never paths."""
    path = config.models_dir / check_model_id(model_id)
    if not (path / "config.json").is_file():
        raise ServiceError("unknown_model", f"There is no model {model_id!r}.")
    return path


def check_model_id(model_id: Any) -> str:
    if not isinstance(model_id, str) or not MODEL_ID.match(model_id) or ".." in model_id:
        raise ServiceError("bad_model_id", "A model id is lower-case letters, digits, '.', '_' or '-'.")
    return model_id


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


def _base64(raw: Any, *, missing: str, bad_code: str, what: str) -> bytes:
    if not isinstance(raw, str):
        raise ServiceError("no_input", missing)
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(bad_code, f"{what} is not valid base64.") from None


def _inputs(loaded: LoadedModel, payload: dict[str, Any], config: ServiceConfig) -> list[Any]:
    """The request's texts or decoded image, checked against the limits."""
    if loaded.kind == "text":
        texts = payload.get("texts", payload.get("text"))
        return text.check(texts, max_chars=config.max_text_chars, max_texts=config.max_texts)
    data = _base64(
        payload.get("image"), missing="Send the image as base64 in 'image'.", bad_code="bad_image", what="The image"
    )
    return [image.decode(data, max_bytes=config.max_image_bytes, max_pixels=config.max_image_pixels)]


def _request(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ServiceError("bad_request", "The request must be a JSON object.")
    return payload


def _top_k(payload: dict[str, Any]) -> int:
    k = payload.get("top_k", 3)
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 20:
        raise ServiceError("bad_request", "top_k must be a whole number from 1 to 20.")
    return k


def _queue_ms(payload: dict[str, Any], received_at: float) -> float | None:
    sent_at = payload.get("sent_at")
    if isinstance(sent_at, int | float) and not isinstance(sent_at, bool):
        return round(max(0.0, (received_at - sent_at) * 1000), 2)
    return None


def request_budget_s(payload: dict[str, Any], own: float) -> float:
    """Seconds this request may use the model: the service's own budget, or less when the sender says it
    waits less (``budget_s``). Work past the sender's wait is for nobody, and it would hold the one engine
    thread while the next requests (the presenter's among them) wait behind it. Counted from when the
    worker takes the request: the sender's clock (``sent_at``) may disagree with ours, and a request that
    waited too long in the queue is dropped by its Celery expiry anyway."""
    asked = payload.get("budget_s")
    if isinstance(asked, int | float) and not isinstance(asked, bool) and 0 < asked < own:
        return float(asked)
    return float(own)


def run_batched(
    loaded: LoadedModel, inputs: list[Any], *, config: ServiceConfig, budget: float | None = None
) -> tuple[list[list[float]], BatchResult]:
    """Class probabilities for ``inputs``, run together with whatever else arrives for the model at the same time.

    Past ``budget`` seconds (default: the service's predict budget) the request is answered "timeout" and,
    when its forward has not started yet, taken off the engine's queue so it never uses the model."""
    budget_s = config.predict_budget_s if budget is None else budget
    future = engine_for(config).submit(loaded, loaded.forward, inputs)
    try:
        result = future.result(timeout=budget_s)
    except FutureTimeout:
        future.cancel()
        raise ServiceError("timeout", f"The model did not answer within {budget_s:g} s; the worker is busy.") from None
    return result.rows, result


def predict(payload: Any, *, config: ServiceConfig, received_at: float | None = None) -> dict[str, Any]:
    """Top-k labels for the texts or the image in ``payload``, with the model, device and timings.

    ``payload``: {"model": id, "texts": [...]} (or "text": "...") or {"model": id, "image": base64},
    optional "top_k", "sent_at" (the sender's clock, seconds) to report the time spent in the queue, and
    "budget_s" (how long the sender waits: the request gives up the model after that, see :func:`request_budget_s`).
    """
    received_at = time.time() if received_at is None else received_at
    payload = _request(payload)
    k = _top_k(payload)
    loaded, load_ms = load(config, payload.get("model"))
    started = time.perf_counter()
    inputs = _inputs(loaded, payload, config)
    preprocess_ms = (time.perf_counter() - started) * 1000
    budget = request_budget_s(payload, config.predict_budget_s)
    probabilities, batch = run_batched(loaded, inputs, config=config, budget=budget)
    return {
        "ok": True,
        "model": loaded.model_id,
        "kind": loaded.kind,
        "device": loaded.device,
        "predictions": [top_k(row, loaded.labels, k) for row in probabilities],
        "timings": {
            "queue_ms": _queue_ms(payload, received_at),
            "load_ms": round(load_ms, 2),
            "preprocess_ms": round(preprocess_ms, 2),
            "batch_wait_ms": round(batch.wait_ms, 2),
            "forward_ms": round(batch.forward_ms, 2),
        },
        "batch_size": batch.batch_size,
    }


def explain(payload: Any, *, config: ServiceConfig, received_at: float | None = None) -> dict[str, Any]:
    """Why the model predicts what it does: per-word weights for a text, a heatmap for an image.

    ``payload``: {"model": id, "text": "..."} or {"model": id, "image": base64}; optional "label" to
    explain instead of the predicted one, and "budget_s" (how long the sender waits, see :func:`request_budget_s`):
    the explanation stops at its budget and answers "timeout".
    """
    from models_service import explain as explainers

    received_at = time.time() if received_at is None else received_at
    payload = _request(payload)
    loaded, load_ms = load(config, payload.get("model"))
    label = payload.get("label")
    if label is not None and not isinstance(label, str):
        raise ServiceError("bad_request", "label must be a string.")
    inputs = _inputs(loaded, payload, config)
    if len(inputs) != 1:
        raise ServiceError("too_many_inputs", "Explain one text at a time.")
    started = time.perf_counter()
    # Counted from here, not from before the load: a cold model's first load is not the request's fault.
    budget = request_budget_s(payload, config.explain_budget_s)
    deadline = time.monotonic() + budget
    explainer = explainers.explain_text if loaded.kind == "text" else explainers.explain_image
    # The explainer checks the deadline between its forward passes and stops there: past it the model
    # is free for the next request, whether or not anyone still waits for this one.
    job = engine_for(config).call(lambda: explainer(loaded, inputs[0], label=label, deadline=deadline))
    try:
        explanation = job.result(timeout=max(0.0, deadline - time.monotonic()) + 5)
    except FutureTimeout:
        job.cancel()  # not started yet (the engine was busy all along): it never will
        raise ServiceError("timeout", f"The explanation took longer than {budget:g} s.") from None
    return {
        "ok": True,
        "model": loaded.model_id,
        "kind": loaded.kind,
        "device": loaded.device,
        "explanation": explanation,
        "timings": {
            "queue_ms": _queue_ms(payload, received_at),
            "load_ms": round(load_ms, 2),
            "explain_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    }


def _labelled_set(loaded: LoadedModel, payload: dict[str, Any], config: ServiceConfig) -> tuple[list[Any], list[str]]:
    """The evaluation set of the payload: "csv" (text, label) for a text model, "zip" (base64) for an image one."""
    if loaded.kind == "text":
        raw = payload.get("csv")
        if not isinstance(raw, str):
            raise ServiceError("no_input", "Send the labelled set as CSV text with the columns text,label in 'csv'.")
        try:
            texts, labels = read_text_csv(raw, max_rows=config.max_examples)
        except EvaluationInputError as exc:
            raise ServiceError("bad_dataset", f"The CSV cannot be used: {exc}.") from None
        return text.check(texts, max_chars=config.max_text_chars, max_texts=len(texts)), labels
    data = _base64(
        payload.get("zip"),
        missing="Send the labelled images as a base64 zip (one folder per label) in 'zip'.",
        bad_code="bad_dataset",
        what="The zip",
    )
    if len(data) > config.max_upload_bytes:
        raise ServiceError("too_large", f"The zip is {len(data):,} bytes; the limit is {config.max_upload_bytes:,}.")
    try:
        members = read_labelled_images(data, max_images=config.max_examples, max_bytes=config.max_upload_bytes * 4)
    except ArtefactRefused as exc:
        raise ServiceError(exc.code, str(exc)) from None
    images: list[Any] = []
    for label, name, content in members:
        try:
            images.append(image.decode(content, max_bytes=config.max_image_bytes, max_pixels=config.max_image_pixels))
        except ServiceError as exc:
            raise ServiceError(exc.code, f"{label}/{name}: {exc.message}") from None
    return images, [label for label, _, _ in members]


def evaluate(payload: Any, *, config: ServiceConfig, progress: Progress | None = None) -> dict[str, Any]:
    """Accuracy, macro and per-class figures, the confusion matrix and latency of a model on a labelled set.

    Each sample is predicted as its own request through the model's batcher, so the latencies are what a
    single visitor would see (and live requests are not held up behind a long evaluation).
    """
    payload = _request(payload)
    loaded, _ = load(config, payload.get("model"))
    inputs, truth = _labelled_set(loaded, payload, config)
    unknown = sorted(set(truth) - set(loaded.labels))
    if unknown:
        raise ServiceError(
            "unknown_label",
            f"The set uses labels the model does not have: {', '.join(unknown[:5])} "
            f"(the model's labels: {', '.join(loaded.labels)}).",
        )
    deadline = time.monotonic() + config.evaluate_budget_s
    predicted: list[str] = []
    latencies: list[float] = []
    for index, item in enumerate(inputs):
        if time.monotonic() > deadline:
            raise ServiceError("timeout", f"The evaluation passed its {config.evaluate_budget_s} s budget.")
        started = time.perf_counter()
        rows, _ = run_batched(loaded, [item], config=config)
        latencies.append((time.perf_counter() - started) * 1000)
        predicted.append(loaded.labels[argmax(rows[0])])
        if progress is not None and (index % 25 == 0 or index + 1 == len(inputs)):
            progress(
                {"stage": "evaluating", "done": index + 1, "total": len(inputs), "fraction": (index + 1) / len(inputs)}
            )
    report = score(truth, predicted, labels=loaded.labels, latencies_ms=latencies).as_json()
    name = payload.get("name")
    return {
        "ok": True,
        "model": loaded.model_id,
        "kind": loaded.kind,
        "device": loaded.device,
        "dataset": name if isinstance(name, str) and name.strip() else "uploaded set",
        "evaluated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "report": report,
    }


def train_text(payload: Any, *, config: ServiceConfig, progress: Progress | None = None) -> dict[str, Any]:
    """A new text classifier fine-tuned from the MiniLM encoder on the founder's labelled examples.

    ``payload``: {"examples": [{"text": ..., "label": ...}, ...], optional "model" (the new id), "seed"}.
    """
    from models_service import training

    payload = _request(payload)
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
    from models_service import samples

    payload = _request(payload or {})
    force = payload.get("force", False) is True

    def report(name: str, state: dict[str, Any]) -> None:
        if progress is not None:
            progress({"sample": name, **state})

    built = in_fresh_thread(lambda: samples.build_samples(config.models_dir, force=force, progress=report))
    return {"ok": True, "samples": built}


def warmup(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """Load the given models (default: every model in the models folder, up to the memory budget)."""
    payload = _request(payload or {})
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
        metadata = json.loads((path / METADATA).read_text(encoding="utf-8"))
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
    payload = _request(payload)
    loaded, _ = load(config, payload.get("model"))
    return _description(loaded, model_path(config, loaded.model_id))


def _check_protected(model_id: str) -> None:
    if model_id in SAMPLES:
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
    payload = _request(payload)
    model_id = check_model_id(payload.get("model"))
    _check_protected(model_id)
    target = config.models_dir / model_id
    if target.exists() or target.is_symlink():
        raise ServiceError("model_exists", f"There is already a model {model_id!r}.")
    raw = payload.get("zip")
    if isinstance(raw, str):  # before decoding: an oversized upload is refused without a second copy in memory
        _check_model_upload(len(raw) // 4 * 3 - raw[-2:].count("="), config)
    data = _base64(raw, missing="Send the zipped model folder as base64 in 'zip'.", bad_code="bad_zip", what="The zip")
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
    (target / METADATA).unlink(missing_ok=True)
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
    payload = _request(payload)
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


# ---------- reading a model's files (the web side's data archive) ----------

READ_CHUNK_MAX = 8 * 1024 * 1024  # bytes of one artefact_read answer (base64 makes it a third bigger in Redis)


def _artefact_folder(config: ServiceConfig, model_id: Any) -> Path:
    """The model's folder, resolved: a linked folder is read where it points."""
    return model_path(config, model_id).resolve()


def _artefact_file(folder: Path, name: Any) -> Path:
    """A regular file inside ``folder`` named by its relative POSIX path; links and escapes are refused."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise ServiceError("bad_path", "Name a file of the model by its path inside the model's folder.")
    path = folder / name
    if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(folder):
        raise ServiceError("unknown_file", f"The model has no file {name!r}.")
    return path


def artefact_files(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """The files of a model's folder, for a founder's archive of their pitch: nothing is loaded.

    ``payload``: {"model": id}. Answers {"ok": true, "model", "files": [{"path", "size", "sha256"}, ...]},
    paths relative to the folder, sorted; links are left out (an accepted artefact has none).
    """
    payload = _request(payload)
    model_id = check_model_id(payload.get("model"))
    folder = _artefact_folder(config, model_id)
    files: list[dict[str, Any]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
        files.append(
            {"path": path.relative_to(folder).as_posix(), "size": path.stat().st_size, "sha256": digest.hexdigest()}
        )
    return {"ok": True, "model": model_id, "files": files}


def artefact_read(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """One chunk of one file of a model's folder, so a model of any size crosses the broker in pieces.

    ``payload``: {"model": id, "path": a path from :func:`artefact_files`, "offset": bytes, "length": at most
    ``READ_CHUNK_MAX``}. Answers {"ok": true, "model", "path", "offset", "size" (the whole file's), "data" (base64,
    empty past the end)}.
    """
    payload = _request(payload)
    model_id = check_model_id(payload.get("model"))
    path = _artefact_file(_artefact_folder(config, model_id), payload.get("path"))
    offset, length = payload.get("offset", 0), payload.get("length", READ_CHUNK_MAX)
    for name, value in (("offset", offset), ("length", length)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ServiceError("bad_request", f"{name} must be a whole number of bytes.")
    if not 1 <= length <= READ_CHUNK_MAX:
        raise ServiceError("bad_request", f"length must be from 1 to {READ_CHUNK_MAX} bytes.")
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
        size = path.stat().st_size
    return {
        "ok": True,
        "model": model_id,
        "path": payload["path"],
        "offset": offset,
        "size": size,
        "data": base64.b64encode(data).decode("ascii"),
    }
