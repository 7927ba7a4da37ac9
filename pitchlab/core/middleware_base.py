"""A middleware that runs in the server's own mode: synchronously under WSGI, as a coroutine under ASGI.

Under ASGI, Django runs a middleware that is not async-capable in a thread, and everything inside it (the view
included) through ``async_to_sync``: a request that waits (a prediction, a long-poll) would then hold a thread
for the whole wait, which is what serving under ASGI is for avoiding. Django's ``MiddlewareMixin`` is
async-capable but runs each hook in a thread (a hop each way, ~0.1 ms). Our own middleware only reads headers
and sets them, so its hooks run inline in both modes: ``before`` (answer early, or None to go on) and ``after``
(the response, changed or not). A hook that must block (parse a form) says so with ``blocking_before``, which
runs in a thread under ASGI.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest
from django.http.response import HttpResponseBase

GetResponse = Callable[[HttpRequest], Any]


class HookMiddleware:
    """Subclass and override ``before`` / ``blocking_before`` / ``after``; all three are synchronous and must not
    wait on the network (``blocking_before`` may read the request's body)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def before(self, request: HttpRequest) -> HttpResponseBase | None:
        return None

    def blocking_before(self, request: HttpRequest) -> HttpResponseBase | None:
        return None

    def needs_blocking(self, request: HttpRequest) -> bool:
        """Whether ``blocking_before`` has anything to do for ``request`` (it is skipped, with its thread, if not)."""
        return False

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        return response

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        early = self.before(request)
        if early is None and self.needs_blocking(request):
            early = self.blocking_before(request)
        if early is not None:
            return early
        return self.after(request, self.get_response(request))

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        early = self.before(request)
        if early is None and self.needs_blocking(request):
            early = await sync_to_async(self.blocking_before)(request)
        if early is not None:
            return early
        response = await self.get_response(request)
        return self.after(request, response)
