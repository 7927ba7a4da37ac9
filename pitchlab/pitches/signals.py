"""The canvas tells the apps built on it that it changed, without knowing them: the post-commit
``pitch_changed`` signal. Apps above (decks' chart cache, …) connect receivers in their AppConfig.ready();
what a deleted pitch leaves outside the database is cleared by each owning app's post_delete receivers
(decks: PDF exports; demos: model folders, example images, rate-limit counters; rehearsals: the phone
remote's relay streams).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from pitchlab.core import snapshots
from pitchlab.pitches.access import ROLES
from pitchlab.pitches.models import Pitch, PitchMember

logger = logging.getLogger(__name__)

# Sent with sender=Pitch once the transaction that changed a pitch's canvas has committed (never for one that
# rolled back, so a receiver may queue work that reads the row). Arguments:
#     pitch_id: int
#     paths: tuple[str, ...] | None  the unit paths written (canvas.unit_paths; a restored revision: every
#                                     unit that differs); None when the whole canvas is new (a pitch made
#                                     from a document: an import, a template, a copy).
pitch_changed = Signal()


def pitch_changed_on_commit(*, pitch_id: int, paths: Iterable[str] | None) -> None:
    """Send ``pitch_changed`` for ``pitch_id`` when the current transaction commits (at once outside one)."""
    changed = None if paths is None else tuple(paths)
    transaction.on_commit(lambda: _send(pitch_id, changed))


def _send(pitch_id: int, paths: tuple[str, ...] | None) -> None:
    # Robust: the write has committed, so a failing receiver must neither fail the request nor stop the others.
    for connected, result in pitch_changed.send_robust(sender=Pitch, pitch_id=pitch_id, paths=paths):
        if isinstance(result, Exception):
            logger.error("pitch_changed receiver %r failed for pitch %s", connected, pitch_id, exc_info=result)


@receiver(post_save, sender=Pitch)
@receiver(post_delete, sender=Pitch)
def _drop_roles_of_pitch(sender: type[Pitch], instance: Pitch, **kwargs: Any) -> None:
    snapshots.forget_on_commit(ROLES, [instance.pk])


@receiver(post_save, sender=PitchMember)
@receiver(post_delete, sender=PitchMember)
def _drop_roles_of_member(sender: type[PitchMember], instance: PitchMember, **kwargs: Any) -> None:
    snapshots.forget_on_commit(ROLES, [instance.pitch_id])
