"""Who may do what to a pitch: the one place every page and endpoint asks.

The owner may do everything. An editor edits the canvas, rehearses and exports; a viewer reads and
presents. Only the owner deletes, shares or manages members. Someone with no role gets 404 (a pitch
they cannot see does not exist for them); a member whose role lacks the action gets 403 with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from pitchlab.core import snapshots
from pitchlab.pitches.models import Pitch, PitchMember

User = AbstractBaseUser | AnonymousUser


class Action(StrEnum):
    READ = "read"  # the canvas, deck, checks, revisions, rehearsal reports, drill history
    PRESENT = "present"  # presenter view, audience window, phone remote
    EDIT = "edit"  # the canvas and name, restoring revisions, demo models
    REHEARSE = "rehearse"  # recording rehearsals, answering the drill
    EXPORT = "export"  # PDF exports, the canvas' JSON, duplicating
    DELETE = "delete"  # the pitch, or anything in it
    SHARE = "share"  # share links and their analytics
    MANAGE = "manage"  # members; the archive of everything


OWNER = "owner"
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    OWNER: frozenset(Action),
    PitchMember.Role.EDITOR: frozenset({Action.READ, Action.PRESENT, Action.EDIT, Action.REHEARSE, Action.EXPORT}),
    PitchMember.Role.VIEWER: frozenset({Action.READ, Action.PRESENT}),
}


def visible_pitches(*, user: User) -> QuerySet[Pitch]:
    """Every pitch ``user`` owns or is a member of."""
    if not user.is_authenticated:
        return Pitch.objects.none()
    return Pitch.objects.filter(Q(owner_id=user.pk) | Q(members__user_id=user.pk)).distinct()


def role_of(*, user: User, pitch: Pitch) -> str | None:
    if not user.is_authenticated:
        return None
    if pitch.owner_id == user.pk:
        return OWNER
    # A page asks this several times (buttons to show); remember the answer on the pitch object.
    cache: dict[int, str | None] = pitch.__dict__.setdefault("_roles", {})
    if user.pk not in cache:
        cache[user.pk] = (
            PitchMember.objects.filter(pitch_id=pitch.pk, user_id=user.pk).values_list("role", flat=True).first()
        )
    return cache[user.pk]


def can(*, user: User, pitch: Pitch, action: Action) -> bool:
    role = role_of(user=user, pitch=pitch)
    return role is not None and action in ROLE_ACTIONS[role]


def require(*, user: User, pitch: Pitch, action: Action) -> None:
    require_role(role_of(user=user, pitch=pitch), action=action, missing=_("No such pitch."))


def require_role(role: str | None, *, action: Action, missing: str) -> None:
    """Nothing if ``role`` may do ``action``; Http404 with ``missing`` for no role, PermissionDenied for a short one."""
    if role is None:
        raise Http404(missing)
    if action not in ROLE_ACTIONS[role]:
        raise PermissionDenied(_refusal(role, action))


@dataclass(frozen=True)
class Roles:
    """Who holds a role in one pitch, as the live path reads it (``pitch_roles``): the same answer as ``role_of``."""

    owner_id: int
    members: tuple[tuple[int, str], ...]

    def role(self, user: User) -> str | None:
        if not user.is_authenticated:
            return None
        if self.owner_id == user.pk:
            return OWNER
        return dict(self.members).get(int(user.pk))


ROLES = "pitch-roles"


def pitch_roles(*, pitch_id: int) -> Roles | None:
    """The roles in the pitch (None: no such pitch), kept in the cache until a pitch or membership write drops
    them (pitches/signals.py): a presenter's live calls cost no query for them."""

    def load() -> Roles | None:
        owner_id = Pitch.objects.filter(pk=pitch_id).values_list("owner_id", flat=True).first()
        if owner_id is None:
            return None
        members = PitchMember.objects.filter(pitch_id=pitch_id).order_by("user_id").values_list("user_id", "role")
        return Roles(owner_id=owner_id, members=tuple((user_id, str(role)) for user_id, role in members))

    return snapshots.remembered(ROLES, pitch_id, load)


def pitch_for(*, user: User, pitch_id: int, action: Action) -> Pitch:
    """The pitch if ``user`` may do ``action`` to it.

    Http404 when it is missing or they have no role; PermissionDenied (with the reason) when the role is short.
    """
    pitch = Pitch.objects.filter(pk=pitch_id).first() if user.is_authenticated else None
    if pitch is None:
        raise Http404(_("No such pitch."))
    require(user=user, pitch=pitch, action=action)
    return pitch


class InPitch(Protocol):
    @property
    def pitch(self) -> Pitch: ...


T = TypeVar("T", bound=InPitch)


def object_for(obj: T | None, *, user: User, action: Action, missing: str) -> T:
    """``obj`` (an export, a rehearsal, a demo model…) if ``user`` may do ``action`` to its pitch.

    Missing, or in a pitch the user has no role in: Http404 with ``missing``; a short role: PermissionDenied.
    """
    require_role(None if obj is None else role_of(user=user, pitch=obj.pitch), action=action, missing=missing)
    assert obj is not None
    return obj


def permissions(*, user: User, pitch: Pitch) -> dict[str, bool]:
    """{action: allowed} for templates and API answers (which buttons to offer)."""
    return role_permissions(role_of(user=user, pitch=pitch))


def role_permissions(role: str | None) -> dict[str, bool]:
    allowed = ROLE_ACTIONS[role] if role else frozenset()
    return {action.value: action in allowed for action in Action}


def pitches_with_roles(*, user: User) -> list[Pitch]:
    """The pitches ``user`` can see, each with ``role`` and ``can`` ({action: allowed}) set, in one query."""
    if not user.is_authenticated:
        return []
    mine = PitchMember.objects.filter(pitch_id=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    rows = visible_pitches(user=user).select_related("owner").annotate(member_role=Subquery(mine))
    pitches: list[Pitch] = list(rows)
    for pitch in pitches:
        role = OWNER if pitch.owner_id == user.pk else pitch.__dict__["member_role"]
        pitch.__dict__["_roles"] = {user.pk: role}
        pitch.role = role  # type: ignore[attr-defined]
        pitch.can = role_permissions(role)  # type: ignore[attr-defined]
    return pitches


def _refusal(role: str, action: Action) -> str:
    if role == PitchMember.Role.VIEWER:
        return _("Viewers can read and present this pitch; asking the owner for the editor role lets you change it.")
    return _("Only the pitch's owner can delete it, share it or manage its members.")
