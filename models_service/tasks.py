"""Celery tasks of the inference service. The web side calls them by name with JSON payloads."""

from __future__ import annotations

import socket
from typing import Any

from celery.worker.control import inspect_command

from models_service.celery_app import app, config
from models_service.device import resolve_device


@app.task(name="models_service.ping")
def ping(payload: str) -> dict[str, Any]:
    """Echo ``payload`` with the host and the device this worker runs models on."""
    return {"echo": payload, "host": socket.gethostname(), **resolve_device(config.device).as_json()}


@inspect_command()  # type: ignore[untyped-decorator]
def inference_info(state: Any) -> dict[str, Any]:
    """Answered by /healthz's broadcast: the device of this inference worker."""
    try:
        return resolve_device(config.device).as_json()
    except Exception as exc:  # a bad device is reported, not raised into the worker's control loop
        return {"error": str(exc)}
