"""The one module that sends work to models_service: by task name, plain JSON in and out.

The web process never imports torch or models_service; it knows the task names and the shape of
their answers (``{"ok": true, ...}`` or ``{"ok": false, "error": {"code", "message"}}``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Signature
from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import AsyncResult
from kombu.exceptions import OperationalError
from redis import RedisError

from pitchlab.celery import app
from pitchlab.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# Redis serves priority 0 first (settings.CELERY_BROKER_TRANSPORT_OPTIONS).
PRESENTER = 0
BACKGROUND = 5
AUDIENCE = 9

# The worker's refusal codes that are the caller's to fix, and the HTTP status each answers with.
_STATUS_BY_CODE = {"too_large": 413, "unknown_model": 409, "timeout": 503}


# What Celery raises when Redis is away: kombu's OperationalError when publishing, redis-py's errors,
# and a RuntimeError("Retry limit exceeded …") from the result backend's reconnection.
_BROKER_ERRORS = (OperationalError, RedisError, RuntimeError, ConnectionError, TimeoutError)


class InferenceUnavailable(ApplicationError):
    """The inference worker (or the broker in front of it) did not answer in time."""

    status_code = 503


class InferenceRefused(ApplicationError):
    """models_service refused the request; ``code`` is its reason code, the message its words."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, extra={"code": code})
        self.code = code
        self.status_code = _STATUS_BY_CODE.get(code, 400)


def send(
    task: str,
    payload: dict[str, Any],
    *,
    priority: int = BACKGROUND,
    expires_s: float | None = None,
    link: Signature[Any] | None = None,
) -> str:
    """Queue ``models_service.<task>`` and return its id; raises InferenceUnavailable when the broker is down.

    ``link`` is a task of ours that the worker queues with the answer when it is done (it must name its
    queue: the inference worker does not know our routes)."""
    try:
        result = app.send_task(
            f"models_service.{task}",
            args=[{**payload, "sent_at": time.time()}],
            priority=priority,
            expires=expires_s,
            link=link,
            retry=False,
        )
    except _BROKER_ERRORS as exc:
        logger.warning("could not queue models_service.%s: %s", task, exc)
        raise InferenceUnavailable("The task queue is not reachable right now; try again in a moment.") from None
    return str(result.id)


def wait(task_id: str, *, timeout_s: float, what: str = "The model", forget: bool = False) -> dict[str, Any]:
    """The answer of a sent task, or InferenceUnavailable after ``timeout_s``; a refusal raises InferenceRefused.

    ``forget``: remove the answer from the result store once read (a large one, e.g. a chunk of a model file,
    would otherwise sit in Redis until CELERY_RESULT_EXPIRES)."""
    result: AsyncResult[Any] = AsyncResult(task_id, app=app)
    try:
        answer = result.get(timeout=timeout_s, propagate=False, disable_sync_subtasks=False)
        if forget:
            result.forget()
    except CeleryTimeout:
        raise InferenceUnavailable(f"{what} did not answer within {timeout_s:g} s.") from None
    except _BROKER_ERRORS:
        raise InferenceUnavailable("The result store is not reachable right now; try again in a moment.") from None
    return check(answer, what=what)


def check(answer: Any, *, what: str = "The model") -> dict[str, Any]:
    """``answer`` if it is a success; InferenceRefused for the worker's refusals, InferenceUnavailable for a crash."""
    if isinstance(answer, dict) and answer.get("ok") is True:
        return answer
    if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
        error = answer["error"]
        code, message = str(error.get("code", "refused")), str(error.get("message", "The request was refused."))
        if code == "timeout":
            raise InferenceUnavailable(message)
        raise InferenceRefused(message, code=code)
    logger.error("models_service answered with something unexpected: %r", answer)
    raise InferenceUnavailable(f"{what} failed on the worker; try again.")


def call(
    task: str,
    payload: dict[str, Any],
    *,
    timeout_s: float,
    priority: int = BACKGROUND,
    what: str = "The model",
    forget: bool = False,
) -> dict[str, Any]:
    """Send and wait. A call past its budget is also told to expire, so a worker that comes back later
    does not spend its time on answers nobody waits for any more."""
    task_id = send(task, payload, priority=priority, expires_s=timeout_s + 5)
    return wait(task_id, timeout_s=timeout_s, what=what, forget=forget)


def progress(task_id: str) -> tuple[str, Any]:
    """The state of a long task and its info: ("PROGRESS", {"fraction": ...}), ("SUCCESS", answer), ...

    A result store that cannot be read reads as "UNKNOWN": the caller shows the last known state.
    """
    result: AsyncResult[Any] = AsyncResult(task_id, app=app)
    try:
        return str(result.state), result.info
    except _BROKER_ERRORS:
        return "UNKNOWN", None
