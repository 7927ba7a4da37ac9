"""Structured errors: what a task returns instead of crashing the worker."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request the service refuses; ``code`` is for programs, ``message`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_json(self) -> dict[str, Any]:
        return {"ok": False, "error": {"code": self.code, "message": self.message}}
