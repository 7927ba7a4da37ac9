"""The founder's API for live demos: one class per operation, input checked here, work done in services/live."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.core.async_views import AsyncAPIView
from pitchlab.core.exceptions import ApplicationError
from pitchlab.core.parsers import JSONParser, MultiPartParser  # a deep body or unstorable text is a 400
from pitchlab.demos import live, services
from pitchlab.demos.inputs import check_image, check_text, read_upload
from pitchlab.demos.live import DemoInput
from pitchlab.demos.lookups import LiveModel, demo_model_live
from pitchlab.demos.models import DemoExample, DemoModel
from pitchlab.demos.qr import loopback_warning, qr_svg, url_is_loopback
from pitchlab.demos.selectors import audience_link_open, audience_url, demo_model_get, demo_model_list, example_get
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch

# ---------- answers ----------


class LabelScore(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    score = serializers.FloatField()


class PredictionOut(serializers.Serializer[Any]):
    labels = LabelScore(many=True)
    latency_ms = serializers.FloatField()
    device = serializers.CharField()
    timings = serializers.DictField()
    model = serializers.CharField()


class ExplanationOut(PredictionOut):
    explanation = serializers.DictField(help_text="text: label, probability, words[]; image: grid and overlay")


class ExampleOut(serializers.ModelSerializer[DemoExample]):
    image_url = serializers.SerializerMethodField()

    class Meta:
        model = DemoExample
        fields = ["id", "text", "image_url", "expected_label", "position", "cached_output", "created_at"]

    def get_image_url(self, example: DemoExample) -> str | None:
        if not example.image:
            return None
        return reverse("api-demo-example-image", args=[example.demo_model_id, example.pk])


class AudienceLinkOut(serializers.Serializer[Any]):
    token = serializers.CharField()
    url = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
    qr_svg_url = serializers.CharField()
    reachable = serializers.BooleanField(help_text="False when the link names this computer only (loopback).")
    warning = serializers.CharField(help_text="What to do when a phone cannot open the link; empty when it can.")


class DemoModelOut(serializers.ModelSerializer[DemoModel]):
    progress = serializers.SerializerMethodField()
    trained_on_text = serializers.SerializerMethodField(
        help_text="What the model was trained on, its languages and labels, in one line of the request's language."
    )
    examples_count = serializers.SerializerMethodField()
    audience_link = serializers.SerializerMethodField()
    urls = serializers.SerializerMethodField()

    class Meta:
        model = DemoModel
        fields = [
            "id",
            "pitch",
            "name",
            "kind",
            "source",
            "status",
            "failure",
            "labels",
            "metrics",
            "trained_on",
            "trained_on_text",
            "device",
            "progress",
            "on_slide",
            "examples_count",
            "audience_link",
            "created_at",
            "urls",
        ]

    def get_progress(self, demo_model: DemoModel) -> dict[str, Any] | None:
        progress: dict[int, dict[str, Any] | None] = self.context.get("progress", {})
        return progress.get(demo_model.pk)

    def get_trained_on_text(self, demo_model: DemoModel) -> str:
        return demo_model.trained_on_text

    def get_examples_count(self, demo_model: DemoModel) -> int:
        return demo_model.examples.count()

    def get_audience_link(self, demo_model: DemoModel) -> dict[str, Any] | None:
        return audience_link_json(demo_model, self.context.get("request"))

    def get_urls(self, demo_model: DemoModel) -> dict[str, str]:
        names = ("predict", "explain", "examples", "preflight", "evaluate")
        urls = {name: reverse(f"api-demo-{name}", args=[demo_model.pk]) for name in names}
        for step in ("accept", "discard"):
            urls[f"evaluation_{step}"] = reverse(f"api-demo-evaluation-{step}", args=[demo_model.pk])
        return {**urls, "audience_link": reverse("api-audience-link", args=[demo_model.pk])}


def audience_link_json(demo_model: DemoModel, request: Request | None) -> dict[str, Any] | None:
    """The model's open audience link as the API shows it, or None."""
    link = audience_link_open(demo_model=demo_model)
    if link is None:
        return None
    url = audience_url(link, request)
    return {
        "token": link.token,
        "url": url,
        "expires_at": link.expires_at,
        "qr_svg_url": reverse("api-audience-link-qr", args=[demo_model.pk]),
        "reachable": not url_is_loopback(url),
        "warning": loopback_warning(url),
    }


def _model(request: Request, model_id: int, action: Action) -> DemoModel:
    return demo_model_get(model_id=model_id, user=request.user, action=action)


def _out(request: Request, demo_models: list[DemoModel]) -> list[dict[str, Any]]:
    """The models as JSON; a preparing one is settled from its task first, and carries its progress."""
    progress = {}
    for demo_model in demo_models:
        progress[demo_model.pk] = services.demo_model_refresh(demo_model=demo_model)
    return list(DemoModelOut(demo_models, many=True, context={"request": request, "progress": progress}).data)


def body(request: Request) -> Mapping[str, Any]:
    """The request's fields; a JSON body that is not an object is a 400, not a crash."""
    if not isinstance(request.data, Mapping):
        raise ApplicationError("The request body must be a JSON object (or a form).")
    return request.data


def demo_input(request: Request, kind: str) -> DemoInput:
    """The text (JSON ``text``) or image (multipart ``image``) of a live call, checked."""
    if kind == DemoModel.Kind.TEXT:
        return DemoInput(text=check_text(body(request).get("text")))
    upload = request.FILES.get("image")
    if upload is None:
        raise ApplicationError("Send the picture as a file named 'image' (multipart).", extra={"field": "image"})
    return DemoInput(image_png=check_image(read_upload(upload, limit=settings.DEMO_MAX_IMAGE_BYTES, what="image")))


async def ademo_input(request: Request, kind: str) -> DemoInput:
    """``demo_input`` on the event loop: a text is checked in place; a picture, decoded and shrunk by Pillow (tens
    of ms of CPU), in a thread."""
    if kind == DemoModel.Kind.TEXT:
        return demo_input(request, kind)
    return await sync_to_async(demo_input, thread_sensitive=False)(request, kind)


_INPUT = inline_serializer(
    "DemoInput", {"text": serializers.CharField(required=False), "image": serializers.FileField(required=False)}
)
# What a live call answers beyond the errors every operation documents (pitchlab/core/schema.py).
_ERRORS = {
    409: OpenApiResponse(description="The model is not ready"),
    503: OpenApiResponse(description="The inference worker did not answer within the budget"),
}


# ---------- models ----------


class DemoModelCreate(serializers.Serializer[Any]):
    source = serializers.ChoiceField(choices=DemoModel.Source.choices)  # type: ignore[assignment]
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DemoModel.Kind.choices, required=False)
    examples = serializers.ListField(child=serializers.DictField(), required=False)
    csv = serializers.FileField(required=False, help_text="examples as a CSV with the columns text,label")
    file = serializers.FileField(required=False, help_text="upload: a zip of a Hugging Face–format folder")


class DemoModelListCreateApi(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(operation_id="demo_models_list", responses=DemoModelOut(many=True))
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(_out(request, list(demo_model_list(pitch=api_pitch(request, pitch_id, Action.READ)))))

    @extend_schema(
        operation_id="demo_models_create",
        request=DemoModelCreate,
        responses={201: DemoModelOut, 202: DemoModelOut, **_ERRORS},
        description="Add a model: a sample ({source: sample, kind, name}), trained from examples ({source: examples, "
        "name, examples: [{text, label}]} or multipart csv), or uploaded (multipart source=upload, name, file=zip).",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EDIT)
        data = DemoModelCreate(data=request.data)
        data.is_valid(raise_exception=True)
        source, name = data.validated_data["source"], data.validated_data["name"]
        if source == DemoModel.Source.SAMPLE:
            kind = data.validated_data.get("kind")
            if kind is None:
                raise ApplicationError("Choose the sample: kind text or image.", extra={"field": "kind"})
            demo_model = services.demo_model_add_sample(pitch=pitch, kind=kind, name=name)
        elif source == DemoModel.Source.EXAMPLES:
            upload = request.FILES.get("csv")
            if upload is not None:
                raw = read_upload(upload, limit=settings.DEMO_MAX_DATASET_BYTES, what="CSV")
                examples: Any = services.read_examples_csv(raw)
            else:
                examples = body(request).get("examples")
            demo_model = services.demo_model_add_trained(pitch=pitch, name=name, examples=examples)
        else:
            upload = request.FILES.get("file")
            if upload is None:
                raise ApplicationError("Choose the zip of the model folder to upload.", extra={"field": "file"})
            raw = read_upload(upload, limit=settings.DEMO_MAX_MODEL_UPLOAD_BYTES, what="zip")
            demo_model = services.demo_model_add_upload(pitch=pitch, name=name, data=raw)
        ready = demo_model.status == DemoModel.Status.READY
        return Response(_out(request, [demo_model])[0], status=201 if ready else 202)


class DemoModelUpdate(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False)
    on_slide = serializers.BooleanField(required=False)


class DemoModelDetailApi(APIView):
    @extend_schema(operation_id="demo_models_retrieve", responses=DemoModelOut)
    def get(self, request: Request, model_id: int) -> Response:
        return Response(_out(request, [_model(request, model_id, Action.READ)])[0])

    @extend_schema(operation_id="demo_models_update", request=DemoModelUpdate, responses=DemoModelOut)
    def patch(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        data = DemoModelUpdate(data=request.data)
        data.is_valid(raise_exception=True)
        services.demo_model_update(demo_model=demo_model, **data.validated_data)
        return Response(_out(request, [demo_model])[0])

    @extend_schema(operation_id="demo_models_destroy", responses={204: None})
    def delete(self, request: Request, model_id: int) -> Response:
        services.demo_model_delete(demo_model=_model(request, model_id, Action.DELETE))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------- live calls ----------


# Asynchronous (adrf): authentication and the model's snapshot (one cache read, lookups.py) in ``initial``'s one
# thread hop, then the call awaited on the event loop, holding no thread while the model works.


class _LiveCallApi(AsyncAPIView):
    parser_classes = [JSONParser, MultiPartParser]
    demo_model: LiveModel

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.demo_model = demo_model_live(model_id=kwargs["model_id"], user=request.user, action=Action.PRESENT)


class DemoPredictApi(_LiveCallApi):
    @extend_schema(operation_id="demo_models_predict", request=_INPUT, responses={200: PredictionOut, **_ERRORS})
    async def post(self, request: Request, model_id: int) -> Response:
        payload = await ademo_input(request, self.demo_model.kind)
        return Response(await live.apredict(demo_model=self.demo_model, demo_input=payload))


class DemoExplainApi(_LiveCallApi):
    @extend_schema(operation_id="demo_models_explain", request=_INPUT, responses={200: ExplanationOut, **_ERRORS})
    async def post(self, request: Request, model_id: int) -> Response:
        payload = await ademo_input(request, self.demo_model.kind)
        return Response(await live.aexplain(demo_model=self.demo_model, demo_input=payload))


# ---------- curated examples ----------


class ExampleIn(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True)
    image = serializers.FileField(required=False)
    expected_label = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DemoExampleListCreateApi(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(operation_id="demo_examples_list", responses=ExampleOut(many=True))
    def get(self, request: Request, model_id: int) -> Response:
        return Response(ExampleOut(_model(request, model_id, Action.READ).examples.all(), many=True).data)

    @extend_schema(operation_id="demo_examples_create", request=ExampleIn, responses={201: ExampleOut, **_ERRORS})
    def post(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        given = demo_input(request, demo_model.kind)
        example = services.example_add(
            demo_model=demo_model,
            text=given.text or "",
            image_png=given.image_png,
            expected=body(request).get("expected_label", ""),
        )
        return Response(ExampleOut(example).data, status=status.HTTP_201_CREATED)


def _example(request: Request, model_id: int, example_id: int, action: Action) -> DemoExample:
    example = example_get(demo_model=_model(request, model_id, action), example_id=example_id)
    if example is None:
        raise NotFound("No such example.")
    return example


class DemoExampleDetailApi(APIView):
    @extend_schema(operation_id="demo_examples_destroy", responses={204: None})
    def delete(self, request: Request, model_id: int, example_id: int) -> Response:
        services.example_delete(example=_example(request, model_id, example_id, Action.EDIT))
        return Response(status=status.HTTP_204_NO_CONTENT)


def image_response(example: DemoExample) -> FileResponse:
    if not example.image:
        raise NotFound("This example has no image.")
    response = FileResponse(example.image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


class DemoExampleImageApi(APIView):
    @extend_schema(operation_id="demo_examples_image", responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request: Request, model_id: int, example_id: int) -> FileResponse:
        return image_response(_example(request, model_id, example_id, Action.READ))


# ---------- stage insurance ----------


class PreflightIn(serializers.Serializer[Any]):
    capacity = inline_serializer(
        "CapacityIn",
        {"users": serializers.IntegerField(default=30), "seconds": serializers.IntegerField(default=20)},
        required=False,
    )


class PreflightOut(serializers.Serializer[Any]):
    preflight = serializers.DictField()
    capacity = serializers.DictField()


class DemoPreflightApi(APIView):
    @extend_schema(operation_id="demo_preflight_retrieve", responses=PreflightOut)
    def get(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.READ)
        return Response({"preflight": demo_model.preflight, "capacity": demo_model.capacity})

    @extend_schema(
        operation_id="demo_preflight_run",
        request=PreflightIn,
        responses={200: PreflightOut, 202: PreflightOut, **_ERRORS},
        description="Run every curated example and store its output as the slide's fallback; with 'capacity', "
        "also start a capacity rehearsal (simulated audience members at the audience's rate limit).",
    )
    def post(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        capacity = body(request).get("capacity")
        if capacity is not None and not isinstance(capacity, dict):
            raise ApplicationError("capacity must be an object with users and seconds.")
        report = live.preflight(demo_model=demo_model)
        if capacity is None:
            return Response({"preflight": report, "capacity": demo_model.capacity})
        started = live.capacity_start(
            demo_model=demo_model, users=capacity.get("users", 30), seconds=capacity.get("seconds", 20)
        )
        return Response({"preflight": report, "capacity": started}, status=status.HTTP_202_ACCEPTED)


class EvaluateIn(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV (text,label) for a text model; zip of label folders for images")
    name = serializers.CharField(required=False, help_text="the dataset's name")


class DemoEvaluateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="demo_evaluate_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, model_id: int) -> Response:
        evaluation = services.evaluation_refresh(demo_model=_model(request, model_id, Action.READ))
        return Response({key: value for key, value in evaluation.items() if key != "task_id"})

    @extend_schema(
        operation_id="demo_evaluate_start", request=EvaluateIn, responses={202: OpenApiTypes.OBJECT, **_ERRORS}
    )
    def post(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError("Choose the labelled set to evaluate on.", extra={"field": "file"})
        data = read_upload(upload, limit=settings.DEMO_MAX_DATASET_BYTES, what="labelled set")
        state = services.evaluation_start(demo_model=demo_model, data=data, dataset=body(request).get("name"))
        return Response({k: v for k, v in state.items() if k != "task_id"}, status=status.HTTP_202_ACCEPTED)


class EvaluationAcceptIn(serializers.Serializer[Any]):
    metrics = serializers.ListField(
        child=serializers.CharField(),
        help_text="keys of the proposed rows to add to Data: accuracy, macro_f1, macro_precision, macro_recall, "
        "latency_p50",
    )


_EVALUATION_ERRORS = {
    400: OpenApiResponse(description="No figure chosen, an unknown figure, or figures of a PitchLab sample model"),
    409: OpenApiResponse(description="There is no finished evaluation with proposed rows"),
}


class DemoEvaluationAcceptApi(APIView):
    @extend_schema(
        operation_id="demo_evaluation_accept",
        request=EvaluationAcceptIn,
        responses={200: OpenApiTypes.OBJECT, **_EVALUATION_ERRORS},
        description="Add the chosen proposed rows of the finished evaluation to the pitch's Data section (measured "
        "by PitchLab, with n and their 95% interval). An evaluation writes nothing to Data until this step. "
        "Figures measured on a PitchLab sample model are refused: they are not the company's own result.",
    )
    def post(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        state = services.evaluation_accept(demo_model=demo_model, metrics=body(request).get("metrics"))
        return Response({key: value for key, value in state.items() if key != "task_id"})


class DemoEvaluationDiscardApi(APIView):
    @extend_schema(
        operation_id="demo_evaluation_discard",
        request=None,
        responses={200: OpenApiTypes.OBJECT, 409: OpenApiResponse(description="The evaluation is still running")},
        description="Drop the finished evaluation's proposed rows without adding them to Data.",
    )
    def post(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        return Response(services.evaluation_discard(demo_model=demo_model))


# ---------- audience link ----------


class AudienceLinkIn(serializers.Serializer[Any]):
    expires_in_minutes = serializers.IntegerField(min_value=1, max_value=60 * 24 * 30, required=False, allow_null=True)


class AudienceLinkApi(APIView):
    def _link_out(self, request: Request, demo_model: DemoModel) -> dict[str, Any]:
        link = audience_link_json(demo_model, request)
        if link is None:
            raise NotFound("This model has no open audience link.")
        return link

    @extend_schema(operation_id="audience_link_retrieve", responses=AudienceLinkOut)
    def get(self, request: Request, model_id: int) -> Response:
        return Response(self._link_out(request, _model(request, model_id, Action.READ)))

    @extend_schema(operation_id="audience_link_open", request=AudienceLinkIn, responses={201: AudienceLinkOut})
    def post(self, request: Request, model_id: int) -> Response:
        demo_model = _model(request, model_id, Action.EDIT)
        data = AudienceLinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.audience_link_open(
            demo_model=demo_model, expires_in_minutes=data.validated_data.get("expires_in_minutes")
        )
        return Response(self._link_out(request, demo_model), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="audience_link_revoke", responses={204: None})
    def delete(self, request: Request, model_id: int) -> Response:
        services.audience_link_revoke(demo_model=_model(request, model_id, Action.EDIT))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AudienceLinkQrApi(APIView):
    @extend_schema(operation_id="audience_link_qr", responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    def get(self, request: Request, model_id: int) -> HttpResponse:
        demo_model = _model(request, model_id, Action.READ)
        link = audience_link_open(demo_model=demo_model)
        if link is None:
            raise NotFound("This model has no open audience link.")
        svg = qr_svg(audience_url(link, request)).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        return HttpResponse(svg, content_type="image/svg+xml")
