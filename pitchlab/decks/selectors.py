from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from pitchlab.decks.models import DeckExport
from pitchlab.pitches.models import Pitch


def export_list(*, pitch: Pitch) -> QuerySet[DeckExport]:
    return pitch.exports.select_related("revision")


def export_get(*, export_id: int, user: AbstractBaseUser | AnonymousUser) -> DeckExport | None:
    """The export if ``user`` owns its pitch; None both when it is missing and when it is someone else's."""
    if not user.is_authenticated:
        return None
    return DeckExport.objects.select_related("pitch", "revision").filter(pk=export_id, pitch__owner_id=user.pk).first()
