"""The inference worker's Celery app: ``celery -A models_service.celery_app worker -Q inference``."""

from __future__ import annotations

from celery import Celery

from models_service.config import INFERENCE_QUEUE, ConfigError, load_config

try:
    config = load_config()
except ConfigError as exc:
    # One line naming the variable, not a traceback from deep inside the worker's start-up.
    raise SystemExit(f"models_service: {exc}") from None

# fixups=[]: Celery would otherwise import django whenever DJANGO_SETTINGS_MODULE is set in the
# environment (as it is when the web and inference processes share one), and this package must not.
app = Celery("models_service", include=["models_service.tasks"], fixups=[])
app.conf.update(
    broker_url=config.celery_url,
    result_backend=config.celery_url,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_default_queue=INFERENCE_QUEUE,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_soft_time_limit=config.soft_time_limit,
    task_time_limit=config.time_limit,
    result_expires=3600,
    broker_connection_retry_on_startup=True,
)
