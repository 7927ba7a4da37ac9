"""A share link can carry a PowerPoint export (issue 19): chosen, or the newest one; the public page names it and
serves the .pptx type; its notes panes are empty unless the link's owner chose to give the speaker notes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from pptx import Presentation
from rest_framework.test import APIClient

from pitchlab.decks.models import DeckExport
from pitchlab.decks.powerpoint import PPTX_TYPE
from pitchlab.decks.services import export_create, export_run, export_shared_copy_name
from pitchlab.pitches.models import Pitch
from pitchlab.sharing.models import ShareLink

pytestmark = pytest.mark.django_db

SettingsWrapper = Any
NOTES = {
    "title": "Thank Maria from Sequoia first",
    "problem": "Pause after the ticket number",
    "ask": "Do not go below 4M",
}


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _with_notes(pitch: Pitch) -> Pitch:
    pitch.content["deck"]["slides"] = [{"kind": kind, "notes": note} for kind, note in NOTES.items()]
    pitch.version += 1
    pitch.save()
    return pitch


def _ready(pitch: Pitch, format: str) -> DeckExport:
    export = export_run(export_id=export_create(pitch=pitch, format=format).pk)
    assert export.status == DeckExport.Status.READY, export.error
    return export


def _notes(data: bytes) -> str:
    """Every slide's notes pane, read back with python-pptx ("" for a slide without one)."""
    slides = Presentation(io.BytesIO(data)).slides
    return "\n".join(slide.notes_slide.notes_text_frame.text for slide in slides if slide.has_notes_slide)


def _download(link: ShareLink) -> Any:
    response = Client().get(f"/s/{link.token}/pdf/")
    assert response.status_code == 200
    return response


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_pinned_pptx_is_offered_and_served_without_notes(
    pitch: Pitch, make_link: Callable[..., ShareLink], tmp_path: Path
) -> None:
    export = _ready(_with_notes(pitch), "pptx")
    founders = export.file.open("rb").read()
    for note in NOTES.values():
        assert note in _notes(founders)  # the founder's own file keeps the notes

    link = make_link(pdf_export=export.pk)
    page = Client().get(f"/s/{link.token}/").content.decode()
    assert "Download PowerPoint (.pptx)" in page
    assert "Download the PDF" not in page

    response = _download(link)
    assert response["Content-Type"] == PPTX_TYPE
    assert response["Content-Disposition"].endswith(f'{pitch.name}.pptx"')
    shared = _body(response)
    assert _notes(shared).strip() == ""
    assert len(Presentation(io.BytesIO(shared)).slides) == export.pages  # the same deck otherwise
    # Rendered once, kept beside the export, served again as it is.
    copy = tmp_path / export_shared_copy_name(export)
    assert copy.is_file()
    assert copy.name.endswith("-shared.pptx")
    assert _body(_download(link)) == shared


def test_the_owner_may_give_the_notes_with_a_pptx(
    pitch: Pitch, make_link: Callable[..., ShareLink], owner_api: APIClient, tmp_path: Path
) -> None:
    export = _ready(_with_notes(pitch), "pptx")
    link = make_link(pdf_export=export.pk)
    assert owner_api.get(f"/api/share-links/{link.pk}/").json()["pptx_notes"] is False

    changed = owner_api.patch(f"/api/share-links/{link.pk}/", {"pptx_notes": True}, format="json")
    assert changed.status_code == 200
    assert changed.json()["pptx_notes"] is True
    shared = _body(_download(link))
    for note in NOTES.values():
        assert note in _notes(shared)
    assert not (tmp_path / export_shared_copy_name(export)).exists()  # the file itself, no copy needed

    owner_api.patch(f"/api/share-links/{link.pk}/", {"pptx_notes": False}, format="json")
    assert _notes(_body(_download(link))).strip() == ""


def test_a_pdf_on_a_link_never_has_notes_even_when_pptx_notes_is_on(
    pitch: Pitch, make_link: Callable[..., ShareLink]
) -> None:
    pitch = _with_notes(pitch)
    pitch.content["deck"]["notes_appendix"] = True
    pitch.save()
    export = _ready(pitch, "pdf")
    link = make_link(pdf_export=export.pk, pptx_notes=True)
    response = _download(link)
    assert response["Content-Type"] == "application/pdf"
    assert _body(response) != export.file.open("rb").read()  # the notes-free copy, not the founder's file


def _fake_ready(pitch: Pitch, format: str, data: bytes) -> DeckExport:
    export = DeckExport.objects.create(
        pitch=pitch,
        revision=pitch.revisions.get(version=pitch.version),
        status=DeckExport.Status.READY,
        progress=100,
        format=format,
        pages=1,
    )
    export.file.save(f"deck-{export.pk}.{format}", ContentFile(data), save=True)
    return export


def _tiny_pptx() -> bytes:
    """A zip without notes parts: served as it is (the notes check reads its part names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ppt/slides/slide1.xml", "<p:sld/>")
    return buffer.getvalue()


def test_newest_keeps_meaning_the_newest_pdf_and_newest_pptx_the_newest_powerpoint(
    pitch: Pitch, make_link: Callable[..., ShareLink]
) -> None:
    pdf = _fake_ready(pitch, "pdf", b"%PDF-1.4 the pdf\n%%EOF\n")
    pptx = _fake_ready(pitch, "pptx", _tiny_pptx())  # newer than the PDF
    newest = make_link(pdf="newest")
    newest_pptx = make_link(pdf="newest_pptx")

    assert _body(_download(newest)) == pdf.file.open("rb").read()
    response = _download(newest_pptx)
    assert response["Content-Type"] == PPTX_TYPE
    assert _body(response) == pptx.file.open("rb").read()
    assert "Download the PDF" in Client().get(f"/s/{newest.token}/").content.decode()
    assert "Download PowerPoint (.pptx)" in Client().get(f"/s/{newest_pptx.token}/").content.decode()


def test_newest_pptx_without_one_ready_says_so(pitch: Pitch, make_link: Callable[..., ShareLink]) -> None:
    _fake_ready(pitch, "pdf", b"%PDF-1.4\n%%EOF\n")  # a PDF is no stand-in for the PowerPoint file
    link = make_link(pdf="newest_pptx")
    response = Client().get(f"/s/{link.token}/pdf/")
    assert response.status_code == 200
    assert "The PowerPoint file is not ready yet" in response.content.decode()


def test_a_pinned_pptx_offers_only_a_newer_pptx(pitch: Pitch, make_link: Callable[..., ShareLink]) -> None:
    first = _fake_ready(pitch, "pptx", _tiny_pptx())
    link = make_link(pdf_export=first.pk)
    _fake_ready(pitch, "pdf", b"%PDF-1.4\n%%EOF\n")
    api = APIClient()
    api.force_authenticate(pitch.owner)
    assert api.get(f"/api/share-links/{link.pk}/").json()["shared_pdf"]["newer_export"] is None
    second = _fake_ready(pitch, "pptx", _tiny_pptx())
    shared = api.get(f"/api/share-links/{link.pk}/").json()["shared_pdf"]
    assert (shared["export"]["format"], shared["newer_export"]) == ("pptx", second.pk)


def test_the_api_creates_a_link_with_the_newest_powerpoint_and_notes(pitch: Pitch, owner_api: APIClient) -> None:
    response = owner_api.post(
        f"/api/pitches/{pitch.pk}/share-links/", {"pdf": "newest_pptx", "pptx_notes": True}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["pdf"], body["pptx_notes"], body["include_pdf"]) == ("newest_pptx", True, True)
    link = ShareLink.objects.get(pk=body["id"])
    assert (link.pdf_mode, link.pptx_notes) == ("newest_pptx", True)

    bad = owner_api.post(f"/api/pitches/{pitch.pk}/share-links/", {"pdf": "newest_ppt"}, format="json")
    assert bad.status_code == 400
    assert ShareLink.objects.count() == 1


def test_the_share_exports_list_names_each_format(pitch: Pitch, owner_api: APIClient) -> None:
    _fake_ready(pitch, "pdf", b"%PDF-1.4\n%%EOF\n")
    _fake_ready(pitch, "pptx", _tiny_pptx())
    rows = owner_api.get(f"/api/pitches/{pitch.pk}/share-links/exports/").json()
    assert sorted(row["format"] for row in rows) == ["pdf", "pptx"]


def test_the_share_page_creates_and_changes_a_link_with_a_powerpoint(
    pitch: Pitch, owner_client: Client, make_link: Callable[..., ShareLink]
) -> None:
    export = _fake_ready(pitch, "pptx", _tiny_pptx())
    page = owner_client.get(f"/pitches/{pitch.pk}/share/").content.decode()
    assert 'value="newest_pptx"' in page
    assert f'value="export:{export.pk}"' in page
    assert "PowerPoint ·" in page  # the chosen export's label names its format

    created = owner_client.post(
        f"/pitches/{pitch.pk}/share/", {"label": "Acme", "pdf": f"export:{export.pk}", "pptx_notes": "on"}
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    link = ShareLink.objects.get(label="Acme")
    assert (link.pdf_mode, link.pdf_export_id, link.pptx_notes) == ("pinned", export.pk, True)
    panel = owner_client.get(f"/pitches/{pitch.pk}/share/").content.decode()
    assert "live web deck and PowerPoint" in panel
    assert "PowerPoint (chosen export):" in panel

    owner_client.post(
        f"/pitches/{pitch.pk}/share/{link.pk}/pdf/", {"pdf": "newest_pptx", "pptx_notes_shown": "1"}
    )  # the box unticked
    link.refresh_from_db()
    assert (link.pdf_mode, link.pdf_export_id, link.pptx_notes) == ("newest_pptx", None, False)


def test_a_reexport_of_a_powerpoint_link_makes_a_powerpoint(
    pitch: Pitch, owner_client: Client, make_link: Callable[..., ShareLink], django_capture_on_commit_callbacks: Any
) -> None:
    link = make_link(pdf="newest_pptx")
    with django_capture_on_commit_callbacks(execute=False):
        owner_client.post(f"/pitches/{pitch.pk}/share/{link.pk}/reexport/", {"export_anyway": "1"})
    assert DeckExport.objects.get().format == DeckExport.Format.PPTX


def test_the_notes_free_pptx_copy_goes_with_its_export(
    pitch: Pitch, make_link: Callable[..., ShareLink], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    export = _ready(_with_notes(pitch), "pptx")
    _download(make_link(pdf_export=export.pk))
    files = [Path(export.file.path), tmp_path / export_shared_copy_name(export)]
    assert all(f.is_file() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        export.delete()
    assert not any(f.exists() for f in files)


def test_a_stale_powerpoint_on_a_link_is_called_a_powerpoint_file(
    pitch: Pitch, owner_client: Client, make_link: Callable[..., ShareLink]
) -> None:
    from pitchlab.pitches.services import pitch_write

    make_link(pdf_export=_fake_ready(pitch, "pptx", _tiny_pptx()).pk)
    for n in range(2):
        pitch.refresh_from_db()
        pitch_write(pitch_id=pitch.pk, changes={"story.vision": f"Vision {n}"}, base_version=pitch.version)
    page = owner_client.get(f"/pitches/{pitch.pk}/share/").content.decode()
    assert 'data-stale="2"' in page
    assert "This PowerPoint file is older than the canvas by 2 changes" in page
    assert "This PDF is older" not in page
