"""One place that turns PitchLab's REDIS_URL into the forms each client wants.

REDIS_URL is written the way redis-py reads it: ``redis://host:port/db`` or
``unix:///path/to/redis.sock?db=N``. Celery's broker and result backend spell a
unix socket ``redis+socket:///path?virtual_host=N``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured


def validate_redis_url(url: str, *, name: str = "REDIS_URL") -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix:// (got {url!r})")
    if parts.scheme == "unix" and not parts.path:
        raise ImproperlyConfigured(f"{name} must name a socket path, e.g. unix:///run/redis.sock (got {url!r})")
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"{name} must name a host, e.g. redis://127.0.0.1:6379/0 (got {url!r})")
    return url


def celery_url(redis_url: str) -> str:
    """The broker / result-backend URL for ``redis_url``.

    models_service.config has the same few lines on purpose: the web side never imports models_service
    (tests/core/test_isolation.py) and models_service never imports pitchlab."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"
