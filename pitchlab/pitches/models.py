from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models

from pitchlab.core.models import TimeStampedModel
from pitchlab.pitches.canvas import empty_canvas

NAME_MAX_LENGTH = 120


class Pitch(TimeStampedModel):
    """A founder's pitch; ``name`` is the company's name. Only its owner ever sees it.

    ``content`` is the canvas document (canvas.py). ``version`` grows by one with every write, and
    ``unit_versions`` records the version at which each unit last changed: the version rule.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pitches")
    name = models.CharField(max_length=NAME_MAX_LENGTH, validators=[MinLengthValidator(1)])
    content = models.JSONField(default=empty_canvas)
    version = models.PositiveIntegerField(default=1)
    unit_versions = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="pitch_name_not_empty")]

    def __str__(self) -> str:
        return self.name


class PitchRevision(TimeStampedModel):
    """A snapshot of a pitch's name and canvas at one version."""

    class Reason(models.TextChoices):
        AUTOSAVE = "autosave", "While editing"
        MANUAL = "manual", "Saved by the founder"
        RESTORE = "restore", "Restored"
        CREATED = "created", "Created"
        IMPORT = "import", "Imported"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    content = models.JSONField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pitch", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.pitch_id} v{self.version} ({self.reason})"


class PitchMember(TimeStampedModel):
    """A teammate the owner invited to a pitch, as an editor or a viewer (pitches/access.py says what each may do)."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pitch_memberships")
    role = models.CharField(max_length=8, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pitch", "user"], name="pitch_member_once"),
            models.CheckConstraint(condition=models.Q(role__in=["editor", "viewer"]), name="pitch_member_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.pitch_id}"
