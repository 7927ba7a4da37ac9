"""The web side's Celery app. It sends inference work by task name and never imports torch."""

import os
from contextvars import ContextVar
from typing import Any

from celery import Celery
from celery.backends.redis import RedisBackend

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")

AWAITED_ON_LOOP: ContextVar[bool] = ContextVar("AWAITED_ON_LOOP", default=False)
"""True while sending a task whose answer an event loop awaits itself (pitchlab/core/waiting.py)."""


class ResultBackend(RedisBackend):
    """Celery's Redis result backend, less one subscription.

    Sending a task subscribes Celery's own result consumer to its answer, so that ``AsyncResult.get`` cannot miss
    it. An answer awaited on the event loop has a subscription of its own; the consumer's would be read by
    nobody, and every such answer would pile up on its connection."""

    def __init__(self, app: Celery, url: str | None = None, **kwargs: Any) -> None:
        if url is None:
            configured = str(app.conf.result_backend)
            scheme = configured.partition("://")[0]
            url = configured.split("+", 1)[1] if "+" in scheme else configured  # redis+socket:// → socket://
        super().__init__(app=app, url=url, **kwargs)

    def on_task_call(self, producer: Any, task_id: str) -> None:
        if not AWAITED_ON_LOOP.get():
            super().on_task_call(producer, task_id)


class App(Celery):
    backend_cls = "pitchlab.celery:ResultBackend"


app = App("pitchlab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
