import socket

from celery import shared_task

from pitchlab.queues import Queue


@shared_task(name="pitchlab.core.ping", queue=Queue.DEFAULT.value)
def ping(payload: str) -> dict[str, str]:
    """Echo a payload back with the worker's host: proof that the default queue is served."""
    return {"echo": payload, "host": socket.gethostname()}
