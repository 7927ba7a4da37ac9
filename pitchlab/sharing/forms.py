"""The owner's form to create a share link, and the viewer's password form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pitchlab.sharing.models import LABEL_MAX_LENGTH
from pitchlab.sharing.services import MAX_EXPIRY_DAYS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=LABEL_MAX_LENGTH,
        required=False,
        help_text=_("Only you see it, e.g. the investor's name."),
    )
    include_pdf = forms.BooleanField(label=_("The PDF too"), required=False)
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        required=False,
        help_text=_("Empty: the link works until you revoke it."),
    )
    # Shown as text on purpose: it is a secret the owner passes on, so a typo must be visible.
    password = forms.CharField(
        label=_("Password"),
        required=False,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Optional; at least 6 characters. Viewers type it once per browser session."),
    )


class SharePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    next = forms.ChoiceField(choices=[("deck", "deck"), ("pdf", "pdf")], required=False, widget=forms.HiddenInput)
