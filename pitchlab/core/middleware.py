"""Response headers that Django's own middleware does not set (Security, D), and the one check of the text a
request carries in its query string and form (issue 15: text that cannot be stored is a 400 naming the field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from pitchlab.core.middleware_base import HookMiddleware
from pitchlab.core.text import Finding, first_in_form, first_invalid_utf8


class PermissionsPolicyMiddleware(HookMiddleware):
    """Every response says which browser features the site may use (settings.PERMISSIONS_POLICY)."""

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def _raw_query_string(request: HttpRequest) -> bytes:
    """The query string as the client sent it, before Django decoded it (replacing what is not UTF-8)."""
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict):  # ASGI
        raw = scope.get("query_string", b"")
        return raw if isinstance(raw, bytes) else str(raw).encode("utf-8", errors="surrogateescape")
    # WSGI (PEP 3333): the bytes as latin-1 code points.
    return str(request.META.get("QUERY_STRING", "")).encode("latin-1", errors="replace")


def _is_api_view(view_func: Callable[..., Any]) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _is_utf8(request: HttpRequest) -> bool:
    return (request.encoding or settings.DEFAULT_CHARSET).lower().replace("_", "-") in ("utf-8", "utf8")


class UnencodableTextMiddleware(HookMiddleware):
    """Refuses a request whose query string or form holds text that cannot be stored (pitchlab.core.text).

    The query string of every request, and the url-encoded or multipart body of every POST, are checked
    here, before the view runs, so no view ever stores or forwards such text. JSON bodies are checked by
    the API's parser (pitchlab.core.parsers), which parses them anyway, and so are the forms DRF parses
    itself (PUT and PATCH). The API (any DRF view) answers in its error shape, ``{"message", "extra":
    {"field", "reason", "character", "in_key"}}``; a page answers a small page that names the field.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        try:
            finding = self.first_in_query(request) or self.first_in_form(request)
        except MultiPartParserError as exc:  # read here first, so answered here as DRF's parser would
            return self.refusal(request, view_func, _("The form could not be read: %(error)s") % {"error": exc})
        if finding is None:
            return None
        return self.refusal(request, view_func, finding.message(), finding)

    @staticmethod
    def refusal(
        request: HttpRequest, view_func: Callable[..., Any], message: str, finding: Finding | None = None
    ) -> HttpResponse:
        if _is_api_view(view_func) or request.path.startswith("/api/"):
            extra = finding.as_extra() if finding is not None else {}
            return JsonResponse({"message": message, "extra": extra}, status=400)
        return render(request, "unencodable.html", {"message": message}, status=400)

    @staticmethod
    def first_in_query(request: HttpRequest) -> Finding | None:
        if not request.META.get("QUERY_STRING"):
            return None
        return first_invalid_utf8(_raw_query_string(request)) or first_in_form(request.GET)

    def first_in_form(self, request: HttpRequest) -> Finding | None:
        if request.method != "POST" or request.content_type not in self.FORM_TYPES:
            return None
        if request.content_type == "multipart/form-data":
            # Django parses it once here and the view (DRF's included) reads the parsed form.
            return first_in_form(request.POST, request.FILES, replacement_is_invalid=_is_utf8(request))
        raw = request.body  # what Django parses request.POST from anyway, limited by DATA_UPLOAD_MAX_MEMORY_SIZE
        return (first_invalid_utf8(raw) if _is_utf8(request) else None) or first_in_form(request.POST)
