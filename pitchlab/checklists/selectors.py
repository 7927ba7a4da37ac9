"""Reads of the checklist catalogues."""

from __future__ import annotations

from typing import Any

from pitchlab.checklists.models import ChecklistItem


def catalogue_get(*, kind: str) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(kind=kind, active=True).order_by("order", "key"))


def business_titles() -> dict[str, tuple[str, str]]:
    """The active business-model items' titles by key, (English, Chinese), as the admin has them: what the checker
    (``check_canvas(titles=…)``) and the drill quote. A missing Chinese title falls back to the English one."""
    return {
        item.key: (item.title_en, item.title_zh or item.title_en)
        for item in ChecklistItem.objects.filter(kind=ChecklistItem.Kind.BUSINESS, active=True)
        if item.title_en
    }


def catalogue_guidance() -> dict[str, dict[str, Any]]:
    """Every active item by ``<kind>.<key>``, with its titles and guidance in both languages."""
    return {
        f"{item.kind}.{item.key}": {
            "title_en": item.title_en,
            "title_zh": item.title_zh,
            "guidance_en": item.guidance_en,
            "guidance_zh": item.guidance_zh,
            "category": item.category,
        }
        for item in ChecklistItem.objects.filter(active=True)
    }
