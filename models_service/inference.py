"""Predictions, explanations and evaluations: JSON in, JSON out, errors as data.

Every function takes the request payload as the web side sends it (plain JSON), checks it (through the model's
predictor) before any tensor is built, and raises :class:`ServiceError` for anything it refuses. Requests share
the model through the engine's batcher (:mod:`models_service.batching`) and give it up at their time budget.
"""

from __future__ import annotations

import time
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from typing import Any

from models_service.batching import BatchResult
from models_service.config import ServiceConfig
from models_service.errors import ServiceError
from models_service.evaluation import evaluate as score
from models_service.lifecycle import Progress, engine_for, load
from models_service.loading import LoadedModel
from models_service.payloads import request
from models_service.predictors import argmax, top_k


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
    payload = request(payload)
    k = _top_k(payload)
    loaded, load_ms = load(config, payload.get("model"))
    started = time.perf_counter()
    inputs = loaded.predictor.check_input(payload, config)
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
    received_at = time.time() if received_at is None else received_at
    payload = request(payload)
    loaded, load_ms = load(config, payload.get("model"))
    label = payload.get("label")
    if label is not None and not isinstance(label, str):
        raise ServiceError("bad_request", "label must be a string.")
    inputs = loaded.predictor.check_input(payload, config)
    if len(inputs) != 1:
        raise ServiceError("too_many_inputs", "Explain one text at a time.")
    started = time.perf_counter()
    # Counted from here, not from before the load: a cold model's first load is not the request's fault.
    budget = request_budget_s(payload, config.explain_budget_s)
    deadline = time.monotonic() + budget
    # The explainer checks the deadline between its forward passes and stops there: past it the model
    # is free for the next request, whether or not anyone still waits for this one.
    job = engine_for(config).call(lambda: loaded.predictor.explain(loaded, inputs[0], label=label, deadline=deadline))
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


def evaluate(payload: Any, *, config: ServiceConfig, progress: Progress | None = None) -> dict[str, Any]:
    """Accuracy, macro and per-class figures, the confusion matrix and latency of a model on a labelled set.

    Each sample is predicted as its own request through the model's batcher, so the latencies are what a
    single visitor would see (and live requests are not held up behind a long evaluation).
    """
    payload = request(payload)
    loaded, _ = load(config, payload.get("model"))
    inputs, truth = loaded.predictor.labelled_set(payload, config)
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
