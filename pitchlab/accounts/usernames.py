"""A username must not look like an e-mail address.

Invitations by e-mail go to an address, never to a username: an account named ``jane@fund.example`` would
otherwise stand in for Jane wherever a name or an address is accepted (issue 15 §5).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def looks_like_email(value: str) -> bool:
    """True when ``value`` holds an "@" once folded the way Django folds usernames (NFKC: "＠" is "@")."""
    return "@" in unicodedata.normalize("NFKC", value)


def validate_username(value: str) -> None:
    if looks_like_email(value):
        raise ValidationError(
            _("A username cannot contain “@”: it must not look like an e-mail address."), code="username_email"
        )
