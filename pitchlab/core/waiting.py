"""Waiting without a thread: one asyncio Redis client and one pub/sub connection per event loop.

Whatever a request waits for is announced on a Redis channel: a task's answer (Celery's result backend publishes
each state of a task on its result key), a phone remote's command, a presenter's state, an export's progress.
``listen(channel)`` subscribes, and returns once Redis has confirmed the subscription, so that what is published
after it cannot be missed; the caller then starts what it waits for and awaits its inbox. All the waits of one
process share one connection: 500 waiting long-polls cost 500 small queues, not 500 Redis connections or threads.

A web process (uvicorn) has one event loop for its life. Django's test client runs an async view in an event loop
of its own per request: the client and hub are kept per loop, and the hub's reader stops when nobody listens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections.abc import AsyncIterator

import redis
import redis.asyncio as aredis
from django.conf import settings
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

SUBSCRIBE_TIMEOUT_S = 2.0
ERRORS = (aredis.RedisError, OSError, TimeoutError)
"""What waiting raises when Redis cannot be reached or does not confirm a subscription in time."""
# Per event loop, per REDIS_URL (tests point it at a server of their own).
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, aredis.Redis]] = weakref.WeakKeyDictionary()
_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Hub]] = weakref.WeakKeyDictionary()


class Broken:
    """Put in an inbox when the hub's connection failed: nothing more will arrive there."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


Message = bytes | Broken


def client() -> aredis.Redis:
    """The running loop's Redis client (REDIS_URL): short commands, each bounded by a socket timeout."""
    url = settings.REDIS_URL
    clients = _clients.setdefault(asyncio.get_running_loop(), {})
    found = clients.get(url)
    if found is None:
        found = clients[url] = aredis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return found


class Hub:
    """The subscriptions of one event loop, on one pub/sub connection, read by one task."""

    def __init__(self, redis_client: aredis.Redis) -> None:
        self.pubsub: PubSub = redis_client.pubsub()
        self.inboxes: dict[bytes, set[asyncio.Queue[Message]]] = {}
        self.confirmations: dict[bytes, asyncio.Future[None]] = {}
        self.reader: asyncio.Task[None] | None = None
        self.broken = False
        # redis-py's PubSub opens its connection on the first command: two commands racing there lose all but one
        # (measured: three concurrent SUBSCRIBEs, one confirmation). A command is only written, never awaited for
        # its reply, so the lock is held for microseconds.
        self.commands = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def listen(self, *channels: str) -> AsyncIterator[asyncio.Queue[Message]]:
        inbox: asyncio.Queue[Message] = asyncio.Queue()
        names = [channel.encode() for channel in channels]
        new = [name for name in names if name not in self.inboxes]
        for name in names:
            self.inboxes.setdefault(name, set()).add(inbox)
        try:
            loop = asyncio.get_running_loop()
            for name in new:
                self.confirmations[name] = loop.create_future()
            pending = [self.confirmations[name] for name in names if name in self.confirmations]
            if new:
                async with self.commands:
                    await self.pubsub.subscribe(*new)
                self._read()
            if pending:
                await asyncio.wait_for(asyncio.shield(asyncio.gather(*pending)), SUBSCRIBE_TIMEOUT_S)
            yield inbox
        finally:
            gone = []
            for name in names:
                listeners = self.inboxes.get(name)
                if listeners is not None:
                    listeners.discard(inbox)
                    if not listeners:
                        del self.inboxes[name]
                        self.confirmations.pop(name, None)
                        gone.append(name)
            if gone and not self.broken:
                with contextlib.suppress(aredis.RedisError, OSError, RuntimeError):
                    async with self.commands:
                        await self.pubsub.unsubscribe(*gone)

    def _read(self) -> None:
        if self.reader is None or self.reader.done():
            self.reader = asyncio.get_running_loop().create_task(self._reading())

    async def _reading(self) -> None:
        try:
            while self.inboxes:
                message = await self.pubsub.get_message(timeout=1.0)
                if message is None:
                    continue
                kind, channel = message["type"], message["channel"]
                if kind == "subscribe":
                    confirmation = self.confirmations.pop(channel, None)
                    if confirmation is not None and not confirmation.done():
                        confirmation.set_result(None)
                elif kind == "message":
                    for inbox in tuple(self.inboxes.get(channel, ())):
                        inbox.put_nowait(message["data"])
        except (aredis.RedisError, OSError) as exc:
            logger.warning("Redis pub/sub connection lost: %s", exc)
            self.broken = True
            for name, inboxes in self.inboxes.items():
                for inbox in inboxes:
                    inbox.put_nowait(Broken(exc))
                confirmation = self.confirmations.get(name)
                if confirmation is not None and not confirmation.done():
                    confirmation.set_exception(exc)


def hub() -> Hub:
    """The running loop's hub (a new one after its connection broke)."""
    url = settings.REDIS_URL
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    found = hubs.get(url)
    if found is None or found.broken:
        found = hubs[url] = Hub(client())
    return found


def listen(*channels: str) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[Message]]:
    """``async with listen("a", "b") as inbox:`` — subscribed (confirmed) inside; each message's data lands in
    ``inbox``, or a ``Broken`` when the connection fails. Raises redis' errors when Redis cannot be reached."""
    return hub().listen(*channels)


async def next_message(inbox: asyncio.Queue[Message], timeout_s: float) -> bytes | None:
    """The next message in ``inbox`` within ``timeout_s`` (None past it); a broken connection raises its error."""
    try:
        message = await asyncio.wait_for(inbox.get(), max(0.0, timeout_s))
    except TimeoutError:
        return None
    if isinstance(message, Broken):
        raise message.error
    return message


_announcers: dict[str, redis.Redis] = {}
_announcers_lock = threading.Lock()


def announce(channel: str) -> None:
    """Ring ``channel`` from sync code (a worker writing an export's progress), so that what waits on it looks
    again at once; its listeners re-read the state themselves. Best effort: Redis away, they look on their own
    interval."""
    url = settings.REDIS_URL
    with _announcers_lock:
        found = _announcers.get(url)
        if found is None:
            found = _announcers[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        found.publish(channel, b"1")
    except (redis.RedisError, OSError):
        logger.info("%s not announced: Redis does not answer", channel)
