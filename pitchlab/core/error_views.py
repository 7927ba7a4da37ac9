"""Django's error pages, except under /api/: an API client gets the API's JSON error body there too."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a URL no pattern matches (``/api/pitches/-1/``: ``<int:...>`` takes no sign). Under /api/ it is
    ``{"message", "extra"}`` like every other API error, as the OpenAPI document says; elsewhere the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"message": str(NotFound.default_detail), "extra": {}}, status=404)
    return defaults.page_not_found(request, exception)
