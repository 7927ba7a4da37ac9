"""``manage.py create_token <username> [--name NAME]``: a new API token for a user, its key printed once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pitchlab.accounts.tokens import token_create
from pitchlab.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create a named API token for a user and print its key (shown this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Command line", help="What will use the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}") from None
        try:
            _token, key = token_create(user=user, name=options["name"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(key)
