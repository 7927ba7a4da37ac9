"""The team page: who is on the pitch; the owner invites (by username or e-mail), changes roles, removes, and
resends or revokes open invitations; a member may leave. The invitation page: a link's holder accepts it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches import invitations, members
from pitchlab.pitches.access import Action, permissions, require
from pitchlab.pitches.models import PitchInvitation, PitchMember
from pitchlab.pitches.views import editor_language, pitch_or_404

ROLE_CHOICES = [
    (PitchMember.Role.EDITOR.value, gettext_lazy("Editor — edits the canvas, rehearses and exports")),
    (PitchMember.Role.VIEWER.value, gettext_lazy("Viewer — reads and presents")),
]


class InviteForm(forms.Form):
    who = forms.CharField(
        label=gettext_lazy("Username or e-mail"),
        max_length=254,
        help_text=gettext_lazy("A username adds that account now. An e-mail address gets a link to accept."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLE_CHOICES, initial=PitchMember.Role.EDITOR)


@login_required
@require_http_methods(["GET", "POST"])
def team_page(request: HttpRequest, pitch_id: int) -> HttpResponse:
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    form = InviteForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite":
            require(user=request.user, pitch=pitch, action=Action.MANAGE)
            form = InviteForm(request.POST)
            if form.is_valid():
                try:
                    added = members.member_invite(
                        pitch=pitch,
                        by=request.user,  # type: ignore[arg-type]
                        site=invitations.site_for(request),
                        **form.cleaned_data,
                    )
                except ApplicationError as exc:
                    form.add_error(exc.extra.get("field", "who"), exc.message)
                    status = exc.status_code
                else:
                    if isinstance(added, PitchInvitation):
                        messages.success(request, _sent(added))
                    else:
                        messages.success(request, _("%(name)s joined as %(role)s.") % _who(added))
                    return redirect("pitch-team", pitch_id=pitch.pk)
            if status == 200:
                status = 400
        elif action in ("invitation-revoke", "invitation-resend"):
            require(user=request.user, pitch=pitch, action=Action.MANAGE)
            invitation = invitations.invitation_get(pitch=pitch, invitation_id=_int(request.POST.get("invitation")))
            if action == "invitation-revoke":
                invitations.invitation_revoke(invitation=invitation)
                messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
                return redirect("pitch-team", pitch_id=pitch.pk)
            try:
                resent = invitations.invitation_resend(
                    invitation=invitation,
                    by=request.user,  # type: ignore[arg-type]
                    site=invitations.site_for(request),
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _sent(resent))
                return redirect("pitch-team", pitch_id=pitch.pk)
        elif action in ("role", "remove"):
            member = members.member_for(
                pitch=pitch, user=request.user, member_id=_int(request.POST.get("member")), leaving=action == "remove"
            )
            if action == "remove":
                members.member_remove(member=member)
                if member.user_id == request.user.pk:
                    messages.success(request, _("You left “%(pitch)s”.") % {"pitch": pitch.name})
                    return redirect("dashboard")
                messages.success(request, _("%(name)s was removed.") % {"name": member.user.get_username()})
                return redirect("pitch-team", pitch_id=pitch.pk)
            try:
                changed = members.member_update(member=member, role=request.POST.get("role", ""))
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(request, _("%(name)s is now %(role)s.") % _who(changed))
                return redirect("pitch-team", pitch_id=pitch.pk)
        else:
            messages.error(request, _("Unknown action."))
            status = 400
    can = permissions(user=request.user, pitch=pitch)
    open_invitations = invitations.invitation_list(pitch=pitch) if can["manage"] else []
    context = {
        "pitch": pitch,
        "can": can,
        "members": members.member_list(pitch=pitch),
        "invitations": [(invitation, invitations.invitation_state(invitation)) for invitation in open_invitations],
        "form": form,
        "role_choices": ROLE_CHOICES,
        "lang": editor_language(request),
    }
    return render(request, "pitches/team.html", context, status=status)


def _sent(invitation: PitchInvitation) -> str:
    return _("Invitation sent to %(email)s: they join once they follow the link in it.") % {"email": invitation.email}


def _who(member: PitchMember) -> dict[str, str]:
    role = _("editor") if member.role == PitchMember.Role.EDITOR else _("viewer")
    return {"name": member.user.get_username(), "role": role}


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """An e-mailed link: shows what it offers, asks who follows it to log in or sign up, then to accept."""
    invitation = invitations.invitation_by_link(token=token)
    if invitation is None:
        # Unknown, expired, used or revoked: one answer for all, which tells a guesser nothing.
        return render(request, "pitches/invitation_gone.html", status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            member = invitations.invitation_accept(token=token, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            joined = {"pitch": invitation.pitch.name, **_who(member)}
            messages.success(request, _("You are on “%(pitch)s” as %(role)s.") % joined)
        return redirect("pitch-detail", pitch_id=invitation.pitch_id)
    role = _("editor") if invitation.role == PitchMember.Role.EDITOR else _("viewer")
    context = {"invitation": invitation, "role": role, "next": request.get_full_path()}
    response = render(request, "pitches/invitation.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the link is a secret: never pass it on in a Referer
    return response
