"""What a deleted pitch leaves to the rehearsals outside the database goes with it, however it was deleted
(the pitch's page, the API, the admin, or its owner's account going by cascade): the phone remote's relay
streams in Redis, keyed by the pitch's id. The rows (rehearsals, drill answers) go by cascade."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from pitchlab.pitches.models import Pitch


@receiver(post_delete, sender=Pitch)
def _forget_relay(sender: type[Pitch], instance: Pitch, **kwargs: Any) -> None:
    from pitchlab.rehearsals.remote import relay_clear

    pitch_id = instance.pk
    transaction.on_commit(lambda: relay_clear(pitch_id=pitch_id))
