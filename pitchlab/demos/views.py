"""The founder's demo-models page. It renders what there is; everything it does goes through the JSON API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pitchlab.demos.selectors import demo_model_list
from pitchlab.pitches.access import Action, permissions
from pitchlab.pitches.views import editor_language, pitch_or_404

# The capacity rehearsal's form: its defaults, and the bounds the page holds the founder to.
CAPACITY = {"users": 30, "seconds": 20, "max_users": 100, "max_seconds": 60}


@login_required
@require_GET
def demo_page(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The pitch's demo models and what can be done with each: try, examples, pre-flight, audience link, evaluate."""
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    can = permissions(user=request.user, pitch=pitch)
    upload_limit = settings.DEMO_MAX_MODEL_UPLOAD_BYTES
    state: dict[str, Any] = {
        "can": can,  # the script offers only what the role allows, as the templates do
        "pitchId": pitch.pk,
        "listUrl": reverse("api-demo-models", args=[pitch.pk]),
        "dataUrl": reverse("pitch-detail", args=[pitch.pk]) + "#section-data",
        "uploadLimitBytes": upload_limit,
        "datasetLimitBytes": settings.DEMO_MAX_DATASET_BYTES,
        "budgetMs": settings.DEMO_BUDGET_MS,
        "capacity": CAPACITY,
    }
    context = {
        "pitch": pitch,
        "demo_models": demo_model_list(pitch=pitch),
        "lang": editor_language(request),
        "upload_limit_mb": upload_limit // 1_000_000,
        "dataset_limit_mb": settings.DEMO_MAX_DATASET_BYTES // 1_000_000,
        "demo_state": state,
        "can": can,
    }
    return render(request, "demos/page.html", context)
