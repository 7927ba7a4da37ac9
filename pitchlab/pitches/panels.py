"""The editor page's panels and unit views that other apps contribute, registered in their AppConfig.ready().

The canvas editor (views.pitch_detail) knows nothing of decks or demos: decks draws its deck panel (open,
present, export, the slide count) and shows the deck's slide list in the "deck.slides" unit; demos draws
the summary of the pitch's demo models. Each panel is a template rendered at the top of its canvas section,
in registration order, with the page's ``pitch``, ``can`` and ``lang`` plus what its ``context`` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from pitchlab.pitches.models import Pitch


@dataclass(frozen=True)
class EditorPage:
    """What a panel may know of the editor page it is drawn on."""

    request: HttpRequest
    pitch: Pitch
    lang: str
    can: Mapping[str, bool]


@dataclass(frozen=True)
class EditorPanel:
    section: str  # the canvas section (editor.editor_sections' keys) whose top it is drawn at
    template: str
    context: Callable[[EditorPage], Mapping[str, Any]]


# A unit as the editor shows it (editor.editor_sections' dicts) → the same unit adjusted by the app that owns
# what it shows (e.g. the deck's full slide list instead of the canvas' overrides).
UnitView = Callable[[dict[str, Any], EditorPage], dict[str, Any]]

_PANELS: list[EditorPanel] = []
_UNIT_VIEWS: dict[str, UnitView] = {}


def editor_panel(*, section: str, template: str, context: Callable[[EditorPage], Mapping[str, Any]]) -> None:
    """Draw ``template`` at the top of the editor's ``section``, with ``context(page)`` added to its variables."""
    panel = EditorPanel(section=section, template=template, context=context)
    # ready() can run twice in one process (tests re-populating apps): one registration per section+template.
    _PANELS[:] = [p for p in _PANELS if (p.section, p.template) != (section, template)] + [panel]


def editor_unit_view(path: str, view: UnitView) -> None:
    """Let ``view`` adjust the unit at ``path`` before the editor shows it (one view per unit)."""
    _UNIT_VIEWS[path] = view


def editor_units_viewed(sections: list[dict[str, Any]], page: EditorPage) -> list[dict[str, Any]]:
    """``sections`` with every unit passed through its registered view."""
    return [
        {
            **section,
            "units": [
                _UNIT_VIEWS[unit["path"]](unit, page) if unit["path"] in _UNIT_VIEWS else unit
                for unit in section["units"]
            ],
        }
        for section in sections
    ]


def editor_panels_html(page: EditorPage) -> dict[str, list[SafeString]]:
    """Each section's panels, rendered in registration order (section key → HTML)."""
    base = {"pitch": page.pitch, "can": page.can, "lang": page.lang}
    panels: dict[str, list[SafeString]] = {}
    for panel in _PANELS:
        html = render_to_string(panel.template, {**base, **panel.context(page)}, request=page.request)
        panels.setdefault(panel.section, []).append(SafeString(html))
    return panels
