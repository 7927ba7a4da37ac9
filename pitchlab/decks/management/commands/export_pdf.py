from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pitchlab.decks.models import DeckExport
from pitchlab.decks.services import (
    EXPORT_RENDERERS,
    ExportFormatInvalid,
    export_format_check,
    pitch_print_pictures,
    pitch_stage_models,
)
from pitchlab.decks.slides import deck_settings
from pitchlab.pitches.canvas import DECK_THEMES as THEMES
from pitchlab.pitches.models import Pitch


class Command(BaseCommand):
    help = (
        "Render a pitch's deck to a PDF file, or with --format pptx to a PowerPoint file (the same renderers the "
        "export worker uses)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pitch", type=int, help="the pitch's id")
        parser.add_argument(
            "--output", "-o", type=Path, help="where to write the file (default: pitch-<id>.pdf or pitch-<id>.pptx)"
        )
        parser.add_argument("--theme", choices=THEMES, help="default: the pitch's own theme")
        parser.add_argument("--lang", choices=["en", "zh"], default="en")
        # Checked in handle(), not by argparse's choices: a wrong value is one line naming the formats.
        parser.add_argument("--format", default=DeckExport.Format.PDF, help="pdf (default) or pptx")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            format = export_format_check(options["format"])
        except ExportFormatInvalid as exc:
            raise CommandError(exc.message) from None
        pitch = Pitch.objects.filter(pk=options["pitch"]).first()
        if pitch is None:
            raise CommandError(f"There is no pitch with id {options['pitch']}.")
        output: Path = options["output"] or Path(f"pitch-{pitch.pk}.{format}")
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")
        theme = options["theme"] or deck_settings(pitch.content)["theme"]
        data = EXPORT_RENDERERS[format].render(
            name=pitch.name,
            canvas=pitch.content,
            theme=theme,
            lang=options["lang"],
            demos=pitch_stage_models(pitch=pitch),
            **pitch_print_pictures(pitch=pitch, canvas=pitch.content),  # the logo, cover, screenshots, faces
        )
        output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data) // 1024} KiB).")
