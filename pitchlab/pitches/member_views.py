"""The team page: who is on the pitch; the owner invites, changes roles and removes; a member may leave."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches import members
from pitchlab.pitches.access import Action, permissions, require
from pitchlab.pitches.models import PitchMember
from pitchlab.pitches.views import editor_language, pitch_or_404

ROLE_CHOICES = [
    (PitchMember.Role.EDITOR.value, gettext_lazy("Editor — edits the canvas, rehearses and exports")),
    (PitchMember.Role.VIEWER.value, gettext_lazy("Viewer — reads and presents")),
]


class InviteForm(forms.Form):
    who = forms.CharField(label=gettext_lazy("Username or e-mail"), max_length=254)
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
                    member = members.member_invite(pitch=pitch, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
                except ApplicationError as exc:
                    form.add_error(exc.extra.get("field", "who"), exc.message)
                else:
                    messages.success(request, _("%(name)s joined as %(role)s.") % _who(member))
                    return redirect("pitch-team", pitch_id=pitch.pk)
            status = 400
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
    context = {
        "pitch": pitch,
        "can": permissions(user=request.user, pitch=pitch),
        "members": members.member_list(pitch=pitch),
        "form": form,
        "role_choices": ROLE_CHOICES,
        "lang": editor_language(request),
    }
    return render(request, "pitches/team.html", context, status=status)


def _who(member: PitchMember) -> dict[str, str]:
    role = _("editor") if member.role == PitchMember.Role.EDITOR else _("viewer")
    return {"name": member.user.get_username(), "role": role}


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
