"""Rate limits of the account pages: log-in, sign-up and password reset.

Counted with ``pitchlab.core.ratelimit`` (fixed windows in Redis). The rates are settings
(``LOGIN_FAILURES_PER_IP`` … in settings.py, each with a PITCHLAB_ variable):

- log-in counts *failed* attempts, per client address and per username: a password guesser is slowed
  down from one address and against one account from many, while an office of founders behind one
  address who type their passwords right is never refused. Once a limit is passed, every attempt on
  that address or username is refused, without checking the password, until the window ends;
- sign-up counts every attempt per address (each can create an account);
- password reset counts every attempt per client address and per e-mail address (each can send an
  e-mail: the per-e-mail limit stops anyone from flooding an inbox through us).

A Redis outage must not lock everyone out: the limits then let the attempt through, with a warning.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext
from redis.exceptions import RedisError

from pitchlab.core import ratelimit

log = logging.getLogger(__name__)


def refusal_message(seconds: float) -> str:
    """'Too many attempts; try again in 42 seconds.'"""
    count = ratelimit.wait_seconds(seconds)
    return ngettext(
        "Too many attempts; try again in %(count)d second.",
        "Too many attempts; try again in %(count)d seconds.",
        count,
    ) % {"count": count}


def _namespaced(key: str) -> str:
    # Tests give each test a namespace of its own (tests/conftest.py), so counts never leak between tests or runs.
    return f"{settings.RATELIMIT_NAMESPACE}{key}"


def _hit(key: str, rate: str) -> float | None:
    return ratelimit.hit(key, rate=rate)  # namespaced, and let through when Redis is down, by ratelimit


def _lock_key(key: str) -> str:
    return "ratelimit-lock:" + hashlib.sha256(_namespaced(key).encode()).hexdigest()[:32]


def _locked(keys: list[str]) -> float | None:
    """Seconds left on the longest lock among ``keys``, or None when none is locked."""
    try:
        ends = cache.get_many([_lock_key(key) for key in keys])
    except (RedisError, OSError):
        log.warning("Log-in locks not read: the cache (Redis) does not answer")
        return None
    left = max((float(end) - time.time() for end in ends.values()), default=0.0)
    return left if left > 0 else None


def _lock(key: str, seconds: float) -> None:
    try:
        cache.set(_lock_key(key), time.time() + seconds, timeout=math.ceil(seconds) + 1)
    except (RedisError, OSError):
        log.warning("Log-in lock not set: the cache (Redis) does not answer")


def _login_keys(*, ip: str, username: str) -> list[tuple[str, str]]:
    return [
        (f"login-ip:{ip}", settings.LOGIN_FAILURES_PER_IP),
        (f"login-user:{username.strip().lower()}", settings.LOGIN_FAILURES_PER_USERNAME),
    ]


def login_locked(*, ip: str, username: str) -> float | None:
    """Seconds until log-in attempts from ``ip`` or for ``username`` are heard again; None: go ahead."""
    return _locked([key for key, _ in _login_keys(ip=ip, username=username)])


def login_failed(*, ip: str, username: str) -> float | None:
    """Count one failed log-in; past a limit, lock it until the window ends and return the seconds left."""
    waits: list[float] = []
    for key, rate in _login_keys(ip=ip, username=username):
        wait = _hit(key, rate)
        if wait is not None:
            _lock(key, wait)
            waits.append(wait)
    return max(waits, default=None)


def signup_attempt(*, ip: str) -> float | None:
    """Count one sign-up attempt; the seconds to wait when it is one too many."""
    return _hit(f"signup-ip:{ip}", settings.SIGNUP_RATE_PER_IP)


def password_reset_attempt(*, ip: str, email: str) -> float | None:
    """Count one password-reset request; the seconds to wait when it is one too many."""
    waits = [
        wait
        for wait in (
            _hit(f"reset-ip:{ip}", settings.PASSWORD_RESET_RATE_PER_IP),
            _hit(f"reset-email:{email.strip().lower()}", settings.PASSWORD_RESET_RATE_PER_EMAIL),
        )
        if wait is not None
    ]
    return max(waits, default=None)
