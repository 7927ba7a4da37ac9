from django.contrib import admin

from pitchlab.pitches.models import Pitch


@admin.register(Pitch)
class PitchAdmin(admin.ModelAdmin[Pitch]):
    list_display = ["name", "owner", "created_at", "updated_at"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
