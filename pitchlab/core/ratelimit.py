"""Fixed-window rate limits counted atomically in Redis (through Django's cache).

Used where DRF's throttles do not reach (log-in, sign-up, password reset, share links): ``limit(key,
rate=..., message=...)`` raises ``RateLimited`` (HTTP 429 with the reason and Retry-After).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

from pitchlab.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)
_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


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


def hit(key: str, *, rate: str) -> float | None:
    """Count one hit against ``key``: None when allowed, else the seconds until its window ends.

    A cache (Redis) outage lets the hit through, with a warning: the limits must not lock everyone out.
    """
    allowed, period = rate_parse(rate)
    try:
        return _hit(key, allowed, period)
    except (RedisError, OSError):
        logger.warning("Rate limit %s not counted: the cache (Redis) does not answer", key.split(":")[0])
        return None


def _hit(key: str, allowed: int, period: int) -> float | None:
    now = time.time()
    window = int(now // period)
    # Tests give each test a namespace of its own (tests/conftest.py): counts in Redis outlive a test run.
    digest = hashlib.sha256(f"{settings.RATELIMIT_NAMESPACE}{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{digest}:{period}:{window}"
    # add() then incr(): both single Redis commands, so two requests can never both read "under".
    if cache.add(cache_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window expired between add() and incr()
            cache.add(cache_key, 1, timeout=period + 1)
            count = 1
    if count <= allowed:
        return None
    return (window + 1) * period - now


def limit(key: str, *, rate: str, message: str) -> None:
    retry_after = hit(key, rate=rate)
    if retry_after is not None:
        raise RateLimited(message, retry_after)


def client_ip(request: HttpRequest) -> str:
    """The client's address: X-Forwarded-For is believed only behind NUM_PROXIES proxies of our own."""
    proxies = int(str(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))
