"""The phone remote's relay: commands from the phone to the presenter view, and the presenter's state back.

The phone and the presenter's laptop are two devices, so they meet here. Each direction is a Redis stream per
pitch: XADD appends, and a reader asks for what comes after the id it saw last. A stream (not a list and BLPOP)
lets two readers see every entry — a second presenter tab does not steal the phone's "next" — and an id to resume
from makes a dropped long-poll lose nothing. Streams are capped and expire: the relay keeps no history.

Waiting holds no thread and no Redis connection of its own: the writer PUBLISHes on the stream's channel (same
name as its key) in the pipeline of its XADD, and a long-poll is a coroutine subscribed to that channel through
the process' one pub/sub connection (core/waiting.py). It subscribes before its first read, so an entry written
between the read and the subscription still rings; the message is only a doorbell, the stream holds the entries.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis
from django.conf import settings

from pitchlab.core import waiting
from pitchlab.core.exceptions import ApplicationError

ACTIONS = ("next", "prev", "first", "last", "goto", "blank", "pause")
STATE_LIMIT = 20_000
"""The most bytes of one presenter state (the notes of a slide are the bulk of it)."""
_KEEP = 200  # entries kept per stream (approximately): plenty for a phone that reconnects
_KEEP_STATE = 20  # only the newest state matters; a few more for readers a version or two behind
_TTL = 12 * 3600  # a relay nobody writes to disappears after this many seconds
_ID = re.compile(r"[0-9]{1,20}-[0-9]{1,20}", re.ASCII)
_ID_PART_MAX = 2**64 - 1  # a Redis stream id is two unsigned 64-bit integers, milliseconds-sequence
_UNAVAILABLE = "The remote relay (Redis) is not answering; use the laptop's keys."

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_client: redis.Redis | None = None

Fields = dict[bytes, bytes]
Entry = tuple[str, Fields]
T = TypeVar("T")


class RelayUnavailable(ApplicationError):
    status_code = 503


def _redis() -> redis.Redis:
    """The sync client of the callers that do not wait (the pitch-deletion signal, sync writers): one per process."""
    global _client
    with _lock:
        if _client is None:
            _client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
        return _client


def _key(pitch_id: int, stream: str) -> str:
    return f"pitchlab:remote:{pitch_id}:{stream}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _order(entry_id: str) -> tuple[int, int]:
    milliseconds, _, sequence = entry_id.partition("-")
    return int(milliseconds), int(sequence)


def cursor(value: str | None) -> str | None:
    """``value`` if it is a stream id Redis accepts (None when absent), else an ApplicationError (400): Redis
    answers an id out of range (or 20 digits long) with an error, which used to surface as the relay down (503)."""
    if value is None or value == "":
        return None
    if not _ID.fullmatch(value) or any(int(part) > _ID_PART_MAX for part in value.split("-")):
        raise ApplicationError(
            "'after' must be an id this API gave, like 1700000000000-0 (two whole numbers below 2^64).",
            extra={"field": "after"},
        )
    return value


# ---------- writing: XADD, EXPIRE and PUBLISH in one round trip ----------


def _command_fields(action: str, slide: int | None) -> dict[str, str]:
    if action not in ACTIONS:
        raise ApplicationError(
            f"Unknown action {action!r}; use one of: {', '.join(ACTIONS)}.", extra={"field": "action"}
        )
    if action == "goto" and (not isinstance(slide, int) or isinstance(slide, bool) or slide < 1):
        raise ApplicationError("'goto' needs the slide number (1 or more).", extra={"field": "slide"})
    return {"action": action, "slide": str(slide) if action == "goto" else ""}


def _state_fields(state: dict[str, Any]) -> dict[str, str]:
    payload = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    if len(payload.encode()) > STATE_LIMIT:
        raise ApplicationError(f"The state is over {STATE_LIMIT // 1000} kB.", extra={"field": "state"})
    return {"json": payload}


def _append(pipe: Any, key: str, fields: dict[str, str], keep: int) -> None:
    """Queue an entry on ``pipe`` (sync or asyncio): the entry, the stream's expiry, the doorbell of its readers.
    In one pipeline Redis runs them in order, so a reader woken by the PUBLISH finds the entry."""
    pipe.xadd(key, fields, maxlen=keep, approximate=True)
    pipe.expire(key, _TTL)
    pipe.publish(key, b"1")


async def _aappend(key: str, fields: dict[str, str], keep: int) -> str:
    try:
        async with waiting.client().pipeline(transaction=False) as pipe:
            _append(pipe, key, fields, keep)
            entry_id, _expired, _woken = await pipe.execute()
    except waiting.ERRORS as exc:
        raise RelayUnavailable(_UNAVAILABLE) from exc
    return _text(entry_id)


def _sync_append(key: str, fields: dict[str, str], keep: int) -> str:
    try:
        pipe = _redis().pipeline(transaction=False)
        _append(pipe, key, fields, keep)
        entry_id, _expired, _woken = pipe.execute()
    except redis.RedisError as exc:
        raise RelayUnavailable(_UNAVAILABLE) from exc
    return _text(entry_id)


async def acommand_send(*, pitch_id: int, action: str, slide: int | None = None) -> str:
    """Queue ``action`` for the presenter views of the pitch; the new entry's id."""
    return await _aappend(_key(pitch_id, "commands"), _command_fields(action, slide), _KEEP)


async def astate_put(*, pitch_id: int, state: dict[str, Any]) -> str:
    """Publish the presenter's state (slide, notes, timers) for the phone; the new version."""
    return await _aappend(_key(pitch_id, "state"), _state_fields(state), _KEEP_STATE)


def command_send(*, pitch_id: int, action: str, slide: int | None = None) -> str:
    """``acommand_send`` for sync callers (scripts, tests): the same entry and doorbell."""
    return _sync_append(_key(pitch_id, "commands"), _command_fields(action, slide), _KEEP)


def state_put(*, pitch_id: int, state: dict[str, Any]) -> str:
    """``astate_put`` for sync callers (scripts, tests): the same entry and doorbell."""
    return _sync_append(_key(pitch_id, "state"), _state_fields(state), _KEEP_STATE)


def relay_clear(*, pitch_id: int) -> None:
    """Remove the pitch's relay streams (its pitch was deleted). Redis away: they expire on their own (_TTL)."""
    try:
        _redis().delete(_key(pitch_id, "commands"), _key(pitch_id, "state"))
    except redis.RedisError:
        logger.warning("could not remove the remote relay of pitch %s; it expires within %s s", pitch_id, _TTL)


# ---------- waiting: read, and while nothing is there, read again each time the doorbell rings ----------


async def _latest(key: str) -> Entry | None:
    entries: Any = await waiting.client().xrevrange(key, count=1)
    if not entries:
        return None
    entry_id, fields = entries[0]
    return _text(entry_id), fields


async def _after(key: str, after: str) -> list[Entry]:
    answer: Any = await waiting.client().xread({key: after}, count=100)  # no BLOCK: the doorbell does the waiting
    return [(_text(entry_id), fields) for _, entries in answer for entry_id, fields in entries]


async def _until_found(key: str, read: Callable[[], Awaitable[T]], wait: float) -> T:
    """``read()``; while it finds nothing (a falsy answer), ``read()`` again each time ``key``'s doorbell rings,
    for up to ``wait`` seconds. Subscribed first, so an entry written just after a read still rings."""
    if wait <= 0:
        return await read()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    async with waiting.listen(key) as doorbell:
        found = await read()
        while not found:
            left = deadline - loop.time()
            if left <= 0 or await waiting.next_message(doorbell, left) is None:
                break
            found = await read()
        return found


async def acommands_wait(*, pitch_id: int, after: str | None, wait: float) -> tuple[list[dict[str, Any]], str]:
    """The commands after ``after`` (a ``cursor``; without it, those from now on), waiting up to ``wait`` s;
    and the id to pass next time."""
    key = _key(pitch_id, "commands")
    try:
        start = after
        if start is None:
            latest = await _latest(key)
            start = latest[0] if latest else "0-0"
        since = start
        entries = await _until_found(key, lambda: _after(key, since), wait)
    except waiting.ERRORS as exc:
        raise RelayUnavailable(_UNAVAILABLE) from exc
    commands = [
        {
            "id": entry_id,
            "action": _text(fields.get(b"action", b"")),
            "slide": int(_text(fields[b"slide"])) if fields.get(b"slide") else None,
        }
        for entry_id, fields in entries
    ]
    return commands, (entries[-1][0] if entries else start)


async def astate_wait(*, pitch_id: int, after: str | None, wait: float) -> tuple[str, dict[str, Any] | None]:
    """The presenter's newest state and its version. Without ``after``: at once (version 0-0 and None when there
    is none yet); with it (a ``cursor``): the newest state after that version, waiting up to ``wait`` s, else
    (``after``, None)."""
    key = _key(pitch_id, "state")

    async def newer() -> Entry | None:
        latest = await _latest(key)
        return latest if latest and (after is None or _order(latest[0]) > _order(after)) else None

    try:
        found = await _until_found(key, newer, wait if after is not None else 0)
    except waiting.ERRORS as exc:
        raise RelayUnavailable(_UNAVAILABLE) from exc
    if found is None:
        return after or "0-0", None
    version, fields = found
    return version, json.loads(_text(fields[b"json"]))
