from django.apps import AppConfig


class PicturesConfig(AppConfig):
    name = "pitchlab.pictures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitchlab.pictures import signals  # noqa: F401  (connects the receivers)
        from pitchlab.pictures.archive import picture_archive_files
        from pitchlab.pitches.archive import archive_files

        archive_files("pictures", picture_archive_files)
        from pitchlab.pictures.portable import PICTURES_PART
        from pitchlab.pitches.portable import portable_part

        # Exports, imports and duplicates carry the pictures, the brand's logo ids remapped to the new rows.
        portable_part(PICTURES_PART)
        from pitchlab.pictures.revisions import PICTURES_REVISION_PART
        from pitchlab.pitches.revision_parts import revision_part

        # Revisions record the pictures; a restore brings back those deleted since, the logo ids remapped.
        revision_part(PICTURES_REVISION_PART)
        from pitchlab.pictures.editor_panels import pictures_panel_context
        from pitchlab.pitches.panels import editor_panel

        # In the Deck section, after the deck's own panel (decks is installed before pictures).
        editor_panel(section="deck", template="pictures/_panel.html", context=pictures_panel_context)
