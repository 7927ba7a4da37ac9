"""Drill answers belong to the member who gave them. Nothing recorded who gave the existing ones, so they go to
the pitch's owner (the only one who could save drill answers before members existed)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import OuterRef, Subquery


def give_answers_to_owners(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    answer_model = apps.get_model("rehearsals", "DrillAnswer")
    pitch_model = apps.get_model("pitches", "Pitch")
    owner = pitch_model.objects.filter(pk=OuterRef("pitch_id")).values("owner_id")[:1]
    answer_model.objects.filter(user__isnull=True).update(user_id=Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [
        ("pitches", "0007_pitch_invitation"),
        ("rehearsals", "0002_load_question_bank"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="drillanswer",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="drill_answers",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(give_answers_to_owners, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="drillanswer",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="drill_answers", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddIndex(
            model_name="drillanswer",
            index=models.Index(fields=["pitch", "user", "created_at"], name="rehearsals__pitch_i_85d566_idx"),
        ),
    ]
