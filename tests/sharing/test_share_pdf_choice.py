"""A share link carries the PDF the founder chose (issue 16 §3): none, the newest export, or one export; how many
canvas changes that PDF is behind; a re-export; and never the speaker notes, whatever the mode."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.decks.models import DeckExport
from pitchlab.decks.services import export_create, export_run
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, pitch_write
from pitchlab.sharing.models import ShareLink

pytestmark = pytest.mark.django_db

SettingsWrapper = Any


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _ready(pitch: Pitch, body: bytes, *, theme: str = "light", user: User | None = None) -> DeckExport:
    export = export_create(pitch=pitch, theme=theme, user=user)
    DeckExport.objects.filter(pk=export.pk).update(status="ready", progress=100, pages=3)
    export.refresh_from_db()
    export.file.save(f"deck-{export.pk}.pdf", ContentFile(body), save=True)
    return export


def _edit(pitch: Pitch, text: str) -> Pitch:
    pitch.refresh_from_db()
    return pitch_write(pitch_id=pitch.pk, changes={"story.vision": text}, base_version=pitch.version)


def _pdf(link: ShareLink) -> bytes:
    response = Client().get(f"/s/{link.token}/pdf/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_pinned_link_keeps_its_export_when_a_newer_one_is_made(owner_api: APIClient, pitch: Pitch) -> None:
    first = _ready(pitch, b"%PDF-1.4 first")
    created = owner_api.post(
        f"/api/pitches/{pitch.pk}/share-links/", {"label": "VC", "pdf_export": first.pk}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["pdf"], body["pdf_export"], body["include_pdf"]) == ("pinned", first.pk, True)
    link = ShareLink.objects.get()
    assert (link.pdf_mode, link.pdf_export_id) == ("pinned", first.pk)

    newer = _ready(pitch, b"%PDF-1.4 second", theme="dark")
    assert _pdf(link) == b"%PDF-1.4 first"
    detail = owner_api.get(f"/api/share-links/{link.pk}/").json()
    assert detail["shared_pdf"]["export"]["id"] == first.pk
    assert detail["shared_pdf"]["newer_export"] == newer.pk

    moved = owner_api.patch(f"/api/share-links/{link.pk}/", {"pdf_export": newer.pk}, format="json")
    assert moved.status_code == 200, moved.content
    assert _pdf(link) == b"%PDF-1.4 second"


def test_a_newest_link_serves_the_newest_finished_export(owner_api: APIClient, pitch: Pitch) -> None:
    _ready(pitch, b"%PDF-1.4 old")
    response = owner_api.post(f"/api/pitches/{pitch.pk}/share-links/", {"pdf": "newest"}, format="json")
    link = ShareLink.objects.get(pk=response.json()["id"])
    assert _pdf(link) == b"%PDF-1.4 old"
    _ready(pitch, b"%PDF-1.4 new")
    assert _pdf(link) == b"%PDF-1.4 new"
    none = owner_api.patch(f"/api/share-links/{link.pk}/", {"pdf": "none"}, format="json").json()
    assert (none["pdf"], none["include_pdf"], none["shared_pdf"]["export"]) == ("none", False, None)
    assert Client().get(f"/s/{link.token}/pdf/").status_code == 404


def test_the_older_include_pdf_means_newest(make_link: Callable[..., ShareLink]) -> None:
    assert make_link(include_pdf=True).pdf_mode == "newest"
    assert make_link().pdf_mode == "none"


def test_an_export_of_another_pitch_or_one_not_finished_cannot_be_pinned(
    owner_api: APIClient, pitch: Pitch, make_user: Callable[..., User]
) -> None:
    stranger = make_user("stranger")
    theirs = _ready(pitch_import(owner=stranger, document=template_document("support_nlp")), b"%PDF theirs")
    pending = export_create(pitch=pitch)
    url = f"/api/pitches/{pitch.pk}/share-links/"
    for export_id in (theirs.pk, pending.pk, 999_999):
        response = owner_api.post(url, {"pdf": "pinned", "pdf_export": export_id}, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["extra"]["field"] == "pdf_export"
    assert owner_api.post(url, {"pdf": "pinned"}, format="json").status_code == 400
    assert not ShareLink.objects.exists()
    mine = owner_api.post(url, {"pdf": "newest"}, format="json").json()
    refused = owner_api.patch(f"/api/share-links/{mine['id']}/", {"pdf_export": theirs.pk}, format="json")
    assert refused.status_code == 400
    assert ShareLink.objects.get().pdf_mode == "newest"


def test_the_exports_to_choose_from_say_date_theme_language_pages_who_and_staleness(
    owner_api: APIClient, pitch: Pitch, owner: User
) -> None:
    export = _ready(pitch, b"%PDF-1.4", theme="dark", user=owner)
    export_create(pitch=pitch)  # queued: not offered
    _edit(pitch, "A world where every ticket answers itself.")
    _edit(pitch, "Every ticket, answered.")
    rows = owner_api.get(f"/api/pitches/{pitch.pk}/share-links/exports/").json()
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["theme"], row["lang"], row["pages"], row["created_by"]) == (
        export.pk,
        "dark",
        "en",
        3,
        "founder",
    )
    assert row["changes_behind"] == 2
    assert row["finished_at"] is None or row["created_at"]


def test_a_stale_shared_pdf_says_by_how_many_changes_in_the_api_and_the_analytics(
    owner_api: APIClient, pitch: Pitch, owner_client: Client
) -> None:
    export = _ready(pitch, b"%PDF-1.4")
    link_id = owner_api.post(f"/api/pitches/{pitch.pk}/share-links/", {"pdf_export": export.pk}, format="json").json()[
        "id"
    ]
    fresh = owner_api.get(f"/api/share-links/{link_id}/").json()["shared_pdf"]
    assert (fresh["stale"], fresh["changes_behind"]) == (False, 0)
    for n in range(3):
        _edit(pitch, f"Vision {n}")
    stale = owner_api.get(f"/api/share-links/{link_id}/").json()["shared_pdf"]
    assert (stale["stale"], stale["changes_behind"]) == (True, 3)
    analytics = owner_api.get(f"/api/share-links/{link_id}/analytics/").json()
    assert analytics["shared_pdf"]["changes_behind"] == 3
    page = owner_client.get(f"/pitches/{pitch.pk}/share/").content.decode()
    assert 'data-stale="3"' in page
    assert "older than the canvas by 3 changes" in page
    assert "data-reexport" in page


def test_re_export_from_the_share_page_uses_the_shared_pdfs_theme_and_language(
    owner_client: Client, pitch: Pitch, owner: User, make_link: Callable[..., ShareLink]
) -> None:
    export = _ready(pitch, b"%PDF-1.4", theme="dark")
    link = make_link(pdf="newest")
    _edit(pitch, "Changed")
    response = owner_client.post(f"/pitches/{pitch.pk}/share/{link.pk}/reexport/")
    assert response.status_code == 302
    new = DeckExport.objects.exclude(pk=export.pk).get()
    pitch.refresh_from_db()
    assert (new.theme, new.lang, new.revision.version, new.created_by) == ("dark", "en", pitch.version, owner)


def test_the_page_changes_a_links_pdf_to_one_export(
    owner_client: Client, pitch: Pitch, make_link: Callable[..., ShareLink]
) -> None:
    export = _ready(pitch, b"%PDF-1.4")
    link = make_link()
    owner_client.post(f"/pitches/{pitch.pk}/share/{link.pk}/pdf/", {"pdf": f"export:{export.pk}"})
    link.refresh_from_db()
    assert (link.pdf_mode, link.pdf_export_id) == ("pinned", export.pk)


def test_a_pinned_export_that_is_deleted_leaves_the_link_without_a_pdf(
    owner_api: APIClient, pitch: Pitch, make_link: Callable[..., ShareLink]
) -> None:
    export = _ready(pitch, b"%PDF-1.4 chosen")
    _ready(pitch, b"%PDF-1.4 another")
    link = make_link(pdf_export=export.pk)
    export.delete()
    link.refresh_from_db()
    assert (link.pdf_mode, link.pdf_export_id) == ("pinned", None)
    assert Client().get(f"/s/{link.token}/pdf/").status_code == 404  # never another export in its place
    assert "/pdf/" not in Client().get(f"/s/{link.token}/").content.decode()
    assert owner_api.get(f"/api/share-links/{link.pk}/").json()["shared_pdf"]["missing"] is True


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("mode", ["newest", "pinned"])
def test_a_shared_pdf_never_carries_the_speaker_notes_in_any_mode(
    pitch: Pitch, make_link: Callable[..., ShareLink], tmp_path: Path, mode: str
) -> None:
    pitch.content["deck"]["slides"] = [{"kind": "title", "notes": "Thank Maria from Sequoia first"}]
    pitch.content["deck"]["notes_appendix"] = True
    pitch.version += 1
    pitch.save()
    export = export_run(export_id=export_create(pitch=pitch).pk)
    assert export.status == DeckExport.Status.READY, export.error
    link = make_link(pdf=mode, pdf_export=export.pk if mode == "pinned" else None)
    target = tmp_path / "shared.pdf"
    target.write_bytes(_pdf(link))
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert pitch.name in text
    assert "Maria" not in text
    assert "Sequoia" not in text
    founders = subprocess.run(["pdftotext", export.file.path, "-"], capture_output=True, text=True, check=True)
    assert "Maria" in founders.stdout  # the founder's own file has the notes they asked for
