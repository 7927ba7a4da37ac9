from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.decks.models import DeckExport
from pitchlab.decks.powerpoint import PPTX_TYPE
from pitchlab.decks.preflight import pitch_preflight, preflight_lang, preflight_require
from pitchlab.decks.selectors import PDF_TYPE, export_content_type, export_file_name, export_get, export_list
from pitchlab.decks.services import export_create, export_retry, export_sent, pitch_deck, pitch_stage_models
from pitchlab.decks.slides import deck_slide_listing
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch
from pitchlab.pitches.canvas import DECK_THEMES as THEMES


class ExportOutput(serializers.ModelSerializer[DeckExport]):
    download_url = serializers.SerializerMethodField()
    pitch_version = serializers.IntegerField(source="revision.version")
    created_by = serializers.SerializerMethodField(help_text="the username of who started it; null: unknown")

    class Meta:
        model = DeckExport
        fields = [
            "id",
            "status",
            "format",
            "progress",
            "error",
            "theme",
            "lang",
            "pages",
            "attempts",
            "pitch_version",
            "download_url",
            "created_at",
            "created_by",
            "finished_at",
        ]

    def get_created_by(self, export: DeckExport) -> str | None:
        return export.created_by.get_username() if export.created_by else None

    def get_download_url(self, export: DeckExport) -> str | None:
        # The API's own download (token or session); the page's link keeps /exports/{id}/download/.
        ready = export.status == DeckExport.Status.READY
        return reverse("api-export-download", args=[export.pk]) if ready else None


class PreflightAckIn(serializers.Serializer[Any]):
    """What a caller that creates an export or a share link saw of the pre-flight (with its "… anyway" flag)."""

    preflight_fingerprint = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="the fingerprint of the pre-flight list the caller saw: goes ahead only while it is unchanged",
    )


class ExportInput(PreflightAckIn):
    theme = serializers.ChoiceField(
        choices=THEMES,
        required=False,
        allow_null=True,
        default=None,
        help_text="the deck's own theme when left out",
        # DRF's default message does not say what would be accepted.
        error_messages={
            "invalid_choice": format_lazy(
                _('"{{input}}" is not a theme. The themes are: {themes}.'), themes=", ".join(THEMES)
            )
        },
    )
    lang = serializers.ChoiceField(choices=["en", "zh"], required=False, default="en")
    format = serializers.ChoiceField(
        choices=DeckExport.Format.choices,
        required=False,
        default=DeckExport.Format.PDF,
        help_text="pdf: a PDF; pptx: a PowerPoint file an office suite edits (native charts, notes in the notes pane)",
        error_messages={
            "invalid_choice": format_lazy(
                _('"{{input}}" is not an export format. The formats are: {formats}.'),
                formats=", ".join(DeckExport.Format.values),
            )
        },
    )
    export_anyway = serializers.BooleanField(
        required=False, default=False, help_text="true: export although the pre-flight has open findings"
    )


class DeckPreflightItemOut(serializers.Serializer[Any]):
    code = serializers.CharField(
        help_text="hype, absolute, unbacked_growth, unbacked_accuracy, unmitigated_risk, small_sample, "
        "eval_overlap, sample_model_result or empty_slide"
    )
    severity = serializers.ChoiceField(choices=["warning", "info"])
    message = serializers.CharField(help_text="in ?lang= or the caller's language")
    excerpt = serializers.CharField(allow_blank=True)
    path = serializers.CharField(help_text="the canvas unit to fix")
    slide = serializers.CharField(allow_blank=True, help_text="an empty slide's key; empty for other findings")
    fix_url = serializers.CharField(help_text="the editor with that unit's field focused")


class DeckPreflightOut(serializers.Serializer[Any]):
    findings = DeckPreflightItemOut(many=True)
    fingerprint = serializers.CharField(help_text="send it back as preflight_fingerprint to acknowledge this list")


PREFLIGHT_409 = OpenApiResponse(
    description="The pre-flight has open findings and nothing acknowledged them: nothing was done; "
    "extra holds the same findings and fingerprint as GET /api/pitches/{id}/preflight/ (DeckPreflightOut)",
)


def request_lang(request: Request) -> str:
    """?lang=en|zh, else the caller's language (the pre-flight's messages are in it)."""
    return preflight_lang(request.query_params.get("lang"))


class PitchPreflightApi(APIView):
    @extend_schema(
        operation_id="pitch_preflight",
        parameters=[OpenApiParameter("lang", str, enum=["en", "zh"], description="the messages' language")],
        responses=DeckPreflightOut,
        description="What an investor would hold against the pitch as it is now: hype and absolute wording, "
        "claims without figures, unmitigated high risks, small-sample metrics, empty slides; each with a fix link. "
        "Exports and new share links answer 409 with this list until it is empty or acknowledged.",
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        return Response(DeckPreflightOut(pitch_preflight(pitch=pitch, lang=request_lang(request)).as_json()).data)


class DeckSlideOut(serializers.Serializer[Any]):
    number = serializers.IntegerField(help_text="the slide's position in the deck, from 1")
    key = serializers.CharField(help_text="the slide's stable name: its kind, custom-<id> or demo-<model id>")
    row = serializers.CharField(help_text="the deck.slides row it comes from: its kind or custom-<id>")
    kind = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    layout = serializers.CharField(help_text="the layout it is drawn in")
    layouts = serializers.ListField(
        child=serializers.CharField(), help_text="the layouts the row may choose (the default first); [] for none"
    )
    chosen = serializers.BooleanField(help_text="true: the founder chose the layout; false: the content did")
    seconds = serializers.IntegerField()
    notes = serializers.CharField(allow_blank=True)
    hidden = serializers.BooleanField(help_text="always false here: hidden rows are listed under hidden")


class HiddenSlideOut(serializers.Serializer[Any]):
    row = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField(allow_blank=True, help_text="the founder's title; blank: the default")
    layout = serializers.CharField(allow_blank=True, help_text="the founder's layout; blank: automatic")
    layouts = serializers.ListField(child=serializers.CharField())
    hidden = serializers.BooleanField(help_text="always true")


class OmittedSlideOut(serializers.Serializer[Any]):
    kind = serializers.CharField()
    reason = serializers.CharField(help_text="why it is left out, in ?lang=")


class DeckSlidesOut(serializers.Serializer[Any]):
    slides = DeckSlideOut(many=True)
    hidden = HiddenSlideOut(many=True)
    omitted = OmittedSlideOut(many=True)


class DeckSlidesApi(APIView):
    @extend_schema(
        operation_id="deck_slides",
        parameters=[OpenApiParameter("lang", str, enum=["en", "zh"], description="the titles' and reasons' language")],
        responses=DeckSlidesOut,
        description="The deck's slides as they are now, in order, each with its layout and the layouts it may "
        "take; the rows the founder hid; the slide kinds left out for want of content (and why). Read only: the "
        'settings are written through PATCH /api/pitches/{id}/canvas/ on "deck.slides".',
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        deck = pitch_deck(pitch=pitch, lang=request_lang(request), demos=pitch_stage_models(pitch=pitch))
        return Response(DeckSlidesOut(deck_slide_listing(deck, pitch.content)).data)


def _export(request: Request, export_id: int) -> DeckExport:
    return export_get(export_id=export_id, user=request.user, action=Action.EXPORT)


class PitchExportsApi(APIView):
    @extend_schema(operation_id="exports_list", responses=ExportOutput(many=True))
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(
            ExportOutput(export_list(pitch=api_pitch(request, pitch_id, Action.EXPORT))[:20], many=True).data
        )

    @extend_schema(
        operation_id="exports_create",
        request=ExportInput,
        responses={
            202: ExportOutput,
            409: PREFLIGHT_409,
            503: OpenApiResponse(description="The task queue is down; nothing started"),
        },
        description="Queues an export of the pitch as it is now, a PDF or (format pptx) a PowerPoint file; poll "
        "GET /api/exports/{id}/. With open "
        "pre-flight findings it needs export_anyway or the list's preflight_fingerprint (else 409 with the list).",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EXPORT)
        data = ExportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        preflight_require(
            pitch=pitch,
            lang=request_lang(request),
            anyway=values["export_anyway"],
            fingerprint=values["preflight_fingerprint"],
        )
        export = export_sent(
            export=export_create(
                pitch=pitch,
                theme=values["theme"],
                lang=values["lang"],
                format=values["format"],
                user=request.user,  # type: ignore[arg-type]
            )
        )
        return Response(ExportOutput(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailApi(APIView):
    @extend_schema(operation_id="exports_retrieve", responses=ExportOutput)
    def get(self, request: Request, export_id: int) -> Response:
        return Response(ExportOutput(_export(request, export_id)).data)


class ExportRetryApi(APIView):
    @extend_schema(
        operation_id="exports_retry",
        request=None,
        responses={
            202: ExportOutput,
            409: OpenApiResponse(description="Only a failed export can be retried"),
            503: OpenApiResponse(description="The task queue is down; nothing started"),
        },
    )
    def post(self, request: Request, export_id: int) -> Response:
        export = _export(request, export_id)
        if export.status != DeckExport.Status.FAILED:
            return Response(
                {"message": "Only a failed export can be retried.", "extra": {"status": export.status}},
                status=status.HTTP_409_CONFLICT,
            )
        export = export_sent(export=export_retry(export=export))
        return Response(ExportOutput(export).data, status=status.HTTP_202_ACCEPTED)


class _FileNegotiation(DefaultContentNegotiation):
    """A download answers its file whatever the Accept header asks (application/pdf, the .pptx type, */*); errors
    stay JSON."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        try:
            chosen: tuple[BaseRenderer, str] = super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], str(renderers[0].media_type)
        return chosen


class ExportDownloadApi(APIView):
    """The export's file (PDF or .pptx) for any API client allowed to see the export (token or session)."""

    content_negotiation_class = _FileNegotiation

    @extend_schema(
        operation_id="exports_download",
        responses={
            (200, PDF_TYPE): OpenApiTypes.BINARY,
            (200, PPTX_TYPE): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The export is not ready (queued, rendering or failed)"),
        },
        description="The file of a finished export: a PDF (application/pdf) or, for format pptx, a PowerPoint file "
        f"({PPTX_TYPE}). 409 with the export's status while it is not ready.",
    )
    def get(self, request: Request, export_id: int) -> HttpResponseBase:
        export = _export(request, export_id)
        if export.status != DeckExport.Status.READY or not export.file:
            return Response(
                {"message": "The export is not ready yet.", "extra": {"status": export.status}},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            handle = export.file.open("rb")
        except FileNotFoundError:
            return Response(
                {"message": "The export's file is gone; export again.", "extra": {"status": export.status}},
                status=status.HTTP_409_CONFLICT,
            )
        return FileResponse(
            handle, as_attachment=True, filename=export_file_name(export), content_type=export_content_type(export)
        )
