"""The web app as an ASGI application: what the Procfile's ``web`` line serves (DESIGN.md: served under ASGI).

Whatever waits (a prediction, a phone remote's long-poll, a progress stream) is an async view that awaits Redis;
sync views run as before, each request's sync code in a thread of its own.

Two departures from Django's own handler, both measured (docs/benchmarks.md, "Serving under ASGI"):

- It loads Django's own middleware in their inline form (core/inline_middleware.py): the same classes, with the
  hooks that do no I/O run on the event loop instead of a thread each. ``settings.MIDDLEWARE`` keeps Django's
  names, which its security checks (``check --deploy``) look for.
- A request to an async view runs its few short sync steps (the request signals, authentication, a lookup) on a
  small pool shared by all such requests. Django gives every request a thread of its own for its sync code, kept
  until the request ends: an idle OS thread for each waiting prediction, long-poll and stream (~200 kB each,
  614 threads for 600 open connections). On the pool, thread-sensitivity is not needed: each step closes the
  database connection it opened (a step's thread serves another request next), as CONN_MAX_AGE=0 would at the
  end of the request.
"""

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import django
from asgiref.sync import ThreadSensitiveContext, iscoroutinefunction
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import connections
from django.urls import Resolver404, resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")

WAITING_THREADS = 8
"""Threads for the sync steps of every request to an async view of one web process: each step is short."""


def _closing(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    finally:
        connections.close_all()


class _WaitingPool(ThreadPoolExecutor):
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(_closing, fn, *args, **kwargs)


_pool = _WaitingPool(max_workers=WAITING_THREADS, thread_name_prefix="waiting")


def waits(scope: dict[str, Any]) -> bool:
    """Whether the request goes to an async view (one that waits)."""
    if scope.get("type") != "http":
        return False
    try:
        match = resolve(scope["path"])
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


class Handler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        from pitchlab.core.inline_middleware import INLINE

        named = settings.MIDDLEWARE
        settings.MIDDLEWARE = [INLINE.get(path, path) for path in named]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = named

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if waits(scope):
            # Django's own ThreadSensitiveContext inside finds this one and does nothing.
            async with ThreadSensitiveContext(executor=_pool):
                await super().__call__(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


django.setup(set_prefix=False)
application = Handler()
