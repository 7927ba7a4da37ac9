"""Share links to a pitch's web deck (and optionally its PDF), and what their viewers looked at.

Logic lives in services.py; reads (and who may see them) in selectors.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pitchlab.core.models import TimeStampedModel
from pitchlab.decks.models import DeckExport
from pitchlab.pitches.models import Pitch

LABEL_MAX_LENGTH = 100
SLIDE_KEY_MAX_LENGTH = 64


class ShareLink(TimeStampedModel):
    """A read-only public link: an unguessable token, optionally expiring and password-protected, revocable.

    ``password`` holds Django's salted hash (``make_password``), never the password; "" means none.
    A revoked or expired link stays in the table (with its analytics) but answers 404.
    """

    class Pdf(models.TextChoices):
        """What file the link offers besides the web deck: none, the newest finished PDF export, the newest
        finished PowerPoint export, or one chosen export (either format). Named "pdf" from before PowerPoint."""

        NONE = "none", "No PDF"
        NEWEST = "newest", "The newest PDF export"
        NEWEST_PPTX = "newest_pptx", "The newest PowerPoint export"
        PINNED = "pinned", "One chosen export"

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=LABEL_MAX_LENGTH, blank=True)
    pdf_mode = models.CharField(max_length=16, choices=Pdf.choices, default=Pdf.NONE)
    # SET_NULL, not PROTECT or RESTRICT: exports go with their pitch (and then the link goes too), or an operator
    # removes one in the admin (say, a PDF that must not be out there): that must not be blocked by a link. The
    # link then serves no PDF at all (never another export in its place) and the share panel says it is gone.
    pdf_export = models.ForeignKey(DeckExport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A PowerPoint file keeps the speaker notes in each slide's notes pane: viewers get them only when the owner
    # chose so (a PDF a link serves never has them).
    pptx_notes = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    password = models.CharField(max_length=128, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"share link {self.pk} of pitch {self.pitch_id}"

    @property
    def include_pdf(self) -> bool:
        """Whether viewers are offered a file at all (a PDF or PowerPoint export: the newest, or the chosen one)."""
        return self.pdf_mode != self.Pdf.NONE

    @property
    def has_password(self) -> bool:
        return bool(self.password)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.ACTIVE


class ShareVisit(models.Model):
    """One viewer session on a link. ``viewer`` is a keyed hash of the random id in the viewer's cookie."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="visits")
    viewer = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["link", "viewer", "-last_seen_at"], name="share_visit_viewer")]

    def __str__(self) -> str:
        return f"visit {self.pk} of link {self.link_id}"


class SlideDwell(models.Model):
    """How long one visit had one slide on screen (visible time only), in milliseconds."""

    visit = models.ForeignKey(ShareVisit, on_delete=models.CASCADE, related_name="dwell")
    slide_key = models.CharField(max_length=SLIDE_KEY_MAX_LENGTH)
    ms = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "slide_key"], name="slide_dwell_once")]

    def __str__(self) -> str:
        return f"{self.slide_key}: {self.ms} ms"
