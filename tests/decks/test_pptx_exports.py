"""PowerPoint exports (issue 19): the API and the page start them, the worker renders them as a .pptx with its
slide count, they download with the PowerPoint type, the archive and the CLI carry them; a bad format is a 400."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from pptx import Presentation
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create
from pitchlab.decks.models import DeckExport
from pitchlab.decks.pdf import _pages
from pitchlab.decks.powerpoint import PPTX_TYPE
from pitchlab.decks.services import export_create, export_run, pitch_deck
from pitchlab.pitches.archive import pitch_archive_build
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_import

pytestmark = pytest.mark.django_db

SettingsWrapper = Any


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _slide_texts(data: bytes) -> list[str]:
    """Every slide's text, its shapes' text frames joined (tables and groups included)."""
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        words: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
        texts.append("\n".join(words))
    return texts


def _expected_slides(pitch: Pitch, lang: str = "en") -> int:
    """The renderer's page count: a slide per page of the PDF (the cover first)."""
    return len(_pages(pitch_deck(pitch=pitch, lang=lang)))


def _token_client(user: User) -> APIClient:
    client = APIClient()
    _, key = token_create(user=user, name="ci")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_pptx_export_is_rendered_and_downloaded_through_the_api(
    api_client: APIClient, owner: User, pitch: Pitch, django_capture_on_commit_callbacks: Any
) -> None:
    api_client.force_authenticate(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"format": "pptx"}, format="json")
    assert response.status_code == 202, response.content
    assert (response.json()["format"], response.json()["status"]) == ("pptx", "queued")
    assert len(callbacks) == 1  # queued for the worker once committed
    export_id = response.json()["id"]

    export_run(export_id=export_id)  # the worker's code path: the Celery task calls exactly this

    detail = api_client.get(f"/api/exports/{export_id}/").json()
    expected = _expected_slides(pitch)
    assert (detail["status"], detail["format"], detail["progress"], detail["pages"]) == ("ready", "pptx", 100, expected)
    assert detail["download_url"] == f"/api/exports/{export_id}/download/"

    download = api_client.get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == PPTX_TYPE
    assert download["Content-Disposition"].endswith(f'v{pitch.version}.pptx"')
    data = _body(download)
    texts = _slide_texts(data)
    assert len(texts) == expected > 5
    assert pitch.name in texts[0]
    stored = DeckExport.objects.get(pk=export_id)
    assert str(stored.file.name).endswith(".pptx")

    # The page's own download link serves the same file with the same type.
    client = Client()
    client.force_login(owner)
    page = client.get(f"/exports/{export_id}/download/")
    assert (page.status_code, page["Content-Type"]) == (200, PPTX_TYPE)
    assert _body(page) == data


def test_progress_is_recorded_per_slide_for_a_pptx(pitch: Pitch, monkeypatch: pytest.MonkeyPatch) -> None:
    from pitchlab.decks import services

    export = export_create(pitch=pitch, format="pptx")
    progress: list[int] = []
    real = services.EXPORT_RENDERERS["pptx"]

    def render(**kwargs: Any) -> bytes:
        on_slide = kwargs["on_slide"]

        def record(done: int, total: int) -> None:
            on_slide(done, total)
            progress.append(DeckExport.objects.get(pk=export.pk).progress)

        return real.render(**{**kwargs, "on_slide": record})

    monkeypatch.setitem(services.EXPORT_RENDERERS, "pptx", services.ExportRenderer(render, real.pages))
    done = export_run(export_id=export.pk)
    assert done.status == DeckExport.Status.READY, done.error
    assert len(progress) == done.pages  # one step per slide
    assert progress == sorted(progress)
    assert 0 < progress[0] < progress[-1] <= 99
    assert DeckExport.objects.get(pk=export.pk).progress == 100


def test_the_format_defaults_to_pdf(api_client: APIClient, owner: User, pitch: Pitch) -> None:
    api_client.force_authenticate(owner)
    response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {}, format="json")
    assert response.status_code == 202
    assert response.json()["format"] == "pdf"
    assert DeckExport.objects.get().format == DeckExport.Format.PDF


@pytest.mark.parametrize("value", ["ppt", "PPTX", "docx", "", 7])
def test_a_bad_format_is_400_naming_the_formats_and_creates_nothing(
    api_client: APIClient, owner: User, pitch: Pitch, value: Any
) -> None:
    api_client.force_authenticate(owner)
    response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"format": value}, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["extra"]["fields"]["format"])
    assert "pdf, pptx" in message
    assert not DeckExport.objects.exists()


def test_the_service_refuses_an_unknown_format(pitch: Pitch) -> None:
    from pitchlab.decks.services import ExportFormatInvalid

    with pytest.raises(ExportFormatInvalid, match="pdf, pptx"):
        export_create(pitch=pitch, format="key")
    assert not DeckExport.objects.exists()


def test_the_export_panel_starts_lists_and_offers_a_pptx(client: Client, owner: User, pitch: Pitch) -> None:
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/")
    html = page.content.decode()
    assert 'name="format" value="pptx"' in html
    assert "Export PowerPoint" in html

    panel = client.post(f"/pitches/{pitch.pk}/exports/new/", {"format": "pptx", "lang": "en"}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    export = DeckExport.objects.get()
    assert export.format == DeckExport.Format.PPTX
    assert 'data-format="pptx"' in panel.content.decode()

    export_run(export_id=export.pk)
    ready = client.get(f"/pitches/{pitch.pk}/exports/").content.decode()
    assert "PowerPoint" in ready
    assert "Download PowerPoint" in ready
    assert f"Ready · {_expected_slides(pitch)} slides" in ready
    assert "Download PDF" not in ready


def test_a_bad_format_on_the_page_falls_back_to_pdf(client: Client, owner: User, pitch: Pitch) -> None:
    client.force_login(owner)
    client.post(f"/pitches/{pitch.pk}/exports/new/", {"format": "exe"}, HTTP_HX_REQUEST="true")
    assert DeckExport.objects.get().format == DeckExport.Format.PDF


@pytest.mark.parametrize(
    ("who", "create", "download"),
    [
        ("owner-token", 202, 200),
        ("editor", 202, 200),
        ("viewer", 403, 403),
        ("stranger", 404, 404),
        ("anonymous", 401, 401),
    ],
)
def test_who_may_export_and_download_a_pptx(
    owner: User, pitch: Pitch, make_user: Callable[..., User], who: str, create: int, download: int
) -> None:
    ready = export_run(export_id=export_create(pitch=pitch, format="pptx").pk)
    if who == "anonymous":
        client = APIClient()
    elif who == "owner-token":
        client = _token_client(owner)
    else:
        member = make_user(who)
        if who != "stranger":
            PitchMember.objects.create(pitch=pitch, user=member, role=who, invited_by=owner)
        client = _token_client(member)
    before = DeckExport.objects.count()
    started = client.post(f"/api/pitches/{pitch.pk}/exports/", {"format": "pptx"}, format="json")
    assert started.status_code == create
    assert DeckExport.objects.count() == before + (1 if create == 202 else 0)
    got = client.get(f"/api/exports/{ready.pk}/download/")
    assert got.status_code == download
    if download == 200:
        assert got["Content-Type"] == PPTX_TYPE
        assert _body(got) == ready.file.open("rb").read()
    else:
        assert got.json()["message"]


def test_the_schema_documents_both_media_types(api_client: APIClient, owner: User) -> None:
    api_client.force_authenticate(owner)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    download = spec["paths"]["/api/exports/{export_id}/download/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/pdf", PPTX_TYPE}
    components = spec["components"]["schemas"]
    for name in ("ExportInput", "ExportOutput"):
        field = components[name]["properties"]["format"]
        ref = (field.get("allOf") or [field])[0].get("$ref", "")
        enum = components[ref.rsplit("/", 1)[-1]]["enum"] if ref else field["enum"]
        assert set(enum) == {"pdf", "pptx"}, name


def test_the_archive_carries_pptx_exports_with_their_format(pitch: Pitch) -> None:
    pptx = export_run(export_id=export_create(pitch=pitch, format="pptx").pk)
    pdf = export_run(export_id=export_create(pitch=pitch).pk)
    with zipfile.ZipFile(pitch_archive_build(pitch=pitch)) as archive:
        names = archive.namelist()
        rows = json.loads(archive.read(next(name for name in names if name.endswith("exports.json"))))
        by_id = {row["id"]: row for row in rows}
        assert (by_id[pptx.pk]["format"], by_id[pdf.pk]["format"]) == ("pptx", "pdf")
        assert by_id[pptx.pk]["file"].endswith(".pptx")
        assert by_id[pdf.pk]["file"].endswith(".pdf")
        member = next(name for name in names if name.endswith(by_id[pptx.pk]["file"]))
        data = archive.read(member)
    assert data == pptx.file.open("rb").read()
    assert len(Presentation(io.BytesIO(data)).slides) == pptx.pages


def test_the_cli_writes_a_pptx_under_its_default_name(
    pitch: Pitch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("export_pdf", str(pitch.pk), "--format", "pptx", "--lang", "zh", stdout=out)
    target = tmp_path / f"pitch-{pitch.pk}.pptx"
    assert f"Wrote {target.name}" in out.getvalue()
    slides = Presentation(str(target)).slides
    assert len(slides) == _expected_slides(pitch, lang="zh")


def test_the_cli_places_the_pitchs_pictures_as_the_worker_does(
    pitch: Pitch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from pitchlab.pictures.models import Picture
    from pitchlab.pictures.services import picture_upload

    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "#123456").save(buffer, format="PNG")
    picture_upload(pitch=pitch, user=None, data=buffer.getvalue(), role=Picture.Role.LOGO, alt="Logo")
    monkeypatch.chdir(tmp_path)
    call_command("export_pdf", str(pitch.pk), "--format", "pptx", stdout=io.StringIO())
    prs = Presentation(str(tmp_path / f"pitch-{pitch.pk}.pptx"))
    logos = [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(logos) >= len(prs.slides) - 1  # the logo in every footer (and on the cover)
    assert len({shape.image.sha1 for shape in logos}) == 1  # embedded once


def test_the_cli_still_writes_a_pdf_by_default(pitch: Pitch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    call_command("export_pdf", str(pitch.pk), stdout=io.StringIO())
    assert (tmp_path / f"pitch-{pitch.pk}.pdf").read_bytes().startswith(b"%PDF")


def test_the_cli_refuses_a_bad_format_in_one_line(pitch: Pitch, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("export_pdf", str(pitch.pk), "--format", "keynote", "-o", str(tmp_path / "x"))
    message = str(caught.value)
    assert "pdf, pptx" in message
    assert "\n" not in message
    assert not (tmp_path / "x").exists()
