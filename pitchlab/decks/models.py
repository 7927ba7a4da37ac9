from django.conf import settings
from django.db import models

from pitchlab.core.models import TimeStampedModel
from pitchlab.pitches.canvas import DECK_THEMES as THEMES
from pitchlab.pitches.models import Pitch, PitchRevision


class DeckExport(TimeStampedModel):
    """One export of a pitch (a PDF or a PowerPoint file), rendered by a worker from one revision of it."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RENDERING = "rendering"
        READY = "ready"
        FAILED = "failed"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        PPTX = "pptx", "PowerPoint"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="exports")
    # RESTRICT, not PROTECT: a revision an export was made from cannot be deleted on its own, but deleting the
    # pitch deletes both (PROTECT refused that: a pitch with a PDF export could not be deleted).
    revision = models.ForeignKey(PitchRevision, on_delete=models.RESTRICT, related_name="exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.PDF)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    theme = models.CharField(max_length=16, choices=[(t, t) for t in THEMES], default="light")
    lang = models.CharField(max_length=8, default="en")
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(default=0)  # a PowerPoint file's slides
    attempts = models.PositiveSmallIntegerField(default=1)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who started it: a share link may carry this export, and the owner sees whose it is before choosing it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} export {self.pk} of pitch {self.pitch_id} ({self.status})"
