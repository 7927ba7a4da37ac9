"""Writes to pitches."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from pitchlab.pitches.models import Pitch


def _clean_name(name: str) -> str:
    return " ".join(name.split())


@transaction.atomic
def pitch_create(*, owner: AbstractBaseUser, name: str) -> Pitch:
    pitch = Pitch(owner_id=owner.pk, name=_clean_name(name))
    pitch.full_clean()
    pitch.save()
    return pitch


@transaction.atomic
def pitch_rename(*, pitch: Pitch, name: str) -> Pitch:
    pitch.name = _clean_name(name)
    pitch.full_clean()
    pitch.save(update_fields=["name", "updated_at"])
    return pitch


@transaction.atomic
def pitch_delete(*, pitch: Pitch) -> None:
    pitch.delete()
