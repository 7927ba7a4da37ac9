"""Pages of rehearsing: the presenter view, the phone remote, rehearsal reports and the Q&A drill.

They render what there is; what they change goes through the JSON API (apis.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pitchlab.decks.views import deck_page_context
from pitchlab.demos.qr import loopback_warning, phone_url, qr_svg
from pitchlab.pitches.access import Action, can
from pitchlab.pitches.views import editor_language, pitch_or_404
from pitchlab.rehearsals import selectors, services
from pitchlab.rehearsals.apis import RehearsalSummaryOut, drill_history_json, rehearsal_report_json
from pitchlab.rehearsals.trend_chart import NARROW, trend_svg

ANSWER_SECONDS = 60


@login_required
@require_GET
def present_view(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The presenter view: current and next slide, notes, clock and timers; recording; the audience window."""
    context = deck_page_context(request, pitch_or_404(request, pitch_id, Action.PRESENT))
    pitch, deck = context["pitch"], context["deck"]
    # The phone remote at an address a phone can reach (qr.phone_url); on loopback the popover says what to do.
    remote_url = phone_url(reverse("remote", args=[pitch.pk]), request)
    context["remote_url"] = remote_url
    context["remote_qr_svg"] = qr_svg(remote_url)
    context["remote_warning"] = loopback_warning(remote_url)
    context["present_state"] = {
        "pitchId": pitch.pk,
        "lang": context["lang"],
        "targetSeconds": deck.target_seconds,
        "slides": services.slide_rows(deck),
        "rehearsalsUrl": reverse("api-rehearsals", args=[pitch.pk]),
        "rehearsalUrl": reverse("api-rehearsal", args=[0]),
        "reportPageUrl": reverse("rehearsal-report", args=[pitch.pk, 0]),
        "commandsUrl": reverse("api-remote-commands", args=[pitch.pk]),
        "stateUrl": reverse("api-remote-state", args=[pitch.pk]),
        "audienceUrl": reverse("deck", args=[pitch.pk]) + "?audience=1",
        "remoteUrl": remote_url,
        "remoteWaitSeconds": settings.REMOTE_WAIT_SECONDS,
        "staleSeconds": settings.REHEARSAL_STALE_SECONDS,
        # A viewer presents but does not record: the page offers no Start rehearsal.
        "canRecord": can(user=request.user, pitch=pitch, action=Action.REHEARSE),
    }
    return render(request, "rehearsals/present.html", context)


@login_required
@require_GET
def remote_view(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The phone remote: two big buttons and the current notes; it drives the presenter view through the relay."""
    pitch = pitch_or_404(request, pitch_id, Action.PRESENT)
    state = {
        "pitchId": pitch.pk,
        "commandsUrl": reverse("api-remote-commands", args=[pitch.pk]),
        "stateUrl": reverse("api-remote-state", args=[pitch.pk]),
        "presentUrl": reverse("present", args=[pitch.pk]),
        "remoteWaitSeconds": settings.REMOTE_WAIT_SECONDS,
    }
    return render(request, "rehearsals/remote.html", {"pitch": pitch, "remote_state": state})


@login_required
@require_GET
def rehearsal_list_view(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """Every rehearsal of the pitch, the trend of total time and the slides that keep running long."""
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    lang = editor_language(request)
    services.rehearsals_settle_stale(pitch=pitch)
    trend = selectors.rehearsal_trend(pitch=pitch)
    context: dict[str, Any] = {
        "pitch": pitch,
        "lang": lang,
        "rehearsals": RehearsalSummaryOut(selectors.rehearsal_list(pitch=pitch), many=True).data,
        "trend": trend,
        "trend_svg": trend_svg(trend, lang=lang),
        "trend_svg_narrow": trend_svg(trend, lang=lang, width=NARROW[0], height=NARROW[1]),
    }
    return render(request, "rehearsals/list.html", context)


@login_required
@require_GET
def rehearsal_report_view(request: HttpRequest, pitch_id: int, rehearsal_id: int) -> HttpResponse:
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    services.rehearsals_settle_stale(pitch=pitch)
    rehearsal = selectors.rehearsal_get(rehearsal_id=rehearsal_id, user=request.user, action=Action.READ)
    if rehearsal.pitch_id != pitch.pk:
        raise Http404("No such rehearsal.")
    report_state = {
        "rehearsalUrl": reverse("api-rehearsal", args=[rehearsal.pk]),
        "listPageUrl": reverse("rehearsal-list", args=[pitch.pk]),
    }
    context = {
        "pitch": pitch,
        "lang": editor_language(request),
        "report": rehearsal_report_json(rehearsal),
        "report_state": report_state,
    }
    return render(request, "rehearsals/report.html", context)


@login_required
@require_GET
def drill_view(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The investor Q&A drill: one question at a time, an answer timer, a rating; and the drill's history."""
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    lang = editor_language(request)
    state = {
        "pitchId": pitch.pk,
        "questionsUrl": reverse("api-drill-questions", args=[pitch.pk]),
        "answersUrl": reverse("api-drill-answers", args=[pitch.pk]),
        "historyUrl": reverse("api-drill-history", args=[pitch.pk]),
        "answerUrl": reverse("api-drill-answer", args=[0]),
        "lang": lang,
        "answerSeconds": ANSWER_SECONDS,
    }
    context = {"pitch": pitch, "lang": lang, "drill_state": state, "history": drill_history_json(pitch, request.user)}
    return render(request, "rehearsals/drill.html", context)
