"""The phone remote's API: the phone sends commands, the presenter view publishes its state; both long-poll."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch
from pitchlab.rehearsals import remote
from pitchlab.rehearsals.apis import checked


def _release_database() -> None:
    """Give the database connection back before a long-poll: it may wait 20 s on Redis and needs no rows, and
    a connection held per waiting phone and presenter would count against the database's limit."""
    if not connection.in_atomic_block:
        connection.close()


def _wait(request: Request) -> float:
    raw = request.query_params.get("wait", "0")
    try:
        wait = float(raw)
    except ValueError:
        raise ApplicationError("wait must be a number of seconds.", extra={"field": "wait"}) from None
    if not 0 <= wait <= settings.REMOTE_WAIT_SECONDS:
        raise ApplicationError(
            f"wait must be between 0 and {settings.REMOTE_WAIT_SECONDS} seconds.", extra={"field": "wait"}
        )
    return wait


class RemoteCommandIn(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=remote.ACTIONS)
    slide = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


WAIT_PARAMS = [
    OpenApiParameter("after", str, description="The id (or version) this client saw last."),
    OpenApiParameter("wait", float, description="Seconds to wait for something new (long-poll), 0 to 20."),
]


class RemoteCommandsApi(APIView):
    @extend_schema(
        operation_id="remote_commands_wait",
        parameters=WAIT_PARAMS,
        responses=inline_serializer(
            "RemoteCommands",
            {"commands": serializers.ListField(child=serializers.DictField()), "last": serializers.CharField()},
        ),
        description="The presenter view's long-poll for what the phone remote sent.",
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.PRESENT)
        wait = _wait(request)
        _release_database()
        commands, last = remote.commands_wait(pitch_id=pitch.pk, after=request.query_params.get("after"), wait=wait)
        return Response({"commands": commands, "last": last})

    @extend_schema(
        operation_id="remote_commands_send",
        request=RemoteCommandIn,
        responses={202: inline_serializer("RemoteCommandSent", {"id": serializers.CharField()})},
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.PRESENT)
        data = checked(RemoteCommandIn(data=request.data))
        entry_id = remote.command_send(pitch_id=pitch.pk, action=data["action"], slide=data["slide"])
        return Response({"id": entry_id}, status=status.HTTP_202_ACCEPTED)


class RemoteStateApi(APIView):
    @extend_schema(
        operation_id="remote_state_wait",
        parameters=WAIT_PARAMS,
        responses=inline_serializer(
            "RemoteState", {"version": serializers.CharField(), "state": serializers.DictField(allow_null=True)}
        ),
        description="The phone's long-poll for the presenter's state (slide, notes, timers).",
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.PRESENT)
        wait = _wait(request)
        _release_database()
        version, state = remote.state_wait(pitch_id=pitch.pk, after=request.query_params.get("after"), wait=wait)
        return Response({"version": version, "state": state})

    @extend_schema(operation_id="remote_state_put", request=OpenApiTypes.OBJECT, responses={204: None})
    def put(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.PRESENT)
        if not isinstance(request.data, dict):
            raise ApplicationError("The state must be a JSON object.", extra={"field": "state"})
        remote.state_put(pitch_id=pitch.pk, state=dict(request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)
