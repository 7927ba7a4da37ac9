from typing import Any

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from pitchlab.accounts import views

FORM = "accounts/form.html"
MESSAGE = "accounts/message.html"


def _ctx(title: str, submit: str = "", text: str = "") -> dict[str, Any]:
    return {"title": title, "submit": submit, "text": text}


urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name=FORM, extra_context=_ctx("Log in", "Log in")),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name=FORM, extra_context=_ctx("Change your password", "Change password")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=MESSAGE, extra_context=_ctx("Password changed", text="Your password was changed.")
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name=FORM,
            email_template_name="accounts/password_reset_email.txt",
            success_url=reverse_lazy("password_reset_done"),
            extra_context=_ctx("Reset your password", "Send reset link"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=MESSAGE,
            extra_context=_ctx(
                "Check your e-mail", text="If an account has that address, a link to reset its password is on its way."
            ),
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=FORM, extra_context=_ctx("Choose a new password", "Set password")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=MESSAGE, extra_context=_ctx("Password set", text="Your new password is set. Log in with it.")
        ),
        name="password_reset_complete",
    ),
]
