from django.apps import AppConfig


class DemosConfig(AppConfig):
    name = "pitchlab.demos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pitchlab.demos import signals  # noqa: F401  (connects the receivers)
