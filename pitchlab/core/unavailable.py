"""A database that cannot be reached answers 503 in words, never a 500 with a traceback.

While PostgreSQL restarts (or SQLite's file stays locked past its timeout) every query raises
OperationalError or InterfaceError; without this, a request fails as a 500 (with debug on, Django's
traceback page). Nothing is written by such a request (its transaction never commits), so the honest
answer is "not now, try again": JSON ``{"message", "extra"}`` for the API, a small page otherwise.
Django reconnects by itself once the database is back (``conn_health_checks`` in settings.py).
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from pitchlab.core.middleware_base import HookMiddleware

logger = logging.getLogger(__name__)

RETRY_AFTER_S = 5


def _wants_json(request: HttpRequest) -> bool:
    """The API (any DRF view, e.g. the audience's /d/<token>/predict/) and scripts asking for JSON get JSON."""
    match = request.resolver_match
    view_class = getattr(match.func, "cls", None) if match is not None else None
    if request.path.startswith("/api/") or (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class DatabaseUnavailableMiddleware(HookMiddleware):
    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # One line with the driver's words, not a traceback per request of an outage; an OperationalError
        # that is no outage (SQLite's "no such table") still shows what it is.
        reason = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, reason)
        message = _("The database cannot be reached right now, so this was not done. Try again in a moment.")
        headers = {"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"}
        if _wants_json(request):
            body = {"message": message, "extra": {"retry_after": RETRY_AFTER_S}}
            return JsonResponse(body, status=503, headers=headers)
        # No request in the context: the context processors would read the user, from the database.
        page = render_to_string("503.html", {"message": message})
        return HttpResponse(page, status=503, headers=headers)
