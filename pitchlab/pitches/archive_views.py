"""The archive of everything in a pitch (archive.py), for its owner: the API and the page's download link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.access import Action, pitch_for
from pitchlab.pitches.archive import archive_filename, pitch_archive_build
from pitchlab.pitches.models import Pitch


def archive_response(pitch: Pitch) -> FileResponse:
    """The zip as a download; the temporary file goes when the response is closed."""
    response = FileResponse(
        pitch_archive_build(pitch=pitch),
        as_attachment=True,
        filename=archive_filename(pitch=pitch),
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class PitchArchiveApi(APIView):
    @extend_schema(
        operation_id="pitches_archive",
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            403: OpenApiResponse(description="Only the pitch's owner takes its archive."),
            409: OpenApiResponse(description="A model changed while it was being copied; try again."),
            503: OpenApiResponse(description="The inference worker that holds the models did not answer."),
        },
        description=(
            "Everything of the pitch as one zip, for its owner only: pitch.json (the canvas in the export format, "
            "importable with POST /api/pitches/import/), its revisions, PDF exports, demo models with the folders "
            "of those trained or uploaded, curated example images, rehearsals, drill answers and members; "
            "manifest.json lists every file with its size and SHA-256."
        ),
    )
    def get(self, request: Request, pitch_id: int) -> FileResponse:
        return archive_response(pitch_for(user=request.user, pitch_id=pitch_id, action=Action.MANAGE))

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is a zip whatever the client accepts; errors come back as JSON, not a 406.
        return super().perform_content_negotiation(request, force=True)


@login_required
@require_GET
def pitch_archive_download(request: HttpRequest, pitch_id: int) -> HttpResponseBase:
    pitch = pitch_for(user=request.user, pitch_id=pitch_id, action=Action.MANAGE)
    try:
        return archive_response(pitch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("pitch-detail", pitch_id=pitch.pk)
