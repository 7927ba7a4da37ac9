"""GET /api/exports/{id}/download/: the PDF for token and session clients alike, under the export's permissions
(issue 15 §6: the API's download_url used to send a token client to the log-in page)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create
from pitchlab.decks.models import DeckExport
from pitchlab.pitches.models import Pitch, PitchMember, PitchRevision
from pitchlab.pitches.services import pitch_create, revision_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a tiny test deck\n%%EOF\n"


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


def _export(pitch: Pitch, status: str = "ready", with_file: bool = True) -> DeckExport:
    revision = revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    export = DeckExport.objects.create(pitch=pitch, revision=revision, status=status, progress=100)
    if with_file:
        export.file.save("deck.pdf", ContentFile(PDF), save=True)
    return export


def _token_client(user: User) -> APIClient:
    client = APIClient()
    _, key = token_create(user=user, name="ci")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _session_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("accept", [None, "application/pdf", "*/*", "application/json", "text/html"])
def test_a_token_client_follows_download_url_to_the_pdf(owner: User, pitch: Pitch, accept: str | None) -> None:
    export = _export(pitch)
    client = _token_client(owner)
    url = client.get(f"/api/exports/{export.pk}/").json()["download_url"]
    assert url == f"/api/exports/{export.pk}/download/"
    response = client.get(url, HTTP_ACCEPT=accept) if accept else client.get(url)
    assert response.status_code == 200, response.content if hasattr(response, "content") else ""
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Acme AI v" in response["Content-Disposition"]
    assert _body(response) == PDF


def test_a_session_client_gets_the_same_file(owner: User, pitch: Pitch) -> None:
    export = _export(pitch)
    response = _session_client(owner).get(f"/api/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert _body(response) == PDF


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_team_members_download_as_the_access_layer_says(
    owner: User, pitch: Pitch, make_user: Callable[..., User], role: str
) -> None:
    member = make_user(role)
    PitchMember.objects.create(pitch=pitch, user=member, role=role, invited_by=owner)
    export = _export(pitch)
    detail = _token_client(member).get(f"/api/exports/{export.pk}/")
    download = _token_client(member).get(f"/api/exports/{export.pk}/download/")
    # The download follows the export itself: whoever may read the export may take its file, nobody else.
    assert download.status_code == detail.status_code
    if download.status_code == 200:
        assert _body(download) == PDF
    else:
        assert download.json()["message"]


def test_strangers_get_404_and_anonymous_callers_401(pitch: Pitch, make_user: Callable[..., User]) -> None:
    export = _export(pitch)
    assert _token_client(make_user("stranger")).get(f"/api/exports/{export.pk}/download/").status_code == 404
    assert _session_client(make_user("other")).get(f"/api/exports/{export.pk}/download/").status_code == 404
    assert APIClient().get(f"/api/exports/{export.pk}/download/").status_code == 401
    assert _token_client(pitch.owner).get("/api/exports/999999/download/").status_code == 404


@pytest.mark.parametrize("status", ["queued", "rendering", "failed"])
def test_an_export_that_is_not_ready_is_409_with_its_status(owner: User, pitch: Pitch, status: str) -> None:
    export = _export(pitch, status=status, with_file=False)
    assert _token_client(owner).get(f"/api/exports/{export.pk}/").json()["download_url"] is None
    response = _token_client(owner).get(f"/api/exports/{export.pk}/download/")
    assert response.status_code == 409
    assert response.json()["extra"]["status"] == status


def test_a_ready_export_whose_file_is_gone_is_409_not_500(owner: User, pitch: Pitch) -> None:
    export = _export(pitch)
    export.file.storage.delete(str(export.file.name))
    response = _token_client(owner).get(f"/api/exports/{export.pk}/download/")
    assert response.status_code == 409
