"""The inference worker's Celery app: ``celery -A models_service.celery_app worker -Q inference``."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_init

from models_service.config import INFERENCE_QUEUE, ConfigError, load_config

try:
    config = load_config()
except ConfigError as exc:
    # One line naming the variable, not a traceback from deep inside the worker's start-up.
    raise SystemExit(f"models_service: {exc}") from None

# Ten priority levels, 0 served first: the Redis transport keeps one list per level ("inference",
# "inference:1", ... "inference:9") and a worker pops them in that order. The presenter's predictions are
# sent with priority 0 and the audience's with 9, so a crowd of phones never queues ahead of the stage.
# The web side must publish with exactly these options: "sep" is also how bindings are stored in Redis,
# and a client with another one cannot route to this queue at all.
BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
    "priority_steps": list(range(10)),
    "sep": ":",
    "queue_order_strategy": "priority",
}
DEFAULT_PRIORITY = 5

# fixups=[]: Celery would otherwise import django whenever DJANGO_SETTINGS_MODULE is set in the
# environment (as it is when the web and inference processes share one), and this package must not.
# set_as_current=False: a process that imports this module for its constants (the web side's tests, a
# benchmark) must keep its own app current, or the web side's shared tasks would be sent through this one, to
# the inference queue. The worker makes it current itself when it starts.
app = Celery("models_service", include=["models_service.tasks"], fixups=[], set_as_current=False)
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
    broker_transport_options=BROKER_TRANSPORT_OPTIONS,
    task_default_priority=DEFAULT_PRIORITY,
)


# transformers resolves its classes lazily on first use, and that resolution is not thread-safe: in the threads
# pool a training task and another task importing from transformers at the same moment failed with "cannot
# import name 'AutoModelForSequenceClassification' from 'transformers'". So the names this package uses are
# resolved once, in the worker's main process, before any task thread runs (the web process never imports this).
TRANSFORMERS_NAMES = (
    "AutoImageProcessor",
    "AutoModelForImageClassification",
    "AutoModelForSequenceClassification",
    "AutoTokenizer",
    "ResNetConfig",
    "ResNetForImageClassification",
    "ViTImageProcessor",
)


@worker_init.connect
def resolve_model_classes(**_: Any) -> None:
    import transformers

    for name in TRANSFORMERS_NAMES:
        getattr(transformers, name)
