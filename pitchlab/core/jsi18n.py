"""Django's JavaScript catalogue for the app's scripts (static/pitchlab/*.js call gettext, ngettext, interpolate).

Every page that loads one of those scripts loads ``{% url 'javascript-catalog' %}`` first (tests/core/test_i18n_js.py
checks the templates). The catalogue holds the djangojs domain of LOCALE_PATHS only (locale/<lang>/LC_MESSAGES/
djangojs.mo); the admin keeps its own.

Its content depends on the request's language (the language cookie set by the language switch, else
Accept-Language) and on the compiled translations, so the response:

- varies on Accept-Language and Cookie: a browser never reuses one language's catalogue for the other;
- has an ETag made of the translations' fingerprint and the language, with ``Cache-Control: no-cache``: the browser
  asks again on each page and gets an empty 304 while nothing changed, and new translations (a deploy) or another
  language are picked up on the very next page, with no stale day-long copy;
- is rendered once per language and process (translations are loaded once per process anyway).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe
from django.views.i18n import JavaScriptCatalog

DOMAIN = "djangojs"
# Only the project's own catalogues (LOCALE_PATHS are always read); an app with no locale folder adds nothing.
PACKAGES = ["pitchlab.core"]


@cache
def catalogue_fingerprint() -> str:
    """A short hash of every compiled djangojs catalogue in LOCALE_PATHS (and Django's version)."""
    digest = hashlib.sha256(django.get_version().encode())
    for folder in sorted(Path(str(path)) for path in settings.LOCALE_PATHS):
        for compiled in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
            digest.update(str(compiled.relative_to(folder)).encode())
            digest.update(compiled.read_bytes())
    return digest.hexdigest()[:16]


def catalogue_etag(request: HttpRequest, *args: object, **kwargs: object) -> str:
    return f"{catalogue_fingerprint()}-{get_language() or settings.LANGUAGE_CODE}"


_catalogue_view = JavaScriptCatalog.as_view(domain=DOMAIN, packages=PACKAGES)
_bodies: dict[tuple[str, str], tuple[bytes, str]] = {}  # (language, fingerprint) -> (body, content type)


@condition(etag_func=catalogue_etag)
def _javascript_catalog(request: HttpRequest) -> HttpResponseBase:
    key = (get_language() or settings.LANGUAGE_CODE, catalogue_fingerprint())
    if key not in _bodies:
        response = _catalogue_view(request)
        if response.status_code != 200 or not isinstance(response, HttpResponse):
            return response
        _bodies[key] = (response.content, response["Content-Type"])
    body, content_type = _bodies[key]
    return HttpResponse(body, content_type=content_type)


@require_safe
def javascript_catalog(request: HttpRequest) -> HttpResponseBase:
    """GET /jsi18n/ — ``window.gettext``, ``ngettext``, ``interpolate`` … in the request's language."""
    response = _javascript_catalog(request)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, no_cache=True, max_age=0)
    return response
