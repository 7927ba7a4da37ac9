"""A share link's PDF never carries the speaker notes, whatever the founder exported with (issue 15 §6).

The founder's own download keeps the notes appendix they asked for; the link serves a notes-free copy rendered
from the same revision, made once and removed with the export.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from pitchlab.decks.models import DeckExport
from pitchlab.decks.services import export_create, export_run, export_shared_copy_name
from pitchlab.pitches.models import Pitch
from pitchlab.sharing.models import ShareLink

pytestmark = pytest.mark.django_db

SettingsWrapper = Any
WORDS = ("Maria", "Sequoia", "ticket number", "below 4M")
NOTES = {
    "title": "Thank Maria from Sequoia first",
    "problem": "Pause after the ticket number",
    "ask": "Do not go below 4M",
}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _exported(pitch: Pitch, *, notes_appendix: bool, lang: str = "en", theme: str | None = None) -> DeckExport:
    pitch.content["deck"]["slides"] = [{"kind": kind, "notes": note} for kind, note in NOTES.items()]
    pitch.content["deck"]["notes_appendix"] = notes_appendix
    pitch.version += 1
    pitch.save()
    export = export_run(export_id=export_create(pitch=pitch, lang=lang, theme=theme).pk)
    assert export.status == DeckExport.Status.READY, export.error
    return export


def _shared_pdf(client: Client, link: ShareLink) -> bytes:
    response = client.get(f"/s/{link.token}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "theme"), [("en", None), ("zh", "dark"), ("en", "light")])
def test_a_shared_pdf_has_no_notes_while_the_founders_has_them(
    client: Client,
    owner_client: Client,
    pitch: Pitch,
    make_link: Callable[..., ShareLink],
    settings: SettingsWrapper,
    tmp_path: Path,
    lang: str,
    theme: str | None,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    export = _exported(pitch, notes_appendix=True, lang=lang, theme=theme)
    founders = _text(b"".join(owner_client.get(f"/api/exports/{export.pk}/download/").streaming_content))  # type: ignore[attr-defined]
    flat = " ".join(founders.split())
    for word in WORDS:
        assert word in flat, word  # the founder asked for the notes appendix, and has it

    link = make_link(include_pdf=True)
    shared_bytes = _shared_pdf(Client(), link)
    shared = _text(shared_bytes)
    for word in WORDS:
        assert word not in " ".join(shared.split()), word
    # The same deck otherwise: every slide page is there, only the appendix pages are gone.
    shared_pages = len(PdfReader(io.BytesIO(shared_bytes)).pages)
    assert 0 < shared_pages < len(PdfReader(io.BytesIO(export.file.read())).pages)
    assert pitch.name in shared or lang == "zh"
    # Kept beside the export and served again as it is.
    assert (tmp_path / export_shared_copy_name(export)).is_file()
    assert _shared_pdf(Client(), link) == shared_bytes


def test_an_export_without_notes_is_shared_as_it_is(
    pitch: Pitch, make_link: Callable[..., ShareLink], settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    export = _exported(pitch, notes_appendix=False)
    shared = _shared_pdf(Client(), make_link(include_pdf=True))
    assert shared == Path(export.file.path).read_bytes()
    assert "Maria" not in _text(shared)
    assert not (tmp_path / export_shared_copy_name(export)).exists()


def test_the_notes_free_copy_goes_with_its_export(
    pitch: Pitch,
    make_link: Callable[..., ShareLink],
    settings: SettingsWrapper,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    export = _exported(pitch, notes_appendix=True)
    _shared_pdf(Client(), make_link(include_pdf=True))
    files = [Path(export.file.path), tmp_path / export_shared_copy_name(export)]
    assert all(f.is_file() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        export.delete()
    assert not any(f.exists() for f in files)
