"""Serving a picture's web sizes: one answer for the pictures API and the share page's route (ETag, caching by
version, WebP when the client takes it)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.http import FileResponse, HttpResponse, HttpResponseBase
from rest_framework import serializers

from pitchlab.pictures import renditions
from pitchlab.pictures.images import WIDTHS, Fmt
from pitchlab.pictures.models import Picture


class PictureFileQuery(serializers.Serializer[Any]):
    w = serializers.IntegerField(min_value=1, max_value=10_000, required=False, default=WIDTHS[-2])
    fmt = serializers.ChoiceField(choices=[fmt.value for fmt in Fmt], required=False)
    ratio = serializers.ChoiceField(choices=list(renditions.RATIOS), required=False)
    v = serializers.CharField(required=False, max_length=64)


def file_response(
    *, picture: Picture, given: Mapping[str, Any], accept: str, if_none_match: str, public: bool = False
) -> HttpResponseBase:
    """The size of ``picture`` that ``given`` (a valid ``PictureFileQuery``) asks for, or 304 when
    ``if_none_match`` names it. ``public``: the answer may be kept by shared caches (a share link's pictures)."""
    size = renditions.web_size(
        picture=picture,
        width=given["w"],
        fmt=Fmt(given["fmt"]) if "fmt" in given else None,
        accepts_webp="image/webp" in accept,
        ratio=given.get("ratio"),
    )
    version = renditions.version(picture)
    etag = '"' + hashlib.sha256(f"{version}:{size.name(picture)}".encode()).hexdigest()[:24] + '"'
    scope = "public" if public else "private"
    # A URL that names the version never shows anything else; one without it must ask again each time.
    cache = f"{scope}, max-age=31536000, immutable" if given.get("v") == version else f"{scope}, no-cache"
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept"}
    response: HttpResponseBase
    if etag in [tag.strip() for tag in if_none_match.split(",")]:
        response = HttpResponse(status=304)
    else:
        path = renditions.web_file(picture=picture, size=size)
        response = FileResponse(path.open("rb"), content_type=size.fmt.content_type)
    for name, value in headers.items():
        response[name] = value
    return response
