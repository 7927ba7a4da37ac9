"""Reads of share links. The owner's side goes through the access layer (only owners share); the public side
sees a link only while it is open (not revoked, not expired), and then only the read-only deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Max, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pitchlab.decks.models import DeckExport
from pitchlab.decks.picture_sources import deck_pictures
from pitchlab.decks.services import deck_build, deck_web_charts
from pitchlab.decks.slides import Deck, custom_pictures, deck_settings
from pitchlab.demos.models import DemoExample, DemoModel
from pitchlab.demos.qr import qr_svg
from pitchlab.demos.selectors import audience_link_open, audience_url
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pictures.models import Picture
from pitchlab.pictures.renditions import version
from pitchlab.pictures.selectors import picture_get
from pitchlab.pitches.access import Action, object_for
from pitchlab.pitches.models import Pitch
from pitchlab.sharing.analytics import Analytics, analytics_of
from pitchlab.sharing.models import ShareLink, ShareVisit, SlideDwell

TOKEN_MAX_LENGTH = 64


def share_link_list(*, pitch: Pitch) -> QuerySet[ShareLink]:
    """The pitch's links, newest first, each with its views, unique viewers and last view."""
    return (
        pitch.share_links.select_related("created_by")
        .annotate(
            view_count=Count("visits", distinct=True),
            viewer_count=Count("visits__viewer", distinct=True),
            last_viewed_at=Max("visits__last_seen_at"),
        )
        .order_by("-created_at", "-id")
    )


def share_link_for(*, user: AbstractBaseUser | AnonymousUser, link_id: int) -> ShareLink:
    """The link if ``user`` may share its pitch: Http404 for a missing link or a stranger, PermissionDenied
    for a member (only the owner shares)."""
    link = ShareLink.objects.select_related("pitch").filter(pk=link_id).first()
    pitch = object_for(link, user=user, action=Action.SHARE, missing=_("No such share link.")).pitch
    found = share_link_list(pitch=pitch).get(pk=link_id)  # with the list's counts
    found.pitch = pitch
    return found


def share_link_open(*, token: str) -> ShareLink | None:
    """The open link with ``token`` (and its pitch), or None for an unknown, revoked or expired one."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    now = timezone.now()
    return (
        ShareLink.objects.filter(token=token, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("pitch")
        .first()
    )


def share_url(link: ShareLink, request: HttpRequest | None = None) -> str:
    """The link's absolute address when it can be known (the request, or PITCHLAB_PUBLIC_URL), else its path."""
    path = reverse("share-deck", args=[link.token])
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.PUBLIC_URL}{path}"


# ---------- the read-only deck ----------


def _stage_models(*, link: ShareLink, request: HttpRequest | None, full: bool) -> list[StageModel]:
    """The live demo slides' models as the public deck shows them: examples with their cached outputs (images
    through the link's own route) and the audience QR code when an audience link is open. Never a URL of the
    founder's authenticated try API: ``predict_url`` and ``explain_url`` stay empty.

    ``full=False`` gives just enough to build the deck's slide list (keys and titles), without the examples.
    """
    models: list[StageModel] = []
    queryset = link.pitch.demo_models.filter(on_slide=True)
    for demo_model in queryset.prefetch_related("examples") if full else queryset:
        examples: tuple[StageExample, ...] = ()
        audience = ""
        if full:
            examples = tuple(
                StageExample(
                    id=example.pk,
                    text=example.text,
                    image_url=reverse("share-example-image", args=[link.token, example.pk]) if example.image else "",
                    expected=example.expected_label,
                    cached=example.cached_output,
                )
                for example in demo_model.examples.all()
            )
            open_link = audience_link_open(demo_model=demo_model)
            audience = audience_url(open_link, request) if open_link is not None else ""
        models.append(
            StageModel(
                id=demo_model.pk,
                name=demo_model.name,
                kind=demo_model.kind,
                labels=tuple(demo_model.labels),
                ready=demo_model.status == DemoModel.Status.READY,
                metrics={},
                examples=examples,
                audience_url=audience,
                qr_svg=qr_svg(audience) if audience.startswith("http") else "",
                budget_ms=settings.DEMO_BUDGET_MS,
            )
        )
    return models


def share_deck(*, link: ShareLink, lang: str) -> Deck:
    """The link's deck (slide keys and titles), without what only the page needs."""
    pitch = link.pitch
    return deck_build(
        name=pitch.name, canvas=pitch.content, lang=lang, demos=_stage_models(link=link, request=None, full=False)
    )


def share_slide_keys(*, link: ShareLink) -> frozenset[str]:
    """The keys of the slides a viewer of this link can see: the only keys a dwell report may name."""
    return frozenset(slide.key for slide in share_deck(link=link, lang="en").slides)


def share_deck_context(*, link: ShareLink, request: HttpRequest, lang: str) -> dict[str, Any]:
    """What the public deck page renders: the slides, their charts and the theme; no notes, no live API."""
    pitch = link.pitch
    theme = deck_settings(pitch.content)["theme"]
    demos = _stage_models(link=link, request=request, full=True)

    def url(picture: Picture) -> str:
        return f"{reverse('share-picture', args=[link.token, picture.pk])}?v={version(picture)}"

    pictures = deck_pictures(pitch=pitch, canvas=pitch.content, url=url)
    deck = deck_build(name=pitch.name, canvas=pitch.content, lang=lang, demos=demos, pictures=pictures)
    charts = deck_web_charts(deck, pitch.content, theme=theme)
    return {"link": link, "deck": deck, "charts": charts, "theme": theme, "lang": lang}


def share_picture_get(*, link: ShareLink, picture_id: int) -> Picture | None:
    """A picture the link's deck places (its logo, cover, screenshots, headshots, custom slides' pictures); never
    another of the pitch's pictures (an old logo, a screenshot left out)."""
    placed = deck_pictures(pitch=link.pitch, canvas=link.pitch.content, url=lambda _picture: "")
    chosen = {p.id for p in (placed.logo, placed.logo_dark, placed.cover) if p is not None}
    chosen |= {p.id for p in (*placed.screenshots, *placed.headshots)}
    chosen |= custom_pictures(link.pitch.content)
    return picture_get(pitch=link.pitch, picture_id=picture_id) if picture_id in chosen else None


def share_example_get(*, link: ShareLink, example_id: int) -> DemoExample | None:
    """An image example of a live demo slide of the link's deck, or None."""
    return (
        DemoExample.objects.filter(pk=example_id, demo_model__pitch_id=link.pitch_id, demo_model__on_slide=True)
        .exclude(image="")
        .first()
    )


def _ready_exports(pitch_id: int) -> QuerySet[DeckExport]:
    return (
        DeckExport.objects.filter(pitch_id=pitch_id, status=DeckExport.Status.READY)
        .exclude(file="")
        .select_related("revision", "created_by")
        # nulls_last: PostgreSQL puts NULLs first in a descending order, SQLite last; a ready export has a
        # finished_at, but one made before that field was set must not outrank every real one.
        .order_by(F("finished_at").desc(nulls_last=True), "-created_at", "-id")
    )


# The format a "newest" mode follows: the newest PDF export, or the newest PowerPoint export.
NEWEST_FORMAT: dict[str, str] = {
    ShareLink.Pdf.NEWEST: DeckExport.Format.PDF,
    ShareLink.Pdf.NEWEST_PPTX: DeckExport.Format.PPTX,
}


def share_pdf(*, link: ShareLink) -> DeckExport | None:
    """The file the link carries: the newest finished export of its format (a PDF for "newest", a PowerPoint file
    for "newest_pptx"), or the one chosen (while it exists); else None."""
    if link.pdf_mode in NEWEST_FORMAT:
        return _ready_exports(link.pitch_id).filter(format=NEWEST_FORMAT[link.pdf_mode]).first()
    if link.pdf_mode == ShareLink.Pdf.PINNED and link.pdf_export_id is not None:
        return _ready_exports(link.pitch_id).filter(pk=link.pdf_export_id).first()
    return None


def share_export_choices(*, pitch: Pitch, limit: int = 20) -> list[DeckExport]:
    """The finished exports a link may carry, newest first, each with ``changes_behind`` set (export_staleness)."""
    exports = list(_ready_exports(pitch.pk)[:limit])
    for export in exports:
        export.changes_behind = export_staleness(export=export, pitch=pitch)  # type: ignore[attr-defined]
    return exports


def export_staleness(*, export: DeckExport, pitch: Pitch) -> int:
    """How many changes the canvas has had since ``export`` was made: canvas versions after the export's revision
    (every saved write of a unit, a rename or a restore makes one version). 0: the PDF shows the canvas as it is."""
    return max(0, pitch.version - export.revision.version)


@dataclass(frozen=True)
class SharedPdf:
    """What a link's PDF is right now, for the share panel, the analytics and the API."""

    mode: str
    export: DeckExport | None
    changes_behind: int
    missing: bool  # a chosen export that is gone (deleted) or no longer finished: the link serves no PDF
    newer: DeckExport | None  # for a pinned link: a newer finished export of the same format it could switch to


def share_file_format(*, link: ShareLink, export: DeckExport | None) -> str:
    """The format of the file a link offers: its export's, else the one its "newest" mode waits for."""
    if export is not None:
        return export.format
    return NEWEST_FORMAT.get(link.pdf_mode, DeckExport.Format.PDF)


def shared_pdf_state(*, link: ShareLink, pitch: Pitch) -> SharedPdf:
    export = share_pdf(link=link)
    behind = export_staleness(export=export, pitch=pitch) if export is not None else 0
    newer = None
    if link.pdf_mode == ShareLink.Pdf.PINNED and export is not None:
        newest = _ready_exports(pitch.pk).filter(format=export.format).first()
        newer = newest if newest is not None and newest.pk != export.pk else None
    missing = link.pdf_mode == ShareLink.Pdf.PINNED and export is None
    return SharedPdf(mode=link.pdf_mode, export=export, changes_behind=behind, missing=missing, newer=newer)


# ---------- analytics ----------


def share_analytics(*, link: ShareLink, lang: str = "en") -> Analytics:
    """Views, unique viewers, last view and time per slide, in the order of the deck as it is now."""
    slides = [(slide.key, slide.title or link.pitch.name) for slide in share_deck(link=link, lang=lang).slides]
    visits = ShareVisit.objects.filter(link=link).values_list("id", "viewer", "last_seen_at")
    rows = SlideDwell.objects.filter(visit__link=link).values_list("visit_id", "slide_key", "ms")
    return analytics_of(slides=slides, visits=visits, rows=rows)
