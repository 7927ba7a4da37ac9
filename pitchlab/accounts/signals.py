"""A new password revokes every API token of the account: changed, reset, or set in the admin or a shell; and a
write to a token or its user drops what the live path keeps of it (accounts/tokens.py, core/snapshots.py).

Django keeps no "password changed" signal, so the hash a user was loaded with is remembered (post_init) and
compared after each save. Sessions need none of this: Django already ends the other sessions of a user whose
password changes (the session's auth hash).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from pitchlab.accounts.models import ApiToken
from pitchlab.accounts.tokens import tokens_forget, tokens_revoke_all

User = get_user_model()
_LOADED = "_pitchlab_loaded_password"


@receiver(post_init, sender=User)
def _remember_password(sender: Any, instance: Any, **kwargs: Any) -> None:
    setattr(instance, _LOADED, instance.__dict__.get("password"))  # __dict__: never load a deferred field


@receiver(post_save, sender=User)
def _revoke_tokens_on_new_password(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, _LOADED, None)
    after = instance.__dict__.get("password")
    setattr(instance, _LOADED, after)
    update_fields = kwargs.get("update_fields")
    if created or before is None or after == before or (update_fields is not None and "password" not in update_fields):
        return
    # Logging in may re-hash the same password with stronger parameters (Django's hasher upgrade, which clears
    # the raw password before saving): that is no new password and must not cut off the user's scripts. Every
    # real new password goes through set_password(), which keeps the raw one until the save is over; an
    # unusable password (set_unusable_password) locks the account and revokes too.
    if getattr(instance, "_password", None) is None and is_password_usable(after):
        return
    tokens_revoke_all(user_id=instance.pk)


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _drop_kept_tokens_of_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A token kept for the live path carries its user (is_active, the password's revocations): drop them."""
    tokens_forget(list(ApiToken.objects.filter(user_id=instance.pk).values_list("key_hash", flat=True)))


@receiver(post_save, sender=ApiToken)
@receiver(post_delete, sender=ApiToken)
def _drop_kept_token(sender: Any, instance: Any, **kwargs: Any) -> None:
    tokens_forget([instance.key_hash])
