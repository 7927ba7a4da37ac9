"""Invitations by e-mail: the owner names an address; a link goes to it; whoever follows it, signed in, joins.

An address is never matched against accounts: PitchLab does not verify the addresses people sign up with, so
"the account with jane@fund.example" may be anyone's. The link in Jane's mailbox is the proof. The answer to
the owner is the same whether or not an account has the address (nothing to enumerate). Only the link's
SHA-256 is stored; a link dies when it expires, is used, revoked, or renewed (invite again, resend).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pitchlab.core import ratelimit
from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.models import Pitch, PitchInvitation, PitchMember

VALID_FOR = timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()


def invitation_state(invitation: PitchInvitation) -> str:
    """pending, expired, accepted or revoked."""
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.accepted_at is not None:
        return "accepted"
    return "expired" if invitation.expires_at <= timezone.now() else "pending"


def invitation_list(*, pitch: Pitch) -> QuerySet[PitchInvitation]:
    """The pitch's open invitations (pending or expired; not accepted nor revoked), oldest first."""
    return pitch.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related("invited_by")


def invitation_get(*, pitch: Pitch, invitation_id: int) -> PitchInvitation:
    invitation = invitation_list(pitch=pitch).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404(_("No such invitation."))
    return invitation


def invitation_by_link(*, token: str) -> PitchInvitation | None:
    """The live invitation a link's token opens: None for an unknown, expired, used or revoked one alike."""
    if not token or len(token) > 200:
        return None
    invitation = (
        PitchInvitation.objects.select_related("pitch", "pitch__owner", "invited_by")
        .filter(token_hash=_hash(token), accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        return None
    return invitation


def normalized_email(value: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except Exception:
        raise ApplicationError(_("Enter a valid e-mail address."), {"field": "who"}) from None
    return email


def count_invitation(*, by: AbstractBaseUser | AnonymousUser) -> None:
    """One invitation sent by ``by`` (each sends an e-mail or adds a teammate): RateLimited past the limit."""
    ratelimit.limit(
        ratelimit.Limit(scope="invite-user", subject=str(by.pk), rate=settings.INVITATIONS_RATE_PER_USER),
        message=_("You sent many invitations in a short time; try again later."),
    )


@transaction.atomic
def invitation_send(*, pitch: Pitch, by: AbstractBaseUser, email: str, role: str, site: str) -> PitchInvitation:
    """Invite ``email`` as ``role``: a new link by e-mail; an open invitation to the address is renewed."""
    email = normalized_email(email)
    if role not in PitchMember.Role.values:
        raise ApplicationError(_("A member is an editor or a viewer."), {"field": "role"})
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + VALID_FOR
    # The row of an open invitation is locked while it is renewed: two invites at once leave one link alive.
    invitation = invitation_list(pitch=pitch).select_for_update(of=("self",)).filter(email=email).first()
    if invitation is None:
        try:
            with transaction.atomic():
                invitation = PitchInvitation.objects.create(
                    pitch=pitch,
                    email=email,
                    role=role,
                    invited_by_id=by.pk,
                    token_hash=_hash(token),
                    expires_at=expires_at,
                )
        except IntegrityError:  # the same address invited at the same moment: renew the one that won
            invitation = invitation_list(pitch=pitch).select_for_update(of=("self",)).get(email=email)
            _renew(invitation, token=token, role=role, by=by)
    else:
        _renew(invitation, token=token, role=role, by=by)
    transaction.on_commit(lambda: _send(invitation, token=token, site=site))
    return invitation


def _renew(invitation: PitchInvitation, *, token: str, role: str, by: AbstractBaseUser | None) -> None:
    invitation.role = role
    invitation.token_hash = _hash(token)
    invitation.expires_at = timezone.now() + VALID_FOR
    invitation.sent_count += 1
    if by is not None:
        invitation.invited_by_id = by.pk
    invitation.save(update_fields=["role", "token_hash", "expires_at", "sent_count", "invited_by", "updated_at"])


@transaction.atomic
def invitation_resend(*, invitation: PitchInvitation, by: AbstractBaseUser, site: str) -> PitchInvitation:
    """A new link (the old one dies) and a new week, e-mailed again; counted against ``by``'s invitations."""
    count_invitation(by=by)
    token = secrets.token_urlsafe(32)
    _renew(invitation, token=token, role=invitation.role, by=None)
    transaction.on_commit(lambda: _send(invitation, token=token, site=site))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: PitchInvitation) -> None:
    PitchInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser) -> PitchMember:
    """``user`` takes the seat the link offers. Http404 for a dead link; ApplicationError for the pitch's owner.

    A user already on the team keeps their membership (and role); the link is used up either way.
    """
    found = invitation_by_link(token=token)
    if found is None:
        raise Http404(_("This invitation link is not valid any more."))
    # Locked and checked again: two people following one link at once cannot both get in.
    invitation = PitchInvitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise Http404(_("This invitation link is not valid any more."))
    pitch = found.pitch
    if user.pk == pitch.owner_id:
        raise ApplicationError(_("You own this pitch already."))
    member, _created = PitchMember.objects.get_or_create(
        pitch=pitch, user_id=user.pk, defaults={"role": invitation.role, "invited_by_id": invitation.invited_by_id}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by_id = user.pk
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return member


def invitation_link(*, token: str, site: str) -> str:
    return f"{site}{reverse('invitation', args=[token])}"


def _send(invitation: PitchInvitation, *, token: str, site: str) -> None:
    inviter = invitation.invited_by.get_username() if invitation.invited_by else _("The owner")
    role = _("editor") if invitation.role == PitchMember.Role.EDITOR else _("viewer")
    days = VALID_FOR.days
    send_mail(
        subject=_("%(inviter)s invites you to “%(pitch)s” on PitchLab")
        % {"inviter": inviter, "pitch": invitation.pitch.name},
        message=_(
            "%(inviter)s invites you to join “%(pitch)s” as %(role)s.\n\n"
            "Open this link, then log in or sign up, to accept (it works once, for %(days)d days):\n%(link)s\n\n"
            "If you did not expect it, ignore this e-mail."
        )
        % {
            "inviter": inviter,
            "pitch": invitation.pitch.name,
            "role": role,
            "days": days,
            "link": invitation_link(token=token, site=site),
        },
        from_email=None,
        recipient_list=[invitation.email],
        # The console backend by default: the message is in the server's log, never lost or sent by surprise.
        fail_silently=True,
    )


def site_for(request: HttpRequest) -> str:
    """The site's address for a link in an e-mail: PITCHLAB_PUBLIC_URL when set, else the request's own."""
    return str(settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/"))


def invitation_archive_rows(pitch: Pitch) -> list[dict[str, object]]:
    """Every invitation of the pitch for its archive (its history too), never a link or its hash."""
    rows: list[dict[str, object]] = []
    for invitation in pitch.invitations.select_related("invited_by", "accepted_by").order_by("created_at", "id"):
        rows.append(
            {
                "email": invitation.email,
                "role": invitation.role,
                "state": invitation_state(invitation),
                "invited_by": invitation.invited_by.get_username() if invitation.invited_by else None,
                "created_at": invitation.created_at.isoformat(),
                "expires_at": invitation.expires_at.isoformat(),
                "accepted_at": invitation.accepted_at.isoformat() if invitation.accepted_at else None,
                "accepted_by": invitation.accepted_by.get_username() if invitation.accepted_by else None,
                "revoked_at": invitation.revoked_at.isoformat() if invitation.revoked_at else None,
            }
        )
    return rows
