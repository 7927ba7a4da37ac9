from django.apps import AppConfig


class DecksConfig(AppConfig):
    name = "pitchlab.decks"
    label = "decks"

    def ready(self) -> None:
        from pitchlab.decks import signals  # noqa: F401  (connects the receivers: an export's PDF goes with it)
        from pitchlab.decks.archive import export_archive_files
        from pitchlab.pitches.archive import archive_files

        archive_files("exports", export_archive_files)
        from pitchlab.decks.editor_panels import deck_panel_context, deck_slides_unit
        from pitchlab.pitches.panels import editor_panel, editor_unit_view

        editor_panel(section="deck", template="decks/_deck_panel.html", context=deck_panel_context)
        editor_unit_view("deck.slides", deck_slides_unit)
        from pitchlab.decks.brand_panel import brand_panel_context

        # after the deck panel and before the Pictures panel (decks is installed before pictures)
        editor_panel(section="deck", template="decks/_brand_panel.html", context=brand_panel_context)
        from pitchlab.decks.brand_unit import brand_logo_check, brand_validator
        from pitchlab.pitches.validation import register_pitch_unit_check, register_unit_validator

        register_unit_validator("deck.brand", brand_validator)  # the brand kit's fonts and colours are decks'
        register_pitch_unit_check("deck.brand", brand_logo_check)  # its logos must be the pitch's own
        from pitchlab.decks.slides_unit import slides_picture_check, slides_validator

        register_unit_validator("deck.slides", slides_validator)  # layouts and overridable texts are the slides'
        register_pitch_unit_check("deck.slides", slides_picture_check)  # a custom slide's picture is the pitch's
