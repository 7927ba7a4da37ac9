"""Exports' progress as server-sent events: the streaming twins of GET /api/exports/{id}/ and of
GET /api/pitches/{id}/exports/ (core/sse.py). Each event carries the same JSON as the polling answer, read by
the same selector and serializer, so a page that falls back to polling sees the same thing."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from pitchlab.core import sse
from pitchlab.decks.apis import ExportOutput
from pitchlab.decks.models import DeckExport
from pitchlab.decks.selectors import export_get, export_list
from pitchlab.decks.services import exports_channel
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch

ACTIVE = (DeckExport.Status.QUEUED, DeckExport.Status.RENDERING)
LISTED = 20  # as many as GET /api/pitches/{id}/exports/ lists
# The worker announces every change of an export (decks/services.exports_channel): the streams look again at
# once, and on their own only this often (an announcement lost to a Redis hiccup, a change made elsewhere).
ANNOUNCED_INTERVAL_S = 5.0


def export_done(state: dict[str, Any]) -> bool:
    return state.get("status") not in ACTIVE


def exports_done(state: list[dict[str, Any]]) -> bool:
    return not any(export.get("status") in ACTIVE for export in state)


class ExportEventsApi(sse.EventStreamApi):
    @extend_schema(
        operation_id="exports_events",
        responses=sse.schema_responses("the export as GET /api/exports/{id}/ answers it"),
        description="The export's status and progress as server-sent events, until it is ready or failed.",
    )
    async def get(self, request: Request, export_id: int) -> StreamingHttpResponse:
        def read() -> dict[str, Any]:
            export = export_get(export_id=export_id, user=request.user, action=Action.EXPORT)
            return dict(ExportOutput(export).data)

        def pitch_of() -> int:
            return export_get(export_id=export_id, user=request.user, action=Action.EXPORT).pitch_id

        pitch_id = await sse.lookup(pitch_of)  # its announcements wake the stream (a stranger: 404 here)
        return await sse.response(
            read_state=lambda: sse.lookup(read),
            done=export_done,
            subject=sse.user_subject(request),
            channels=[exports_channel(pitch_id)],
            interval_s=ANNOUNCED_INTERVAL_S,
        )


class PitchExportEventsApi(sse.EventStreamApi):
    @extend_schema(
        operation_id="exports_list_events",
        responses=sse.schema_responses("the pitch's exports as GET /api/pitches/{id}/exports/ lists them"),
        description="The pitch's exports as server-sent events, whenever one of them changes, until none is "
        "queued or rendering.",
    )
    async def get(self, request: Request, pitch_id: int) -> StreamingHttpResponse:
        def read() -> list[dict[str, Any]]:
            pitch = api_pitch(request, pitch_id, Action.EXPORT)
            return list(ExportOutput(export_list(pitch=pitch)[:LISTED], many=True).data)

        return await sse.response(
            read_state=lambda: sse.lookup(read),
            done=exports_done,
            subject=sse.user_subject(request),
            channels=[exports_channel(pitch_id)],
            interval_s=ANNOUNCED_INTERVAL_S,
        )
