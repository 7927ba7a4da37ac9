from django.contrib import admin

from pitchlab.decks.models import DeckExport


@admin.register(DeckExport)
class DeckExportAdmin(admin.ModelAdmin[DeckExport]):
    list_display = ["id", "pitch", "format", "status", "progress", "theme", "lang", "created_at", "finished_at"]
    list_filter = ["format", "status", "theme"]
    list_select_related = ["pitch"]
    readonly_fields = ["revision"]
