"""Lookups of the live path kept in the cache (Redis), dropped by the writes that change them.

A prediction on stage, an audience phone's tap and an API token's check each looked up the same few rows on
every request (2.4–2.8 ms a look-up in the web process, measured for issue 6). Here such a lookup is one cache
GET of a small frozen snapshot — never the ORM row, which pages and writes still read from the database — and
every write that could change it drops it (signals, and the bulk ``update()`` calls that send none, which call
``forget`` themselves). The cache is shared by every web process, so a revoked token or a deleted model is
refused everywhere on the next request. A cache that cannot be reached falls back to the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
T = TypeVar("T")
TTL_S = 300
_MISSING = object()
_ABSENT = "absent"  # a lookup that found nothing is remembered too: a bad token tried in a loop costs no query


def key(kind: str, ident: object) -> str:
    return f"live:{kind}:{ident}"


def remembered(kind: str, ident: object, load: Callable[[], T | None], *, ttl_s: int = TTL_S) -> T | None:
    """What ``load()`` gives for ``(kind, ident)``, from the cache when it is there (None included)."""
    name = key(kind, ident)
    try:
        found: Any = cache.get(name, _MISSING)
    except Exception:
        logger.warning("live lookup %s read from the database: the cache does not answer", name)
        return load()
    if found is not _MISSING:
        return None if found == _ABSENT else found
    value = load()
    try:
        cache.set(name, _ABSENT if value is None else value, 30 if value is None else ttl_s)
    except Exception:
        logger.warning("live lookup %s not kept: the cache does not answer", name)
    return value


def forget(kind: str, idents: Iterable[object]) -> None:
    """Drop the snapshots of ``kind`` for ``idents`` (a write changed them)."""
    names = [key(kind, ident) for ident in idents]
    if not names:
        return
    try:
        cache.delete_many(names)
    except Exception:
        # Left in place it would be served until TTL_S. The cache is the broker's Redis: while it is away the live
        # path it serves is down too, and a write made then (``make run`` sets up before it starts Redis) finds
        # nothing kept there to drop, unless Redis kept its data through an outage.
        logger.warning("live lookups %s could not be dropped: the cache does not answer", names)


def forget_on_commit(kind: str, idents: Iterable[object]) -> None:
    """``forget`` now and again when the current transaction commits: a request that reads the row between the
    write and the commit would otherwise put the old value back."""
    idents = list(idents)
    forget(kind, idents)
    transaction.on_commit(lambda: forget(kind, idents))
