"""A request body over settings.DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 that names the limit, never an HTML 400.

Django raises RequestDataTooBig (a SuspiciousOperation) wherever the body is first read (the CSRF check, a
middleware reading the form, DRF's parser) and answers it with its 400 page, in HTML, even to an API client.
This middleware answers first: a body whose Content-Length is already over the limit is refused before a byte
is read; a POSTed multipart form (whose files do not count, only its other fields) is parsed here, where its
overflow can still be caught. The API gets ``{"message", "extra": {"limit_bytes", ...}}``, a page gets a page.
Files have limits of their own (a model zip: PITCHLAB_MAX_MODEL_UPLOAD_BYTES), checked where they are read.
A body that understates its length is caught as it is read: pitchlab.core.exceptions answers it for the API.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from pitchlab.core.middleware_base import HookMiddleware


def _is_api(request: HttpRequest) -> bool:
    """Whether the request goes to the API (any DRF view, e.g. the audience's /d/<token>/predict/) or asks JSON."""
    if request.path.startswith("/api/"):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    view_class = getattr(match.func, "cls", None) if match is not None else None
    if isinstance(view_class, type) and issubclass(view_class, APIView):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}".removesuffix(".0")


def too_big_message(size: int | None, limit: int) -> str:
    if size:
        return _("The request is %(size)s MB; the limit is %(limit)s MB (%(bytes)s bytes).") % {
            "size": _megabytes(size),
            "limit": _megabytes(limit),
            "bytes": f"{limit:,}",
        }
    return _("The request is over the limit of %(limit)s MB (%(bytes)s bytes).") % {
        "limit": _megabytes(limit),
        "bytes": f"{limit:,}",
    }


def too_big_extra(size: int | None, limit: int) -> dict[str, int]:
    return {"limit_bytes": limit, **({"size_bytes": size} if size else {})}


def too_big_response(request: HttpRequest, size: int | None) -> HttpResponse:
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    message = too_big_message(size, limit)
    # The client may still be sending: closing the connection is better than reading 100 MB to discard it.
    headers = {"Connection": "close", "Cache-Control": "no-store"}
    if _is_api(request):
        return JsonResponse({"message": message, "extra": too_big_extra(size, limit)}, status=413, headers=headers)
    # A page of its own, without the user or CSRF token: nothing of the request's body may be read again.
    return HttpResponse(render_to_string("413.html", {"message": message}), status=413, headers=headers)


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RequestBodyLimitMiddleware(HookMiddleware):
    """Refuse a body over DATA_UPLOAD_MAX_MEMORY_SIZE with a 413 naming the limit, before anything reads it."""

    def before(self, request: HttpRequest) -> HttpResponse | None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = _content_length(request)
        # A multipart body's files stream to disk and do not count, only its other fields: it is judged as parsed.
        if limit is not None and request.content_type != "multipart/form-data" and length > limit:
            return too_big_response(request, length)
        return None

    def needs_blocking(self, request: HttpRequest) -> bool:
        return request.method == "POST" and request.content_type in FORM_TYPES

    def blocking_before(self, request: HttpRequest) -> HttpResponse | None:
        # Django parses a POSTed form once, whoever asks first (the CSRF check, a middleware, DRF), so asking
        # here changes nothing else; what goes wrong is answered here, in the caller's shape. Parsing may write
        # a multipart body's files to disk: under ASGI it runs in a thread (HookMiddleware).
        try:
            request.POST  # noqa: B018
        except RequestDataTooBig:
            return too_big_response(request, _content_length(request) or None)
        except UNREADABLE_FORM as exc:
            return unreadable_response(request, exc)
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# A POSTed form Django cannot parse: a broken multipart body, or more fields or files than it allows. Left alone,
# Django answers them with its HTML 400 page, even to an API client.
UNREADABLE_FORM = (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent)


def unreadable_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """A 400 that says why the form could not be read: the API's error shape, or a page that stands alone."""
    message = _("The form could not be read: %(error)s") % {"error": error}
    if _is_api(request):
        return JsonResponse({"message": message, "extra": {}}, status=400, headers={"Cache-Control": "no-store"})
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)
