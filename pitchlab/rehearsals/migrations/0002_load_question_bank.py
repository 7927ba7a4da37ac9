from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from pitchlab.rehearsals.services import question_bank_load

    question_bank_load(model=apps.get_model("rehearsals", "DrillQuestion"))


class Migration(migrations.Migration):
    dependencies = [("rehearsals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
