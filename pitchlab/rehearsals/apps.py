from django.apps import AppConfig


class RehearsalsConfig(AppConfig):
    name = "pitchlab.rehearsals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitchlab.pitches.archive import archive_files
        from pitchlab.rehearsals import signals  # noqa: F401  (connects the receivers: what a deleted pitch leaves)
        from pitchlab.rehearsals.archive import rehearsal_archive_files

        archive_files("rehearsals", rehearsal_archive_files)
