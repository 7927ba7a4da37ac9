"""A link's PDF becomes a choice: none, the newest export, or one chosen export. A link that had include_pdf
served the newest finished export, so it keeps doing exactly that ("newest")."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def include_pdf_to_mode(apps: Any, schema_editor: Any) -> None:
    ShareLink = apps.get_model("sharing", "ShareLink")
    ShareLink.objects.filter(include_pdf=True).update(pdf_mode="newest")


def mode_to_include_pdf(apps: Any, schema_editor: Any) -> None:
    ShareLink = apps.get_model("sharing", "ShareLink")
    ShareLink.objects.exclude(pdf_mode="none").update(include_pdf=True)


class Migration(migrations.Migration):
    dependencies = [
        ("decks", "0003_export_created_by"),
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="pdf_mode",
            field=models.CharField(
                choices=[("none", "No PDF"), ("newest", "The newest export"), ("pinned", "One chosen export")],
                default="none",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="sharelink",
            name="pdf_export",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="decks.deckexport",
            ),
        ),
        migrations.RunPython(include_pdf_to_mode, mode_to_include_pdf),
        migrations.RemoveField(model_name="sharelink", name="include_pdf"),
    ]
