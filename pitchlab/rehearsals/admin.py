from django.contrib import admin

from pitchlab.rehearsals.models import DrillQuestion


@admin.register(DrillQuestion)
class DrillQuestionAdmin(admin.ModelAdmin[DrillQuestion]):
    """The investor question bank: bilingual, by category; founders' drills ask the active ones."""

    list_display = ["key", "category", "order", "text_en", "text_zh", "active"]
    list_filter = ["category", "active"]
    list_editable = ["order", "active"]
    search_fields = ["key", "text_en", "text_zh"]
