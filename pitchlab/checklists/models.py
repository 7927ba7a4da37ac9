from django.db import models

from pitchlab.core.models import TimeStampedModel


class ChecklistItem(TimeStampedModel):
    """One item of a catalogue (business model or risk), in English and Simplified Chinese.

    Catalogues are data: edited in the admin, copied into each new pitch when it is created.
    """

    class Kind(models.TextChoices):
        BUSINESS = "business", "Business model"
        RISK = "risk", "Risk"

    class Category(models.TextChoices):
        TECHNICAL = "technical"
        MARKET = "market"
        FINANCIAL = "financial"
        LEGAL = "legal"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.SlugField(max_length=64)
    order = models.PositiveIntegerField(default=0)
    title_en = models.CharField(max_length=200)
    title_zh = models.CharField(max_length=200)
    guidance_en = models.TextField(blank=True)
    guidance_zh = models.TextField(blank=True)
    category = models.CharField(max_length=16, choices=Category.choices, blank=True)
    active = models.BooleanField(default=True, help_text="Inactive items are not given to new pitches.")

    class Meta:
        ordering = ["kind", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="checklist_item_unique_key")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title_en}"
