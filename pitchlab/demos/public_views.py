"""The audience page behind a public demo link: no login, one model, predictions only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from pitchlab.demos.devices import device_cookie_set
from pitchlab.demos.selectors import audience_link_get, audience_stage_model
from pitchlab.demos.stage import StageModel


def _panel_options(model: StageModel) -> dict[str, Any]:
    """What the page's try panel is mounted with. Only the fields the panel uses go into the page, so
    nothing else of the model or the pitch (metrics, the deck's QR, other URLs) reaches the audience."""
    return {
        "kind": model.kind,
        "labels": list(model.labels),
        "predict_url": model.predict_url,
        "explain_url": "",
        "budget_ms": model.budget_ms,
        "examples": [
            {"id": e.id, "text": e.text, "image_url": e.image_url, "expected": e.expected, "cached": e.cached}
            for e in model.examples
        ],
    }


@require_GET
@never_cache  # a revoked or expired link must stop working at once, not from a cache
@ensure_csrf_cookie
def audience_page(request: HttpRequest, token: str) -> HttpResponse:
    """Try one demo model on a phone; an unknown, revoked or expired link gets a friendly 404."""
    link = audience_link_get(token=token)
    if link is None:
        return render(request, "demos/audience.html", {"missing": True}, status=404)
    model = audience_stage_model(link=link, request=request)
    context = {"model": model, "company": link.demo_model.pitch.name, "panel": _panel_options(model)}
    response = render(request, "demos/audience.html", context)
    response["X-Robots-Tag"] = "noindex"
    device_cookie_set(request, response, link.token)  # each phone its own audience limit (devices.py)
    return response
