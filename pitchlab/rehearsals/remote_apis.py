"""The phone remote's API: the phone sends commands, the presenter view publishes its state; both long-poll.

The handlers are async (adrf): a long-poll awaits Redis on the event loop and holds no thread while it waits,
and each one that may wait holds one of its account's open waits (core/open_waits.py: 429 beyond the cap; the
slot is given back when the wait ends, or when the client goes away and Django cancels the view).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pitchlab.core import open_waits
from pitchlab.core.async_views import AsyncAPIView
from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.access import Action, pitch_roles, require_role
from pitchlab.rehearsals import remote
from pitchlab.rehearsals.apis import checked


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


def _slot(request: Request, waits: bool) -> contextlib.AbstractAsyncContextManager[None]:
    """One of the account's open waits for a call that may wait; nothing to hold for one that answers at once."""
    return open_waits.held(f"user:{request.user.pk}") if waits else contextlib.nullcontext()


class RemoteApi(AsyncAPIView):
    """The access check runs in the thread hop adrf makes for ``initial``, with the authentication: one hop per
    call, none while it waits. It reads the pitch's roles from their snapshot in the cache (pitches/access.py,
    ``pitch_roles``), as the other live calls do, so a press costs no query. When the snapshot is not there the
    database answers, on the shared pool of pitchlab/asgi.py, which closes that step's connection: a long-poll
    holds none while it waits."""

    pitch_id: int

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        roles = pitch_roles(pitch_id=kwargs["pitch_id"])
        role = roles.role(request.user) if roles is not None else None
        require_role(role, action=Action.PRESENT, missing=_("No such pitch."))
        self.pitch_id = kwargs["pitch_id"]


class RemoteCommandIn(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=remote.ACTIONS)
    slide = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


WAIT_PARAMS = [
    OpenApiParameter("after", str, description="The id (or version) this client saw last."),
    OpenApiParameter("wait", float, description="Seconds to wait for something new (long-poll), 0 to 20."),
]


class RemoteCommandsApi(RemoteApi):
    @extend_schema(
        operation_id="remote_commands_wait",
        parameters=WAIT_PARAMS,
        responses=inline_serializer(
            "RemoteCommands",
            {"commands": serializers.ListField(child=serializers.DictField()), "last": serializers.CharField()},
        ),
        description="The presenter view's long-poll for what the phone remote sent.",
    )
    async def get(self, request: Request, pitch_id: int) -> Response:
        wait = _wait(request)
        after = remote.cursor(request.query_params.get("after"))
        async with _slot(request, wait > 0):
            commands, last = await remote.acommands_wait(pitch_id=self.pitch_id, after=after, wait=wait)
        return Response({"commands": commands, "last": last})

    @extend_schema(
        operation_id="remote_commands_send",
        request=RemoteCommandIn,
        responses={202: inline_serializer("RemoteCommandSent", {"id": serializers.CharField()})},
    )
    async def post(self, request: Request, pitch_id: int) -> Response:
        data = checked(RemoteCommandIn(data=request.data))
        entry_id = await remote.acommand_send(pitch_id=self.pitch_id, action=data["action"], slide=data["slide"])
        return Response({"id": entry_id}, status=status.HTTP_202_ACCEPTED)


class RemoteStateApi(RemoteApi):
    @extend_schema(
        operation_id="remote_state_wait",
        parameters=WAIT_PARAMS,
        responses=inline_serializer(
            "RemoteState", {"version": serializers.CharField(), "state": serializers.DictField(allow_null=True)}
        ),
        description="The phone's long-poll for the presenter's state (slide, notes, timers).",
    )
    async def get(self, request: Request, pitch_id: int) -> Response:
        wait = _wait(request)
        after = remote.cursor(request.query_params.get("after"))
        async with _slot(request, wait > 0 and after is not None):
            version, state = await remote.astate_wait(pitch_id=self.pitch_id, after=after, wait=wait)
        return Response({"version": version, "state": state})

    @extend_schema(operation_id="remote_state_put", request=OpenApiTypes.OBJECT, responses={204: None})
    async def put(self, request: Request, pitch_id: int) -> Response:
        if not isinstance(request.data, dict):
            raise ApplicationError("The state must be a JSON object.", extra={"field": "state"})
        await remote.astate_put(pitch_id=self.pitch_id, state=dict(request.data))
        return Response(status=status.HTTP_204_NO_CONTENT)
