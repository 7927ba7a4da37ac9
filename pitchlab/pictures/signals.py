"""Files go with their rows: a deleted picture takes its sizes, and its master unless a revision of the pitch
still names it (``revisions.py``: a restore brings the picture back); a deleted pitch takes its whole folder.

Signals, because a pitch's deletion deletes its pictures by cascade (from the API, the page, the admin, a
management command alike). The files are removed on commit: a deletion rolled back leaves them in place.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from pitchlab.pictures import files
from pitchlab.pictures.models import Picture
from pitchlab.pictures.revisions import master_still_named
from pitchlab.pitches.models import Pitch


@receiver(post_delete, sender=Picture)
def _remove_picture_files(sender: type[Picture], instance: Picture, **kwargs: Any) -> None:
    pitch_id, name, digest = instance.pitch_id, instance.original.name or "", instance.digest
    if name:
        transaction.on_commit(lambda: _release(pitch_id, name, digest))


def _release(pitch_id: int, name: str, digest: str) -> None:
    # Asked once the deletion is committed, so a revision made meanwhile is seen (and keeps the master).
    if master_still_named(pitch_id, digest):
        files.sizes_remove(pitch_id, digest)
    else:
        files.picture_files_remove(pitch_id, name, digest)


@receiver(post_delete, sender=Pitch)
def _remove_pitch_folder(sender: type[Pitch], instance: Pitch, **kwargs: Any) -> None:
    pitch_id = instance.pk
    transaction.on_commit(lambda: files.pitch_folder_remove(pitch_id))
