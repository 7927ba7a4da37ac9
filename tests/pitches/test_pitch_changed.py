"""The canvas announces its changes after commit (``pitch_changed``); decks warms its charts from that."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from pitchlab.decks import services as deck_services
from pitchlab.pitches.documents import document_from
from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.services import (
    experiments_record_measured,
    pitch_create,
    pitch_duplicate,
    pitch_import,
    pitch_write,
    revision_create,
    revision_restore,
)
from pitchlab.pitches.signals import pitch_changed

Capture = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks
TRACTION = [
    {"period": "2024-01", "metric": "users", "value": 10},
    {"period": "2024-02", "metric": "users", "value": 25},
]


class Boom(Exception):
    pass


@pytest.fixture
def received() -> Iterator[list[tuple[int, tuple[str, ...] | None]]]:
    calls: list[tuple[int, tuple[str, ...] | None]] = []

    def receiver(sender: type[Pitch], pitch_id: int, paths: tuple[str, ...] | None, **kwargs: Any) -> None:
        calls.append((pitch_id, paths))

    pitch_changed.connect(receiver, sender=Pitch, weak=False)
    yield calls
    pitch_changed.disconnect(receiver, sender=Pitch)


@pytest.fixture
def warmed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pitches whose chart warm-up decks queued (the queueing itself is replaced)."""
    calls: list[int] = []
    monkeypatch.setattr(deck_services, "_enqueue_warm", calls.append)
    return calls


@pytest.fixture
def pitch(make_user: Callable[..., User]) -> Pitch:
    return pitch_create(owner=make_user("founder"), name="Acme AI")


@pytest.mark.django_db
def test_restoring_a_revision_warms_the_charts(
    pitch: Pitch, warmed: list[int], django_capture_on_commit_callbacks: Capture
) -> None:
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)  # no traction yet
    with django_capture_on_commit_callbacks(execute=True):
        pitch_write(pitch_id=pitch.pk, changes={"data.traction": TRACTION}, base_version=pitch.version)
    warmed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        revision_restore(pitch_id=pitch.pk, revision=revision)

    assert warmed == [pitch.pk]


@pytest.mark.django_db
def test_the_signal_names_the_units_a_restore_changed(
    pitch: Pitch, received: list[tuple[int, tuple[str, ...] | None]], django_capture_on_commit_callbacks: Capture
) -> None:
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    with django_capture_on_commit_callbacks(execute=True):
        pitch_write(
            pitch_id=pitch.pk, changes={"data.traction": TRACTION, "story.origin": "A"}, base_version=pitch.version
        )
        revision_restore(pitch_id=pitch.pk, revision=revision)

    assert received[0] == (pitch.pk, ("data.traction", "story.origin"))
    assert received[1][0] == pitch.pk
    assert sorted(received[1][1] or ()) == ["data.traction", "story.origin"]


@pytest.mark.django_db
def test_the_signal_is_sent_only_after_commit(
    pitch: Pitch, received: list[tuple[int, tuple[str, ...] | None]], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pitch_write(pitch_id=pitch.pk, changes={"story.origin": "A garage."}, base_version=pitch.version)
        assert received == []  # still inside the transaction

    assert received == [(pitch.pk, ("story.origin",))]


@pytest.mark.django_db
def test_a_rolled_back_write_sends_nothing_and_warms_nothing(
    pitch: Pitch,
    received: list[tuple[int, tuple[str, ...] | None]],
    warmed: list[int],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    @transaction.atomic
    def write_then_fail() -> None:
        pitch_write(pitch_id=pitch.pk, changes={"data.traction": TRACTION}, base_version=pitch.version)
        raise Boom

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        write_then_fail()

    assert callbacks == []
    assert received == []
    assert warmed == []
    pitch.refresh_from_db()
    assert pitch.content["data"]["traction"] == []


@pytest.mark.django_db
def test_every_service_that_changes_a_canvas_sends_it(
    pitch: Pitch,
    make_user: Callable[..., User],
    received: list[tuple[int, tuple[str, ...] | None]],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        experiments_record_measured(
            pitch_id=pitch.pk,
            model="router",
            dataset="held-out",
            rows=[{"metric": "accuracy", "value": 0.9, "samples": 100, "date": "2025-01-01"}],
        )
        copy = pitch_duplicate(pitch=pitch, owner=make_user("friend"))
        imported = pitch_import(owner=pitch.owner, document=document_from(name="I", content=pitch.content))
    assert received == [(pitch.pk, ("data.experiments",)), (copy.pk, None), (imported.pk, None)]


@pytest.mark.django_db
def test_a_blank_pitch_sends_nothing(
    make_user: Callable[..., User],
    received: list[tuple[int, tuple[str, ...] | None]],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pitch_create(owner=make_user("founder"), name="Blank")
    assert received == []


@pytest.mark.django_db
def test_a_write_that_feeds_no_chart_warms_nothing(
    pitch: Pitch, warmed: list[int], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pitch_write(pitch_id=pitch.pk, changes={"story.origin": "A garage."}, base_version=pitch.version)
    assert warmed == []
    with django_capture_on_commit_callbacks(execute=True):
        pitch_write(pitch_id=pitch.pk, changes={"data.traction": TRACTION}, base_version=pitch.version + 1)
    assert warmed == [pitch.pk]


@pytest.mark.django_db
def test_a_failing_receiver_neither_fails_the_write_nor_stops_the_others(
    pitch: Pitch,
    received: list[tuple[int, tuple[str, ...] | None]],
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("cache down")

    pitch_changed.connect(broken, sender=Pitch, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            pitch_write(pitch_id=pitch.pk, changes={"story.origin": "A garage."}, base_version=pitch.version)
    finally:
        pitch_changed.disconnect(broken, sender=Pitch)
    assert received == [(pitch.pk, ("story.origin",))]
    assert "cache down" in caplog.text
