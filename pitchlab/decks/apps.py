from django.apps import AppConfig


class DecksConfig(AppConfig):
    name = "pitchlab.decks"
    label = "decks"
