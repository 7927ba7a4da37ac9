"""Files that go with rows: a deleted export takes its file (PDF or .pptx) with it. A signal, because a deleted
pitch (or a deleted account) deletes its exports by cascade, not through a service. And a changed canvas warms the
chart cache (the canvas' post-commit ``pitch_changed``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from pitchlab.decks.models import DeckExport
from pitchlab.decks.services import charts_changed, export_shared_copy_name
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.signals import pitch_changed


@receiver(post_delete, sender=DeckExport)
def _remove_file(sender: type[DeckExport], instance: DeckExport, **kwargs: Any) -> None:
    if instance.file:
        file = instance.file
        storage, shared = file.storage, export_shared_copy_name(instance)
        # On commit: a deletion that is rolled back must leave the file where it was.
        transaction.on_commit(lambda: file.delete(save=False))
        # The notes-free copy a share link was given (services.export_shared_file), if one was made.
        transaction.on_commit(lambda: storage.delete(shared) if storage.exists(shared) else None)


@receiver(pitch_changed, sender=Pitch)
def _warm_charts(sender: type[Pitch], pitch_id: int, paths: tuple[str, ...] | None, **kwargs: Any) -> None:
    # Sent after commit: the chart task reads the canvas as it now is.
    charts_changed(pitch_id=pitch_id, paths=paths)
