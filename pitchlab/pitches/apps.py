from django.apps import AppConfig


class PitchesConfig(AppConfig):
    name = "pitchlab.pitches"
    label = "pitches"

    def ready(self) -> None:
        from pitchlab.pitches import signals  # noqa: F401  (connects the receivers: what a deleted pitch leaves)
