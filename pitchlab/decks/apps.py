from django.apps import AppConfig


class DecksConfig(AppConfig):
    name = "pitchlab.decks"
    label = "decks"

    def ready(self) -> None:
        from pitchlab.decks import signals  # noqa: F401  (connects the receivers: an export's PDF goes with it)
