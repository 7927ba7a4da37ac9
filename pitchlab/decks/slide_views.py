"""The web deck's slides as fragments, for Edit mode and the editor's layout picker: the slides redrawn after an
edit, and one slide drawn in each layout it may take (the picker's thumbnails, and what a switch shows at once).

Reading only: every change is a write of a canvas unit (``deck.slides``, a story field, the team) through the
canvas API and its version rule, so the slide and the canvas cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from pitchlab.decks.slides import Deck, Slide
from pitchlab.decks.views import deck_page_context
from pitchlab.decks.web import layout_label
from pitchlab.pitches.access import Action, can
from pitchlab.pitches.views import pitch_or_404


def _slides_html(request: HttpRequest, context: dict[str, object], slides: list[Slide]) -> str:
    deck = context["deck"]
    assert isinstance(deck, Deck)
    with override("zh-hans" if deck.lang == "zh" else "en"):  # the slides speak the deck's language
        return "".join(
            render_to_string("decks/_slide.html", {**context, "slide": slide}, request=request) for slide in slides
        )


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"message": message}, status=400)


@login_required
@require_GET
def deck_slides_fragment(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """Every slide of the deck as the web deck draws it (``?theme=``, ``?lang=`` as the deck page), for Edit mode to
    redraw after a change of structure (a slide added, moved, hidden, a layout chosen). ``?row=<key>``: only the
    slides of that ``deck.slides`` row. Editable (``data-edit-*``) for a user who may edit."""
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    context = deck_page_context(request, pitch)
    context["deck_editable"] = can(user=request.user, pitch=pitch, action=Action.EDIT)
    deck = context["deck"]
    assert isinstance(deck, Deck)
    row = request.GET.get("row")
    slides = [slide for slide in deck.slides if row is None or slide.row == row]
    if row is not None and not slides:
        return HttpResponse(_("No slide of the deck comes from '%s'.") % row, status=404)
    return HttpResponse(_slides_html(request, context, slides))


@login_required
@require_GET
def slide_layouts(request: HttpRequest, pitch_id: int, row: str) -> JsonResponse:
    """One slide drawn in each layout it may take: ``{"row", "layout", "chosen", "layouts": [{"name", "label",
    "html"}], "head", "theme"}`` (the slide's number as now). The layout picker shows these as thumbnails, each a
    small document of ``head`` (the deck's stylesheets and the theme's style) and a body of class
    ``theme-<theme>``; a switch shows the chosen one at once, while the write goes through the canvas API."""
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    context = deck_page_context(request, pitch)
    context["deck_editable"] = can(user=request.user, pitch=pitch, action=Action.EDIT)
    deck = context["deck"]
    assert isinstance(deck, Deck)
    slide = next((s for s in deck.slides if s.row == row), None)
    if slide is None:
        return JsonResponse({"message": _("No slide of the deck comes from '%s'.") % row}, status=404)
    if not slide.layouts:
        return _bad(_("This slide has one layout."))
    layouts = []
    for name in slide.layouts:
        html = _slides_html(request, context, [replace(slide, layout=name)])
        layouts.append({"name": name, "label": layout_label(name), "html": html})
    head = render_to_string("decks/_thumbnail_head.html", {"deck": deck, "theme": context["theme"]}, request=request)
    answer = {"row": row, "layout": slide.layout, "chosen": slide.chosen, "layouts": layouts}
    return JsonResponse({**answer, "head": head.strip(), "theme": context["theme"]})
