"""The rehearsal and drill API: one class per operation; input checked here, work done in services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch
from pitchlab.pitches.models import Pitch
from pitchlab.rehearsals import selectors, services
from pitchlab.rehearsals.drill import Question
from pitchlab.rehearsals.models import DrillAnswer, Rehearsal

LANGS = ("en", "zh")

# ---------- answers ----------


class RehearsalOut(serializers.ModelSerializer[Rehearsal]):
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Rehearsal
        fields = [
            "id",
            "pitch",
            "status",
            "started_at",
            "finished_at",
            "lang",
            "target_seconds",
            "total_seconds",
            "slides",
            "segments",
            "transcript",
            "urls",
        ]

    def get_urls(self, rehearsal: Rehearsal) -> dict[str, str]:
        return {
            "self": reverse("api-rehearsal", args=[rehearsal.pk]),
            "report": reverse("api-rehearsal-report", args=[rehearsal.pk]),
            "page": reverse("rehearsal-report", args=[rehearsal.pitch_id, rehearsal.pk]),
        }


class RehearsalSummaryOut(RehearsalOut):
    """A rehearsal in a list: its figures and links, without its slides, timings and transcript."""

    has_transcript = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField(
        help_text='{"status": "over"|"under"|"on_time" (null when cut off: not compared), "total", "delta"}'
    )

    class Meta(RehearsalOut.Meta):
        fields = [
            *(name for name in RehearsalOut.Meta.fields if name not in ("slides", "segments", "transcript")),
            "has_transcript",
            "report",
        ]

    def get_has_transcript(self, rehearsal: Rehearsal) -> bool:
        return bool(rehearsal.transcript.strip())

    def get_report(self, rehearsal: Rehearsal) -> dict[str, Any]:
        """The verdict on the total: enough for a list to say over or under without the whole report."""
        report = selectors.rehearsal_timing(rehearsal)
        return {"status": report.status if report.complete else None, "total": report.total, "delta": report.delta}


def rehearsal_report_json(rehearsal: Rehearsal) -> dict[str, Any]:
    """The report as the API and the report page both show it."""
    return {"rehearsal": RehearsalOut(rehearsal).data, **selectors.rehearsal_report(rehearsal=rehearsal)}


class DrillAnswerOut(serializers.ModelSerializer[DrillAnswer]):
    class Meta:
        model = DrillAnswer
        fields = [
            "id",
            "question_key",
            "category",
            "question_text",
            "source",
            "path",
            "rating",
            "better_answer",
            "seconds",
            "created_at",
        ]


class QuestionOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    category = serializers.CharField()
    text = serializers.CharField()
    text_en = serializers.CharField()
    text_zh = serializers.CharField()
    source = serializers.ChoiceField(choices=["generated", "bank"])  # type: ignore[assignment]  # like Field.source
    path = serializers.CharField(help_text="The canvas unit that raised it; empty for the bank's questions.")
    rule = serializers.CharField()
    why = serializers.CharField()
    field_url = serializers.CharField(help_text="The canvas field to fix; empty for the bank's questions.")


def field_url(pitch_id: int, path: str) -> str:
    """Where the editor shows the canvas unit ``path`` (its ``#unit-<path>`` anchor), or "" for none."""
    return f"{reverse('pitch-detail', args=[pitch_id])}#unit-{path}" if path else ""


def question_json(question: Question, *, pitch_id: int, lang: str) -> dict[str, Any]:
    return {**question.as_json(lang), "field_url": field_url(pitch_id, question.path)}


def drill_history_json(pitch: Pitch, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    """``user``'s own drill history, with a link to its canvas field on each question that has one."""
    history = selectors.drill_history(pitch=pitch, user=user)
    for row in history.get("never_well", []):
        row["field_url"] = field_url(pitch.pk, row.get("path", ""))
    return history


def _rehearsal(request: Request, rehearsal_id: int, action: Action) -> Rehearsal:
    return selectors.rehearsal_get(rehearsal_id=rehearsal_id, user=request.user, action=action)


def checked(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


SEGMENTS_HELP = (
    'Spans of unpaused time on one slide: [{"slide": "<slide key>", "start_ms": 0, "end_ms": 41250}, ...], '
    "in ms since the rehearsal started, in order, not overlapping, at most 4 hours; slide keys from the deck."
)


class RehearsalCreateIn(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Rehearsal.Status.choices, default=Rehearsal.Status.RECORDING)
    segments = serializers.JSONField(required=False, allow_null=True, default=None, help_text=SEGMENTS_HELP)
    transcript = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.TRANSCRIPT_LIMIT, trim_whitespace=False
    )
    lang = serializers.ChoiceField(choices=LANGS, default="en")


class RehearsalUpdateIn(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Rehearsal.Status.choices, required=False)
    segments = serializers.JSONField(required=False, allow_null=True, default=None, help_text=SEGMENTS_HELP)
    transcript = serializers.CharField(
        required=False, allow_blank=True, max_length=services.TRANSCRIPT_LIMIT, trim_whitespace=False
    )


class RehearsalListCreateApi(APIView):
    @extend_schema(operation_id="rehearsals_list", responses=RehearsalSummaryOut(many=True))
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        services.rehearsals_settle_stale(pitch=pitch)
        return Response(RehearsalSummaryOut(selectors.rehearsal_list(pitch=pitch), many=True).data)

    @extend_schema(
        operation_id="rehearsals_create",
        request=RehearsalCreateIn,
        responses={201: RehearsalOut, 400: OpenApiResponse(description="Timings that cannot be, with the reason")},
        description="Start a rehearsal (status recording; then PATCH progress and finish), or store a whole one "
        "with its slide timings. The deck's slides are snapshotted now.",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.REHEARSE)
        data = checked(RehearsalCreateIn(data=request.data))
        rehearsal = services.rehearsal_create(pitch=pitch, **data)
        return Response(RehearsalOut(rehearsal).data, status=status.HTTP_201_CREATED)


class RehearsalDetailApi(APIView):
    @extend_schema(operation_id="rehearsals_retrieve", responses=RehearsalOut)
    def get(self, request: Request, rehearsal_id: int) -> Response:
        rehearsal = _rehearsal(request, rehearsal_id, Action.READ)
        services.rehearsals_settle_stale(pitch=rehearsal.pitch)
        rehearsal.refresh_from_db()
        return Response(RehearsalOut(rehearsal).data)

    @extend_schema(
        operation_id="rehearsals_update",
        request=RehearsalUpdateIn,
        responses={200: RehearsalOut, 400: OpenApiResponse(description="Bad timings, or a finished rehearsal")},
        description="Save progress (segments so far), finish (status complete, or incomplete when cut off), "
        "or add a transcript. An older progress save arriving late never winds the timings back.",
    )
    def patch(self, request: Request, rehearsal_id: int) -> Response:
        rehearsal = _rehearsal(request, rehearsal_id, Action.REHEARSE)
        data = checked(RehearsalUpdateIn(data=request.data))
        rehearsal = services.rehearsal_update(rehearsal=rehearsal, **data)
        return Response(RehearsalOut(rehearsal).data)

    @extend_schema(operation_id="rehearsals_destroy", responses={204: None})
    def delete(self, request: Request, rehearsal_id: int) -> Response:
        services.rehearsal_delete(rehearsal=_rehearsal(request, rehearsal_id, Action.DELETE))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RehearsalReportApi(APIView):
    @extend_schema(
        operation_id="rehearsals_report",
        responses=inline_serializer(
            "RehearsalReport",
            {
                "rehearsal": RehearsalOut(),
                "timing": serializers.DictField(help_text="total vs target, per slide planned vs actual, pace"),
                "transcript": serializers.DictField(allow_null=True, help_text="fillers per minute, repeats"),
                "pace_ranges": serializers.DictField(help_text='comfortable pace: {"en": [120, 160], "zh": [...]}'),
            },
        ),
    )
    def get(self, request: Request, rehearsal_id: int) -> Response:
        return Response(rehearsal_report_json(_rehearsal(request, rehearsal_id, Action.READ)))


class RehearsalTrendApi(APIView):
    @extend_schema(
        operation_id="rehearsals_trend",
        responses=inline_serializer(
            "RehearsalTrend",
            {"points": serializers.ListField(child=serializers.DictField()), "long_runners": serializers.ListField()},
        ),
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        services.rehearsals_settle_stale(pitch=pitch)
        return Response(selectors.rehearsal_trend(pitch=pitch))


# ---------- the drill ----------


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    if lang not in LANGS:
        raise ApplicationError(f"lang must be one of: {', '.join(LANGS)}.", extra={"field": "lang"})
    return lang


class DrillQuestionsApi(APIView):
    @extend_schema(
        operation_id="drill_questions",
        parameters=[
            OpenApiParameter("lang", str, enum=list(LANGS)),
            OpenApiParameter("source", str, enum=list(selectors.DRILL_SOURCES)),
        ],
        responses=QuestionOut(many=True),
        description="Questions raised by the pitch's own gaps (each with the canvas field that raised it), "
        "then the question bank's.",
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        lang = _lang(request)
        source = request.query_params.get("source", "all")
        if source not in selectors.DRILL_SOURCES:
            raise ApplicationError(
                f"source must be one of: {', '.join(selectors.DRILL_SOURCES)}.", extra={"field": "source"}
            )
        questions = selectors.drill_questions(pitch=pitch, source=source)
        return Response([question_json(q, pitch_id=pitch.pk, lang=lang) for q in questions])


class DrillAnswerIn(serializers.Serializer[Any]):
    question_key = serializers.CharField(max_length=200)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    better_answer = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.BETTER_ANSWER_LIMIT, trim_whitespace=False
    )
    seconds = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=3600)
    lang = serializers.ChoiceField(choices=LANGS, default="en")


# A drill answer is its member's own and changes nothing of the pitch, so every member (a viewer too) may save
# and delete their own answers: READ is the action asked. Another member's answers are not listed, and deleting
# one is a 404 (it does not exist for you), whatever your role.


class DrillAnswerListCreateApi(APIView):
    @extend_schema(
        operation_id="drill_answers_list",
        responses=DrillAnswerOut(many=True),
        description="Your own answers in this pitch; each member's drill is their own.",
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        return Response(DrillAnswerOut(selectors.drill_answer_list(pitch=pitch, user=request.user), many=True).data)

    @extend_schema(
        operation_id="drill_answers_create",
        request=DrillAnswerIn,
        responses={201: DrillAnswerOut, 400: OpenApiResponse(description="Unknown question or bad rating")},
        description="Save how you rated your own answer; any member, a viewer too, drills for themselves.",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        data = checked(DrillAnswerIn(data=request.data))
        answer = services.drill_answer_create(pitch=pitch, user=cast(User, request.user), **data)
        return Response(DrillAnswerOut(answer).data, status=status.HTTP_201_CREATED)


class DrillAnswerDetailApi(APIView):
    @extend_schema(
        operation_id="drill_answers_destroy",
        responses={204: None},
        description="Delete one of your own answers; another member's is a 404.",
    )
    def delete(self, request: Request, answer_id: int) -> Response:
        answer = selectors.drill_answer_get(answer_id=answer_id, user=request.user, action=Action.READ)
        services.drill_answer_delete(answer=answer)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DrillHistoryApi(APIView):
    @extend_schema(
        operation_id="drill_history",
        responses=inline_serializer(
            "DrillHistory",
            {
                "categories": serializers.ListField(child=serializers.DictField()),
                "never_well": serializers.ListField(child=serializers.DictField()),
                "answered_total": serializers.IntegerField(),
                "well_total": serializers.IntegerField(),
            },
        ),
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        return Response(drill_history_json(api_pitch(request, pitch_id, Action.READ), request.user))
