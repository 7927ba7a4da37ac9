import dataclasses
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pitchlab.decks.models import DeckExport
from pitchlab.decks.preflight import PreflightOpen, preflight_require_posted
from pitchlab.decks.selectors import export_content_type, export_file_name, export_get, export_list
from pitchlab.decks.services import deck_web_charts, export_create, export_retry, pitch_deck
from pitchlab.decks.slides import DECK_SLIDES, deck_settings
from pitchlab.demos.selectors import stage_models
from pitchlab.pictures import renditions
from pitchlab.pictures.selectors import picture_list
from pitchlab.pitches.access import Action, can
from pitchlab.pitches.canvas import DECK_THEMES as THEMES
from pitchlab.pitches.canvas import SLIDE_KINDS, STORY_FIELDS, get_unit
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.views import editor_language, pitch_or_404


def _choice(value: str | None, choices: tuple[str, ...]) -> str | None:
    return value if value in choices else None


def deck_page_context(request: HttpRequest, pitch: Pitch) -> dict[str, Any]:
    """What a page that shows the deck's slides needs: the deck, its charts, theme and live demo models.

    Each live demo slide's block names its model (``block.demo.id``); ``demos_json`` holds every model by id
    as plain data, for the page's ``json_script`` and the try panel mounted on the slide.
    """
    lang = _choice(request.GET.get("lang"), ("en", "zh")) or editor_language(request)
    theme = _choice(request.GET.get("theme"), THEMES) or deck_settings(pitch.content)["theme"]
    demos = stage_models(pitch=pitch, request=request)
    deck = pitch_deck(pitch=pitch, lang=lang, demos=demos)
    charts = deck_web_charts(deck, pitch.content, theme=theme)
    demos_json = {str(model.id): dataclasses.asdict(model) for model in demos}
    return {"pitch": pitch, "deck": deck, "charts": charts, "theme": theme, "demos_json": demos_json, "lang": lang}


EDIT_THUMB_WIDTH = 320
"""The width of a picture's thumbnail in Edit mode's pickers (a rendition the server already cuts)."""


def deck_edit_state(pitch: Pitch, *, lang: str, theme: str) -> dict[str, Any]:
    """What the web deck's Edit mode starts from (``deck-edit-state``): the pitch's version and unit versions (the
    version rule of every write), the value of each unit a slide text comes from (``deck.slides`` completed, so a
    row is found by its key), the slide kinds in order (to complete a co-founder's ``deck.slides`` the same way)
    and the pitch's pictures."""
    units = {f"story.{name}": get_unit(pitch.content, f"story.{name}") for name in STORY_FIELDS}
    units.update({path: get_unit(pitch.content, path) for path in ("team", "demo.script", "demo.examples")})
    units[DECK_SLIDES] = deck_settings(pitch.content)["slides"]
    pictures = [
        {
            "id": picture.pk,
            "role": picture.role,
            "alt": picture.alt,
            "src": f"{reverse('api-picture-file', args=[pitch.pk, picture.pk])}"
            f"?v={renditions.version(picture)}&w={EDIT_THUMB_WIDTH}",
        }
        for picture in picture_list(pitch=pitch)
    ]
    return {
        "pitchId": pitch.pk,
        "version": pitch.version,
        "versions": pitch.unit_versions,
        "units": units,
        "kinds": list(SLIDE_KINDS),
        "pictures": pictures,
        "lang": lang,
        "theme": theme,
    }


@login_required
@require_GET
def deck_view(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The web deck: the same slides as the PDF, 16:9, arrow keys to move, printable.

    With ``?audience=1`` it is the presenter view's audience window: the slides alone, following the presenter.
    """
    pitch = pitch_or_404(request, pitch_id, Action.READ)
    context = deck_page_context(request, pitch)
    context["audience"] = request.GET.get("audience") == "1"
    # Edit mode (typing on the slides) is the deck page's, for those who may edit; never the audience window's.
    context["deck_editable"] = not context["audience"] and can(user=request.user, pitch=pitch, action=Action.EDIT)
    if context["deck_editable"]:
        context["deck_edit_state"] = deck_edit_state(pitch, lang=context["lang"], theme=context["theme"])
    return render(request, "decks/deck.html", context)


def _status_panel(
    request: HttpRequest, pitch: Pitch, status: int = 200, preflight: dict[str, Any] | None = None
) -> HttpResponse:
    exports = list(export_list(pitch=pitch)[:5])
    # While the pre-flight dialog is open the panel does not poll: a poll would swap the dialog away.
    active = not preflight and any(e.status in (DeckExport.Status.QUEUED, DeckExport.Status.RENDERING) for e in exports)
    context = {"pitch": pitch, "exports": exports, "active": active, "preflight": preflight}
    return render(request, "decks/_exports.html", context, status=status)


@login_required
@require_GET
def exports_panel(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The export list; while an export runs, HTMX polls this every second for its progress."""
    return _status_panel(request, pitch_or_404(request, pitch_id, Action.EXPORT))


@login_required
@require_POST
def export_start(request: HttpRequest, pitch_id: int) -> HttpResponse:
    pitch = pitch_or_404(request, pitch_id, Action.EXPORT)
    theme = _choice(request.POST.get("theme"), THEMES)
    lang = _choice(request.POST.get("lang"), ("en", "zh")) or "en"
    format = _choice(request.POST.get("format"), tuple(DeckExport.Format.values)) or DeckExport.Format.PDF
    try:
        preflight_require_posted(pitch=pitch, post=request.POST, anyway_field="export_anyway")
    except PreflightOpen as exc:
        # The founder sees the list first, with "fix" links and "Export anyway" (which posts the same choice).
        preflight = {**exc.extra, "message": exc.message, "theme": theme or "", "lang": lang, "format": format}
        if request.htmx:  # type: ignore[attr-defined]
            return _status_panel(request, pitch, preflight=preflight)
        return render(request, "decks/preflight.html", {"pitch": pitch, "preflight": preflight}, status=409)
    export_create(pitch=pitch, theme=theme, lang=lang, format=format, user=request.user)  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        return _status_panel(request, pitch)
    return redirect(f"/pitches/{pitch.pk}/#section-deck")


@login_required
@require_POST
def export_retry_view(request: HttpRequest, export_id: int) -> HttpResponse:
    export = export_get(export_id=export_id, user=request.user, action=Action.EXPORT)
    if export.status == DeckExport.Status.FAILED:
        export_retry(export=export)
    if request.htmx:  # type: ignore[attr-defined]
        return _status_panel(request, export.pitch)
    return redirect(f"/pitches/{export.pitch_id}/#section-deck")


@login_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    """The export's file (PDF or .pptx), to the owner and editors; nobody without a role learns that it exists."""
    export = export_get(export_id=export_id, user=request.user, action=Action.EXPORT)
    if export.status != DeckExport.Status.READY or not export.file:
        raise Http404("No such export.")
    filename = export_file_name(export)
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=filename, content_type=export_content_type(export)
    )
