"""Demo models of a pitch, their curated examples and audience links. Logic lives in services.py."""

from __future__ import annotations

from django.db import models

from pitchlab.core.models import TimeStampedModel
from pitchlab.pitches.models import Pitch

NAME_MAX_LENGTH = 120
LABEL_MAX_LENGTH = 200


class DemoModel(TimeStampedModel):
    """A model the founder demos: a sample, one trained from examples, or an uploaded artefact.

    ``artefact`` is the model's id in models_service (its folder name there). Samples are shared by
    every pitch, so only trained and uploaded artefacts belong to the demo model and go with it.
    """

    class Kind(models.TextChoices):
        TEXT = "text", "Text classifier"
        IMAGE = "image", "Image classifier"

    class Source(models.TextChoices):
        SAMPLE = "sample", "Sample"
        EXAMPLES = "examples", "Trained from examples"
        UPLOAD = "upload", "Uploaded"

    class Status(models.TextChoices):
        PREPARING = "preparing", "Preparing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="demo_models")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(max_length=12, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREPARING)
    failure = models.CharField(max_length=1000, blank=True)
    artefact = models.CharField(max_length=100)
    labels = models.JSONField(default=list, blank=True)
    metrics = models.JSONField(default=dict, blank=True)  # held-out metrics the artefact came with
    device = models.CharField(max_length=40, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the preparing task (training, install, describe)
    on_slide = models.BooleanField(default=True)
    preflight = models.JSONField(default=dict, blank=True)  # the last pre-flight report
    capacity = models.JSONField(default=dict, blank=True)  # the last capacity rehearsal
    evaluation = models.JSONField(default=dict, blank=True)  # the running or last evaluation
    # Digests of the normalised training inputs of a model trained in PitchLab (never the texts themselves):
    # an evaluation counts how many of its inputs the model was trained on (the checker's eval_overlap).
    training_digests = models.JSONField(default=list, blank=True)
    # What the model was trained on, from its pitchlab.json: {"domain": str | None, "languages": [codes]}; {} when
    # PitchLab does not know (an uploaded model). Shown on the card and the try panel (demos/domain.py).
    trained_on = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="demo_model_name_not_empty")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def owns_artefact(self) -> bool:
        return self.source != self.Source.SAMPLE

    @property
    def trained_on_text(self) -> str:
        """What it was trained on, its languages and labels, in one line (for templates; see demos/domain.py)."""
        from pitchlab.demos.domain import demo_model_trained_on  # domain.py imports this module

        return demo_model_trained_on(self)


class DemoExample(TimeStampedModel):
    """A curated input, one click on the demo slide; ``cached_output`` is what pre-flight got for it."""

    demo_model = models.ForeignKey(DemoModel, on_delete=models.CASCADE, related_name="examples")
    text = models.TextField(blank=True)
    image = models.FileField(upload_to="demo-examples/", blank=True)
    expected_label = models.CharField(max_length=LABEL_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(default=0)
    cached_output = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40] or str(self.image.name)


class AudienceLink(TimeStampedModel):
    """A public link to try one demo model: no login, revocable, optionally expiring."""

    demo_model = models.ForeignKey(DemoModel, on_delete=models.CASCADE, related_name="audience_links")
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link to {self.demo_model_id}"
