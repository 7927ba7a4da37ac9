"""What a demo model was trained on, read from its models_service metadata and said in one line (pure).

A model answers anything it is given, confidently, so the card and the try panel say where it can be trusted:
"Trained on: customer feedback about software (English, 中文). Labels: billing, bug, feature, praise."
The sample models' domains are known here and translated; a founder's model shows the description they gave, and
the languages models_service read from the examples' scripts. Language names are written in their own language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy

from pitchlab.demos.models import DemoModel

DOMAIN_MAX_CHARS = 200  # models_service.training.DOMAIN_MAX_CHARS
MAX_LANGUAGES = 8

# The sample models' domains (models_service.samples.TEXT_DOMAIN / IMAGE_DOMAIN), by artefact id, in the UI language.
SAMPLE_DOMAINS = {
    "sample-text": gettext_lazy("customer feedback about software"),
    "sample-image": gettext_lazy("charts (bar, line, pie and scatter), PitchLab's own deck charts among them"),
}
# Endonyms: a Chinese speaker looks for "中文", whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "zh": "中文", "ja": "日本語", "ko": "한국어"}
SCRIPT_NAMES = {
    "latin": gettext_lazy("other Latin-script languages"),
    "cyrillic": gettext_lazy("Cyrillic script"),
    "arabic": gettext_lazy("Arabic script"),
    "hebrew": gettext_lazy("Hebrew script"),
    "greek": gettext_lazy("Greek script"),
    "devanagari": gettext_lazy("Devanagari script"),
    "thai": gettext_lazy("Thai script"),
}


def trained_on_from(metadata: Any) -> dict[str, Any]:
    """The ``trained_on`` a model's ``pitchlab.json`` gives: its domain (trimmed text or None) and its language codes.

    Anything malformed is dropped rather than trusted: the metadata comes from another process.
    """
    if not isinstance(metadata, dict):
        return {}
    domain = metadata.get("domain")
    languages = metadata.get("languages")
    out: dict[str, Any] = {
        "domain": domain.strip()[:DOMAIN_MAX_CHARS] if isinstance(domain, str) and domain.strip() else None,
        "languages": [code for code in languages if isinstance(code, str) and 0 < len(code) <= 20][:MAX_LANGUAGES]
        if isinstance(languages, list)
        else [],
    }
    return out if out["domain"] or out["languages"] or "languages" in metadata else {}


def language_name(code: str) -> str:
    """A language code as people read it: "English", "中文", or a script ("Cyrillic script")."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    if code in SCRIPT_NAMES:
        return str(SCRIPT_NAMES[code])
    return code


def trained_on_line(*, trained_on: dict[str, Any], artefact: str, kind: str, labels: list[str]) -> str:
    """The card's and the try panel's line: what the model was trained on, in which languages, and its labels."""
    domain = str(SAMPLE_DOMAINS[artefact]) if artefact in SAMPLE_DOMAINS else trained_on.get("domain")
    languages = ", ".join(language_name(code) for code in trained_on.get("languages") or []) if kind == "text" else ""
    if domain and languages:
        first = gettext("Trained on: %(domain)s (%(languages)s).") % {"domain": domain, "languages": languages}
    elif domain:
        first = gettext("Trained on: %(domain)s.") % {"domain": domain}
    elif languages:
        first = gettext("Trained on examples in %(languages)s.") % {"languages": languages}
    elif trained_on:
        first = gettext("Trained on the founder's own examples.")
    else:
        first = gettext("What it was trained on is not known (an uploaded model).")
    if not labels:
        return first
    return first + " " + gettext("Labels: %(labels)s.") % {"labels": ", ".join(labels)}


def demo_model_trained_on(demo_model: DemoModel) -> str:
    """:func:`trained_on_line` for a demo model row."""
    return trained_on_line(
        trained_on=demo_model.trained_on or {},
        artefact=demo_model.artefact,
        kind=demo_model.kind,
        labels=[str(label) for label in demo_model.labels or []],
    )
