from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A rule of the domain was broken; the message is meant for the user."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error answers ``{"message": ..., "extra": {...}}`` with a 4xx status."""
    if isinstance(exc, RequestDataTooBig):
        # A body that understated its length, caught as DRF read it (pitchlab/core/body_limits.py does the rest).
        from pitchlab.core.body_limits import too_big_extra, too_big_message

        limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        return Response({"message": too_big_message(None, limit), "extra": too_big_extra(None, limit)}, status=413)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        # The access layer says why (e.g. a viewer may not edit): keep its words.
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, ApplicationError):
        answer = Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
        if "retry_after" in exc.extra:
            answer["Retry-After"] = str(exc.extra["retry_after"])
        return answer

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": "Validation error", "extra": {"fields": response.data}}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"message": str(response.data["detail"]), "extra": {}}
    return response
