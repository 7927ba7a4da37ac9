"""A pitch's pictures: the logo, screenshots, headshots and cover that its slides place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pitchlab.core.models import TimeStampedModel
from pitchlab.pictures.geometry import FULL, Box, Fmt, Geometry
from pitchlab.pitches.models import Pitch

ALT_MAX_LENGTH = 300


def _in_unit(field: str) -> Q:
    return Q(**{f"{field}__gte": 0.0, f"{field}__lte": 1.0})


class Picture(TimeStampedModel):
    """One stored image of a pitch: its re-encoded master (stored once per pitch, named by its SHA-256) and
    where it is cut: a focal point and an optional crop box, both normalised to the master (0..1)."""

    class Role(models.TextChoices):
        LOGO = "logo", _("Logo")
        LOGO_DARK = "logo_dark", _("Logo for dark backgrounds")
        SCREENSHOT = "screenshot", _("Product screenshot")
        HEADSHOT = "headshot", _("Team headshot")
        COVER = "cover", _("Cover image")

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="pictures")
    role = models.CharField(max_length=20, choices=Role.choices)
    alt = models.CharField(
        max_length=ALT_MAX_LENGTH, blank=True, help_text="what the picture shows, for screen readers"
    )
    # pictures/<pitch id>/<sha256>.<png|jpeg>, written by services.picture_upload (never renamed by the storage).
    original = models.FileField(max_length=200)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the stored master")
    fmt = models.CharField(max_length=8, choices=[(fmt.value, fmt.value) for fmt in (Fmt.PNG, Fmt.JPEG)])
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    focal_x = models.FloatField(default=0.5)
    focal_y = models.FloatField(default=0.5)
    crop_left = models.FloatField(null=True, blank=True)
    crop_top = models.FloatField(null=True, blank=True)
    crop_right = models.FloatField(null=True, blank=True)
    crop_bottom = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pitch", "digest"], name="picture_stored_once_per_pitch"),
            models.CheckConstraint(condition=_in_unit("focal_x") & _in_unit("focal_y"), name="picture_focal_in_unit"),
            models.CheckConstraint(
                condition=Q(
                    crop_left__isnull=True, crop_top__isnull=True, crop_right__isnull=True, crop_bottom__isnull=True
                )
                | (
                    _in_unit("crop_left")
                    & _in_unit("crop_top")
                    & _in_unit("crop_right")
                    & _in_unit("crop_bottom")
                    & Q(crop_left__lt=models.F("crop_right"), crop_top__lt=models.F("crop_bottom"))
                ),
                name="picture_crop_box_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.pk} of pitch {self.pitch_id}"

    @property
    def crop(self) -> Box | None:
        if self.crop_left is None or self.crop_top is None or self.crop_right is None or self.crop_bottom is None:
            return None
        return Box(self.crop_left, self.crop_top, self.crop_right, self.crop_bottom)

    @property
    def geometry(self) -> Geometry:
        return Geometry(crop=self.crop or FULL, focal_x=self.focal_x, focal_y=self.focal_y)
