"""Celery tasks of the inference service. The web side calls them by name with JSON payloads.

Every task answers ``{"ok": true, ...}`` or ``{"ok": false, "error": {"code", "message"}}``: a refused
input is an answer, never a worker crash. Long tasks report progress as the custom state
``PROGRESS`` with a JSON ``meta``. The worker runs on a thread pool (so that requests that arrive
together share a forward pass), where Celery cannot kill a task: the time limits below apply when the
worker runs another pool, and the service keeps its own budgets in any case.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from celery import Task
from celery.worker.control import control_command, inspect_command

from models_service import files, inference, lifecycle
from models_service.celery_app import app, config
from models_service.device import resolve_device
from models_service.errors import ServiceError

PROGRESS_EVERY_S = 0.25
EVICT_MODEL_COMMAND = "evict_model"


def _answer(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return call()
    except ServiceError as error:
        return error.as_json()


def _progress(task: Task[Any, Any]) -> Callable[[dict[str, Any]], None]:
    """A progress callback that stores the task's state at most four times a second (and always at the end)."""
    last = 0.0
    task_id = task.request.id  # read here: the request is thread-local, and training reports from its own thread

    def report(meta: dict[str, Any]) -> None:
        nonlocal last
        now = time.monotonic()
        if task_id and (meta.get("fraction") == 1 or now - last >= PROGRESS_EVERY_S):
            last = now
            task.update_state(task_id=task_id, state="PROGRESS", meta=meta)

    return report


@app.task(name="models_service.ping", bind=True)
def ping(self: Task[Any, Any], payload: str) -> dict[str, Any]:
    """Echo ``payload`` with the worker's name and the device it runs models on."""
    return {"echo": payload, "worker": str(self.request.hostname), **resolve_device(config.device).as_json()}


@app.task(name="models_service.noop")
def noop(payload: Any = None) -> Any:
    """Does nothing: the benchmark's measure of the queue's own round trip."""
    return payload


@app.task(name="models_service.predict", soft_time_limit=30, time_limit=45)
def predict(payload: dict[str, Any]) -> dict[str, Any]:
    """Top-k labels for texts or an image."""
    received_at = time.time()
    return _answer(lambda: inference.predict(payload, config=config, received_at=received_at))


@app.task(name="models_service.explain", soft_time_limit=60, time_limit=75)
def explain(payload: dict[str, Any]) -> dict[str, Any]:
    """Per-word weights for a text, a heatmap for an image."""
    received_at = time.time()
    return _answer(lambda: inference.explain(payload, config=config, received_at=received_at))


@app.task(name="models_service.train_text", bind=True, soft_time_limit=1800, time_limit=1900)
def train_text(self: Task[Any, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """Fine-tune a text classifier from labelled examples; progress as the state PROGRESS."""
    return _answer(lambda: lifecycle.train_text(payload, config=config, progress=_progress(self)))


@app.task(name="models_service.evaluate", bind=True, soft_time_limit=1200, time_limit=1300)
def evaluate(self: Task[Any, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """Score a model on a labelled set; progress as the state PROGRESS."""
    return _answer(lambda: inference.evaluate(payload, config=config, progress=_progress(self)))


@app.task(name="models_service.build_samples", bind=True, soft_time_limit=1800, time_limit=1900)
def build_samples(self: Task[Any, Any], payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the sample models that are missing; progress as the state PROGRESS."""
    return _answer(lambda: lifecycle.build_samples(payload, config=config, progress=_progress(self)))


@app.task(name="models_service.warmup", soft_time_limit=300, time_limit=330)
def warmup(payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load models into this worker's cache ahead of the first request."""
    return _answer(lambda: lifecycle.warmup(payload, config=config))


@app.task(name="models_service.describe", soft_time_limit=120, time_limit=150)
def describe(payload: dict[str, Any]) -> dict[str, Any]:
    """A model's kind, labels, metadata, metrics and device; loads it into this worker's cache."""
    return _answer(lambda: lifecycle.describe(payload, config=config))


@app.task(name="models_service.install", soft_time_limit=300, time_limit=330)
def install(payload: dict[str, Any]) -> dict[str, Any]:
    """Check, unpack and load a founder's zipped model under a new id; answers like describe."""
    return _answer(lambda: lifecycle.install(payload, config=config))


@app.task(name="models_service.artefact_files", soft_time_limit=120, time_limit=150)
def artefact_files(payload: dict[str, Any]) -> dict[str, Any]:
    """The files of a model's folder with their sizes and SHA-256 (a founder's data archive)."""
    return _answer(lambda: files.artefact_files(payload, config=config))


@app.task(name="models_service.artefact_read", soft_time_limit=60, time_limit=75)
def artefact_read(payload: dict[str, Any]) -> dict[str, Any]:
    """One chunk of one file of a model's folder, as base64 (a founder's data archive)."""
    return _answer(lambda: files.artefact_read(payload, config=config))


@app.task(name="models_service.delete", soft_time_limit=60, time_limit=75)
def delete(payload: dict[str, Any]) -> dict[str, Any]:
    """Remove a model's folder and make every inference worker drop it from its cache."""
    answer = _answer(lambda: lifecycle.delete(payload, config=config))
    if answer["ok"]:
        # Every worker, not only this one: a later model installed under the same id must never be
        # answered by another worker's copy of the old one. Workers that do not serve models (the web
        # side's) log the command as unknown, which is harmless.
        app.control.broadcast(EVICT_MODEL_COMMAND, arguments={"model": answer["model"]})
    return answer


@control_command(name=EVICT_MODEL_COMMAND, args=[("model", str)], signature="<model_id>")
def evict_model(state: Any, model: str) -> dict[str, Any]:
    """Drop a deleted model from this inference worker's cache (broadcast by models_service.delete)."""
    try:
        path = config.models_dir / files.check_model_id(model)
    except ServiceError as exc:
        return {"error": exc.message}
    return {"model": model, "evicted": lifecycle.model_cache(config.memory_budget_mb).evict(path)}


@inspect_command()
def inference_info(state: Any) -> dict[str, Any]:
    """Answered by /healthz's broadcast: the device of this inference worker."""
    try:
        return resolve_device(config.device).as_json()
    except Exception as exc:  # a bad device is reported, not raised into the worker's control loop
        return {"error": str(exc)}
