"""The owner's share page: the pitch's links with their state and analytics, a form to make one, revoke, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pitchlab.pitches.access import Action, pitch_for
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.views import editor_language
from pitchlab.sharing import services
from pitchlab.sharing.charts import NARROW, dwell_chart_svg, seconds_text
from pitchlab.sharing.forms import ShareLinkForm
from pitchlab.sharing.models import ShareLink
from pitchlab.sharing.selectors import share_analytics, share_link_for, share_link_list, share_url


def _panels(request: HttpRequest, pitch: Pitch, lang: str) -> list[dict[str, Any]]:
    panels = []
    for link in share_link_list(pitch=pitch):
        link.pitch = pitch
        analytics = share_analytics(link=link, lang=lang)
        title, average = _("Time per slide"), _("avg")
        last = analytics.last_viewed_at
        panels.append(
            {
                "link": link,
                "url": share_url(link, request),
                "analytics": analytics,
                "total": seconds_text(analytics.total_seconds),
                "just_now": last is not None and (timezone.now() - last).total_seconds() < 60,
                "chart": dwell_chart_svg(analytics.slides, title=title, average=average),
                "chart_narrow": dwell_chart_svg(analytics.slides, width=NARROW, title=title, average=None),
            }
        )
    return panels


def _page(request: HttpRequest, pitch: Pitch, form: ShareLinkForm, status: int = 200) -> HttpResponse:
    lang = editor_language(request)
    context = {"pitch": pitch, "form": form, "panels": _panels(request, pitch, lang), "lang": lang}
    return render(request, "sharing/page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def share_page(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """GET: the links and their analytics. POST: create a link from the form (errors at their fields)."""
    pitch = pitch_for(user=request.user, pitch_id=pitch_id, action=Action.SHARE)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = services.share_link_create(
                pitch=pitch,
                user=request.user,  # type: ignore[arg-type]
                label=data["label"],
                include_pdf=data["include_pdf"],
                expires_at=services.expiry_in_days(data["expires_in_days"]),
                password=data["password"],
            )
        except services.ShareLinkInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Link created. Copy it below and send it."))
            return redirect(f"{reverse('share-page', args=[pitch.pk])}#link-{link.pk}")
    return _page(request, pitch, form, status=400 if form.errors else 200)


def _owned_link(request: HttpRequest, pitch_id: int, link_id: int) -> ShareLink:
    link = share_link_for(user=request.user, link_id=link_id)
    if link.pitch_id != pitch_id:
        raise Http404(_("No such share link."))
    return link


@login_required
@require_POST
def share_link_revoke_view(request: HttpRequest, pitch_id: int, link_id: int) -> HttpResponse:
    link = services.share_link_revoke(link=_owned_link(request, pitch_id, link_id))
    messages.success(request, _("Link revoked: it now answers “not found”."))
    return redirect(f"{reverse('share-page', args=[pitch_id])}#link-{link.pk}")


@login_required
@require_POST
def share_link_delete_view(request: HttpRequest, pitch_id: int, link_id: int) -> HttpResponse:
    services.share_link_delete(link=_owned_link(request, pitch_id, link_id))
    messages.success(request, _("Link deleted with its analytics."))
    return redirect("share-page", pitch_id=pitch_id)
