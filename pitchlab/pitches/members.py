"""A pitch's team: the owner invites members by username (added at once) or by e-mail (invitations.py).

Who may change the team is access.py's to say (Action.MANAGE), except that a member may always leave
(``member_for``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from pitchlab.accounts.usernames import looks_like_email
from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches import invitations
from pitchlab.pitches.access import Action, require
from pitchlab.pitches.models import Pitch, PitchInvitation, PitchMember

ROLES = tuple(PitchMember.Role.values)


def member_list(*, pitch: Pitch) -> QuerySet[PitchMember]:
    return pitch.members.select_related("user")


def member_get(*, pitch: Pitch, member_id: int) -> PitchMember | None:
    return member_list(pitch=pitch).filter(pk=member_id).first()


def member_for(*, pitch: Pitch, user: AbstractBaseUser | AnonymousUser, member_id: int, leaving: bool) -> PitchMember:
    """The member ``user`` may change (``leaving``: remove): the owner any, and anyone themselves when leaving.

    Http404 when the pitch has no such member; PermissionDenied when ``user`` may not manage the team.
    """
    member = member_get(pitch=pitch, member_id=member_id)
    if member is None:
        raise Http404(_("No such member."))
    if not (leaving and member.user_id == user.pk):  # a member may always leave
        require(user=user, pitch=pitch, action=Action.MANAGE)
    return member


def _role(role: str) -> str:
    if role not in ROLES:
        raise ApplicationError(_("A member is an editor or a viewer."), {"field": "role"})
    return role


@transaction.atomic
def member_invite(
    *, pitch: Pitch, by: AbstractBaseUser, who: str, role: str, site: str
) -> PitchMember | PitchInvitation:
    """Add the account named ``who`` to the team, or, when ``who`` is an e-mail address, invite that address.

    An address is never looked up among accounts (invitations.py says why): it always becomes an invitation,
    so the answer is the same whether or not someone signed up with it. A username never holds an "@"
    (accounts/usernames.py), so no username can pass for an address.
    """
    who = who.strip()
    if not who:
        raise ApplicationError(_("Give a username or an e-mail address."), {"field": "who"})
    _role(role)
    invitations.count_invitation(by=by)
    if looks_like_email(who):
        return invitations.invitation_send(pitch=pitch, by=by, email=who, role=role, site=site)
    user = get_user_model().objects.filter(username__iexact=who, is_active=True).first()
    if user is None:
        raise ApplicationError(
            _("No PitchLab account has the username “%(who)s”. To invite someone without one, give their e-mail.")
            % {"who": who},
            {"field": "who"},
        )
    if user.pk == pitch.owner_id:
        raise ApplicationError(_("That is the pitch's owner."), {"field": "who"})
    try:
        with transaction.atomic():
            member = PitchMember.objects.create(pitch=pitch, user=user, role=role, invited_by_id=by.pk)
    except IntegrityError:
        raise ApplicationError(
            _("%(name)s is already on the team; change their role instead.") % {"name": user.get_username()},
            {"field": "who"},
        ) from None
    if user.email:
        # The console backend by default: the message is in the server's log, never lost or sent by surprise.
        transaction.on_commit(lambda: _tell(member))
    return member


def _tell(member: PitchMember) -> None:
    inviter = member.invited_by.get_username() if member.invited_by else _("The owner")
    send_mail(
        subject=_("You were added to “%(pitch)s” on PitchLab") % {"pitch": member.pitch.name},
        message=_("%(inviter)s added you to “%(pitch)s” as %(role)s. Log in to PitchLab to open it.")
        % {"inviter": inviter, "pitch": member.pitch.name, "role": member.get_role_display().lower()},
        from_email=None,
        recipient_list=[member.user.email],
        fail_silently=True,
    )


@transaction.atomic
def member_update(*, member: PitchMember, role: str) -> PitchMember:
    member.role = _role(role)
    member.save(update_fields=["role", "updated_at"])
    return member


@transaction.atomic
def member_remove(*, member: PitchMember) -> None:
    member.delete()
