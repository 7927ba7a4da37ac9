"""Live calls to a demo model: predictions, explanations, pre-flight and the capacity rehearsal.

A call on stage has a budget (``DEMO_BUDGET_MS``): past it the caller gets a 503 in words and the slide
shows the output pre-flight stored. The presenter's calls go to the front of the queue; the audience's
to the back (``inference.PRESENTER`` / ``AUDIENCE``).
"""

from __future__ import annotations

import asyncio
import base64
import random
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pitchlab.core.exceptions import ApplicationError
from pitchlab.demos import inference
from pitchlab.demos.inference import InferenceRefused, InferenceUnavailable
from pitchlab.demos.models import DemoExample, DemoModel

MAX_CAPACITY_USERS, MAX_CAPACITY_SECONDS = 100, 60


class NotReady(ApplicationError):
    status_code = 409


@dataclass(frozen=True)
class DemoInput:
    """One checked input: a text, or an image already made a small PNG by ``inputs.check_image``."""

    text: str | None = None
    image_png: bytes | None = None

    def payload(self) -> dict[str, Any]:
        if self.text is not None:
            return {"text": self.text}
        assert self.image_png is not None
        return {"image": base64.b64encode(self.image_png).decode("ascii")}


class CallableModel(Protocol):
    """What a live call reads of a demo model: a DemoModel row, or the live path's snapshot (lookups.LiveModel)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def failure(self) -> str: ...
    @property
    def artefact(self) -> str: ...
    @property
    def labels(self) -> Sequence[str]: ...


def _ready(demo_model: CallableModel, demo_input: DemoInput) -> None:
    if demo_model.status != DemoModel.Status.READY:
        why = f": {demo_model.failure}" if demo_model.status == DemoModel.Status.FAILED else " yet"
        raise NotReady(f"{demo_model.name} is not ready{why}.")
    if (demo_input.text is not None) != (demo_model.kind == DemoModel.Kind.TEXT):
        want = "a text" if demo_model.kind == DemoModel.Kind.TEXT else "an image"
        raise ApplicationError(f"{demo_model.name} takes {want}.")


def _labels(answer: dict[str, Any]) -> list[dict[str, Any]]:
    predictions = answer.get("predictions") or [[]]
    return [{"label": str(row["label"]), "score": float(row["probability"])} for row in predictions[0]]


def _top_k(demo_model: CallableModel) -> int:
    return max(1, min(20, len(demo_model.labels) or 3))


def _predict_payload(demo_model: CallableModel, demo_input: DemoInput, budget_s: float) -> dict[str, Any]:
    # budget_s: past our wait the worker stops spending the model on it (models_service.inference).
    return {"model": demo_model.artefact, "top_k": _top_k(demo_model), "budget_s": budget_s, **demo_input.payload()}


def _prediction(answer: dict[str, Any], demo_model: CallableModel, started: float) -> dict[str, Any]:
    return {
        "labels": _labels(answer),
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        "device": answer.get("device", ""),
        "timings": answer.get("timings", {}),
        "model": answer.get("model", demo_model.artefact),
    }


def predict(
    *,
    demo_model: CallableModel,
    demo_input: DemoInput,
    priority: int = inference.PRESENTER,
    budget_ms: int | None = None,
) -> dict[str, Any]:
    """Every label with its score (best first), the round-trip latency, the device and the worker's timings."""
    _ready(demo_model, demo_input)
    budget_s = (budget_ms or settings.DEMO_BUDGET_MS) / 1000
    started = time.perf_counter()
    payload = _predict_payload(demo_model, demo_input, budget_s)
    answer = inference.call("predict", payload, timeout_s=budget_s, priority=priority, what=demo_model.name)
    return _prediction(answer, demo_model, started)


async def apredict(
    *, demo_model: CallableModel, demo_input: DemoInput, priority: int = inference.PRESENTER
) -> dict[str, Any]:
    """``predict``, awaited on the event loop: no thread while the model works (the live path under ASGI)."""
    _ready(demo_model, demo_input)
    budget_s = settings.DEMO_BUDGET_MS / 1000
    started = time.perf_counter()
    payload = _predict_payload(demo_model, demo_input, budget_s)
    answer = await inference.acall("predict", payload, timeout_s=budget_s, priority=priority, what=demo_model.name)
    return _prediction(answer, demo_model, started)


def _explained(
    prediction: dict[str, Any], answer: dict[str, Any], demo_model: CallableModel, started: float
) -> dict[str, Any]:
    explanation = dict(answer.get("explanation") or {})
    png = explanation.pop("heatmap_png", None)
    if png:
        explanation["overlay"] = f"data:image/png;base64,{png}"
    return {
        "labels": _labels(prediction),
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        "device": answer.get("device", ""),
        "timings": {**prediction.get("timings", {}), **answer.get("timings", {})},
        "model": answer.get("model", demo_model.artefact),
        "explanation": explanation,
    }


async def aexplain(
    *, demo_model: CallableModel, demo_input: DemoInput, priority: int = inference.PRESENTER
) -> dict[str, Any]:
    """A prediction and why: per-word weights for a text, a heatmap overlay for an image. Both tasks are queued
    and awaited at once, so the explanation costs its own time and not one prediction more. The explanation's
    budget reaches the worker: past it, it stops between its forward passes (issue 15)."""
    _ready(demo_model, demo_input)
    started = time.perf_counter()
    payload = {"model": demo_model.artefact, **demo_input.payload()}
    budget_s = settings.DEMO_EXPLAIN_BUDGET_MS / 1000
    prediction, answer = await asyncio.gather(
        inference.asend_and_wait(
            "predict",
            {**payload, "top_k": _top_k(demo_model)},
            timeout_s=budget_s,
            priority=priority,
            what=demo_model.name,
        ),
        inference.asend_and_wait(
            "explain",
            {**payload, "budget_s": budget_s},
            timeout_s=budget_s,
            priority=priority,
            expires_s=budget_s + 5,
            what=f"The explanation of {demo_model.name}",
        ),
    )
    return _explained(prediction, answer, demo_model, started)


def example_input(example: DemoExample) -> DemoInput:
    if example.image:
        with example.image.open("rb") as handle:
            return DemoInput(image_png=handle.read())
    return DemoInput(text=example.text)


# ---------- stage insurance ----------


def preflight(*, demo_model: DemoModel) -> dict[str, Any]:
    """Run every curated example through the worker (all queued at once, as on stage), store each answer as
    its cached output, and report latency against the stage budget."""
    examples = list(demo_model.examples.all())
    if not examples:
        raise ApplicationError("Add curated examples first: pre-flight runs them.")
    _ready(demo_model, example_input(examples[0]))
    budget_ms = settings.DEMO_BUDGET_MS
    sent: list[tuple[DemoExample, float, str | None, str | None]] = []
    for example in examples:
        payload = {"model": demo_model.artefact, "top_k": _top_k(demo_model), **example_input(example).payload()}
        try:
            sent.append((example, time.perf_counter(), inference.send("predict", payload, priority=0), None))
        except InferenceUnavailable as exc:
            sent.append((example, time.perf_counter(), None, exc.message))
    rows = []
    deadline = time.perf_counter() + budget_ms / 1000
    for example, started, task_id, error in sent:
        labels = None
        latency = None
        if task_id is not None:
            try:
                answer = inference.wait(
                    task_id, timeout_s=max(0.05, deadline - time.perf_counter()), what=demo_model.name
                )
                latency = round((time.perf_counter() - started) * 1000, 1)
                labels = _labels(answer)
                example.cached_output = {
                    "labels": labels,
                    "latency_ms": latency,
                    "device": answer.get("device", ""),
                    "at": timezone.now().isoformat(timespec="seconds"),
                }
                example.save(update_fields=["cached_output", "updated_at"])
            except (InferenceUnavailable, InferenceRefused) as exc:
                error = exc.message
        top = labels[0]["label"] if labels else None
        rows.append(
            {
                "id": example.pk,
                "ok": error is None,
                "latency_ms": latency,
                "labels": labels,
                "error": error,
                "expected_label": example.expected_label,
                "matches": (top == example.expected_label) if example.expected_label and top else None,
            }
        )
    report = {
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        "budget_ms": budget_ms,
        "examples": rows,
        "all_ok": all(row["ok"] for row in rows),
        "slowest_ms": max((row["latency_ms"] or 0.0 for row in rows), default=0.0),
    }
    DemoModel.objects.filter(pk=demo_model.pk).update(preflight=report)
    demo_model.preflight = report
    return report


def capacity_start(*, demo_model: DemoModel, users: Any, seconds: Any) -> dict[str, Any]:
    """Queue a capacity rehearsal on the default worker (it runs for ``seconds``); the report lands on the model."""
    from pitchlab.demos.tasks import capacity_rehearsal

    if not isinstance(users, int) or isinstance(users, bool) or not 1 <= users <= MAX_CAPACITY_USERS:
        raise ApplicationError(f"users must be a whole number from 1 to {MAX_CAPACITY_USERS}.")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 1 <= seconds <= MAX_CAPACITY_SECONDS:
        raise ApplicationError(f"seconds must be a whole number from 1 to {MAX_CAPACITY_SECONDS}.")
    if not demo_model.examples.exists():
        raise ApplicationError("Add curated examples first: the simulated audience sends them.")
    if demo_model.capacity.get("status") == "running":
        raise ApplicationError("A capacity rehearsal is already running.", extra={"capacity": demo_model.capacity})
    state = {"status": "running", "users": users, "seconds": seconds, "started_at": timezone.now().isoformat()}
    DemoModel.objects.filter(pk=demo_model.pk).update(capacity=state)
    demo_model.capacity = state
    transaction.on_commit(lambda: capacity_rehearsal.apply_async((demo_model.pk, users, seconds), retry=False))
    return state


def capacity_run(*, demo_model: DemoModel, users: int, seconds: int) -> dict[str, Any]:
    """``users`` simulated audience members, each sending curated examples at the audience's own rate limit,
    through the same path and priority as the audience link, for ``seconds``: what the room will get."""
    inputs = [example_input(example) for example in demo_model.examples.all()]
    per_client_interval = _interval(settings.AUDIENCE_RATE_PER_CLIENT)
    total_interval = _interval(settings.AUDIENCE_RATE_TOTAL)
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    limited = 0
    lock = threading.Lock()
    next_slot = [time.monotonic()]

    def take_slot() -> bool:
        """The room's total limit: one request per ``total_interval``; False when the room is over it."""
        nonlocal limited
        with lock:
            now = time.monotonic()
            if now < next_slot[0]:
                limited += 1
                return False
            next_slot[0] = max(next_slot[0], now - 1.0) + total_interval
            return True

    def member(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311  (pacing, not secrets)
        time.sleep(rng.uniform(0, min(per_client_interval, 2.0)))  # people do not all tap at once
        while time.monotonic() < deadline:
            started = time.monotonic()
            if take_slot():
                try:
                    predict(
                        demo_model=demo_model,
                        demo_input=rng.choice(inputs),
                        priority=inference.AUDIENCE,
                    )
                    with lock:
                        latencies.append((time.monotonic() - started) * 1000)
                except ApplicationError as exc:
                    with lock:
                        errors.append(exc.message)
            time.sleep(max(0.0, per_client_interval - (time.monotonic() - started)))

    threads = [threading.Thread(target=member, args=(seed,), daemon=True) for seed in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + settings.DEMO_BUDGET_MS / 1000 + 5)
    ordered = sorted(latencies)
    return {
        "status": "done",
        "users": users,
        "seconds": seconds,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "rate_limited": limited,
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1) if ordered else None,
        "per_second": round(len(latencies) / seconds, 2),
        "rate_per_client": settings.AUDIENCE_RATE_PER_CLIENT,
        "rate_total": settings.AUDIENCE_RATE_TOTAL,
        "finished_at": timezone.now().isoformat(timespec="seconds"),
    }


def _interval(rate: str) -> float:
    """Seconds between requests at a DRF-style rate such as "20/min"."""
    count, _, period = rate.partition("/")
    return {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]] / int(count)
