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
    """A snapshot of a pitch's name and canvas at one version, with what other apps keep beside it (``parts``)."""

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
    # Part name → what that app recorded (pitches/revision_parts.py), e.g. {"pictures": [...]}; empty before.
    parts = models.JSONField(default=dict, blank=True)

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


class PitchInvitation(TimeStampedModel):
    """An invitation by e-mail: a link sent to the address, which whoever follows it signed in accepts.

    No account is looked up by the address: the link proves the mailbox, so an account that merely claims
    the address (PitchLab does not verify addresses) cannot take the seat. Only the link's SHA-256 is kept.
    """

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()  # kept lower-case
    role = models.CharField(max_length=8, choices=PitchMember.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    sent_count = models.PositiveSmallIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open invitation per address and pitch: inviting again renews it (a new link, the old one dead).
            models.UniqueConstraint(
                fields=["pitch", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="pitch_invitation_open_once",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["editor", "viewer"]), name="pitch_invitation_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.role} of {self.pitch_id}"
