"""Audience links as QR codes (segno: pure Python), and whether a phone in the room can open them.

One decision, one message: every surface that shows an audience QR code or link (the demo page, the web deck's
slide, the presenter view, the PDF, the shared deck page) and the presenter view's phone remote asks
``url_is_loopback`` and, when it is, says ``LOOPBACK_WARNING``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy

from pitchlab.launcher import is_loopback_host

LOOPBACK_WARNING = gettext_lazy(
    "Phones can't open this address: %(host)s is this computer only. "
    "Restart with “make present” so phones on your Wi-Fi can open it."
)


def qr_svg(url: str) -> str:
    """``url`` as an inline SVG QR code that scales with its box (no fixed width or height)."""
    return str(segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, dark="#111", light="#fff"))


def qr_modules(url: str) -> list[list[bool]]:
    """``url``'s QR code as rows of dark (True) and light modules, for drawing it elsewhere (the PDF)."""
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m").matrix]


def url_is_loopback(url: str) -> bool:
    """Whether ``url`` names this computer only (127.0.0.0/8, ::1, localhost): no phone can open it.

    A bare path ("/d/<token>/") names no host and is not loopback (it gets no QR code at all)."""
    host = urlsplit(url).hostname if url.startswith(("http://", "https://")) else None
    return bool(host) and is_loopback_host(host or "")


def phone_url(path: str, request: HttpRequest | None) -> str:
    """``path`` at the address a phone in the room can best reach.

    The address the page was opened at, unless that is this computer's loopback address and PITCHLAB_PUBLIC_URL
    names another host (``make present`` sets it to the LAN address while the founder browses on 127.0.0.1).
    Without a request: PITCHLAB_PUBLIC_URL, or the bare path when it is not set.
    """
    public = f"{settings.PUBLIC_URL}{path}" if settings.PUBLIC_URL else ""
    if request is None:
        return public or path
    here = request.build_absolute_uri(path)
    if url_is_loopback(here) and public and not url_is_loopback(public):
        return public
    return here


def loopback_warning(url: str, lang: str | None = None) -> str:
    """``LOOPBACK_WARNING`` for ``url`` (in ``lang``, else the active language), or "" when a phone can open it."""
    if not url_is_loopback(url):
        return ""
    host = urlsplit(url).hostname or ""
    if lang is None:
        return str(LOOPBACK_WARNING % {"host": host})
    with translation.override("zh-hans" if lang.startswith("zh") else "en"):
        return str(LOOPBACK_WARNING % {"host": host})
