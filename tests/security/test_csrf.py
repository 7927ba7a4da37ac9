"""CSRF: every POST form carries the token; a POST without it is refused (403) and changes nothing."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create
from pitchlab.decks.models import DeckExport
from pitchlab.pitches.models import Pitch
from tests.security.conftest import ANONYMOUS_PAGES, PASSWORD, World

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """The POST forms of a page, each with the names of the inputs inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._open: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._open = {
                "action": values.get("action"),
                "method": (values.get("method") or "get").lower(),
                "inputs": [],
            }
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None:
            inputs = self._open["inputs"]
            assert isinstance(inputs, list)
            inputs.append((values.get("name"), values.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def post_forms(html: str) -> list[dict[str, object]]:
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]


def _has_token(form: dict[str, object]) -> bool:
    inputs = form["inputs"]
    assert isinstance(inputs, list)
    return any(name == "csrfmiddlewaretoken" and value and len(value) >= 32 for name, value in inputs)


def test_every_post_form_on_every_page_carries_the_csrf_token(client: Client, world: World) -> None:
    seen = 0
    pages = dict(ANONYMOUS_PAGES)
    for name, url in pages.items():
        html = client.get(url).content.decode()
        for form in post_forms(html):
            seen += 1
            assert _has_token(form), f"{name} ({url}): a POST form to {form['action']} has no CSRF token"
    client.force_login(world.owner)
    for name, url in world.pages().items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} ({url}): {response.status_code}"
        for form in post_forms(response.content.decode()):
            seen += 1
            assert _has_token(form), f"{name} ({url}): a POST form to {form['action']} has no CSRF token"
    assert seen >= 15  # the test looked at real forms (log-in, log-out on each page, new pitch, import, ...)


@pytest.fixture
def strict(world: World) -> Client:
    """A logged-in browser that does not send the CSRF token (as a forged cross-site form would)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    return client


def _refused(response: object) -> None:
    status = getattr(response, "status_code", None)
    assert status == 403, f"expected 403 without a CSRF token, got {status}"


def test_account_forms_without_the_token_are_refused(world: World) -> None:
    anonymous = Client(enforce_csrf_checks=True)
    _refused(anonymous.post("/accounts/login/", {"username": "ada", "password": PASSWORD}))
    assert "_auth_user_id" not in anonymous.session
    data = {"username": "mallory", "email": "m@example.com", "password1": PASSWORD, "password2": PASSWORD}
    _refused(anonymous.post("/accounts/signup/", data))
    assert not User.objects.filter(username="mallory").exists()
    _refused(anonymous.post("/accounts/password/reset/", {"email": "ada@example.com"}))
    assert mail.outbox == []

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    new = "a forged new passphrase"
    _refused(
        client.post(
            "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
    )
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)
    _refused(client.post("/accounts/logout/"))
    assert client.get("/").status_code == 200  # still logged in
    _refused(client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}))
    assert "django_language" not in client.cookies


def test_pitch_forms_without_the_token_are_refused(strict: Client, world: World) -> None:
    pitch = world.pitch
    before = Pitch.objects.count()
    _refused(strict.post("/", {"name": "Forged Inc"}))
    _refused(strict.post(f"/pitches/{pitch.pk}/", {"name": "Renamed by a forgery"}))
    _refused(strict.post(f"/pitches/{pitch.pk}/duplicate/"))
    _refused(strict.post("/pitches/from-template/support_nlp/"))
    document = json.dumps({"format": "pitchlab.pitch", "schema": 1, "name": "Forged", "canvas": {}}).encode()
    _refused(strict.post("/pitches/import/", {"file": io.BytesIO(document)}))
    _refused(strict.post(f"/pitches/{pitch.pk}/delete/"))
    assert Pitch.objects.count() == before
    pitch.refresh_from_db()
    assert pitch.name == "Lumen Support AI"
    _refused(strict.post(f"/pitches/{pitch.pk}/exports/new/", {"theme": "light", "lang": "en"}))
    assert not DeckExport.objects.exists()


def test_session_api_writes_need_the_csrf_header_and_token_writes_do_not(world: World) -> None:
    pitch = world.pitch
    session = APIClient(enforce_csrf_checks=True)
    session.login(username="ada", password=PASSWORD)
    response = session.patch(f"/api/pitches/{pitch.pk}/", {"name": "Forged"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    response = session.post("/api/pitches/", {"name": "Forged"}, format="json")
    assert response.status_code == 403
    response = session.delete(f"/api/pitches/{pitch.pk}/")
    assert response.status_code == 403
    pitch.refresh_from_db()
    assert pitch.name == "Lumen Support AI"
    assert Pitch.objects.count() == 1
    # Reads need no token.
    assert session.get(f"/api/pitches/{pitch.pk}/").status_code == 200
    # With the token from the cookie, the same write goes through.
    token = session.get("/").cookies.get("csrftoken") or session.cookies.get("csrftoken")
    assert token is not None
    response = session.post("/api/pitches/", {"name": "With token"}, format="json", HTTP_X_CSRFTOKEN=token.value)
    assert response.status_code == 201, response.content

    # A token-authenticated client (a script, not a browser) carries no cookie a forger could ride on.
    key = token_create(user=world.owner, name="csrf test")[1]
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/pitches/", {"name": "By token"}, format="json")
    assert response.status_code == 201, response.content
