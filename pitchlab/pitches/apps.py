from django.apps import AppConfig


class PitchesConfig(AppConfig):
    name = "pitchlab.pitches"
    label = "pitches"

    def ready(self) -> None:
        from pitchlab.pitches import signals  # noqa: F401  (connects the receivers: roles kept for the live path)
        from pitchlab.pitches.archive import archive_part
        from pitchlab.pitches.invitations import invitation_archive_rows

        archive_part("invitations.json", invitation_archive_rows)
