from django.contrib import admin

from pitchlab.pictures.models import Picture


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin[Picture]):
    list_display = ["id", "pitch", "role", "width", "height", "fmt", "created_at"]
    list_filter = ["role"]
    readonly_fields = ["original", "digest", "fmt", "width", "height", "size_bytes", "created_by"]
