from typing import Any

from celery import Task, shared_task


@shared_task(name="pitchlab.core.ping", bind=True)
def ping(self: Task[Any, Any], payload: str) -> dict[str, str]:
    """Echo a payload with the name of the worker that ran it: proof that the default queue is served."""
    return {"echo": payload, "worker": str(self.request.hostname)}
