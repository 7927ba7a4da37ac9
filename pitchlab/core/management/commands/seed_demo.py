from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "pitchlab-demo"  # noqa: S105 - a local demo account, printed to the founder on purpose
SAMPLE_TEMPLATE = "support_nlp"


class Command(BaseCommand):
    help = "Create the demo account and its sample pitch (a template) if they are missing; prints how to log in."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "demo@localhost"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not user.pitches.exists():
            pitch_import(owner=user, document=template_document(SAMPLE_TEMPLATE))
        how = f"password {DEMO_PASSWORD}" if created or user.check_password(DEMO_PASSWORD) else "its own password"
        self.stdout.write(f"Log in as '{DEMO_USERNAME}' with {how}.")
