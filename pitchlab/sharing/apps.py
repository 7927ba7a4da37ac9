from __future__ import annotations

import dataclasses
from typing import Any

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "pitchlab.sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitchlab.pitches.archive import archive_part

        archive_part("share_links.json", _share_links_json)


def _share_links_json(pitch: Any) -> list[dict[str, Any]]:
    """A pitch's share links and their analytics for its archive: never the token or the password's hash."""
    from pitchlab.sharing.selectors import share_analytics, share_link_list

    rows = []
    for link in share_link_list(pitch=pitch):
        analytics = share_analytics(link=link)
        rows.append(
            {
                "label": link.label,
                "state": link.state,
                "include_pdf": link.include_pdf,
                "pdf": link.pdf_mode,
                "pptx_notes": link.pptx_notes,
                "has_password": link.has_password,
                "created_at": link.created_at.isoformat(),
                "expires_at": link.expires_at.isoformat() if link.expires_at else None,
                "revoked_at": link.revoked_at.isoformat() if link.revoked_at else None,
                "views": analytics.views,
                "unique_viewers": analytics.unique_viewers,
                "last_viewed_at": analytics.last_viewed_at.isoformat() if analytics.last_viewed_at else None,
                "slides": [dataclasses.asdict(stat) for stat in analytics.slides],
            }
        )
    return rows
