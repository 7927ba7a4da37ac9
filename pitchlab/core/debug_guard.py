"""Debug pages for this computer only.

With DEBUG on, Django answers an unhandled exception with its technical 500 page (stack frames, local
variables, settings) and an unknown URL with its technical 404 page (every URL pattern of the site). That is
what a developer wants on their own machine, and what no other device may see: a founder serving ``make run``
on 0.0.0.0 so that phones reach the demo would show it to the whole room. ``make run`` turns debug off for such
a bind (pitchlab/launcher.py); this is the second line of defence for any server run with debug on. A client
that is not loopback gets the plain pages instead, exactly as with debug off.

The 500 side is an exception reporter (settings.DEFAULT_EXCEPTION_REPORTER) because Django builds the technical
500 page for every exception, raised in a view or in a middleware, through it; the 404 side is a middleware,
because the technical 404 page has no such hook.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import get_resolver, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter

from pitchlab.core.middleware_base import HookMiddleware

logger = logging.getLogger(__name__)

# Set by a proxy in front of the server: the real client is somewhere else, whatever REMOTE_ADDR says.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def client_is_loopback(request: HttpRequest) -> bool:
    """Whether the request comes from this computer itself (127.0.0.0/8 or ::1) and not through a proxy."""
    if any(request.META.get(header) for header in _PROXY_HEADERS):
        return False
    raw = str(request.META.get("REMOTE_ADDR") or "").strip().strip("[]")
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _handler(status: int) -> Callable[..., HttpResponse]:
    """The error view Django uses with debug off (urls.handler404 and friends, or its defaults)."""
    resolver = get_resolver(get_urlconf())
    handler: Callable[..., HttpResponse] = resolver.resolve_error_handler(status)
    return handler


def _plain_500(request: HttpRequest) -> HttpResponse:
    try:
        return _handler(500)(request)
    except Exception:  # the 500 page itself failed (a template error): the bare words still go out
        logger.exception("the 500 page could not be rendered")
        return HttpResponse("<h1>Server Error (500)</h1>", content_type="text/html")


def _plain_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _handler(404)(request, exception)


class LoopbackOnlyExceptionReporter(ExceptionReporter):
    """The technical 500 page for loopback clients and for e-mails to the admins; the plain page for others."""

    def _plain(self) -> HttpResponse | None:
        if self.is_email or self.request is None or client_is_loopback(self.request):
            return None
        request = self.request
        if self.exc_type is not None and issubclass(
            self.exc_type, SuspiciousOperation | BadRequest | MultiPartParserError
        ):
            exception = self.exc_value if isinstance(self.exc_value, Exception) else BadRequest()
            return _handler(400)(request, exception)
        return _plain_500(request)

    def get_traceback_html(self) -> SafeString:
        plain = self._plain()
        # The plain page is our own rendered template, already escaped.
        return mark_safe(plain.content.decode()) if plain is not None else super().get_traceback_html()  # noqa: S308

    def get_traceback_text(self) -> SafeString:
        plain = self._plain()
        if plain is None:
            return super().get_traceback_text()
        return mark_safe("Bad Request (400)" if plain.status_code == 400 else "Server Error (500)")  # noqa: S308


class DebugGuardMiddleware(HookMiddleware):
    """With DEBUG on, a client that is not loopback gets the plain 404 page, not the technical one."""

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # No view matched (request.resolver_match stays unset): with debug on, that 404 is the URL list.
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not client_is_loopback(request)
        ):
            return _plain_404(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404) and not client_is_loopback(request):
            return _plain_404(request, exception)
        return None
