from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pitchlab.accounts"
    label = "accounts"
