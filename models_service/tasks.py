"""Celery tasks of the inference service. The web side calls them by name with JSON payloads."""

from __future__ import annotations

import time
from typing import Any

from celery import Task
from celery.worker.control import inspect_command

from models_service import service
from models_service.celery_app import app, config
from models_service.device import resolve_device
from models_service.errors import ServiceError


@app.task(name="models_service.ping", bind=True)
def ping(self: Task[Any, Any], payload: str) -> dict[str, Any]:
    """Echo ``payload`` with the worker's name and the device it runs models on."""
    return {"echo": payload, "worker": str(self.request.hostname), **resolve_device(config.device).as_json()}


@app.task(name="models_service.predict", bind=True, soft_time_limit=30, time_limit=45)
def predict(self: Task[Any, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """Top-k labels for texts or an image; a refused input comes back as {"ok": false, "error": ...}."""
    try:
        return service.predict(payload, config=config, received_at=time.time())
    except ServiceError as error:
        return error.as_json()


@inspect_command()
def inference_info(state: Any) -> dict[str, Any]:
    """Answered by /healthz's broadcast: the device of this inference worker."""
    try:
        return resolve_device(config.device).as_json()
    except Exception as exc:  # a bad device is reported, not raised into the worker's control loop
        return {"error": str(exc)}
