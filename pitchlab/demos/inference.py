"""The one module that sends work to models_service: by task name, plain JSON in and out.

The web process never imports torch or models_service; it knows the task names and the shape of
their answers (``{"ok": true, ...}`` or ``{"ok": false, "error": {"code", "message"}}``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

from asgiref.sync import sync_to_async
from celery import Signature, states
from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import AsyncResult
from kombu.exceptions import OperationalError
from redis import RedisError

from pitchlab.celery import AWAITED_ON_LOOP, app
from pitchlab.core import waiting
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
    task_id: str | None = None,
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
            task_id=task_id,
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


# ---------- awaited on the event loop (the live path under ASGI) ----------


def result_channel(task_id: str) -> str:
    """The channel Celery's Redis result backend publishes a task's states on (the key it stores them under)."""
    return f"celery-task-meta-{task_id}"


def _send_awaited(task: str, payload: dict[str, Any], priority: int, expires_s: float | None, task_id: str) -> str:
    AWAITED_ON_LOOP.set(True)  # in this thread's copy of the caller's context: see pitchlab.celery.ResultBackend
    return send(task, payload, priority=priority, expires_s=expires_s, task_id=task_id)


async def asend_and_wait(
    task: str,
    payload: dict[str, Any],
    *,
    timeout_s: float,
    priority: int = BACKGROUND,
    what: str = "The model",
    expires_s: float | None = None,
) -> dict[str, Any]:
    """``call`` without a thread while it waits: subscribe to the task's result channel (confirmed), queue the
    task, await its answer on the event loop. Queueing itself goes through a thread (kombu's client blocks); a
    Redis that cannot be reached is InferenceUnavailable, a refusal InferenceRefused, as for ``call``.

    Cancelled (the client went away), the subscription is dropped at once; the worker, which expires the task
    and stops the model at its budget, spends nothing on it past that."""
    task_id = str(uuid.uuid4())
    channel = result_channel(task_id)
    sending = False
    try:
        async with waiting.listen(channel) as inbox:
            sending = True  # from here the task may be queued, even if this coroutine is cancelled mid-send
            await sync_to_async(_send_awaited, thread_sensitive=False)(task, payload, priority, expires_s, task_id)
            meta = await _ready(inbox, channel, timeout_s)
    except asyncio.CancelledError:
        if sending:  # the client went away: a task still queued is dropped by the worker instead of run for nobody
            asyncio.get_running_loop().run_in_executor(None, _revoke, task_id)
        raise
    except (*_BROKER_ERRORS, *waiting.ERRORS):
        # The result store is the broker's Redis: whichever is asked first, it is the task queue that is away.
        raise InferenceUnavailable("The task queue is not reachable right now; try again in a moment.") from None
    if meta is None:
        raise InferenceUnavailable(f"{what} did not answer within {timeout_s:g} s.")
    if meta.get("status") != states.SUCCESS:
        logger.error("models_service.%s ended %s: %r", task, meta.get("status"), meta.get("result"))
        raise InferenceUnavailable(f"{what} failed on the worker; try again.")
    return check(meta.get("result"), what=what)


def _revoke(task_id: str) -> None:
    try:
        app.control.revoke(task_id)
    except _BROKER_ERRORS:
        logger.info("task %s not revoked: the broker does not answer (it expires on its own)", task_id)


async def acall(
    task: str,
    payload: dict[str, Any],
    *,
    timeout_s: float,
    priority: int = BACKGROUND,
    what: str = "The model",
) -> dict[str, Any]:
    """``call``, awaited: past its budget the task is also told to expire."""
    return await asend_and_wait(
        task, payload, timeout_s=timeout_s, priority=priority, what=what, expires_s=timeout_s + 5
    )


async def _ready(inbox: Any, channel: str, timeout_s: float) -> dict[str, Any] | None:
    """The task's final state as Celery stored it, or None past ``timeout_s``. Progress states are skipped; at
    the deadline the stored state is read once, in case its announcement was missed (a reconnect)."""
    deadline = time.monotonic() + timeout_s
    while True:
        raw = await waiting.next_message(inbox, deadline - time.monotonic())
        if raw is None:
            stored = await waiting.client().get(channel)
            meta = json.loads(stored) if stored else None
            return meta if meta and meta.get("status") in states.READY_STATES else None
        meta = json.loads(raw)
        if isinstance(meta, dict) and meta.get("status") in states.READY_STATES:
            return meta
