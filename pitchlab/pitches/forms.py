from django import forms

from pitchlab.pitches.models import NAME_MAX_LENGTH


class PitchNameForm(forms.Form):
    name = forms.CharField(
        label="Company name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Lumen Health AI", "autocomplete": "off"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the company a name.")
        return name
