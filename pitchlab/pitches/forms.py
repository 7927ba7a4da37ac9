from django import forms
from django.utils.translation import gettext_lazy as _

from pitchlab.pitches.models import NAME_MAX_LENGTH


class PitchNameForm(forms.Form):
    name = forms.CharField(
        label=_("Company name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Lumen Health AI"), "autocomplete": "off"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the company a name."))
        return name
