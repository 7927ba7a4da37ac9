"""The token page: create a named API token (its key shown once), see tokens by name and last use, rotate, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pitchlab.accounts import tokens
from pitchlab.core.exceptions import ApplicationError


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=tokens.NAME_MAX_LENGTH,
        help_text=gettext_lazy("What will use it, e.g. “CI export job” or “Ada's laptop”."),
    )


@never_cache  # a page that may show a key once must not be kept by the browser or a proxy
@login_required
@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm()
    new_key = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            form = TokenForm(request.POST)
            if form.is_valid():
                try:
                    _token, new_key = tokens.token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
                except ApplicationError as exc:
                    form.add_error("name", exc.message)
                else:
                    form = TokenForm()
            status = 400 if form.errors else 201
        elif action in ("revoke", "rotate"):
            token = tokens.token_get(user=request.user, token_id=_int(request.POST.get("token")))
            if action == "revoke":
                tokens.token_revoke(token=token)
                messages.success(request, _("Token “%(name)s” was revoked.") % {"name": token.name})
                return redirect("tokens")
            _token, new_key = tokens.token_rotate(token=token)
            status = 201
        else:
            raise Http404(_("Unknown action."))
    context = {"tokens": tokens.token_list(user=request.user), "form": form, "new_key": new_key}
    # The new key is rendered into this answer only (never a redirect, a message or the session): it is the
    # one and only time it is shown.
    return render(request, "accounts/tokens.html", context, status=status)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
