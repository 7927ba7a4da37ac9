"""A cap on the requests one user keeps open at once: long-polls and progress streams, 429 beyond it.

An open long-poll costs no thread under ASGI, only a coroutine, a small queue and a socket, so the server takes
thousands; the cap is there so that one account (a script, a tab left reloading in a loop) cannot take them all.
It is counted in Redis, so it holds across web processes: one INCR when a wait opens, one DECR when it ends; the
count expires ``TTL_S`` after the user's last wait opened, so a process killed mid-wait leaks nothing for long.
A Redis that cannot be reached lets the wait through (it will answer 503 itself if it needs Redis).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from django.conf import settings
from django.utils.translation import gettext as _

from pitchlab.core import waiting
from pitchlab.core.ratelimit import RateLimited

logger = logging.getLogger(__name__)
TTL_S = 300


@contextlib.asynccontextmanager
async def held(subject: str) -> AsyncIterator[None]:
    """Hold one of ``subject``'s open waits (``subject``: e.g. ``f"user:{pk}"``) for the ``async with`` block, or
    raise RateLimited (429, Retry-After) when it already holds ``settings.OPEN_WAITS_PER_USER``."""
    key = f"pitchlab:open-waits:{settings.RATELIMIT_NAMESPACE}{subject}"
    client = waiting.client()
    counted = False
    try:
        async with client.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, TTL_S)
            count, _expire = await pipe.execute()
        counted = True
    except waiting.ERRORS:
        logger.warning("open waits of %s not counted: Redis does not answer", subject)
        count = 0
    try:
        if count > settings.OPEN_WAITS_PER_USER:
            raise RateLimited(
                _("Too many open connections for this account (%(limit)s): close a tab or a phone and try again.")
                % {"limit": settings.OPEN_WAITS_PER_USER},
                retry_after=2,
            )
        yield
    finally:
        if counted:
            with contextlib.suppress(*waiting.ERRORS):
                await client.decr(key)
