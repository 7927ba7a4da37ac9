"""Every rate limit of PitchLab, checked and counted atomically in Redis by one Lua script.

The audience link (per client and per room), the share links (pages, password, assets, beacon), log-in,
sign-up and password reset all call ``hit(*limits)``. Nothing else counts requests.

The algorithm is a **sliding window log**: each limit ``N/period`` is a sorted set in Redis whose members
are the calls let through, scored by the time they came in (microseconds). A call is let through when, for
every limit it is checked against, fewer than N calls are left in the set after those older than ``period``
are dropped. Unlike a fixed window it never lets 2N through across a window's edge: at most N calls pass in
*any* stretch of ``period`` seconds.

One script run (EVALSHA) checks all the limits of a call and records it in all of them, or in none: Redis
runs a script alone, so no two requests can both read "one left" (DRF's throttle read, checked and wrote its
history in three steps, and let 23–35 through a limit of 20 under concurrent streams). A call refused by one
limit costs nothing in the others, and the answer carries the seconds until the last refusing limit has room
again (Retry-After). The script takes Redis' own clock (``TIME``), so several web processes on several
machines share one clock; tests may pass their own ``now`` instead.

A Redis outage lets calls through, with a warning: the limits must not lock founders out of their own app.
The keys live in the cache's Redis (``CACHES["default"]``) under its key prefix; they expire one period after
their last call. Limits of one call must live on one Redis node (no cluster hash slots across keys).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.commands.core import Script
from redis.exceptions import RedisError

from pitchlab.core import waiting
from pitchlab.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)
_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}

# KEYS: one sorted set per limit. ARGV: now in µs ("" = Redis' clock), the member recording this call,
# then (allowed, period in µs, the most µs to tell a refused caller to wait: 0 for no such bound) per key.
# Answers 0 when the call was let through and recorded in every key, else the µs until every refusing key has
# room again (nothing recorded anywhere).
_SCRIPT = """
-- Lua's tostring keeps 14 digits: a time in µs (16 digits) goes to Redis through %d, exactly.
local function int(n) return string.format('%d', n) end
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end
local wait = 0
for i, key in ipairs(KEYS) do
  local allowed = tonumber(ARGV[3 * i])
  local period = tonumber(ARGV[3 * i + 1])
  local bound = tonumber(ARGV[3 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now - period))
  local count = redis.call('ZCARD', key)
  if count >= allowed then
    -- The call that frees a slot is the (count - allowed + 1)-th oldest: room once it leaves the window.
    local freeing = redis.call('ZRANGE', key, count - allowed, count - allowed, 'WITHSCORES')
    local until_free = tonumber(freeing[2]) + period - now
    if bound > 0 then
      until_free = math.min(until_free, bound)
    end
    wait = math.max(wait, until_free, 1)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, int(now), ARGV[2])
  redis.call('PEXPIRE', key, int(math.ceil(tonumber(ARGV[3 * i + 1]) / 1000)))
end
return 0
"""


class RateLimited(ApplicationError):
    status_code = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, {"retry_after": wait_seconds(retry_after)})
        self.retry_after = retry_after


def wait_seconds(seconds: float) -> int:
    """The whole seconds to tell a refused client (Retry-After): never 0, never early."""
    return max(1, math.ceil(seconds))


def rate_parse(rate: str) -> tuple[int, int]:
    """'10/min' -> (10, 60). A bad rate is a programming error: ValueError."""
    count, _, period = rate.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in _PERIODS:
        raise ValueError(f"A rate looks like 10/min or 5/s (got {rate!r})")
    return int(count), _PERIODS[period]


@dataclass(frozen=True)
class Limit:
    """``rate`` calls per period for one ``subject`` (a client's address, a username…) within ``scope``.

    The scope is kept readable in the Redis key (so ``forget`` can find a link's counts); the subject is
    hashed (it may be an address or an e-mail address).
    """

    scope: str
    subject: str
    rate: str
    period_s: int | None = None
    """Overrides the rate's period: a cap on calls in flight is ``N/…`` over the longest a call can last, each
    call taken back when it ends (``take_back(..., keys=...)``), so the set holds the calls still running and a
    call whose process died ages out."""
    retry_within_s: int | None = None
    """The most seconds a refused caller is told to wait for this limit (a cap on calls in flight frees a slot
    as soon as a call ends, not when the oldest would age out)."""

    def allowed_and_period(self) -> tuple[int, int]:
        allowed, period = rate_parse(self.rate)
        return allowed, self.period_s or period

    def key(self) -> str:
        # Tests give each test a namespace of its own (tests/conftest.py): counts in Redis outlive a test run.
        digest = hashlib.sha256(self.subject.encode()).hexdigest()[:32]
        return cache.make_key(f"ratelimit:{settings.RATELIMIT_NAMESPACE}{self.scope}:{digest}")


@dataclass(frozen=True)
class Verdict:
    """The answer for one call: ``wait`` is None when it was let through (and counted), else the seconds
    until it would be. ``take_back`` uncounts a call let through."""

    wait: float | None
    keys: tuple[str, ...] = ()
    member: str = ""

    @property
    def allowed(self) -> bool:
        return self.wait is None


def hit(*limits: Limit, now: float | None = None) -> Verdict:
    """Check one call against every limit and count it in all of them, or, refused, in none.

    ``now`` (seconds since the epoch) is for tests; by default the script reads Redis' clock. A Redis
    outage lets the call through, with a warning.
    """
    keys = tuple(item.key() for item in limits)
    member = secrets.token_hex(8)
    args: list[Any] = ["" if now is None else round(now * 1_000_000), member]
    for item in limits:
        allowed, period = item.allowed_and_period()
        args += [allowed, period * 1_000_000, (item.retry_within_s or 0) * 1_000_000]
    try:
        wait_us = int(_script()(keys=list(keys), args=args))
    except (RedisError, OSError):
        logger.warning("Rate limit %s not counted: Redis does not answer", ", ".join(i.scope for i in limits))
        return Verdict(wait=None)
    if wait_us > 0:
        return Verdict(wait=wait_us / 1_000_000)
    return Verdict(wait=None, keys=keys, member=member)


def take_back(verdict: Verdict, *, keys: tuple[str, ...] | None = None) -> None:
    """Uncount a call that was let through (e.g. a log-in with the right password is never counted); ``keys``:
    in these of its limits only (a call in flight that ended leaves its cap, not the rate it was counted in)."""
    if not verdict.keys:
        return
    try:
        with _redis().pipeline(transaction=True) as pipe:
            for key in verdict.keys if keys is None else keys:
                pipe.zrem(key, verdict.member)
            pipe.execute()
    except (RedisError, OSError):
        logger.warning("Rate-limited call not taken back: Redis does not answer")


async def atake_back(verdict: Verdict, *, keys: tuple[str, ...]) -> None:
    """``take_back`` from the event loop, in ``keys`` only (a call in flight that ended leaves its cap, not the
    rates it was counted in). Redis away: the entry ages out with its limit's period."""
    if not verdict.keys:
        return
    try:
        async with waiting.client().pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.zrem(key, verdict.member)
            await pipe.execute()
    except waiting.ERRORS:
        logger.warning("Call in flight not taken back: Redis does not answer; it ages out")


def limit(*limits: Limit, message: str) -> Verdict:
    """``hit``, raising ``RateLimited`` (429 with ``message`` and Retry-After) when the call is refused."""
    verdict = hit(*limits)
    if verdict.wait is not None:
        raise RateLimited(message, verdict.wait)
    return verdict


def forget(scope: str) -> None:
    """Remove every count under ``scope`` (e.g. a deleted link's; left alone they expire within the period)."""
    prefix = cache.make_key(f"ratelimit:{settings.RATELIMIT_NAMESPACE}{scope}:")
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", prefix) + "*"
    try:
        client = _redis()
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)
    except (RedisError, OSError):
        logger.warning("Rate-limit counts of %s not removed: Redis does not answer; they expire", scope)


def _redis() -> redis.Redis:
    """The cache's Redis (CACHES["default"]): the limits live where the rest of the shared state does."""
    config: dict[str, Any] = settings.CACHES["default"]
    location = config["LOCATION"]
    url = str(location[0]) if isinstance(location, list | tuple) else str(location).split(",")[0]
    options: dict[str, Any] = config.get("OPTIONS", {})
    return _client(url, options.get("socket_connect_timeout"), options.get("socket_timeout"))


@lru_cache(maxsize=8)
def _client(url: str, connect_timeout: float | None, timeout: float | None) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=connect_timeout, socket_timeout=timeout)


def _script() -> Script:
    # register_script runs EVALSHA and loads the script once more when Redis answers NOSCRIPT (a restart).
    return _scripts(_redis())


@lru_cache(maxsize=8)
def _scripts(client: redis.Redis) -> Script:
    return client.register_script(_SCRIPT)


def client_ip(request: HttpRequest) -> str:
    """The client's address: X-Forwarded-For is believed only behind NUM_PROXIES proxies of our own."""
    proxies = int(str(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))
