"""WhiteNoise, serving in the server's own mode.

WhiteNoise 6's middleware is synchronous only: under ASGI, Django would run it, and every view behind it, in a
thread (``async_to_sync``), so a waiting prediction would hold a thread after all. The look-up of a static file is
a dict read (its list of files is built once, at start), so it runs inline; only the answer, which opens the file,
goes through a thread.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any = None) -> None:
        super().__init__(get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        return super().__call__(request)  # type: ignore[no-any-return]

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        static_file = self.find_file(path) if self.autorefresh else self.files.get(path)
        if static_file is not None:
            return await sync_to_async(self.serve, thread_sensitive=False)(static_file, request)  # type: ignore[no-any-return]
        return await self.get_response(request)  # type: ignore[no-any-return]
