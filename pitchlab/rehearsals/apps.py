from django.apps import AppConfig


class RehearsalsConfig(AppConfig):
    name = "pitchlab.rehearsals"
    default_auto_field = "django.db.models.BigAutoField"
