from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models

from pitchlab.core.models import TimeStampedModel

NAME_MAX_LENGTH = 120


class Pitch(TimeStampedModel):
    """A founder's pitch; ``name`` is the company's name. Only its owner ever sees it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pitches")
    name = models.CharField(max_length=NAME_MAX_LENGTH, validators=[MinLengthValidator(1)])

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="pitch_name_not_empty")]

    def __str__(self) -> str:
        return self.name
