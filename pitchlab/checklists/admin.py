from django.contrib import admin

from pitchlab.checklists.models import ChecklistItem


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin[ChecklistItem]):
    list_display = ["key", "kind", "order", "title_en", "title_zh", "category", "active"]
    list_filter = ["kind", "category", "active"]
    list_editable = ["order", "active"]
    search_fields = ["key", "title_en", "title_zh"]
