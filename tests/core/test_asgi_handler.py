"""pitchlab/asgi.py: Django's middleware loaded in their inline form under the names settings keep, and which
requests run their sync steps on the shared pool (those to async views)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from pitchlab.asgi import Handler, waits
from pitchlab.core.inline_middleware import INLINE, Inline


def http(path: str) -> dict[str, Any]:
    return {"type": "http", "path": path}


def test_the_handler_loads_the_inline_middleware_and_leaves_the_settings_as_they_were() -> None:
    named = list(settings.MIDDLEWARE)
    handler = Handler()
    assert named == settings.MIDDLEWARE  # Django's security checks read these names
    loaded: list[type] = []
    layer: Any = getattr(handler, "_middleware_chain")  # noqa: B009 (set by load_middleware, not in the stubs)
    while layer is not None:
        instance = getattr(layer, "__wrapped__", layer)  # each middleware sits in Django's exception wrapper
        loaded.append(type(instance))
        layer = getattr(instance, "get_response", None)
    inline = [cls for cls in loaded if issubclass(cls, Inline) and cls.__module__ == Inline.__module__]
    assert sorted(f"{cls.__module__}.{cls.__name__}" for cls in inline) == sorted(INLINE.values()), loaded
    # ... in the order settings name them, each in the place of Django's own.
    places = [f"{cls.__mro__[2].__module__}.{cls.__mro__[2].__name__}" for cls in inline]
    assert places == [path for path in named if path in INLINE]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (reverse("api-demo-predict", args=[1]), True),
        (reverse("api-demo-explain", args=[1]), True),
        (reverse("audience-predict", args=["abc"]), True),
        ("/api/pitches/1/remote/state/", True),
        ("/api/exports/1/events/", True),
        ("/accounts/login/", False),
        ("/api/pitches/", False),
        ("/no/such/page/", False),
    ],
)
def test_requests_to_async_views_are_the_ones_that_wait(path: str, expected: bool) -> None:
    assert waits(http(path)) is expected


def test_a_lifespan_or_websocket_scope_does_not_wait() -> None:
    assert not waits({"type": "lifespan"})
    assert not waits({"type": "websocket", "path": "/api/exports/1/events/"})
