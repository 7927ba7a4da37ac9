from typing import Any

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pitchlab.accounts import token_views, views

FORM = "accounts/form.html"
MESSAGE = "accounts/message.html"


def _ctx(title: str | Promise, submit: str | Promise = "", text: str | Promise = "") -> dict[str, Any]:
    """The page's words, translated when the page renders (lazy: the URLconf loads before any request)."""
    return {"title": title, "submit": submit, "text": text}


urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        views.LoginView.as_view(template_name=FORM, extra_context=_ctx(_("Log in"), _("Log in"))),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", token_views.token_page, name="tokens"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name=FORM, extra_context=_ctx(_("Change your password"), _("Change password"))
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=MESSAGE, extra_context=_ctx(_("Password changed"), text=_("Your password was changed."))
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            template_name=FORM,
            email_template_name="accounts/password_reset_email.txt",
            success_url=reverse_lazy("password_reset_done"),
            extra_context=_ctx(_("Reset your password"), _("Send reset link")),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=MESSAGE,
            extra_context=_ctx(
                _("Check your e-mail"),
                text=_("If an account has that address, a link to reset its password is on its way."),
            ),
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=FORM, extra_context=_ctx(_("Choose a new password"), _("Set password"))
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=MESSAGE,
            extra_context=_ctx(_("Password set"), text=_("Your new password is set. Log in with it.")),
        ),
        name="password_reset_complete",
    ),
]
