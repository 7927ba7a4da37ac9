from typing import Any

from django.db import migrations

DECK = {"slides": [], "theme": "light", "notes_appendix": False}


def add_deck(apps: Any, schema_editor: Any) -> None:
    """Pitches written before deck settings existed get the default ones."""
    Pitch = apps.get_model("pitches", "Pitch")
    for pitch in Pitch.objects.all():
        if "deck" not in pitch.content:
            pitch.content = {**pitch.content, "deck": dict(DECK)}
            pitch.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("pitches", "0003_catalogue_for_existing_pitches")]
    operations = [migrations.RunPython(add_deck, migrations.RunPython.noop)]
