"""The owner's API for share links: one class per resource, input checked here, work done in services.

Only the pitch's owner shares: a member gets 403 with the reason, anyone else 404 (pitches/access.py).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.decks.apis import PREFLIGHT_409, PreflightAckIn
from pitchlab.decks.models import DeckExport
from pitchlab.decks.preflight import preflight_lang, preflight_require
from pitchlab.pitches.access import Action, pitch_for
from pitchlab.sharing import services
from pitchlab.sharing.models import LABEL_MAX_LENGTH, ShareLink
from pitchlab.sharing.selectors import (
    export_staleness,
    share_analytics,
    share_export_choices,
    share_link_for,
    share_link_list,
    share_url,
    shared_pdf_state,
)

# Beyond the errors every operation documents (pitchlab/core/schema.py): why a teammate gets 403 here.
_ERRORS = {403: OpenApiResponse(description="A member of the pitch, but only its owner shares it")}


class ShareExportOut(serializers.ModelSerializer[DeckExport]):
    """A finished export a link may carry, with how far the canvas has moved on since."""

    pitch_version = serializers.IntegerField(source="revision.version")
    created_by = serializers.SerializerMethodField(help_text="who started the export (an editor's, or the owner's)")
    changes_behind = serializers.SerializerMethodField(
        help_text="canvas versions since the export (each saved change makes one); 0: it shows the canvas as it is"
    )

    class Meta:
        model = DeckExport
        fields = [
            "id",
            "format",
            "theme",
            "lang",
            "pages",
            "pitch_version",
            "created_at",
            "finished_at",
            "created_by",
            "changes_behind",
        ]

    def get_created_by(self, export: DeckExport) -> str | None:
        return export.created_by.get_username() if export.created_by else None

    def get_changes_behind(self, export: DeckExport) -> int:
        return export_staleness(export=export, pitch=export.pitch)


class SharedPdfOut(serializers.Serializer[Any]):
    export = ShareExportOut(allow_null=True, help_text="the file (PDF or PowerPoint) viewers get now; null: none")
    stale = serializers.BooleanField(help_text="the PDF is older than the canvas")
    changes_behind = serializers.IntegerField()
    missing = serializers.BooleanField(help_text="the chosen export is gone: the link serves no PDF until changed")
    newer_export = serializers.IntegerField(
        allow_null=True, help_text="a pinned link: the id of a newer finished export it could switch to"
    )


class ShareLinkOut(serializers.ModelSerializer[ShareLink]):
    url = serializers.SerializerMethodField()
    include_pdf = serializers.BooleanField(
        read_only=True, help_text="viewers are offered a file, PDF or PowerPoint (pdf is not none)"
    )
    pdf = serializers.ChoiceField(source="pdf_mode", choices=ShareLink.Pdf.choices, read_only=True)
    shared_pdf = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=ShareLink.State.choices, read_only=True)
    has_password = serializers.BooleanField(read_only=True)
    created_by = serializers.SerializerMethodField()
    views = serializers.IntegerField(source="view_count", read_only=True, default=0)
    unique_viewers = serializers.IntegerField(source="viewer_count", read_only=True, default=0)
    last_viewed_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "pitch",
            "label",
            "url",
            "state",
            "include_pdf",
            "pdf",
            "pdf_export",
            "shared_pdf",
            "pptx_notes",
            "has_password",
            "expires_at",
            "revoked_at",
            "created_at",
            "created_by",
            "views",
            "unique_viewers",
            "last_viewed_at",
        ]

    def get_url(self, link: ShareLink) -> str:
        return share_url(link, self.context.get("request"))

    def get_created_by(self, link: ShareLink) -> str | None:
        return link.created_by.get_username() if link.created_by else None

    @extend_schema_field(SharedPdfOut)
    def get_shared_pdf(self, link: ShareLink) -> dict[str, Any]:
        return shared_pdf_out(link)


def _shared_pdf(link: ShareLink) -> dict[str, Any]:
    """The link's PDF state as SharedPdfOut reads it."""
    state = shared_pdf_state(link=link, pitch=link.pitch)
    if state.export is not None:
        state.export.pitch = link.pitch
    return {
        "export": state.export,
        "stale": state.changes_behind > 0,
        "changes_behind": state.changes_behind,
        "missing": state.missing,
        "newer_export": state.newer.pk if state.newer is not None else None,
    }


def shared_pdf_out(link: ShareLink) -> dict[str, Any]:
    return dict(SharedPdfOut(_shared_pdf(link)).data)


class _ExpiryIn(serializers.Serializer[Any]):
    expires_at = serializers.DateTimeField(required=False, allow_null=True, help_text="null: never expires")
    expires_in_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=services.MAX_EXPIRY_DAYS
    )
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=services.PASSWORD_MAX_LENGTH,
        help_text=f'At least {services.PASSWORD_MIN_LENGTH} characters; "" for none. Stored hashed.',
    )

    def validate_expires_at(self, value: Any) -> Any:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("The expiry is in the past: choose a later date."))
        return value

    def validate_password(self, value: str) -> str:
        if value and len(value) < services.PASSWORD_MIN_LENGTH:
            raise serializers.ValidationError(
                _("A link password has at least %(min)d characters.") % {"min": services.PASSWORD_MIN_LENGTH}
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "expires_in_days" in attrs and "expires_at" in attrs:
            raise serializers.ValidationError(
                {"expires_in_days": _("Give either expires_at or expires_in_days, not both.")}
            )
        if "expires_in_days" in attrs:
            attrs["expires_at"] = services.expiry_in_days(attrs.pop("expires_in_days"))
        return attrs


_PDF_HELP = (
    "the file viewers may download besides the live web deck: none; newest: the newest finished PDF export; "
    "newest_pptx: the newest finished PowerPoint export; pinned: the export pdf_export (either format)"
)
_PPTX_NOTES_HELP = "true: a PowerPoint file the link gives keeps the speaker notes; false (default): empty notes panes"


class ShareLinkCreateIn(_ExpiryIn, PreflightAckIn):
    label = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.label
        required=False, allow_blank=True, default="", max_length=LABEL_MAX_LENGTH
    )
    pdf = serializers.ChoiceField(choices=ShareLink.Pdf.choices, required=False, allow_null=True, help_text=_PDF_HELP)
    pdf_export = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="the id of a finished export of this pitch"
    )
    include_pdf = serializers.BooleanField(required=False, default=False, help_text='older form of pdf="newest"')
    pptx_notes = serializers.BooleanField(required=False, default=False, help_text=_PPTX_NOTES_HELP)
    share_anyway = serializers.BooleanField(
        required=False, default=False, help_text="true: create the link although the pre-flight has open findings"
    )


class ShareLinkUpdateIn(_ExpiryIn):
    label = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.label
        required=False, allow_blank=True, max_length=LABEL_MAX_LENGTH
    )
    pdf = serializers.ChoiceField(choices=ShareLink.Pdf.choices, required=False, allow_null=True, help_text=_PDF_HELP)
    pdf_export = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="the id of a finished export of this pitch"
    )
    include_pdf = serializers.BooleanField(required=False, help_text='older form of pdf="newest" / "none"')
    pptx_notes = serializers.BooleanField(required=False, help_text=_PPTX_NOTES_HELP)
    revoked = serializers.BooleanField(required=False, help_text="true revokes the link for good")


class SlideStatOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    total_seconds = serializers.FloatField()
    average_seconds = serializers.FloatField(help_text="per visit that saw the slide")
    visits = serializers.IntegerField(help_text="visits that had the slide on screen")
    in_deck = serializers.BooleanField(help_text="false: seen, but the deck no longer has it")


class AnalyticsOut(serializers.Serializer[Any]):
    views = serializers.IntegerField()
    unique_viewers = serializers.IntegerField()
    last_viewed_at = serializers.DateTimeField(allow_null=True)
    total_seconds = serializers.FloatField()
    slides = SlideStatOut(many=True)
    shared_pdf = SharedPdfOut(help_text="the PDF the link carries and whether it is older than the canvas")


def _out(request: Request, link: ShareLink) -> dict[str, Any]:
    return dict(ShareLinkOut(link, context={"request": request}).data)


class ShareLinkListCreateApi(APIView):
    @extend_schema(operation_id="share_links_list", responses={200: ShareLinkOut(many=True), **_ERRORS})
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = pitch_for(user=request.user, pitch_id=pitch_id, action=Action.SHARE)
        links = share_link_list(pitch=pitch)
        return Response(ShareLinkOut(links, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="share_links_create",
        request=ShareLinkCreateIn,
        responses={201: ShareLinkOut, 409: PREFLIGHT_409, **_ERRORS},
        description="A new read-only link to the live web deck and, by pdf, no file, the newest PDF export, the "
        "newest PowerPoint export or one chosen export (pdf_export); a PowerPoint file has no speaker notes unless "
        "pptx_notes. With open pre-flight findings it needs share_anyway or the list's "
        "preflight_fingerprint (else 409 with the list, as GET /api/pitches/{id}/preflight/ gives it).",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = pitch_for(user=request.user, pitch_id=pitch_id, action=Action.SHARE)
        data = ShareLinkCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        preflight_require(
            pitch=pitch,
            lang=preflight_lang(request.query_params.get("lang")),
            anyway=values.pop("share_anyway"),
            fingerprint=values.pop("preflight_fingerprint"),
        )
        link = services.share_link_create(pitch=pitch, user=request.user, **values)  # type: ignore[arg-type]
        return Response(
            _out(request, share_link_for(user=request.user, link_id=link.pk)), status=status.HTTP_201_CREATED
        )


class ShareLinkDetailApi(APIView):
    @extend_schema(operation_id="share_links_retrieve", responses={200: ShareLinkOut, **_ERRORS})
    def get(self, request: Request, link_id: int) -> Response:
        return Response(_out(request, share_link_for(user=request.user, link_id=link_id)))

    @extend_schema(
        operation_id="share_links_update",
        request=ShareLinkUpdateIn,
        responses={200: ShareLinkOut, **_ERRORS},
        description='Change the label, the file (pdf, pdf_export), pptx_notes, expiry or password ("" removes it), '
        'or revoke with {"revoked": true}. After a re-export, {"pdf_export": <new id>} moves a pinned link to it.',
    )
    def patch(self, request: Request, link_id: int) -> Response:
        link = share_link_for(user=request.user, link_id=link_id)
        data = ShareLinkUpdateIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.share_link_update(link=link, data=data.validated_data)
        return Response(_out(request, share_link_for(user=request.user, link_id=link_id)))

    @extend_schema(operation_id="share_links_destroy", responses={204: None, **_ERRORS})
    def delete(self, request: Request, link_id: int) -> Response:
        services.share_link_delete(link=share_link_for(user=request.user, link_id=link_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShareLinkAnalyticsApi(APIView):
    @extend_schema(
        operation_id="share_links_analytics",
        parameters=[OpenApiParameter("lang", str, enum=["en", "zh"], description="the language of slide titles")],
        responses={200: AnalyticsOut, **_ERRORS},
        description="Views, unique viewers, last view, and time per slide in the deck's order (?lang=en|zh titles).",
    )
    def get(self, request: Request, link_id: int) -> Response:
        link = share_link_for(user=request.user, link_id=link_id)
        lang = request.query_params.get("lang")
        analytics = share_analytics(link=link, lang=lang if lang in ("en", "zh") else "en")
        return Response(
            AnalyticsOut(
                {
                    "views": analytics.views,
                    "unique_viewers": analytics.unique_viewers,
                    "last_viewed_at": analytics.last_viewed_at,
                    "total_seconds": analytics.total_seconds,
                    "slides": analytics.slides,
                    "shared_pdf": _shared_pdf(link),
                }
            ).data
        )


class ShareExportListApi(APIView):
    @extend_schema(
        operation_id="share_links_exports",
        responses={200: ShareExportOut(many=True), **_ERRORS},
        description="The finished exports (PDF and PowerPoint) a link may carry (newest first): format, date, theme, "
        "language, pages, who "
        "made it, and how many canvas changes it is behind.",
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = pitch_for(user=request.user, pitch_id=pitch_id, action=Action.SHARE)
        exports = share_export_choices(pitch=pitch)
        for export in exports:
            export.pitch = pitch
        return Response(ShareExportOut(exports, many=True).data)
