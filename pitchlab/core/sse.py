"""Progress as server-sent events: the streaming twin of an endpoint a page would otherwise poll.

One loop serves every stream: read the current state (the polling endpoint's own selector and serializer, so the
two always agree), send it when it changed, then wait for a message on the task's result channel or a short
interval, whichever comes first. The interval is there because some states change without a message (an export's
progress is a column the worker updates). The stream ends after the terminal state, or after ``max_s``: the
browser's EventSource reconnects by itself and gets the current state first, so nothing is lost by ending.

While it waits a stream blocks no thread: it awaits Redis or a timer on the event loop, and the reads go through a
thread only for their own length (``lookup``; under ASGI on the shared pool of pitchlab/asgi.py, which closes each
step's database connection, so an open stream holds none). Every
stream holds one of its account's open waits (core/open_waits.py) for its whole life: 429 beyond the cap.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, StreamingHttpResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from pitchlab.core import open_waits, waiting
from pitchlab.core.async_views import AsyncAPIView

INTERVAL_S = 1.0
KEEPALIVE_S = 15.0
MAX_S = 300.0
RETRY_MS = 2000
"""How long the browser waits before it reconnects (after ``MAX_S``, or a lost connection)."""
CONTENT_TYPE = "text/event-stream"
KEEPALIVE = b": keepalive\n\n"
# What a read raises once the thing is gone or no longer the user's to see: the first read answers it as the
# polling endpoint would (404, 403); a later one ends the stream with a "gone" event.
GONE = (Http404, ObjectDoesNotExist, DjangoPermissionDenied, exceptions.NotFound, exceptions.PermissionDenied)

T = TypeVar("T")


def _field(value: str) -> str:
    # A line break would start a field of its own (a forged "data:" or "event:"); NUL is refused by the spec's id.
    if any(char in value for char in "\r\n\0"):
        raise ValueError(f"an event field cannot hold a line break: {value!r}")
    return value


def encode(data: Any) -> str:
    """``data`` as one line of JSON, as DRF writes it (JSON escapes every control character, so no line break)."""
    return json.dumps(data, cls=JSONEncoder, separators=(",", ":"), ensure_ascii=False)


def event(
    data: Any, *, name: str = "progress", event_id: int | str | None = None, retry_ms: int | None = None
) -> bytes:
    """One event: ``retry:``, ``id:``, ``event:`` and one ``data:`` line of JSON, then the blank line."""
    lines = []
    if retry_ms is not None:
        lines.append(f"retry: {int(retry_ms)}")
    if event_id is not None:
        lines.append(f"id: {_field(str(event_id))}")
    lines.append(f"event: {_field(name)}")
    lines.append(f"data: {encode(data)}")
    return ("\n".join(lines) + "\n\n").encode()


async def lookup(read: Callable[[], T]) -> T:
    """Run ``read`` (ORM, Redis client) in a thread for its own length (``sync_to_async``)."""
    return await sync_to_async(read)()


async def progress_events(
    *,
    read_state: Callable[[], Awaitable[Any]],
    done: Callable[[Any], bool],
    subject: str,
    channels: Sequence[str] = (),
    interval_s: float = INTERVAL_S,
    keepalive_s: float = KEEPALIVE_S,
    max_s: float = MAX_S,
) -> AsyncGenerator[bytes, None]:
    """The events of one stream: ``read_state()`` now, and again on each message on ``channels`` or every
    ``interval_s``; an event whenever its JSON changed; a keepalive comment after ``keepalive_s`` of silence;
    the end after the state ``done`` holds for, or after ``max_s``. A state that is gone (``GONE``) after the
    first read is one ``gone`` event, then the end.

    The first step holds one of ``subject``'s open waits and reads the first state, raising RateLimited (429)
    or the read's own refusal (404, 403): ``response`` takes that step before it answers, so those stay HTTP
    statuses."""
    loop = asyncio.get_running_loop()
    async with open_waits.held(subject), contextlib.AsyncExitStack() as stack:
        inbox: asyncio.Queue[waiting.Message] | None = None
        if channels:
            try:
                inbox = await stack.enter_async_context(waiting.listen(*channels))
            except waiting.ERRORS:
                inbox = None  # no wake-ups: the interval alone still reaches every state
        started = loop.time()
        sent_at = started
        previous: str | None = None
        count = 0
        while True:
            try:
                state = await read_state()
            except GONE:
                if count == 0:
                    raise
                yield event({}, name="gone", event_id=count + 1)
                return
            body = encode(state)
            now = loop.time()
            if body != previous:
                count += 1
                final = done(state)  # asked before the event leaves: ``response`` learns the stream is over
                yield event(state, event_id=count, retry_ms=RETRY_MS if count == 1 else None)
                previous, sent_at = body, now
                if final:
                    return
            elif now - sent_at >= keepalive_s:
                yield KEEPALIVE
                sent_at = now
            left = max_s - (now - started)
            if left <= 0:
                return
            wait = min(interval_s, left)
            if inbox is None:
                await asyncio.sleep(wait)
                continue
            try:
                await waiting.next_message(inbox, wait)
            except waiting.ERRORS:
                inbox = None


async def _rest(first: bytes, events: AsyncGenerator[bytes, None] | None) -> AsyncIterator[bytes]:
    try:
        yield first
        if events is not None:
            async for chunk in events:
                yield chunk
    finally:
        # Cancelled (the client went away) or finished: the open wait is given back now, not when collected.
        if events is not None:
            await events.aclose()


async def response(
    *,
    read_state: Callable[[], Awaitable[Any]],
    done: Callable[[Any], bool],
    subject: str,
    channels: Sequence[str] = (),
    interval_s: float = INTERVAL_S,
) -> StreamingHttpResponse:
    """The streaming answer of ``progress_events``. Its first event is taken here, so that a refusal (429, 404,
    403) is still an HTTP status with the API's JSON body rather than a stream that ends at once; a first state
    that is already terminal closes the loop here too (served under WSGI, by Django's test client, the rest of a
    stream would run in another event loop: there a stream gives its first event only)."""
    finished = False

    def last(state: Any) -> bool:
        nonlocal finished
        finished = done(state)
        return finished

    events = progress_events(
        read_state=read_state, done=last, subject=subject, channels=channels, interval_s=interval_s
    )
    first = await anext(events)
    if finished:
        await events.aclose()
    streamed = StreamingHttpResponse(_rest(first, None if finished else events), content_type=CONTENT_TYPE)
    streamed["Cache-Control"] = "no-cache"
    streamed["X-Accel-Buffering"] = "no"  # nginx: pass each event on as it comes
    return streamed


class _EventStreamNegotiation(DefaultContentNegotiation):
    """EventSource asks for ``text/event-stream``, which no DRF renderer offers: the stream is the view's own
    answer, and a refusal before it (401, 404, 429) is the API's JSON, whatever the Accept header asked."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        try:
            chosen: tuple[BaseRenderer, str] = super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], str(renderers[0].media_type)
        return chosen


class EventStreamApi(AsyncAPIView):
    """An API view whose ``async def get`` answers ``await response(progress_events(...))``: authentication and
    permissions run as for every API view (one thread hop), then the stream waits on the event loop."""

    content_negotiation_class = _EventStreamNegotiation


def user_subject(request: Request) -> str:
    """The open-waits subject of the request's account."""
    return f"user:{request.user.pk}"


EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["progress", "gone"]},
        "data": {"type": "string", "description": "one line of JSON (`{}` for `gone`)"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "description": "milliseconds before the browser reconnects"},
    },
    "required": ["event", "data"],
}


def schema_responses(what: str) -> dict[Any, Any]:
    """The 200 of a stream in the OpenAPI document (``text/event-stream``: each item an event), saying what each
    event carries."""
    return {
        (200, CONTENT_TYPE): OpenApiResponse(
            response=EVENT_SCHEMA,
            description=f"Server-sent events. Each `progress` event's `data` is {what}; the first is the current "
            "state, then one whenever it changes; the stream ends after the terminal state (or after "
            f"{MAX_S:g} s: EventSource reconnects by itself). `: keepalive` comments keep it open; a `gone` "
            "event ends it when the object is deleted or no longer visible. Each stream holds one of the "
            "account's open waits (PITCHLAB_OPEN_WAITS_PER_USER): 429 beyond them.",
        )
    }
