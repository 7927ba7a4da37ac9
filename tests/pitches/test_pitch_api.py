"""The pitch API: a pitch is its owner's alone, on every endpoint and every method."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.accounts.models import ApiToken
from pitchlab.accounts.tokens import token_create
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> User:
    return make_user("stranger")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Lumen Health AI")


def test_create_from_a_name_answers_with_its_id(api_client: APIClient, owner: User) -> None:
    api_client.force_authenticate(owner)
    response = api_client.post("/api/pitches/", {"name": "  Deep   Lens  "}, format="json")
    assert response.status_code == 201
    created = Pitch.objects.get(pk=response.data["id"])
    assert created.owner == owner
    assert created.name == "Deep Lens"


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 121}])
def test_bad_names_get_400_with_a_reason_and_no_row(
    api_client: APIClient, owner: User, payload: dict[str, str]
) -> None:
    api_client.force_authenticate(owner)
    response = api_client.post("/api/pitches/", payload, format="json")
    assert response.status_code == 400
    assert response.data["message"]
    assert "name" in response.data["extra"]["fields"]
    assert not Pitch.objects.exists()


def test_list_shows_only_my_pitches(api_client: APIClient, owner: User, stranger: User, pitch: Pitch) -> None:
    pitch_create(owner=stranger, name="Someone Else Inc")
    api_client.force_authenticate(owner)
    response = api_client.get("/api/pitches/")
    assert response.status_code == 200
    assert [p["name"] for p in response.data["results"]] == ["Lumen Health AI"]


@pytest.mark.parametrize(
    ("method", "payload"),
    [("get", None), ("put", {"name": "Taken"}), ("patch", {"name": "Taken"}), ("delete", None)],
)
def test_someone_elses_pitch_is_404_on_every_method(
    api_client: APIClient, stranger: User, pitch: Pitch, method: str, payload: dict[str, str] | None
) -> None:
    api_client.force_authenticate(stranger)
    response = getattr(api_client, method)(f"/api/pitches/{pitch.pk}/", payload, format="json")
    assert response.status_code == 404
    pitch.refresh_from_db()
    assert pitch.name == "Lumen Health AI"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/pitches/"),
        ("post", "/api/pitches/"),
        ("get", "/api/pitches/{id}/"),
        ("delete", "/api/pitches/{id}/"),
    ],
)
def test_anonymous_requests_are_refused(api_client: APIClient, pitch: Pitch, method: str, url: str) -> None:
    response = getattr(api_client, method)(url.format(id=pitch.pk), {"name": "x"}, format="json")
    assert response.status_code == 401
    assert Pitch.objects.count() == 1


def test_owner_can_rename_and_delete(api_client: APIClient, owner: User, pitch: Pitch) -> None:
    api_client.force_authenticate(owner)
    response = api_client.patch(f"/api/pitches/{pitch.pk}/", {"name": "Lumen"}, format="json")
    assert response.status_code == 200
    pitch.refresh_from_db()
    assert pitch.name == "Lumen"
    assert api_client.delete(f"/api/pitches/{pitch.pk}/").status_code == 204
    assert not Pitch.objects.filter(pk=pitch.pk).exists()


def test_token_auth_works_and_a_bad_token_is_401(api_client: APIClient, owner: User, pitch: Pitch) -> None:
    _token, key = token_create(user=owner, name="script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(f"/api/pitches/{pitch.pk}/").data["name"] == "Lumen Health AI"
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api_client.get(f"/api/pitches/{pitch.pk}/")
    assert response.status_code == 401
    assert response.data["message"]


def test_create_token_command_prints_a_working_key(api_client: APIClient, owner: User, pitch: Pitch) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_token", "owner", "--name", "deploy script", stdout=out)
    key = out.getvalue().strip()
    assert ApiToken.objects.get(user=owner).name == "deploy script"
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(f"/api/pitches/{pitch.pk}/").status_code == 200


def test_openapi_schema_and_docs_are_served(client: object, owner: User) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/pitches/{pitch_id}/" in text
    assert "pitches_create" in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from our own static files, not a CDN: PitchLab must work offline.
    assert "cdn" not in docs.content.decode().lower()
