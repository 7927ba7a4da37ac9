"""The pages behind a share link: no login, the read-only web deck, its password form, its file (a PDF or a
PowerPoint file), the dwell beacon.

An unknown, revoked or expired token gets one and the same 404 page, so a link that stopped working says
nothing about whether it ever existed. Every endpoint is rate-limited per link and client (a 429 page, or an
empty 429 for the beacon).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pitchlab.core.exceptions import ApplicationError
from pitchlab.core.ratelimit import Limit, RateLimited, client_ip, limit
from pitchlab.decks.models import DeckExport
from pitchlab.decks.selectors import export_content_type
from pitchlab.decks.services import export_shared_file
from pitchlab.pictures.serving import PictureFileQuery, file_response
from pitchlab.pitches.views import editor_language
from pitchlab.sharing import services
from pitchlab.sharing.beacon import MAX_BODY_BYTES, dwell_parse
from pitchlab.sharing.forms import SharePasswordForm
from pitchlab.sharing.models import ShareLink
from pitchlab.sharing.selectors import (
    share_deck_context,
    share_example_get,
    share_file_format,
    share_link_open,
    share_pdf,
    share_picture_get,
    share_slide_keys,
)

VIEWER_COOKIE = "pl_viewer"
VIEWER_COOKIE_AGE = 180 * 24 * 3600
_VIEWER_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
SESSION_KEY = "share-unlocked:{pk}"

View = Callable[..., HttpResponseBase]


def _limit(request: HttpRequest, token: str, what: str, rate: str) -> None:
    limit(
        Limit(f"share:{what}:{token[:64]}", client_ip(request), rate),
        message=_("Too many requests to this link from your connection; wait a moment and try again."),
    )


def _rate_limited_page(view: View) -> View:
    """Turn RateLimited into a 429 page with Retry-After (RateLimited is an ApplicationError: the API handler
    answers it for DRF views, but these are plain Django views)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as exc:
            response = render(request, "sharing/limited.html", {"message": exc.message}, status=429)
            response["Retry-After"] = str(exc.extra["retry_after"])
            return response

    return wrapper


def _missing(request: HttpRequest) -> HttpResponse:
    response = render(request, "sharing/missing.html", status=404)
    response["X-Robots-Tag"] = "noindex"
    return response


def _unlocked(request: HttpRequest, link: ShareLink) -> bool:
    return services.unlock_valid(link, request.session.get(SESSION_KEY.format(pk=link.pk)))


def _viewer_id(request: HttpRequest) -> str | None:
    value = request.COOKIES.get(VIEWER_COOKIE, "")
    return value if _VIEWER_ID.fullmatch(value) else None


def _lang(request: HttpRequest) -> str:
    requested = request.GET.get("lang")
    return requested if requested in ("en", "zh") else editor_language(request)


def _password_page(request: HttpRequest, link: ShareLink, form: SharePasswordForm, status: int = 200) -> HttpResponse:
    context = {"link": link, "form": form, "company": link.pitch.name}
    response = render(request, "sharing/password.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@_rate_limited_page
@never_cache  # a revoked or expired link must stop working at once, not from a cache
@require_http_methods(["GET", "POST"])
def share_deck(request: HttpRequest, token: str) -> HttpResponseBase:
    """The read-only web deck; first the password form when the link has a password."""
    _limit(request, token, "page", settings.SHARE_RATE_PAGE)
    link = share_link_open(token=token)
    if link is None:
        return _missing(request)
    if not _unlocked(request, link):
        if request.method != "POST":
            wanted = "pdf" if request.GET.get("next") == "pdf" else "deck"
            return _password_page(request, link, SharePasswordForm(initial={"next": wanted}))
        _limit(request, token, "password", settings.SHARE_RATE_PASSWORD)
        form = SharePasswordForm(request.POST)
        if form.is_valid():
            if services.password_matches(link=link, password=form.cleaned_data["password"]):
                request.session.cycle_key()  # a fresh session id once something was proven
                request.session[SESSION_KEY.format(pk=link.pk)] = services.unlock_mark(link)
                target = "share-pdf" if form.cleaned_data.get("next") == "pdf" else "share-deck"
                return redirect(reverse(target, args=[link.token]))
            form.add_error("password", _("That is not the password of this link."))
        return _password_page(request, link, form, status=400)
    if request.method == "POST":
        return redirect(reverse("share-deck", args=[link.token]))

    viewer_id = _viewer_id(request) or secrets.token_urlsafe(18)
    services.share_visit_start(link=link, viewer_id=viewer_id)
    context = share_deck_context(link=link, request=request, lang=_lang(request))
    context["beacon_url"] = reverse("share-beacon", args=[link.token])
    # A chosen export that is gone offers no PDF at all: never another export in its place.
    export = share_pdf(link=link)
    offered = link.include_pdf and (link.pdf_mode != ShareLink.Pdf.PINNED or export is not None)
    context["pdf_url"] = reverse("share-pdf", args=[link.token]) if offered else ""
    context["file_is_pptx"] = share_file_format(link=link, export=export) == DeckExport.Format.PPTX
    response = render(request, "sharing/deck.html", context)
    response["X-Robots-Tag"] = "noindex"
    # Scoped to this link's path: the id counts unique viewers of this link and means nothing anywhere else.
    response.set_cookie(
        VIEWER_COOKIE,
        viewer_id,
        max_age=VIEWER_COOKIE_AGE,
        path=reverse("share-deck", args=[link.token]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@_rate_limited_page
@never_cache
@require_GET
def share_pdf_view(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link's file: a PDF or a PowerPoint file (the newest finished export of its format, or the chosen one),
    without speaker notes unless the owner chose them for a PowerPoint file; while a "newest" link has no
    finished export yet, a page saying so. A chosen export that is gone answers 404."""
    _limit(request, token, "page", settings.SHARE_RATE_PAGE)
    link = share_link_open(token=token)
    if link is None or not link.include_pdf:
        return _missing(request)
    if not _unlocked(request, link):
        return redirect(reverse("share-deck", args=[link.token]) + "?next=pdf")
    export = share_pdf(link=link)
    if export is None and link.pdf_mode == ShareLink.Pdf.PINNED:
        return _missing(request)
    if export is None:
        context = {
            "link": link,
            "company": link.pitch.name,
            "deck_url": reverse("share-deck", args=[link.token]),
            "file_is_pptx": share_file_format(link=link, export=None) == DeckExport.Format.PPTX,
        }
        response = render(request, "sharing/pdf_pending.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response
    # The speaker notes are the founder's, not the audience's: never a PDF's appendix, and a PowerPoint file's
    # notes panes only when the owner chose to give them (link.pptx_notes).
    file = FileResponse(
        export_shared_file(export=export, notes=link.pptx_notes),
        content_type=export_content_type(export),
        filename=f"{link.pitch.name}.{export.format}",
    )
    file["X-Robots-Tag"] = "noindex"
    return file


@_rate_limited_page
@never_cache
@require_GET
def share_example_image(request: HttpRequest, token: str, example_id: int) -> HttpResponseBase:
    """The picture of an image example on a live demo slide of the shared deck."""
    _limit(request, token, "asset", settings.SHARE_RATE_BEACON)
    link = share_link_open(token=token)
    example = share_example_get(link=link, example_id=example_id) if link and _unlocked(request, link) else None
    if example is None:
        return _missing(request)
    return FileResponse(example.image.open("rb"), content_type="image/png")


@_rate_limited_page
@require_GET
def share_picture(request: HttpRequest, token: str, picture_id: int) -> HttpResponseBase:
    """A picture the shared deck places (logo, cover, screenshot, headshot), at the size its page asks for."""
    _limit(request, token, "asset", settings.SHARE_RATE_BEACON)
    link = share_link_open(token=token)
    picture = share_picture_get(link=link, picture_id=picture_id) if link and _unlocked(request, link) else None
    if picture is None:
        return _missing(request)
    query = PictureFileQuery(data=request.GET)
    if not query.is_valid():
        return HttpResponse(
            "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in query.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return file_response(
        picture=picture,
        given=query.validated_data,
        accept=request.headers.get("Accept", ""),
        if_none_match=request.headers.get("If-None-Match", ""),
    )


# sendBeacon cannot send a CSRF header, and the viewer has no form to take a token from. The endpoint is
# anonymous (it acts on no one's account), writes only dwell counters of the viewer's own visit, checks every
# key and number strictly, and is rate-limited per link and client: there is nothing for a forged request to gain.
@csrf_exempt
@never_cache
@require_POST
def share_beacon(request: HttpRequest, token: str) -> HttpResponse:
    """Add the web deck's dwell report (JSON {slide key: ms}) to the viewer's visit; 204, or 400 with the reason."""
    try:
        _limit(request, token, "beacon", settings.SHARE_RATE_BEACON)
    except RateLimited as exc:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(exc.extra["retry_after"])
        return response
    link = share_link_open(token=token)
    if link is None or not _unlocked(request, link):
        return HttpResponse(status=404)
    viewer_id = _viewer_id(request)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    try:
        if length > MAX_BODY_BYTES:  # refused before the body is read
            raise ApplicationError(_("The report is larger than %(limit)d bytes.") % {"limit": MAX_BODY_BYTES})
        report = dwell_parse(request.body, keys=share_slide_keys(link=link))
        if viewer_id is None:
            raise ApplicationError(_("No visit to add the time to: open the deck first."))
        if report:
            services.share_dwell_record(link=link, viewer_id=viewer_id, report=report)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)
