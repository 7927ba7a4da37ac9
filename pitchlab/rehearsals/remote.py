"""The phone remote's relay: commands from the phone to the presenter view, and the presenter's state back.

The phone and the presenter's laptop are two devices, so they meet here. Each direction is a Redis stream per
pitch: XADD appends, XREAD BLOCK waits for what comes after the id a client saw last. A stream (not a list and
BLPOP) lets two readers see every entry — a second presenter tab does not steal the phone's "next" — and an id
to resume from makes a dropped long-poll lose nothing. Streams are capped and expire: the relay keeps no history.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any

import redis
from django.conf import settings

from pitchlab.core.exceptions import ApplicationError

ACTIONS = ("next", "prev", "first", "last", "goto", "blank", "pause")
STATE_LIMIT = 20_000
"""The most bytes of one presenter state (the notes of a slide are the bulk of it)."""
_KEEP = 200  # entries kept per stream (approximately): plenty for a phone that reconnects
_TTL = 12 * 3600  # a relay nobody writes to disappears after this many seconds
_ID = re.compile(r"[0-9]{1,20}-[0-9]{1,20}", re.ASCII)

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_client: redis.Redis | None = None


class RelayUnavailable(ApplicationError):
    status_code = 503


def _redis() -> redis.Redis:
    """One client (and its connection pool) per process; its socket outlives the longest wait."""
    global _client
    with _lock:
        if _client is None:
            _client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=settings.REMOTE_WAIT_SECONDS + 5
            )
        return _client


def _key(pitch_id: int, stream: str) -> str:
    return f"pitchlab:remote:{pitch_id}:{stream}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


_ID_PART_MAX = 2**64 - 1  # a Redis stream id is two unsigned 64-bit integers, milliseconds-sequence


def _after(value: str | None) -> str | None:
    """``value`` if it is a stream id Redis accepts, else an ApplicationError (400): Redis answers an id out of
    range (or 20 digits long) with an error, which used to surface as the relay being down (503)."""
    if value is None or value == "":
        return None
    if not _ID.fullmatch(value) or any(int(part) > _ID_PART_MAX for part in value.split("-")):
        raise ApplicationError(
            "'after' must be an id this API gave, like 1700000000000-0 (two whole numbers below 2^64).",
            extra={"field": "after"},
        )
    return value


Fields = dict[bytes, bytes]


def _latest(client: redis.Redis, key: str) -> tuple[str, Fields | None]:
    entries: Any = client.xrevrange(key, count=1)
    if not entries:
        return "0-0", None
    entry_id, fields = entries[0]
    return _text(entry_id), fields


def _read(client: redis.Redis, key: str, after: str, wait: float) -> list[tuple[str, Fields]]:
    """Entries after ``after``, waiting up to ``wait`` seconds for the first (XREAD's BLOCK 0 would wait forever)."""
    # At least 1 ms: a wait under a millisecond (?wait=0.0001) must not round down to BLOCK 0, "for ever".
    block = max(1, int(wait * 1000)) if wait > 0 else None
    answer: Any = client.xread({key: after}, count=100, block=block)
    return [(_text(entry_id), fields) for _, entries in answer for entry_id, fields in entries]


def _relay(call: Any) -> Any:
    try:
        return call()
    except redis.RedisError as exc:
        raise RelayUnavailable("The remote relay (Redis) is not answering; use the laptop's keys.") from exc


def command_send(*, pitch_id: int, action: str, slide: int | None = None) -> str:
    """Queue ``action`` for the presenter views of the pitch; the new entry's id."""
    if action not in ACTIONS:
        raise ApplicationError(
            f"Unknown action {action!r}; use one of: {', '.join(ACTIONS)}.", extra={"field": "action"}
        )
    if action == "goto" and (not isinstance(slide, int) or isinstance(slide, bool) or slide < 1):
        raise ApplicationError("'goto' needs the slide number (1 or more).", extra={"field": "slide"})
    fields = {"action": action, "slide": str(slide) if action == "goto" else ""}

    def send() -> str:
        key = _key(pitch_id, "commands")
        pipe = _redis().pipeline(transaction=False)  # one round trip for both
        pipe.xadd(key, fields, maxlen=_KEEP, approximate=True)  # type: ignore[arg-type]
        pipe.expire(key, _TTL)
        entry_id, _ = pipe.execute()
        return _text(entry_id)

    return str(_relay(send))


def commands_wait(*, pitch_id: int, after: str | None, wait: float) -> tuple[list[dict[str, Any]], str]:
    """The commands after ``after`` (or, without it, those from now on), waiting up to ``wait`` s; and the id to
    pass next time."""
    after = _after(after)

    def read() -> tuple[list[dict[str, Any]], str]:
        client = _redis()
        key = _key(pitch_id, "commands")
        start = after if after is not None else _latest(client, key)[0]
        entries = _read(client, key, start, wait)
        commands = [
            {
                "id": entry_id,
                "action": _text(fields.get(b"action", b"")),
                "slide": int(_text(fields[b"slide"])) if fields.get(b"slide") else None,
            }
            for entry_id, fields in entries
        ]
        return commands, (entries[-1][0] if entries else start)

    result: tuple[list[dict[str, Any]], str] = _relay(read)
    return result


def state_put(*, pitch_id: int, state: dict[str, Any]) -> str:
    """Publish the presenter's state (slide, notes, timers) for the phone; the new version."""
    payload = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    if len(payload.encode()) > STATE_LIMIT:
        raise ApplicationError(f"The state is over {STATE_LIMIT // 1000} kB.", extra={"field": "state"})

    def put() -> str:
        key = _key(pitch_id, "state")
        pipe = _redis().pipeline(transaction=False)
        pipe.xadd(key, {"json": payload}, maxlen=20, approximate=True)
        pipe.expire(key, _TTL)
        entry_id, _ = pipe.execute()
        return _text(entry_id)

    return str(_relay(put))


def relay_clear(*, pitch_id: int) -> None:
    """Remove the pitch's relay streams (its pitch was deleted). Redis away: they expire on their own (_TTL)."""
    try:
        _redis().delete(_key(pitch_id, "commands"), _key(pitch_id, "state"))
    except redis.RedisError:
        logger.warning("could not remove the remote relay of pitch %s; it expires within %s s", pitch_id, _TTL)


def state_wait(*, pitch_id: int, after: str | None, wait: float) -> tuple[str, dict[str, Any] | None]:
    """The presenter's newest state and its version. Without ``after``: at once (None when there is none yet);
    with it: the newest state after that version, waiting up to ``wait`` s, else (``after``, None)."""
    after = _after(after)

    def read() -> tuple[str, dict[str, Any] | None]:
        client = _redis()
        key = _key(pitch_id, "state")
        if after is None:
            version, fields = _latest(client, key)
        else:
            entries = _read(client, key, after, wait)
            version, fields = entries[-1] if entries else (after, None)
        return version, (json.loads(_text(fields[b"json"])) if fields else None)

    result: tuple[str, dict[str, Any] | None] = _relay(read)
    return result
