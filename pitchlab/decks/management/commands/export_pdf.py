from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pitchlab.decks.services import export_render_pdf, pitch_stage_models
from pitchlab.decks.slides import deck_settings
from pitchlab.pitches.canvas import DECK_THEMES as THEMES
from pitchlab.pitches.models import Pitch


class Command(BaseCommand):
    help = "Render a pitch's deck to a PDF file (the same renderer the export worker uses)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pitch", type=int, help="the pitch's id")
        parser.add_argument("--output", "-o", type=Path, help="where to write the PDF (default: pitch-<id>.pdf)")
        parser.add_argument("--theme", choices=THEMES, help="default: the pitch's own theme")
        parser.add_argument("--lang", choices=["en", "zh"], default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        pitch = Pitch.objects.filter(pk=options["pitch"]).first()
        if pitch is None:
            raise CommandError(f"There is no pitch with id {options['pitch']}.")
        output: Path = options["output"] or Path(f"pitch-{pitch.pk}.pdf")
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")
        theme = options["theme"] or deck_settings(pitch.content)["theme"]
        data = export_render_pdf(
            name=pitch.name,
            canvas=pitch.content,
            theme=theme,
            lang=options["lang"],
            demos=pitch_stage_models(pitch=pitch),
        )
        output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data) // 1024} KiB).")
