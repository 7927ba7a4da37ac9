"""Django's own middleware, with the hooks that do no I/O run inline under ASGI.

Django's ``MiddlewareMixin`` is async-capable by running each ``process_request`` / ``process_view`` /
``process_response`` in a thread: a hop there and back for each of them, ~0.1–0.2 ms each, twenty per request
with the middleware PitchLab runs — 3 ms on a plain page, measured (docs/benchmarks.md, "Serving under ASGI"), as
much as the whole page costs under WSGI. Their hooks read headers and cookies and set attributes and headers;
only a few touch a store, and only in cases each class names (``*_blocks``): those still run in a thread.
Under WSGI nothing changes: the classes are Django's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware as _XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware as _CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware as _CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware as _LocaleMiddleware
from django.middleware.security import SecurityMiddleware as _SecurityMiddleware

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class Inline:
    """Mix in before a ``MiddlewareMixin`` class. Override a ``*_blocks`` test to send a hook to a thread."""

    get_response: Callable[[HttpRequest], Any]

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)  # type: ignore[call-arg]
        process_view = getattr(self, "process_view", None)
        if iscoroutinefunction(get_response) and process_view is not None:
            # Django wraps a sync process_view in a thread under ASGI; an async one it awaits as it is.
            async def inline_view(request: HttpRequest, view: Any, args: Any, kwargs: Any) -> Any:
                if self.view_blocks(request, view):
                    return await sync_to_async(process_view)(request, view, args, kwargs)
                return process_view(request, view, args, kwargs)

            setattr(self, "process_view", inline_view)  # noqa: B010 (an instance attribute Django reads)

    def request_blocks(self, request: HttpRequest) -> bool:
        return False

    def view_blocks(self, request: HttpRequest, view: Any) -> bool:
        return False

    def response_blocks(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return False

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response = None
        process_request = getattr(self, "process_request", None)
        if process_request is not None:
            if self.request_blocks(request):
                response = await sync_to_async(process_request)(request)
            else:
                response = process_request(request)
        response = response or await self.get_response(request)
        process_response = getattr(self, "process_response", None)
        if process_response is not None:
            if self.response_blocks(request, response):
                response = await sync_to_async(process_response)(request, response)
            else:
                response = process_response(request, response)
        return response  # type: ignore[no-any-return]


class SecurityMiddleware(Inline, _SecurityMiddleware):
    pass


class SessionMiddleware(Inline, _SessionMiddleware):
    def response_blocks(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        # Saving writes the database (and the cache, cached_db); reading whether it must does not.
        session = getattr(request, "session", None)
        return session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


class LocaleMiddleware(Inline, _LocaleMiddleware):
    pass


class CommonMiddleware(Inline, _CommonMiddleware):
    pass


class CsrfViewMiddleware(Inline, _CsrfViewMiddleware):
    def request_blocks(self, request: HttpRequest) -> bool:
        return bool(settings.CSRF_USE_SESSIONS)  # the secret is then read from the session (a store)

    def view_blocks(self, request: HttpRequest, view: Any) -> bool:
        # An unsafe method is checked against the form's token: reading the form parses the body (files to disk).
        return settings.CSRF_USE_SESSIONS or (
            request.method not in SAFE_METHODS and not getattr(view, "csrf_exempt", False)
        )


class AuthenticationMiddleware(Inline, _AuthenticationMiddleware):
    pass  # request.user stays lazy: a sync view reads it in its thread, an async one awaits request.auser()


class MessageMiddleware(Inline, _MessageMiddleware):
    def response_blocks(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        storage = getattr(request, "_messages", None)  # messages kept in the session read and write it
        return storage is not None and bool(storage.used or storage.added_new)


class XFrameOptionsMiddleware(Inline, _XFrameOptionsMiddleware):
    pass


class CSPMiddleware(Inline, _CSPMiddleware):
    pass


# The middleware of settings.MIDDLEWARE that the ASGI handler loads in their inline form (pitchlab/asgi.py).
INLINE = {
    f"{base.__module__}.{base.__name__}": f"{__name__}.{inline.__name__}"
    for inline in (
        SecurityMiddleware,
        SessionMiddleware,
        LocaleMiddleware,
        CommonMiddleware,
        CsrfViewMiddleware,
        AuthenticationMiddleware,
        MessageMiddleware,
        XFrameOptionsMiddleware,
        CSPMiddleware,
    )
    for base in inline.__mro__[2:3]
}
