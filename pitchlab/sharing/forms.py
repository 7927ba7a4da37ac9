"""The owner's form to create a share link, and the viewer's password form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from pitchlab.decks.models import DeckExport
from pitchlab.sharing.models import LABEL_MAX_LENGTH
from pitchlab.sharing.services import MAX_EXPIRY_DAYS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=LABEL_MAX_LENGTH,
        required=False,
        help_text=_("Only you see it, e.g. the investor's name."),
    )
    pdf = forms.ChoiceField(
        label=_("PDF or PowerPoint"),
        required=False,
        help_text=_(
            "Viewers always get the live web deck. Choose whether they can also download a PDF or a PowerPoint "
            "file, and which."
        ),
    )
    pptx_notes = forms.BooleanField(
        label=_("Include my speaker notes in a PowerPoint file"),
        required=False,
        help_text=_("Off: viewers get the .pptx with empty notes panes. A PDF on a link never has the notes."),
    )
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

    # Set by the pre-flight dialog's "Share anyway": the findings the founder saw, acknowledged.
    share_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)
    preflight_fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, exports: Sequence[DeckExport] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pdf"].choices = pdf_choices(exports)  # type: ignore[attr-defined]


def export_label(export: DeckExport) -> str:
    """One export as the owner picks it: its format, date, theme, language, pages (slides) and who made it."""
    values = {
        "when": date_format(localtime(export.finished_at or export.created_at), "DATETIME_FORMAT"),
        "theme": pgettext("deck theme", export.theme),
        "lang": "中文" if export.lang == "zh" else "English",
        "pages": export.pages,
        "version": export.revision.version,
        "who": export.created_by.get_username() if export.created_by else "?",
    }
    if export.format == DeckExport.Format.PPTX:
        label = gettext("PowerPoint · %(when)s · %(theme)s · %(lang)s · %(pages)d slides · v%(version)d · by %(who)s")
        return label % values
    return "PDF · " + gettext("%(when)s · %(theme)s · %(lang)s · %(pages)d pages · v%(version)d · by %(who)s") % values


def pdf_choices(exports: Sequence[DeckExport]) -> list[tuple[str, str]]:
    """The file a link carries, as the form's values: "none", "newest" (PDF), "newest_pptx", or "export:<id>" for
    one export of either format."""
    choices = [
        ("none", gettext("No file: the live web deck only")),
        ("newest", gettext("The newest PDF export")),
        ("newest_pptx", gettext("The newest PowerPoint export")),
    ]
    return choices + [(f"export:{export.pk}", export_label(export)) for export in exports]


def pdf_from_choice(value: str) -> tuple[str, int | None]:
    """A form's PDF value as the service's (pdf, pdf_export)."""
    if value.startswith("export:") and value[len("export:") :].isdigit():
        return "pinned", int(value[len("export:") :])
    return (value if value in ("none", "newest", "newest_pptx") else "none"), None


class SharePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    next = forms.ChoiceField(choices=[("deck", "deck"), ("pdf", "pdf")], required=False, widget=forms.HiddenInput)
