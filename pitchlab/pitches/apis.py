from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.core.pagination import StrictLimitOffsetPagination
from pitchlab.pitches.access import Action, pitch_for
from pitchlab.pitches.models import NAME_MAX_LENGTH, Pitch
from pitchlab.pitches.selectors import pitch_list
from pitchlab.pitches.services import pitch_create, pitch_delete, pitch_rename


class PitchOutputSerializer(serializers.ModelSerializer[Pitch]):
    class Meta:
        model = Pitch
        fields = ["id", "name", "created_at", "updated_at"]


class PitchInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, help_text="The company's name.")


def api_pitch(request: Request, pitch_id: int, action: Action) -> Pitch:
    """The pitch for an API call if the caller may do ``action``: 404 without a role, 403 with a short one."""
    return pitch_for(user=request.user, pitch_id=pitch_id, action=action)


class PitchListCreateApi(APIView):
    # The list is paged (limit, offset); naming the class here also documents the page's envelope and parameters.
    pagination_class = StrictLimitOffsetPagination

    @extend_schema(operation_id="pitches_list", responses=PitchOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(pitch_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(PitchOutputSerializer(page, many=True).data)

    @extend_schema(operation_id="pitches_create", request=PitchInputSerializer, responses={201: PitchOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = PitchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pitch = pitch_create(owner=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(PitchOutputSerializer(pitch).data, status=status.HTTP_201_CREATED)


class PitchDetailApi(APIView):
    @extend_schema(operation_id="pitches_retrieve", responses=PitchOutputSerializer)
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(PitchOutputSerializer(api_pitch(request, pitch_id, Action.READ)).data)

    @extend_schema(operation_id="pitches_update", request=PitchInputSerializer, responses=PitchOutputSerializer)
    def put(self, request: Request, pitch_id: int) -> Response:
        return self._update(request, pitch_id, partial=False)

    @extend_schema(operation_id="pitches_partial_update", request=PitchInputSerializer, responses=PitchOutputSerializer)
    def patch(self, request: Request, pitch_id: int) -> Response:
        return self._update(request, pitch_id, partial=True)

    @extend_schema(operation_id="pitches_destroy", responses={204: None})
    def delete(self, request: Request, pitch_id: int) -> Response:
        pitch_delete(pitch=api_pitch(request, pitch_id, Action.DELETE))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, pitch_id: int, *, partial: bool) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EDIT)
        serializer = PitchInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            pitch = pitch_rename(pitch=pitch, name=serializer.validated_data["name"])
        return Response(PitchOutputSerializer(pitch).data)
