from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from pitchlab.checklists.services import catalogue_load

    catalogue_load(model=apps.get_model("checklists", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
