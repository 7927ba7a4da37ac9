"""The web side's Celery app. It sends inference work by task name and never imports torch."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")

app = Celery("pitchlab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
