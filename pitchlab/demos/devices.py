"""Which phone an audience call comes from: a signed cookie the audience page sets, one per device and link.

A room behind one Wi-Fi NAT shares one address, so the per-client limit is keyed by this id, not by the address
(``public_apis.audience_limits``). The cookie is signed with the link's token in the salt, HttpOnly, SameSite=Lax
and sent only under the link's own path (``/d/<token>/``): it names nothing but "the same phone as before" and
is worth nothing on another link. It is not a defence against a script: a script can fetch the page for a fresh
id as often as it likes; the per-address ceiling and the room's total bound what it can take.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

COOKIE = "pl_audience_device"
MAX_AGE = 7 * 24 * 3600  # a week: the same phone keeps its id across the pitch and a follow-up look


def _salt(token: str) -> str:
    return f"pitchlab.demos.audience-device:{token}"


def device_id(request: HttpRequest, token: str) -> str | None:
    """The device id of the caller's valid cookie for this link; None without one (or with a forged one)."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=_salt(token), max_age=MAX_AGE)
    return value if isinstance(value, str) and 8 <= len(value) <= 64 else None


def device_cookie_set(request: HttpRequest, response: HttpResponse, token: str) -> None:
    """Give the caller a device id for this link, keeping the one it has (a reload is the same phone)."""
    value = device_id(request, token) or secrets.token_urlsafe(16)
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=_salt(token),
        max_age=MAX_AGE,
        path=reverse("audience-page", args=[token]),
        httponly=True,
        samesite="Lax",
        # As the session cookie: Secure behind HTTPS; plain HTTP on the local network (make present) needs it off.
        secure=bool(settings.SESSION_COOKIE_SECURE),
    )
