"""Writes to the checklist catalogues, and the copy a new pitch gets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from pitchlab.checklists.models import ChecklistItem
from pitchlab.checklists.selectors import catalogue_get

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_FILE, overwrite: bool = False, model: Any = ChecklistItem) -> int:
    """Create the catalogue items from ``path``; existing items keep their admin edits unless ``overwrite``.

    ``model`` lets a data migration pass its historical model.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for kind, items in (("business", data["business"]), ("risk", data["risks"])):
        for item in items:
            fields = {
                "order": item["order"],
                "title_en": item["title_en"],
                "title_zh": item["title_zh"],
                "guidance_en": item.get("guidance_en", ""),
                "guidance_zh": item.get("guidance_zh", ""),
                "category": item.get("category", ""),
            }
            if overwrite:
                model.objects.update_or_create(kind=kind, key=item["key"], defaults=fields)
            else:
                model.objects.get_or_create(kind=kind, key=item["key"], defaults=fields)
            count += 1
    return count


def catalogue_for_new_pitch() -> tuple[dict[str, dict[str, str]], list[dict[str, Any]]]:
    """The business answers and catalogue risks a new pitch starts with."""
    business = {item.key: {"status": "missing", "evidence": ""} for item in catalogue_get(kind="business")}
    risks = [
        {
            "key": item.key,
            "title": item.title_en,
            "category": item.category or "technical",
            "likelihood": None,
            "impact": None,
            "response": "mitigate",
            "mitigation": "",
            "owner": "",
        }
        for item in catalogue_get(kind="risk")
    ]
    return business, risks
