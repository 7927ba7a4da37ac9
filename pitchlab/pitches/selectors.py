"""Reads of pitches. Every page and endpoint goes through these, so visibility is decided once."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from pitchlab.pitches.models import Pitch


def pitch_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Pitch]:
    if not user.is_authenticated:
        return Pitch.objects.none()
    return Pitch.objects.filter(owner_id=user.pk)


def pitch_get(*, pitch_id: int, user: AbstractBaseUser | AnonymousUser) -> Pitch | None:
    """The pitch if ``user`` may see it; None both when it is missing and when it is someone else's."""
    return pitch_list(user=user).filter(pk=pitch_id).first()
