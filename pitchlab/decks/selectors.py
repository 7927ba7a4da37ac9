from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pitchlab.decks.models import DeckExport
from pitchlab.decks.powerpoint import PPTX_TYPE
from pitchlab.pitches.access import Action, object_for
from pitchlab.pitches.models import Pitch


def export_list(*, pitch: Pitch) -> QuerySet[DeckExport]:
    return pitch.exports.select_related("revision", "created_by")


def export_get(*, export_id: int, user: AbstractBaseUser | AnonymousUser, action: Action) -> DeckExport:
    """The export if ``user`` may do ``action`` to its pitch (access.object_for: 404 / 403 otherwise)."""
    export = DeckExport.objects.select_related("pitch", "revision").filter(pk=export_id).first()
    return object_for(export, user=user, action=action, missing=_("No such export."))


PDF_TYPE = "application/pdf"
EXPORT_TYPES: dict[str, str] = {DeckExport.Format.PDF: PDF_TYPE, DeckExport.Format.PPTX: PPTX_TYPE}
"""The media type of each export format's file."""


def export_file_name(export: DeckExport) -> str:
    """The name a downloaded export's file is saved under: the company and the pitch version, .pdf or .pptx."""
    return f"{export.pitch.name} v{export.revision.version}.{export.format}"


def export_content_type(export: DeckExport) -> str:
    return EXPORT_TYPES[export.format]
