"""Compressed text responses: HTML, JSON, CSS, JavaScript and SVG, whoever produced them.

Django's GZipMiddleware compresses every response body it is given. Outermost in MIDDLEWARE, it would also
see what WhiteNoise serves (fonts, PNGs) and the downloads (PDFs, archives, a Range request's 206 part):
gzip makes those no smaller, costs CPU, and a compressed 206 no longer matches its Content-Range. So only text
is compressed here. Outermost is where it must be to reach the static CSS and JavaScript in debug mode, where
WhiteNoise serves the source files as they are; with debug off, WhiteNoise serves the .br/.gz files that
collectstatic wrote (CompressedManifestStaticFilesStorage) with their Content-Encoding, and those pass untouched.

Server-sent events (text/event-stream) pass untouched: gzip holds bytes back until it has a block to write, so
an event would reach the page late, or only when the stream ends.

BREACH: Django 4.2+ adds random bytes to every gzip header ("Heal the Breach"), and CSRF tokens are masked per
response, so a secret's compressed length leaks nothing an attacker can use.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from pitchlab.core.inline_middleware import Inline

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
COMPRESSIBLE_SUFFIXES = ("+json", "+xml")  # application/problem+json, application/vnd.oai.openapi+json
NOT_COMPRESSED = ("text/event-stream",)  # each event must leave as it is written


def is_compressible(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in NOT_COMPRESSED:
        return False
    return media_type.startswith(COMPRESSIBLE) or media_type.endswith(COMPRESSIBLE_SUFFIXES)


INLINE_GZIP_BYTES = 64 * 1024


class TextGZipMiddleware(Inline, GZipMiddleware):
    def response_blocks(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        # Compressing is CPU: a large page is compressed in a thread, not on the event loop (ASGI).
        return not response.streaming and len(getattr(response, "content", b"")) > INLINE_GZIP_BYTES

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code == 206 or response.has_header("Content-Range"):
            return response
        if not is_compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
