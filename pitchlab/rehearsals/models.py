"""Rehearsals of a pitch, the investor question bank and the founder's drill answers. Logic lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pitchlab.core.models import TimeStampedModel
from pitchlab.pitches.models import Pitch

CATEGORY_CHOICES = [
    ("market", "Market"),
    ("product", "Product"),
    ("technology", "Technology"),
    ("team", "Team"),
    ("finance", "Finance"),
    ("risk", "Risk"),
]


class Rehearsal(TimeStampedModel):
    """One run through the deck. ``slides`` is the deck as it was when the rehearsal started (key, number, kind,
    title, planned seconds, notes), so later edits of the deck never change an old report; ``segments`` are the
    spans of unpaused time on each slide, in ms since the start (see timing.py)."""

    class Status(models.TextChoices):
        RECORDING = "recording", "Recording"
        COMPLETE = "complete", "Complete"
        INCOMPLETE = "incomplete", "Incomplete"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="rehearsals")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECORDING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    lang = models.CharField(max_length=2, default="en")
    target_seconds = models.PositiveIntegerField()
    slides = models.JSONField(default=list)
    segments = models.JSONField(default=list)
    transcript = models.TextField(blank=True)
    total_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["pitch", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.pitch_id} rehearsal {self.pk} ({self.status})"


class DrillQuestion(TimeStampedModel):
    """A question of the bank, in English and Simplified Chinese: data, edited in the admin."""

    key = models.CharField(max_length=80, unique=True, help_text='Stable name, e.g. "bank:moat-vs-openai".')
    category = models.CharField(max_length=12, choices=CATEGORY_CHOICES)
    text_en = models.TextField()
    text_zh = models.TextField()
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Inactive questions are not asked.")

    class Meta:
        ordering = ["category", "order", "key"]

    def __str__(self) -> str:
        return f"{self.category}: {self.text_en[:60]}"


class DrillAnswer(TimeStampedModel):
    """How a member rated their own answer to one question. The question's text, category and canvas path are kept
    as they were asked: a generated question changes with the canvas, and history must still read.

    An answer is its member's own (``user``): each member of the pitch, a viewer too, drills for themselves and
    sees only their own answers and history; nothing of the pitch changes.
    """

    class Source(models.TextChoices):
        GENERATED = "generated", "From the pitch's gaps"
        BANK = "bank", "Question bank"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="drill_answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_answers")
    question_key = models.CharField(max_length=200)
    source = models.CharField(max_length=12, choices=Source.choices)
    category = models.CharField(max_length=12, choices=CATEGORY_CHOICES)
    question_text = models.TextField()
    path = models.CharField(max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    better_answer = models.TextField(blank=True)
    seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pitch", "question_key"]), models.Index(fields=["pitch", "user", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="drill_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.pitch_id} {self.question_key}: {self.rating}"
