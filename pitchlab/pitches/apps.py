from django.apps import AppConfig


class PitchesConfig(AppConfig):
    name = "pitchlab.pitches"
    label = "pitches"
