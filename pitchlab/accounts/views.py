from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pitchlab.accounts import throttle
from pitchlab.accounts.forms import SignUpForm
from pitchlab.core.ratelimit import client_ip, wait_seconds

FORM = "accounts/form.html"


def _too_many(response: HttpResponse, seconds: float) -> HttpResponse:
    response["Retry-After"] = str(wait_seconds(seconds))
    return response


def _typed(request: HttpRequest, *names: str) -> dict[str, str]:
    """What the visitor typed into ``names`` (never a password), to fill the refused form in again."""
    return {name: str(request.POST.get(name, "")) for name in names}


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    context: dict[str, Any] = {"title": _("Create your account"), "submit": _("Sign up")}
    if request.method == "POST":
        wait = throttle.signup_attempt(ip=client_ip(request))
        if wait is not None:
            # An unbound form: the refused attempt is not validated, and the passwords are not sent back.
            context |= {"form": SignUpForm(initial=_typed(request, "username", "email"))}
            context["refusal"] = throttle.refusal_message(wait)
            return _too_many(render(request, FORM, context, status=429), wait)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_next(request) or "dashboard")
    context["next"] = _next(request)  # e.g. an invitation to accept once the account exists
    return render(request, FORM, {**context, "form": form}, status=400 if form.errors else 200)


def _next(request: HttpRequest) -> str:
    """Where to go after signing up: ?next= or the form's next, when it is a path of this site."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else ""


class LoginView(auth_views.LoginView):
    """Django's log-in, with failed attempts limited per client address and per username (throttle.py)."""

    template_name = FORM

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Counted before the password is checked, so concurrent guesses cannot all get in under the limit.
        self.attempt = throttle.login_attempt(ip=client_ip(request), username=str(request.POST.get("username", "")))
        if self.attempt.wait is not None:
            return self._refused(self.attempt.wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.login_succeeded(self.attempt)  # only failures count
        return super().form_valid(form)

    def _refused(self, wait: float) -> HttpResponse:
        # An unbound form: rendering a bound one would validate it, i.e. check the password after all.
        form = self.get_form_class()(self.request, initial=_typed(self.request, "username"))
        context = self.get_context_data(form=form, refusal=throttle.refusal_message(wait))
        return _too_many(self.render_to_response(context, status=429), wait)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with requests limited per client address and per e-mail address."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = str(request.POST.get("email", ""))
        wait = throttle.password_reset_attempt(ip=client_ip(request), email=email)
        if wait is not None:
            form = self.get_form_class()(initial={"email": email})
            context = self.get_context_data(form=form, refusal=throttle.refusal_message(wait))
            return _too_many(self.render_to_response(context, status=429), wait)
        return super().post(request, *args, **kwargs)
