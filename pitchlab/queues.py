from enum import StrEnum


class Queue(StrEnum):
    """The Celery queues. Inference work goes to GPU machines when there are any."""

    DEFAULT = "default"
    INFERENCE = "inference"
