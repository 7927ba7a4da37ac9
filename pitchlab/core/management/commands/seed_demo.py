from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "pitchlab-demo"  # noqa: S105 - a local demo account, printed to the founder on purpose
SAMPLE_TEMPLATE = "support_nlp"


def demo_account_allowed() -> bool:
    """Whether the public demo account may exist here: asked for (settings.DEMO_ACCOUNT), and never with debug
    off, whatever the settings say: its password is printed in the README for anyone to read."""
    return bool(settings.DEMO_ACCOUNT and settings.DEBUG)


class Command(BaseCommand):
    help = (
        "Create the demo account and its sample pitch (a template) if they are missing and allowed "
        "(PITCHLAB_DEMO_ACCOUNT; never with debug off); prints how to log in."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if not demo_account_allowed():
            # An account made earlier on loopback must not open the instance now that others can reach it.
            stale = User.objects.filter(username=DEMO_USERNAME).first()
            if stale is not None and stale.check_password(DEMO_PASSWORD):
                stale.set_unusable_password()
                stale.save(update_fields=["password"])
                self.stdout.write(
                    f"The '{DEMO_USERNAME}' account's public password no longer works here; "
                    f"give it one of yours with: python manage.py changepassword {DEMO_USERNAME}"
                )
            return
        user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "demo@localhost"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not user.pitches.exists():
            pitch_import(owner=user, document=template_document(SAMPLE_TEMPLATE))
        how = f"password {DEMO_PASSWORD}" if created or user.check_password(DEMO_PASSWORD) else "its own password"
        self.stdout.write(f"Log in as '{DEMO_USERNAME}' with {how}.")
