"""The owner's share page: the pitch's links with their state, their PDF and analytics; a form to make one (after
the pre-flight), change a link's PDF, re-export a stale one, revoke, delete."""

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

from pitchlab.decks.preflight import PreflightOpen, preflight_lang, preflight_require, preflight_require_posted
from pitchlab.pitches.access import Action, pitch_for
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.views import editor_language
from pitchlab.sharing import services
from pitchlab.sharing.charts import NARROW, dwell_chart_svg, seconds_text
from pitchlab.sharing.forms import ShareLinkForm, export_label, pdf_choices, pdf_from_choice
from pitchlab.sharing.models import ShareLink
from pitchlab.sharing.selectors import (
    share_analytics,
    share_export_choices,
    share_link_for,
    share_link_list,
    share_url,
    shared_pdf_state,
)


def _panels(request: HttpRequest, pitch: Pitch, lang: str, exports: list[Any]) -> list[dict[str, Any]]:
    panels = []
    for link in share_link_list(pitch=pitch):
        link.pitch = pitch
        analytics = share_analytics(link=link, lang=lang)
        title, average = _("Time per slide"), _("avg")
        last = analytics.last_viewed_at
        pdf = shared_pdf_state(link=link, pitch=pitch)
        current = f"export:{link.pdf_export_id}" if link.pdf_mode == ShareLink.Pdf.PINNED else link.pdf_mode
        panels.append(
            {
                "link": link,
                "url": share_url(link, request),
                "analytics": analytics,
                "total": seconds_text(analytics.total_seconds),
                "just_now": last is not None and (timezone.now() - last).total_seconds() < 60,
                "chart": dwell_chart_svg(analytics.slides, title=title, average=average),
                "chart_narrow": dwell_chart_svg(analytics.slides, width=NARROW, title=title, average=None),
                "pdf": pdf,
                "pdf_label": export_label(pdf.export) if pdf.export is not None else "",
                "newer_label": export_label(pdf.newer) if pdf.newer is not None else "",
                "pdf_choices": pdf_choices(exports),
                "pdf_current": current,
            }
        )
    return panels


def _page(
    request: HttpRequest,
    pitch: Pitch,
    form: ShareLinkForm,
    status: int = 200,
    preflight: dict[str, Any] | None = None,
) -> HttpResponse:
    lang = editor_language(request)
    exports = share_export_choices(pitch=pitch)
    context = {
        "pitch": pitch,
        "form": form,
        "panels": _panels(request, pitch, lang, exports),
        "lang": lang,
        "preflight": preflight,
    }
    return render(request, "sharing/page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def share_page(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """GET: the links and their analytics. POST: create a link from the form (errors at their fields); with open
    pre-flight findings the page comes back with them in a dialog, and "Share anyway" posts the form again."""
    pitch = pitch_for(user=request.user, pitch_id=pitch_id, action=Action.SHARE)
    form = ShareLinkForm(request.POST or None, exports=share_export_choices(pitch=pitch))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pdf, pdf_export = pdf_from_choice(data["pdf"] or "none")
        try:
            preflight_require(
                pitch=pitch,
                lang=preflight_lang(),
                anyway=data["share_anyway"],
                fingerprint=data["preflight_fingerprint"],
            )
        except PreflightOpen as exc:
            preflight = {**exc.extra, "message": exc.message, "action": "share"}
            return _page(request, pitch, form, status=409, preflight=preflight)
        try:
            link = services.share_link_create(
                pitch=pitch,
                user=request.user,  # type: ignore[arg-type]
                label=data["label"],
                pdf=pdf,
                pdf_export=pdf_export,
                expires_at=services.expiry_in_days(data["expires_in_days"]),
                password=data["password"],
                pptx_notes=data["pptx_notes"],
            )
        except services.ShareLinkInvalid as exc:
            field = "pdf" if exc.field == "pdf_export" else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Link created. Copy it below and send it."))
            return redirect(f"{reverse('share-page', args=[pitch.pk])}#link-{link.pk}")
    return _page(request, pitch, form, status=400 if form.errors else 200)


def _owned_link(request: HttpRequest, pitch_id: int, link_id: int) -> ShareLink:
    link = share_link_for(user=request.user, link_id=link_id)
    if link.pitch_id != pitch_id:
        raise Http404(_("No such share link."))
    return link


def _back(pitch_id: int, link: ShareLink) -> HttpResponse:
    return redirect(f"{reverse('share-page', args=[pitch_id])}#link-{link.pk}")


@login_required
@require_POST
def share_link_pdf_view(request: HttpRequest, pitch_id: int, link_id: int) -> HttpResponse:
    """Change which file the link carries (none, the newest PDF or PowerPoint export, or one export) and, with the
    choice's form, whether a PowerPoint file keeps the speaker notes."""
    link = _owned_link(request, pitch_id, link_id)
    pdf, pdf_export = pdf_from_choice(request.POST.get("pdf", ""))
    data: dict[str, Any] = {"pdf": pdf, "pdf_export": pdf_export}
    if "pptx_notes_shown" in request.POST:  # the form that has the box (a "use the newer export" button has not)
        data["pptx_notes"] = request.POST.get("pptx_notes") == "1"
    try:
        services.share_link_update(link=link, data=data)
    except services.ShareLinkInvalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The link's PDF is changed."))
    return _back(pitch_id, link)


@login_required
@require_POST
def share_link_reexport_view(request: HttpRequest, pitch_id: int, link_id: int) -> HttpResponse:
    """Export the canvas as it is now, in the shared PDF's theme and language (after the pre-flight).

    A "newest" link carries the new export as soon as it is ready; a pinned one offers to switch to it.
    """
    link = _owned_link(request, pitch_id, link_id)
    pitch = link.pitch
    try:
        preflight_require_posted(pitch=pitch, post=request.POST, anyway_field="export_anyway")
    except PreflightOpen as exc:
        preflight = {**exc.extra, "message": exc.message, "action": "reexport", "link": link.pk}
        form = ShareLinkForm(exports=share_export_choices(pitch=pitch))
        return _page(request, pitch, form, status=409, preflight=preflight)
    services.share_link_reexport(link=link, user=request.user, lang=editor_language(request))  # type: ignore[arg-type]
    if link.pdf_mode == ShareLink.Pdf.PINNED:
        messages.success(request, _("Re-export started. When it is ready, switch this link to it below."))
    else:
        messages.success(request, _("Re-export started. The link carries it as soon as it is ready."))
    return _back(pitch_id, link)


@login_required
@require_POST
def share_link_revoke_view(request: HttpRequest, pitch_id: int, link_id: int) -> HttpResponse:
    link = services.share_link_revoke(link=_owned_link(request, pitch_id, link_id))
    messages.success(request, _("Link revoked: it now answers “not found”."))
    return _back(pitch_id, link)


@login_required
@require_POST
def share_link_delete_view(request: HttpRequest, pitch_id: int, link_id: int) -> HttpResponse:
    services.share_link_delete(link=_owned_link(request, pitch_id, link_id))
    messages.success(request, _("Link deleted with its analytics."))
    return redirect("share-page", pitch_id=pitch_id)
