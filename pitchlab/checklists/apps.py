from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "pitchlab.checklists"
    label = "checklists"
    verbose_name = "Checklist catalogues"
