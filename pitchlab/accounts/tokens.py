"""API tokens: named keys a user creates, sees by name and last use, rotates and revokes.

The key is shown once, when it is made; the database keeps its SHA-256 only, so a copy of the database (a
backup, a leaked dump) holds no usable key. A new password (changed, reset, or set by an admin) revokes every
token of the account: signals.py.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pitchlab.accounts.models import ApiToken
from pitchlab.core import snapshots
from pitchlab.core.exceptions import ApplicationError

KEY_PREFIX = "pl_"
NAME_MAX_LENGTH = 100
TOKENS_PER_USER = 50
# last_used_at is written at most this often per token: a busy script would otherwise cost a write per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()


def token_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[ApiToken]:
    """The user's live (not revoked) tokens, by name."""
    return ApiToken.objects.filter(user_id=user.pk or 0, revoked_at__isnull=True).order_by("name", "id")


def token_get(*, user: AbstractBaseUser | AnonymousUser, token_id: int) -> ApiToken:
    """One live token of ``user``; Http404 for another user's, a revoked or an unknown one (all look alike)."""
    token = token_list(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("No such token."))
    return token


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ApplicationError(
            _("Give the token a name, e.g. the script or machine that will use it."), {"field": "name"}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ApplicationError(
            _("A token's name has at most %(count)d characters.") % {"count": NAME_MAX_LENGTH}, {"field": "name"}
        )
    return name


@transaction.atomic
def token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token named ``name`` and its key: the only time the key is ever available."""
    name = _name(name)
    if token_list(user=user).count() >= TOKENS_PER_USER:
        raise ApplicationError(
            _("You have %(count)d tokens; revoke one you no longer use first.") % {"count": TOKENS_PER_USER},
            {"field": "name"},
        )
    key = KEY_PREFIX + secrets.token_urlsafe(30)  # 240 random bits
    token = ApiToken.objects.create(user_id=user.pk, name=name, key_hash=key_hash(key), prefix=key[:10])
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    tokens_revoke(ApiToken.objects.filter(pk=token.pk))


@transaction.atomic
def token_rotate(*, token: ApiToken) -> tuple[ApiToken, str]:
    """Revoke ``token`` and make its successor under the same name: the new key works, the old one no more."""
    token_revoke(token=token)
    return token_create(user=token.user, name=token.name)


def tokens_revoke_all(*, user_id: int) -> int:
    """Revoke every live token of the user (a new password); the number revoked."""
    return tokens_revoke(ApiToken.objects.filter(user_id=user_id))


def tokens_revoke(tokens: QuerySet[ApiToken]) -> int:
    """Revoke the live tokens among ``tokens`` (and drop what the live path keeps of them); the number revoked."""
    live = tokens.filter(revoked_at__isnull=True)
    tokens_forget(list(live.values_list("key_hash", flat=True)))
    return live.update(revoked_at=timezone.now())


TOKENS = "api-token"


def tokens_forget(digests: list[str]) -> None:
    """Drop the tokens that ``token_authenticate`` keeps in the cache (a write changed them or their user)."""
    snapshots.forget_on_commit(TOKENS, digests)


def token_authenticate(*, key: str) -> ApiToken | None:
    """The live token whose key is ``key``, its user loaded, its last use noted; None for any other key."""
    digest = key_hash(key)
    # The token and its user are kept in the cache (core/snapshots.py) until a write drops them: a revocation
    # (tokens_revoke), a save of the token or of its user (accounts/signals.py). Read-only: never saved back.
    token = snapshots.remembered(
        TOKENS,
        digest,
        lambda: ApiToken.objects.select_related("user").filter(key_hash=digest, revoked_at__isnull=True).first(),
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        # Conditional, so concurrent requests of one script write once per minute between them, not each.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USE_RESOLUTION)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        tokens_forget([digest])
    return token
