"""The canvas API: read and write any unit under the version rule, completeness, checks, growth, revisions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import FileResponse, HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.checklists.selectors import business_titles
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import PitchOutputSerializer, api_pitch
from pitchlab.pitches.canvas import get_unit, is_unit
from pitchlab.pitches.checks import check_canvas
from pitchlab.pitches.completeness import completeness
from pitchlab.pitches.documents import document_from, template_document, template_list
from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.portable import BUNDLE_MAX_BYTES, pitch_bundle_build
from pitchlab.pitches.read_model import canvas_view
from pitchlab.pitches.revision_parts import parts_since
from pitchlab.pitches.selectors import pitch_growth, revision_get, revision_list
from pitchlab.pitches.services import (
    pitch_duplicate,
    pitch_import,
    pitch_import_file,
    pitch_write,
    revision_create,
    revision_diff,
    revision_restore,
)
from pitchlab.pitches.tabular import parse_traction


class CanvasOutput(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    unit_versions = serializers.DictField(child=serializers.IntegerField())
    content = serializers.JSONField()
    completeness = serializers.JSONField()


def _canvas_json(pitch: Pitch) -> dict[str, Any]:
    return {
        "version": pitch.version,
        "unit_versions": pitch.unit_versions,
        "content": pitch.content,
        "completeness": completeness(canvas_view(pitch.content)),
    }


class BaseVersionField(serializers.IntegerField):
    """A pitch version as the client read it: a JSON integer (a string of digits from a form), 0 or more.

    DRF's IntegerField also takes 3.0, "3.0" and " 3 ": a version is an exact counter, so those are refused.
    The upper bound, the pitch's current version, is checked under the row lock (services.pitch_write)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isascii() and data.isdigit())
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class CanvasWriteInput(serializers.Serializer[Any]):
    base_version = BaseVersionField(min_value=0, help_text="The pitch version your edit was based on.")
    changes = serializers.DictField(help_text='Unit path → new value, e.g. {"story.conflict": "…"}.')


class WriteOutput(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    unit_versions = serializers.DictField(child=serializers.IntegerField())
    completeness = serializers.JSONField()


# pitch_write's StaleWrite: nothing written; extra holds the current version and each conflicting unit's value.
STALE = OpenApiResponse(description="A unit changed after base_version; extra.conflicts has its current value.")


class CanvasApi(APIView):
    @extend_schema(operation_id="canvas_retrieve", responses=CanvasOutput)
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(_canvas_json(api_pitch(request, pitch_id, Action.READ)))

    @extend_schema(
        operation_id="canvas_write",
        request=CanvasWriteInput,
        responses={200: WriteOutput, 409: STALE},
        description="Writes one or more units. 409 when a unit changed after base_version, with its current value.",
    )
    def patch(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EDIT)
        data = CanvasWriteInput(data=request.data)
        data.is_valid(raise_exception=True)
        pitch = pitch_write(pitch_id=pitch.pk, **data.validated_data)
        return Response(
            {
                "version": pitch.version,
                "unit_versions": {path: pitch.unit_versions[path] for path in data.validated_data["changes"]},
                "completeness": completeness(canvas_view(pitch.content)),
            }
        )


class UnitWriteInput(serializers.Serializer[Any]):
    base_version = BaseVersionField(min_value=0, help_text="The pitch version your edit was based on.")
    value = serializers.JSONField()


class CanvasUnitApi(APIView):
    """One unit (a story field, the traction rows, a checklist answer, …) at ``/canvas/<path>/``."""

    def _check(self, pitch: Pitch, path: str) -> None:
        if not is_unit(pitch.content, path):
            raise NotFound(f"No such part of the canvas: {path}.")

    @extend_schema(operation_id="canvas_unit_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pitch_id: int, path: str) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        self._check(pitch, path)
        return Response(
            {
                "path": path,
                "value": get_unit(pitch.content, path),
                "unit_version": pitch.unit_versions.get(path, 0),
                "version": pitch.version,
            }
        )

    @extend_schema(operation_id="canvas_unit_update", request=UnitWriteInput, responses={200: WriteOutput, 409: STALE})
    def put(self, request: Request, pitch_id: int, path: str) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EDIT)
        self._check(pitch, path)
        data = UnitWriteInput(data=request.data)
        data.is_valid(raise_exception=True)
        pitch = pitch_write(
            pitch_id=pitch.pk,
            changes={path: data.validated_data["value"]},
            base_version=data.validated_data["base_version"],
        )
        return Response(
            {
                "version": pitch.version,
                "unit_versions": {path: pitch.unit_versions[path]},
                "completeness": completeness(canvas_view(pitch.content)),
            }
        )


class CompletenessApi(APIView):
    @extend_schema(operation_id="canvas_completeness", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(completeness(canvas_view(api_pitch(request, pitch_id, Action.READ).content)))


class GrowthApi(APIView):
    @extend_schema(
        operation_id="canvas_growth",
        parameters=[OpenApiParameter("periods_ahead", int, description="1–120, default 3")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        ahead = serializers.IntegerField(min_value=1, max_value=120).run_validation(
            request.query_params.get("periods_ahead", 3)
        )
        return Response(pitch_growth(pitch=pitch, periods_ahead=ahead))


class ChecksApi(APIView):
    @extend_schema(operation_id="canvas_checks", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pitch_id: int) -> Response:
        content = api_pitch(request, pitch_id, Action.READ).content
        findings = check_canvas(canvas_view(content), titles=business_titles())
        return Response({"findings": [finding.as_json() for finding in findings]})


class TractionParseInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=200_000, trim_whitespace=False)
    default_metric = serializers.CharField(max_length=100, required=False, allow_null=True, default=None)


class TractionParseApi(APIView):
    """Reads pasted CSV or spreadsheet cells into traction rows; saving them is a separate canvas write."""

    @extend_schema(operation_id="traction_parse", request=TractionParseInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pitch_id: int) -> Response:
        api_pitch(request, pitch_id, Action.EDIT)
        data = TractionParseInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = parse_traction(data.validated_data["text"], default_metric=data.validated_data["default_metric"])
        return Response(
            {
                "rows": [asdict(row) for row in result.rows],
                "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in result.errors],
                # The rows of data the paste holds (no header, no blank line): read ones plus bad ones.
                "data_rows": result.data_rows,
                "bad_rows": result.bad_rows,
            }
        )


class RevisionOutput(serializers.ModelSerializer[PitchRevision]):
    class Meta:
        model = PitchRevision
        fields = ["id", "version", "name", "reason", "note", "created_at"]


class RevisionInput(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class RevisionListApi(APIView):
    @extend_schema(operation_id="revisions_list", responses=RevisionOutput(many=True))
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(RevisionOutput(revision_list(pitch=api_pitch(request, pitch_id, Action.READ)), many=True).data)

    @extend_schema(operation_id="revisions_create", request=RevisionInput, responses={201: RevisionOutput})
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EDIT)
        data = RevisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL, note=data.validated_data["note"])
        return Response(RevisionOutput(revision).data, status=status.HTTP_201_CREATED)


def _revision(request: Request, pitch_id: int, revision_id: int, action: Action) -> tuple[Pitch, PitchRevision]:
    pitch = api_pitch(request, pitch_id, action)
    revision = revision_get(pitch=pitch, revision_id=revision_id)
    if revision is None:
        raise NotFound("No such revision.")
    return pitch, revision


class RevisionDetailApi(APIView):
    @extend_schema(operation_id="revisions_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pitch_id: int, revision_id: int) -> Response:
        pitch, revision = _revision(request, pitch_id, revision_id, Action.READ)
        return Response(
            {
                **RevisionOutput(revision).data,
                "content": revision.content,
                "changes_since": revision_diff(old=revision.content, new=pitch.content),
                "parts_since": parts_since(revision=revision, pitch=pitch),
            }
        )


class RevisionRestoreApi(APIView):
    @extend_schema(operation_id="revisions_restore", request=None, responses=CanvasOutput)
    def post(self, request: Request, pitch_id: int, revision_id: int) -> Response:
        pitch, revision = _revision(request, pitch_id, revision_id, Action.EDIT)
        return Response(_canvas_json(revision_restore(pitch_id=pitch.pk, revision=revision)))


class PitchExportApi(APIView):
    @extend_schema(
        operation_id="pitches_export",
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "application/zip"): OpenApiTypes.BINARY},
        description="The pitch's JSON document; a zip of it (pitch.json) and its pictures (pictures/manifest.json "
        "and the files) when it has pictures.",
    )
    def get(self, request: Request, pitch_id: int) -> HttpResponseBase:
        pitch = api_pitch(request, pitch_id, Action.EXPORT)
        bundle = pitch_bundle_build(pitch=pitch)
        if bundle is not None:
            return FileResponse(
                bundle, as_attachment=True, filename=f"pitch-{pitch.pk}.zip", content_type="application/zip"
            )
        response = Response(document_from(name=pitch.name, content=pitch.content))
        response["Content-Disposition"] = f'attachment; filename="pitch-{pitch.pk}.json"'
        return response


class PitchImportApi(APIView):
    @extend_schema(
        operation_id="pitches_import",
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": {
                "type": "object",
                "properties": {"document": {"type": "string", "format": "binary"}},
                "required": ["document"],
            },
        },
        responses={201: PitchOutputSerializer},
        description="Creates a pitch from an export document (a JSON body), or from an export file sent as the "
        "multipart field `document`: the JSON file or the zip with its pictures. Results marked as measured arrive "
        "as the founder's own.",
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("document") if request.content_type.startswith("multipart/") else None
        if upload is not None:
            if upload.size is not None and upload.size > BUNDLE_MAX_BYTES:
                raise serializers.ValidationError(
                    {"document": [_("The file is larger than %(mb)d MB.") % {"mb": BUNDLE_MAX_BYTES // 1_000_000}]}
                )
            pitch = pitch_import_file(owner=request.user, data=upload.read(), name=upload.name or "")  # type: ignore[arg-type]
        else:
            pitch = pitch_import(owner=request.user, document=request.data)  # type: ignore[arg-type]
        return Response(PitchOutputSerializer(pitch).data, status=status.HTTP_201_CREATED)


class PitchDuplicateApi(APIView):
    @extend_schema(operation_id="pitches_duplicate", request=None, responses={201: PitchOutputSerializer})
    def post(self, request: Request, pitch_id: int) -> Response:
        copy = pitch_duplicate(pitch=api_pitch(request, pitch_id, Action.EXPORT), owner=request.user)  # type: ignore[arg-type]
        return Response(PitchOutputSerializer(copy).data, status=status.HTTP_201_CREATED)


class TemplateOut(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="POST /api/templates/{key}/use/ starts a pitch from it.")
    name = serializers.CharField()
    template_title_en = serializers.CharField()
    template_title_zh = serializers.CharField()
    template_description_en = serializers.CharField()
    template_description_zh = serializers.CharField()


class TemplateListApi(APIView):
    @extend_schema(operation_id="templates_list", responses=TemplateOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(template_list())


class TemplateUseApi(APIView):
    @extend_schema(operation_id="templates_use", request=None, responses={201: PitchOutputSerializer})
    def post(self, request: Request, key: str) -> Response:
        document = template_document(key)
        if document is None:
            raise NotFound("No such template.")
        pitch = pitch_import(owner=request.user, document=document)  # type: ignore[arg-type]
        return Response(PitchOutputSerializer(pitch).data, status=status.HTTP_201_CREATED)
