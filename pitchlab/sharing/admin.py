from django.contrib import admin

from pitchlab.sharing.models import ShareLink, ShareVisit


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin[ShareLink]):
    list_display = ["id", "pitch", "label", "pdf_mode", "expires_at", "revoked_at", "created_at"]
    list_filter = ["pdf_mode"]
    search_fields = ["label", "pitch__name"]
    # The token is the link itself and the password field a hash: neither is for editing by hand.
    readonly_fields = ["token", "password", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["pitch"]


@admin.register(ShareVisit)
class ShareVisitAdmin(admin.ModelAdmin[ShareVisit]):
    list_display = ["id", "link", "started_at", "last_seen_at"]
    readonly_fields = ["link", "viewer", "started_at", "last_seen_at"]
