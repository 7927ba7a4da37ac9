from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework import serializers

from pitchlab.checklists.selectors import catalogue_guidance
from pitchlab.pitches.access import Action, permissions, pitch_for, pitches_with_roles, role_of
from pitchlab.pitches.completeness import completeness
from pitchlab.pitches.documents import document_from, template_document, template_list
from pitchlab.pitches.editor import editor_sections
from pitchlab.pitches.forms import PitchNameForm
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.panels import EditorPage, editor_panels_html, editor_units_viewed
from pitchlab.pitches.portable import BUNDLE_MAX_BYTES, bundled_pitch_ids, pitch_bundle_build
from pitchlab.pitches.services import (
    pitch_create,
    pitch_delete,
    pitch_duplicate,
    pitch_import,
    pitch_import_file,
    pitch_rename,
)


def pitch_or_404(request: HttpRequest, pitch_id: int, action: Action) -> Pitch:
    """The pitch for a page if the user may do ``action``: 404 without a role (missing and someone else's look
    the same), 403 with the reason when the role is short."""
    return pitch_for(user=request.user, pitch_id=pitch_id, action=action)


def _dashboard(request: HttpRequest, *, form: PitchNameForm, import_errors: list[str], status: int) -> HttpResponse:
    pitches = pitches_with_roles(user=request.user)
    zipped = bundled_pitch_ids([pitch.pk for pitch in pitches])
    for pitch in pitches:
        pitch.export_zip = pitch.pk in zipped  # type: ignore[attr-defined]
    context = {
        "form": form,
        "pitches": pitches,
        "templates": template_list(),
        "lang": editor_language(request),
        "import_errors": import_errors,
    }
    return render(request, "pitches/dashboard.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PitchNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pitch = pitch_create(owner=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        messages.success(request, _("“%(name)s” created.") % {"name": pitch.name})
        return redirect("pitch-detail", pitch_id=pitch.pk)
    return _dashboard(request, form=form, import_errors=[], status=400 if form.errors else 200)


def _error_lines(detail: Any, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [line for key, value in detail.items() for line in _error_lines(value, f"{prefix}{key}: ")]
    if isinstance(detail, list):
        return [line for value in detail for line in _error_lines(value, prefix)]
    return [f"{prefix}{detail}"]


@login_required
@require_POST
def pitch_import_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("document")
    errors: list[str] = []
    if upload is None:
        errors = [_("Choose a PitchLab JSON or zip file to import.")]
    elif upload.size is not None and upload.size > BUNDLE_MAX_BYTES:
        errors = [_("The file is larger than %(mb)d MB.") % {"mb": BUNDLE_MAX_BYTES // 1_000_000}]
    else:
        try:
            pitch = pitch_import_file(owner=request.user, data=upload.read(), name=upload.name or "")  # type: ignore[arg-type]
        except serializers.ValidationError as exc:
            errors = _error_lines(exc.detail)
        else:
            messages.success(request, _("“%(name)s” imported.") % {"name": pitch.name})
            return redirect("pitch-detail", pitch_id=pitch.pk)
    return _dashboard(request, form=PitchNameForm(), import_errors=errors, status=400)


@login_required
@require_POST
def pitch_from_template(request: HttpRequest, key: str) -> HttpResponse:
    document = template_document(key)
    if document is None:
        raise Http404("No such template.")
    pitch = pitch_import(owner=request.user, document=document)  # type: ignore[arg-type]
    messages.success(request, _("“%(name)s” created from a template: make it yours.") % {"name": pitch.name})
    return redirect("pitch-detail", pitch_id=pitch.pk)


@login_required
@require_POST
def pitch_duplicate_view(request: HttpRequest, pitch_id: int) -> HttpResponse:
    copy = pitch_duplicate(pitch=pitch_or_404(request, pitch_id, Action.EXPORT), owner=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Duplicated as “%(name)s”.") % {"name": copy.name})
    return redirect("pitch-detail", pitch_id=copy.pk)


@login_required
@require_GET
def pitch_export(request: HttpRequest, pitch_id: int) -> HttpResponseBase:
    """The pitch's JSON document, or a zip of it with its pictures when it has some (pitches/portable.py)."""
    pitch = pitch_or_404(request, pitch_id, Action.EXPORT)
    bundle = pitch_bundle_build(pitch=pitch)
    if bundle is not None:
        return FileResponse(
            bundle, as_attachment=True, filename=f"pitch-{pitch.pk}.zip", content_type="application/zip"
        )
    response = JsonResponse(
        document_from(name=pitch.name, content=pitch.content), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="pitch-{pitch.pk}.json"'
    return response


def editor_language(request: HttpRequest) -> str:
    return "zh" if (get_language() or "en").startswith("zh") else "en"


@login_required
@require_http_methods(["GET", "POST"])
def pitch_detail(request: HttpRequest, pitch_id: int) -> HttpResponse:
    """The canvas editor. Units save themselves through the API; this page renders them and the rename form."""
    pitch = pitch_or_404(request, pitch_id, Action.EDIT if request.method == "POST" else Action.READ)
    form = PitchNameForm(request.POST or None, initial={"name": pitch.name})
    if request.method == "POST" and form.is_valid():
        pitch_rename(pitch=pitch, name=form.cleaned_data["name"])
        messages.success(request, _("Renamed."))
        return redirect("pitch-detail", pitch_id=pitch.pk)
    lang = editor_language(request)
    can = permissions(user=request.user, pitch=pitch)
    # The apps built on the canvas draw their own panels (decks: the deck; demos: the models) and adjust the
    # units that show their data (pitches/panels.py).
    page = EditorPage(request=request, pitch=pitch, lang=lang, can=can)
    sections = editor_units_viewed(editor_sections(pitch.content, catalogue=catalogue_guidance(), lang=lang), page)
    panels = editor_panels_html(page)
    score = completeness(pitch.content)
    for section in sections:
        section["percent"] = score["sections"].get(section["key"], {}).get("percent")
        section["panels"] = panels.get(section["key"], [])
    context = {
        "pitch": pitch,
        "can": can,
        "export_zip": bool(can["export"] and bundled_pitch_ids([pitch.pk])),
        "role": role_of(user=request.user, pitch=pitch),
        "form": form,
        "sections": sections,
        "completeness": score,
        "lang": lang,
        "editor_state": {
            "pitchId": pitch.pk,
            "version": pitch.version,
            "unitVersions": pitch.unit_versions,
            "units": {unit["path"]: unit for section in sections for unit in section["units"]},
            "lang": lang,
            "readonly": not can["edit"],
        },
    }
    return render(request, "pitches/editor.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def pitch_delete_confirm(request: HttpRequest, pitch_id: int) -> HttpResponse:
    pitch = pitch_or_404(request, pitch_id, Action.DELETE)
    if request.method == "POST":
        name = pitch.name
        pitch_delete(pitch=pitch)
        messages.success(request, _("“%(name)s” deleted.") % {"name": name})
        return redirect("dashboard")
    return render(request, "pitches/delete.html", {"pitch": pitch})
