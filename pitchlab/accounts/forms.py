from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm[User]):
    email = forms.EmailField(required=True, help_text=_("For password resets."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
