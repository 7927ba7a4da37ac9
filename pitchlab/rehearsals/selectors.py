"""Reads of rehearsals and the drill. Visibility is the pitch's: only its owner sees them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pitchlab.checklists.selectors import business_titles
from pitchlab.pitches.access import Action, object_for
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.read_model import canvas_view
from pitchlab.rehearsals import drill, history, timing, transcript
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion, Rehearsal

DRILL_SOURCES = ("all", "generated", "bank")


def rehearsal_list(*, pitch: Pitch) -> QuerySet[Rehearsal]:
    return pitch.rehearsals.all()


def rehearsal_get(*, rehearsal_id: int, user: AbstractBaseUser | AnonymousUser, action: Action) -> Rehearsal:
    """The rehearsal if ``user`` may do ``action`` to its pitch (access.object_for: 404 / 403 otherwise)."""
    rehearsal = Rehearsal.objects.select_related("pitch").filter(pk=rehearsal_id).first()
    return object_for(rehearsal, user=user, action=action, missing=_("No such rehearsal."))


def rehearsal_timing(rehearsal: Rehearsal) -> timing.Report:
    slides = timing.planned_slides(rehearsal.slides)
    segments = [timing.Segment(**segment) for segment in rehearsal.segments]
    complete = rehearsal.status == Rehearsal.Status.COMPLETE
    return timing.timing_report(slides, segments, target=rehearsal.target_seconds, complete=complete)


def rehearsal_report(*, rehearsal: Rehearsal) -> dict[str, Any]:
    """The timing report, the transcript's analysis (when there is a transcript) and the pace ranges used."""
    report = rehearsal_timing(rehearsal)
    analysis = None
    if rehearsal.transcript.strip():
        analysis = transcript.analyse_transcript(rehearsal.transcript, minutes=report.total / 60).as_json()
    ranges = {lang: list(bounds) for lang, bounds in timing.PACE_RANGES.items()}
    return {"timing": report.as_json(), "transcript": analysis, "pace_ranges": ranges}


def rehearsal_trend(*, pitch: Pitch) -> dict[str, Any]:
    """Total time across the pitch's rehearsals (oldest first) and the slides that keep running long."""
    points = []
    for rehearsal in reversed(list(rehearsal_list(pitch=pitch).exclude(status=Rehearsal.Status.RECORDING))):
        report = rehearsal_timing(rehearsal)
        points.append(
            timing.RehearsalPoint(
                id=rehearsal.pk,
                started_at=rehearsal.started_at.isoformat(),
                complete=report.complete,
                total=report.total,
                target=report.target,
                slides=report.slides,
            )
        )
    return timing.trend(points).as_json()


# ---------- the drill ----------


def drill_questions(*, pitch: Pitch, source: str = "all") -> list[drill.Question]:
    """The questions to drill: those the pitch's own gaps raise, then the active questions of the bank."""
    questions: list[drill.Question] = []
    if source in ("all", "generated"):
        questions += drill.generated_questions(canvas_view(pitch.content), business_titles=business_titles())
    if source in ("all", "bank"):
        questions += [
            drill.Question(
                key=row.key,
                category=row.category,
                text_en=row.text_en,
                text_zh=row.text_zh,
                source="bank",
                path="",
                rule="",
                why_en="",
                why_zh="",
            )
            for row in DrillQuestion.objects.filter(active=True)
        ]
    return questions


def drill_question_get(*, pitch: Pitch, key: str) -> drill.Question | None:
    source = "generated" if key.startswith("gen:") else "bank"
    return next((q for q in drill_questions(pitch=pitch, source=source) if q.key == key), None)


def drill_answer_list(*, pitch: Pitch, user: AbstractBaseUser | AnonymousUser) -> QuerySet[DrillAnswer]:
    """``user``'s own answers in ``pitch``: a member's drill is theirs alone, the owner's included."""
    return pitch.drill_answers.filter(user_id=user.pk) if user.is_authenticated else DrillAnswer.objects.none()


def drill_answer_get(*, answer_id: int, user: AbstractBaseUser | AnonymousUser, action: Action) -> DrillAnswer:
    """``user``'s own answer if they may do ``action`` to its pitch; another member's answer does not exist (404)."""
    answer = DrillAnswer.objects.select_related("pitch").filter(pk=answer_id, user_id=int(user.pk or 0)).first()
    return object_for(answer, user=user, action=action, missing=_("No such answer."))


def drill_history(*, pitch: Pitch, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    """Weak categories and the questions never answered well, from ``user``'s own ratings (oldest first)."""
    rows = [
        history.AnswerRow(
            question_key=answer.question_key,
            category=answer.category,
            rating=answer.rating,
            created_at=answer.created_at.isoformat(),
            text=answer.question_text,
            path=answer.path,
            better_answer=answer.better_answer,
        )
        for answer in drill_answer_list(pitch=pitch, user=user).order_by("created_at", "id")
    ]
    return history.drill_history(rows).as_json()
