"""Health checks for /healthz: the database, the broker, the workers of each queue, the inference device."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from pitchlab.queues import Queue
from pitchlab.redis_url import celery_url

# The control command that inference workers answer with their device (models_service.tasks).
INFERENCE_INFO_COMMAND = "inference_info"


@dataclass(frozen=True)
class Check:
    up: bool
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"status": "up" if self.up else "down", **self.detail}


@dataclass(frozen=True)
class HealthReport:
    checks: dict[str, Check]

    @property
    def failing(self) -> list[str]:
        return [name for name, check in self.checks.items() if not check.up]

    @property
    def healthy(self) -> bool:
        return not self.failing

    def summary_json(self) -> dict[str, Any]:
        """The status and the names of failing parts only: what anyone may read (no paths, hosts, workers, errors)."""
        return {"status": "ok" if self.healthy else "down", "failing": self.failing}

    def as_json(self) -> dict[str, Any]:
        workers = {q.value: self.checks[f"workers.{q.value}"].as_json() for q in Queue}
        return {
            "status": "ok" if self.healthy else "down",
            "failing": self.failing,
            "database": self.checks["database"].as_json(),
            "broker": self.checks["broker"].as_json(),
            "workers": workers,
            "inference_device": self.checks["inference_device"].as_json(),
        }


def redacted(url: str) -> str:
    """``url`` without its password, fit to show on a public health page."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message says why
        return Check(False, {"vendor": connection.vendor, "error": _one_line(exc)})
    return Check(True, {"vendor": connection.vendor})


def check_broker(redis_url: str | None = None) -> Check:
    url = redis_url or settings.REDIS_URL
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # connection refused, missing socket, auth, timeout
        return Check(False, {"url": redacted(url), "error": _one_line(exc)})
    return Check(True, {"url": redacted(url)})


def _broadcast(command: str, timeout: float, destination: list[str] | None = None) -> list[dict[str, Any]]:
    # With a destination the number of replies is known, so the call returns as soon as all have come.
    limit = len(destination) if destination else None
    app = _control_app(celery_url(settings.REDIS_URL))
    replies = app.control.broadcast(command, reply=True, timeout=timeout, destination=destination, limit=limit)
    return list(replies or [])


@lru_cache(maxsize=4)
def _control_app(broker_url: str) -> Celery:
    """A Celery client bound to ``broker_url``.

    A broadcast publishes through its app's own producer pool, so asking the broker that
    settings.REDIS_URL names *now* (the one check_broker pinged) needs an app bound to that URL.
    """
    app = Celery("pitchlab-health", broker=broker_url, set_as_current=False)
    # The same transport options as every other client: Redis stores the reply queue's binding
    # with the options' separator, and a worker that splits it by another cannot answer.
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    app.conf.update(accept_content=["json"], task_serializer="json")
    return app


def check_workers(timeout: float | None = None) -> dict[str, Check]:
    """Which workers consume each queue, and the device of each inference worker."""
    timeout = settings.HEALTH_WORKER_TIMEOUT if timeout is None else timeout
    by_queue: dict[str, list[str]] = {q.value: [] for q in Queue}
    devices: dict[str, str] = {}
    try:
        for reply in _broadcast("active_queues", timeout):
            for worker, queues in reply.items():
                for queue in queues if isinstance(queues, list) else []:
                    if queue.get("name") in by_queue:
                        by_queue[queue["name"]].append(worker)
        inference_workers = by_queue[Queue.INFERENCE.value]
        # Only inference workers know the command; others would log an error for every probe.
        for reply in _broadcast(INFERENCE_INFO_COMMAND, timeout, inference_workers) if inference_workers else []:
            for worker, info in reply.items():
                if isinstance(info, dict) and "device" in info:
                    devices[worker] = str(info["device"])
    except Exception as exc:  # the broker went away between the ping and the broadcast
        down = Check(False, {"error": _one_line(exc)})
        return {**{f"workers.{q.value}": down for q in Queue}, "inference_device": down}

    checks = {
        f"workers.{name}": (
            Check(True, {"workers": sorted(workers)})
            if workers
            else Check(False, {"workers": [], "error": f"no worker consumes the {name!r} queue"})
        )
        for name, workers in by_queue.items()
    }
    checks["inference_device"] = (
        Check(True, {"devices": devices})
        if devices
        else Check(False, {"devices": {}, "error": "no inference worker reported its device"})
    )
    return checks


def health_report() -> HealthReport:
    checks = {"database": check_database(), "broker": check_broker()}
    if checks["broker"].up:
        checks.update(check_workers())
    else:
        unreachable = Check(False, {"error": "broker unreachable"})
        checks.update({f"workers.{q.value}": unreachable for q in Queue})
        checks["inference_device"] = unreachable
    return HealthReport(checks)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
