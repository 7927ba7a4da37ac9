from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    """Pitches created before the catalogues existed get them, as a new pitch would."""
    Pitch = apps.get_model("pitches", "Pitch")
    Item = apps.get_model("checklists", "ChecklistItem")
    business = {item.key: {"status": "missing", "evidence": ""} for item in Item.objects.filter(kind="business", active=True).order_by("order")}
    risks = [
        {"key": item.key, "title": item.title_en, "category": item.category or "technical", "likelihood": None,
         "impact": None, "response": "mitigate", "mitigation": "", "owner": ""}
        for item in Item.objects.filter(kind="risk", active=True).order_by("order")
    ]
    for pitch in Pitch.objects.all():
        content = pitch.content
        if not content.get("business") and not content.get("risks"):
            content["business"], content["risks"] = business, risks
            pitch.content = content
            pitch.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("pitches", "0002_pitch_content_pitch_last_revision_at_and_more"), ("checklists", "0002_load_catalogue")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
