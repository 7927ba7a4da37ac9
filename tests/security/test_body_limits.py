"""A body over the limit (settings.DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413 that names it: JSON for every API
client, whatever the body's type, and a page (never a 500) for pages (issue 15 §6). Files have limits of their
own and are not held to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create
from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db

LIMIT = 4_000  # a small limit keeps each case fast; one case below uses the real 16 MB


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


@pytest.fixture(params=["token", "session"])
def api(request: pytest.FixtureRequest, owner: User) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if request.param == "token":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=owner, name='ci')[1]}")
    else:
        client.force_login(owner)
    return client


def _json_endpoints(pitch: Pitch) -> list[tuple[str, str]]:
    return [
        ("patch", f"/api/pitches/{pitch.pk}/canvas/"),
        ("put", f"/api/pitches/{pitch.pk}/canvas/story.purpose/"),
        ("post", "/api/pitches/"),
        ("post", f"/api/pitches/{pitch.pk}/traction/parse/"),
        ("put", f"/api/pitches/{pitch.pk}/remote/state/"),
        ("post", f"/api/pitches/{pitch.pk}/revisions/"),
    ]


def _assert_413_json(response: Any, limit: int) -> None:
    assert response.status_code == 413, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["extra"]["limit_bytes"] == limit
    assert f"{limit:,}" in body["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
@pytest.mark.parametrize("over", [1, 100, 10 * LIMIT])
def test_json_bodies_over_the_limit_are_json_413_on_every_endpoint(api: APIClient, pitch: Pitch, over: int) -> None:
    body = json.dumps({"base_version": 1, "changes": {"story.purpose": "x"}, "value": "x", "name": "x", "pad": ""})
    body = body[:-2] + "x" * (LIMIT + over - len(body)) + '"}'
    assert len(body) == LIMIT + over
    for method, url in _json_endpoints(pitch):
        _assert_413_json(getattr(api, method)(url, body, content_type="application/json"), LIMIT)
    pitch.refresh_from_db()
    assert pitch.content["story"]["purpose"] == ""
    assert Pitch.objects.count() == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/octet-stream"]
)
def test_other_body_types_over_the_limit_are_json_413(api: APIClient, pitch: Pitch, content_type: str) -> None:
    body = "name=" + "x" * LIMIT
    for method, url in _json_endpoints(pitch):
        _assert_413_json(getattr(api, method)(url, body, content_type=content_type), LIMIT)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_multipart_form_whose_fields_are_over_the_limit_is_json_413(api: APIClient, pitch: Pitch) -> None:
    response = api.post("/api/pitches/", {"name": "x" * (LIMIT + 10)}, format="multipart")
    _assert_413_json(response, LIMIT)
    assert Pitch.objects.count() == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_files_are_not_held_to_the_body_limit(api: APIClient, pitch: Pitch) -> None:
    """A model zip bigger than the body limit reaches the upload's own checks (here: not a zip, 400)."""
    upload = SimpleUploadedFile("model.zip", b"not a zip" * (LIMIT // 2), content_type="application/zip")
    response = api.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "upload", "kind": "text", "name": "Big", "file": upload},
        format="multipart",
    )
    assert response.status_code != 413, response.content[:300]
    assert response.status_code < 500


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_bodies_within_the_limit_go_through(api: APIClient, pitch: Pitch) -> None:
    body = {"base_version": pitch.version, "changes": {"story.purpose": "y" * (LIMIT - 200)}}
    assert api.patch(f"/api/pitches/{pitch.pk}/canvas/", body, format="json").status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_the_audience_api_outside_api_also_answers_json(pitch: Pitch) -> None:
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text", labels=["a"]
    )
    link = AudienceLink.objects.create(demo_model=model, token="c" * 24)
    body = json.dumps({"text": "x" * (2 * LIMIT)})
    response = Client().post(f"/d/{link.token}/predict/", body, content_type="application/json")
    _assert_413_json(response, LIMIT)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/pitches/import/"])
def test_pages_get_a_413_page_not_a_500(owner: User, url: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    response = client.post(url, "username=" + "x" * (2 * LIMIT), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert f"{LIMIT:,}" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_the_reported_17_mb_json_body_is_a_json_413_naming_16_mb(
    owner: User, pitch: Pitch, settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(owner)
    body = json.dumps({"base_version": 1, "changes": {"story.purpose": "x" * 17_000_000}})
    response = client.patch(f"/api/pitches/{pitch.pk}/canvas/", body, content_type="application/json")
    _assert_413_json(response, 16_000_000)
    assert "16 MB" in response.json()["message"]


# A POSTed form Django cannot parse is a 400 that says so: JSON for the API, a page for pages; never Django's
# HTML 400 to an API client. Members of the family: a part whose headers never end, a body with no parts at
# all, more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, more files than DATA_UPLOAD_MAX_NUMBER_FILES.
BOUNDARY = "10f015952cac8c5e183a29b71c35639c"


def _unreadable_bodies() -> list[tuple[str, str, bytes]]:
    multipart = f"multipart/form-data; boundary={BOUNDARY}"
    headers_never_end = f"--{BOUNDARY}\r\n".encode() + ("['\\n', {'\x85': 3.9e-194}] " * 400).encode("utf-8")
    many_fields = "&".join(f"f{i}=1" for i in range(1_200)).encode()
    many_files = (
        b"".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f{i}"; filename="a{i}.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\nx\r\n".encode()
            for i in range(120)
        )
        + f"--{BOUNDARY}--\r\n".encode()
    )
    return [
        ("headers that never end", multipart, headers_never_end),
        ("too many fields", "application/x-www-form-urlencoded", many_fields),
        ("too many files", multipart, many_files),
    ]


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=1_000, DATA_UPLOAD_MAX_NUMBER_FILES=100)
@pytest.mark.parametrize(("what", "content_type", "body"), _unreadable_bodies(), ids=lambda v: str(v)[:24])
def test_a_form_that_cannot_be_read_is_a_json_400_for_the_api(
    api: APIClient, pitch: Pitch, what: str, content_type: str, body: bytes
) -> None:
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text", labels=["a"]
    )
    for url in (f"/api/demo-models/{model.pk}/predict/", f"/api/pitches/{pitch.pk}/traction/parse/", "/api/pitches/"):
        response = api.generic("POST", url, body, content_type=content_type)  # type: ignore[arg-type]  # bytes as sent
        assert response.status_code == 400, (what, url, response.status_code, response.content[:200])
        assert response["Content-Type"].startswith("application/json"), (what, url)
        assert response.json()["message"].startswith("The form could not be read"), (what, url)
    assert Pitch.objects.count() == 1  # nothing was created


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=1_000, DATA_UPLOAD_MAX_NUMBER_FILES=100)
@pytest.mark.parametrize(("what", "content_type", "body"), _unreadable_bodies(), ids=lambda v: str(v)[:24])
def test_a_page_given_a_form_that_cannot_be_read_answers_a_400_page(
    owner: User, what: str, content_type: str, body: bytes
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    response = client.generic("POST", "/pitches/import/", body, content_type=content_type)
    assert response.status_code == 400, (what, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    assert "The form could not be read: " in response.content.decode()  # the reason, not only the title
