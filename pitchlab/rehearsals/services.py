"""Writes of rehearsals and drill answers. The timing maths (timing.py), the transcript analysis (transcript.py)
and question generation (drill.py) are pure; this module checks input against them and stores the result."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pitchlab.core.exceptions import ApplicationError
from pitchlab.decks.services import deck_build, pitch_stage_models
from pitchlab.decks.slides import Deck
from pitchlab.pitches.models import Pitch
from pitchlab.rehearsals import drill, timing
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion, Rehearsal
from pitchlab.rehearsals.selectors import drill_question_get

TRANSCRIPT_LIMIT = 50_000
"""The most characters of a pasted or dictated transcript (about four hours of speech)."""
BETTER_ANSWER_LIMIT = 5_000
STATUSES = tuple(Rehearsal.Status.values)


def slide_rows(deck: Deck) -> list[dict[str, Any]]:
    """The deck's slides as a rehearsal keeps them and the presenter view times them."""
    return [
        {
            "key": slide.key,
            "number": slide.number,
            "kind": slide.kind,
            "title": slide.title,
            "planned": slide.seconds,
            "notes": slide.notes,
        }
        for slide in deck.slides
    ]


def deck_snapshot(*, pitch: Pitch, lang: str) -> tuple[list[dict[str, Any]], int]:
    """The pitch's deck as a rehearsal keeps it (one dict per slide) and its target length in seconds."""
    deck = deck_build(name=pitch.name, canvas=pitch.content, lang=lang, demos=pitch_stage_models(pitch=pitch))
    return slide_rows(deck), deck.target_seconds


def _segments(raw: Any, slides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``raw`` checked against the deck ``slides``: the segments as stored, or ApplicationError with the reason."""
    try:
        parsed = timing.parse_segments(raw, timing.planned_slides(slides))
    except timing.TimingError as exc:
        extra = {"field": "segments"} | ({"segment": exc.index} if exc.index is not None else {})
        raise ApplicationError(exc.message, extra=extra) from exc
    return [dataclasses.asdict(segment) for segment in parsed]


def _total(segments: list[dict[str, Any]]) -> float:
    return round(sum(int(s["end_ms"]) - int(s["start_ms"]) for s in segments) / 1000, 1)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ApplicationError(
            f"Unknown status {status!r}; use one of: {', '.join(STATUSES)}.", extra={"field": "status"}
        )


@transaction.atomic
def rehearsal_create(
    *, pitch: Pitch, status: str = "recording", segments: Any = None, transcript: str = "", lang: str = "en"
) -> Rehearsal:
    """Start a rehearsal (status "recording", saved progressively by the presenter view), or store a whole one.

    The deck is snapshotted now: the timings name its slide keys, and the report reads this snapshot forever.
    """
    _check_status(status)
    slides, target = deck_snapshot(pitch=pitch, lang=lang)
    if not slides:
        raise ApplicationError("This pitch has no slides to rehearse yet: fill in the canvas first.")
    stored = _segments(segments if segments is not None else [], slides)
    if status == Rehearsal.Status.COMPLETE and not stored:
        raise ApplicationError(
            "A finished rehearsal needs the time of at least one slide.", extra={"field": "segments"}
        )
    now = timezone.now()
    return Rehearsal.objects.create(
        pitch=pitch,
        status=status,
        started_at=now,
        finished_at=None if status == Rehearsal.Status.RECORDING else now,
        lang=lang,
        target_seconds=target,
        slides=slides,
        segments=stored,
        transcript=transcript,
        total_seconds=_total(stored),
    )


def _newer(stored: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> bool:
    """Whether ``incoming`` is at least as far along as ``stored``: saves can arrive out of order (a slow
    progressive save after a quicker later one), and an older one must never wind the rehearsal back."""
    if not stored:
        return True
    if not incoming:
        return False
    return (len(incoming), incoming[-1]["end_ms"]) >= (len(stored), stored[-1]["end_ms"])


@transaction.atomic
def rehearsal_update(
    *, rehearsal: Rehearsal, segments: Any = None, status: str | None = None, transcript: str | None = None
) -> Rehearsal:
    """Save progress, finish (complete or cut off: incomplete), or add a transcript.

    Timings change only while recording; a finished rehearsal keeps them. Status moves only from "recording".
    """
    rehearsal = Rehearsal.objects.select_for_update().get(pk=rehearsal.pk)
    recording = rehearsal.status == Rehearsal.Status.RECORDING
    if status is not None:
        _check_status(status)
        if status != rehearsal.status and not recording:
            raise ApplicationError(
                f"This rehearsal is already {rehearsal.status}; its status can no longer change.",
                extra={"field": "status"},
            )
    if segments is not None:
        if not recording:
            raise ApplicationError(
                f"This rehearsal is {rehearsal.status}; its timings can no longer change.", extra={"field": "segments"}
            )
        incoming = _segments(segments, rehearsal.slides)
        if _newer(rehearsal.segments, incoming):
            rehearsal.segments = incoming
    if recording and status in (Rehearsal.Status.COMPLETE, Rehearsal.Status.INCOMPLETE):
        if status == Rehearsal.Status.COMPLETE and not rehearsal.segments:
            raise ApplicationError(
                "A finished rehearsal needs the time of at least one slide.", extra={"field": "segments"}
            )
        rehearsal.status = status
        rehearsal.finished_at = timezone.now()
    if transcript is not None:
        rehearsal.transcript = transcript
    rehearsal.total_seconds = _total(rehearsal.segments)
    rehearsal.save()
    return rehearsal


def rehearsals_settle_stale(*, pitch: Pitch) -> int:
    """Mark as incomplete the rehearsals still "recording" that nobody has saved for a while: the tab was closed
    (or the machine slept) before its last word reached us. They are kept, never counted as complete."""
    cutoff = timezone.now() - timedelta(seconds=settings.REHEARSAL_STALE_SECONDS)
    stale = Rehearsal.objects.filter(pitch=pitch, status=Rehearsal.Status.RECORDING, updated_at__lt=cutoff)
    return stale.update(status=Rehearsal.Status.INCOMPLETE, finished_at=F("updated_at"))


def rehearsal_delete(*, rehearsal: Rehearsal) -> None:
    rehearsal.delete()


# ---------- the drill ----------


def question_bank_load(*, path: Path | None = None, overwrite: bool = False, model: Any = DrillQuestion) -> int:
    """Create the bank's questions from drill's JSON; existing ones keep their admin edits unless ``overwrite``.

    ``model`` lets a data migration pass its historical model.
    """
    count = 0
    for order, row in enumerate(drill.load_bank(path), start=1):
        fields = {"category": row["category"], "text_en": row["en"], "text_zh": row["zh"], "order": order}
        if overwrite:
            model.objects.update_or_create(key=row["key"], defaults=fields)
        else:
            model.objects.get_or_create(key=row["key"], defaults=fields)
        count += 1
    return count


def drill_answer_create(
    *,
    pitch: Pitch,
    user: User,
    question_key: str,
    rating: int,
    better_answer: str = "",
    seconds: int | None = None,
    lang: str = "en",
) -> DrillAnswer:
    """Record how ``user`` rated their own answer; the question is kept as it was asked (in ``lang``).

    Only a question the pitch is asked now can be answered: a gap's question goes once the canvas fills it.
    """
    question = drill_question_get(pitch=pitch, key=question_key)
    if question is None:
        raise ApplicationError(
            "No such question for this pitch (a question raised by a gap goes away once the canvas fills it).",
            extra={"field": "question_key"},
        )
    return DrillAnswer.objects.create(
        pitch=pitch,
        user=user,
        question_key=question.key,
        source=question.source,
        category=question.category,
        question_text=question.text(lang),
        path=question.path,
        rating=rating,
        better_answer=better_answer,
        seconds=seconds,
    )


def drill_answer_delete(*, answer: DrillAnswer) -> None:
    answer.delete()
