"""Demo models' progress as server-sent events (core/sse.py): the streaming twins of GET /api/demo-models/{id}/
(a model being prepared or trained) and GET /api/demo-models/{id}/evaluate/ (an evaluation running). Each event
carries the polling answer's JSON, made by the same code; a stream wakes on its task's result channel, on which
Celery's Redis result backend publishes every state (PROGRESS included), and reads again every second besides."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from pitchlab.core import sse
from pitchlab.demos import services
from pitchlab.demos.apis import _out
from pitchlab.demos.inference import result_channel
from pitchlab.demos.models import DemoModel
from pitchlab.demos.selectors import demo_model_get
from pitchlab.pitches.access import Action


def model_done(state: dict[str, Any]) -> bool:
    return state.get("status") != DemoModel.Status.PREPARING


def evaluation_done(state: dict[str, Any]) -> bool:
    return state.get("status") != "running"


def _model(request: Request, model_id: int) -> DemoModel:
    return demo_model_get(model_id=model_id, user=request.user, action=Action.READ)


class DemoModelEventsApi(sse.EventStreamApi):
    @extend_schema(
        operation_id="demo_models_events",
        responses=sse.schema_responses("the model as GET /api/demo-models/{id}/ answers it (status, progress)"),
        description="A demo model's status and its preparing or training progress as server-sent events, until "
        "it is ready or failed.",
    )
    async def get(self, request: Request, model_id: int) -> StreamingHttpResponse:
        def channels() -> list[str]:
            demo_model = _model(request, model_id)
            running = demo_model.status == DemoModel.Status.PREPARING and demo_model.task_id
            return [result_channel(demo_model.task_id)] if running else []

        def read() -> dict[str, Any]:
            return _out(request, [_model(request, model_id)])[0]

        return await sse.response(
            read_state=lambda: sse.lookup(read),
            done=model_done,
            subject=sse.user_subject(request),
            channels=await sse.lookup(channels),
        )


class DemoEvaluationEventsApi(sse.EventStreamApi):
    @extend_schema(
        operation_id="demo_evaluate_events",
        responses=sse.schema_responses("the evaluation as GET /api/demo-models/{id}/evaluate/ answers it"),
        description="A demo model's evaluation (status, progress, then its result) as server-sent events, until "
        "it is no longer running.",
    )
    async def get(self, request: Request, model_id: int) -> StreamingHttpResponse:
        def channels() -> list[str]:
            evaluation = _model(request, model_id).evaluation
            task_id = evaluation.get("task_id") if evaluation.get("status") == "running" else None
            return [result_channel(str(task_id))] if task_id else []

        def read() -> dict[str, Any]:
            evaluation = services.evaluation_refresh(demo_model=_model(request, model_id))
            return {key: value for key, value in evaluation.items() if key != "task_id"}

        return await sse.response(
            read_state=lambda: sse.lookup(read),
            done=evaluation_done,
            subject=sse.user_subject(request),
            channels=await sse.lookup(channels),
        )
