from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pitchlab.pitches.forms import PitchNameForm
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.selectors import pitch_get, pitch_list
from pitchlab.pitches.services import pitch_create, pitch_delete, pitch_rename


def _pitch_or_404(request: HttpRequest, pitch_id: int) -> Pitch:
    pitch = pitch_get(pitch_id=pitch_id, user=request.user)
    if pitch is None:
        raise Http404("No such pitch.")
    return pitch


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PitchNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pitch = pitch_create(owner=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        messages.success(request, f"“{pitch.name}” created.")
        return redirect("pitch-detail", pitch_id=pitch.pk)
    status = 400 if form.errors else 200
    return render(
        request, "pitches/dashboard.html", {"form": form, "pitches": pitch_list(user=request.user)}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch_detail(request: HttpRequest, pitch_id: int) -> HttpResponse:
    pitch = _pitch_or_404(request, pitch_id)
    form = PitchNameForm(request.POST or None, initial={"name": pitch.name})
    if request.method == "POST" and form.is_valid():
        pitch_rename(pitch=pitch, name=form.cleaned_data["name"])
        messages.success(request, "Renamed.")
        return redirect("pitch-detail", pitch_id=pitch.pk)
    status = 400 if form.errors else 200
    return render(request, "pitches/detail.html", {"pitch": pitch, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pitch_delete_confirm(request: HttpRequest, pitch_id: int) -> HttpResponse:
    pitch = _pitch_or_404(request, pitch_id)
    if request.method == "POST":
        name = pitch.name
        pitch_delete(pitch=pitch)
        messages.success(request, f"“{name}” deleted.")
        return redirect("dashboard")
    return render(request, "pitches/delete.html", {"pitch": pitch})
