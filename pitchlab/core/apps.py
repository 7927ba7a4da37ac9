from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pitchlab.core"
    label = "core"
