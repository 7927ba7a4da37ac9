# A pitch with a PDF export could not be deleted: the export's revision was PROTECTed even though the export
# goes with the pitch too. RESTRICT allows exactly that and still refuses deleting the revision alone.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('decks', '0001_initial'),
        ('pitches', '0003_catalogue_for_existing_pitches'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deckexport',
            name='revision',
            field=models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='exports', to='pitches.pitchrevision'),
        ),
    ]
