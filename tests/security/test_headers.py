"""Security headers on every page, and the cookie flags production settings give the session and CSRF cookies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.core.test_settings import PRODUCTION
from tests.security.conftest import ANONYMOUS_PAGES, PASSWORD, World
from tests.support import run_python

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def _check_headers(name: str, response: Any) -> None:
    csp = response.get("Content-Security-Policy")
    assert csp, f"{name}: no Content-Security-Policy"
    policy = _directives(csp)
    assert policy["default-src"] == ["'self'"], name
    assert policy["script-src"] == ["'self'"], f"{name}: script-src {policy['script-src']}"
    assert policy["object-src"] == ["'none'"], name
    assert policy["frame-ancestors"] == ["'none'"], name
    assert policy["base-uri"] == ["'self'"], name
    assert policy["form-action"] == ["'self'"], name
    assert "'unsafe-eval'" not in csp, name
    assert response.get("X-Frame-Options") == "DENY", name
    assert response.get("X-Content-Type-Options") == "nosniff", name
    assert response.get("Referrer-Policy") == "same-origin", name
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", name
    permissions = response.get("Permissions-Policy", "")
    assert "camera=(self)" in permissions, name
    assert "geolocation=()" in permissions, name


def test_every_page_answers_with_the_security_headers(client: Client, world: World) -> None:
    for name, url in ANONYMOUS_PAGES.items():
        _check_headers(name, client.get(url))
    client.force_login(world.owner)
    for name, url in world.pages().items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        _check_headers(name, response)
    _check_headers("API", client.get(f"/api/pitches/{world.pitch.pk}/"))
    _check_headers("API docs script", client.get("/api/docs/?script="))
    _check_headers("someone else's pitch", client.get("/pitches/999999/"))


def test_the_api_docs_page_has_no_inline_script(client: Client, world: World) -> None:
    client.force_login(world.owner)
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page
    assert 'src="/api/docs/?script="' in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_production_settings_give_the_cookies_their_flags() -> None:
    """The settings production mode computes (a child process with production variables) ..."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE',"
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SAMESITE', 'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS', 'SECURE_CONTENT_TYPE_NOSNIFF')}))"
    )
    result = run_python(["-c", code], DJANGO_SETTINGS_MODULE="pitchlab.settings", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout)
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert 3600 <= production["SESSION_COOKIE_AGE"] <= 30 * 24 * 3600
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] > 0
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    _check_set_cookie_headers(production)


def _check_set_cookie_headers(production: dict[str, Any]) -> None:
    """... put on the real responses of a log-in over HTTPS: the Set-Cookie headers carry the flags."""
    from django.contrib.auth.models import User

    User.objects.create_user("cookie", "cookie@example.com", PASSWORD)
    with override_settings(**production):
        client = Client()
        page = client.get("/accounts/login/", secure=True)
        csrf = page.cookies["csrftoken"]
        assert csrf["secure"] is True
        assert csrf["samesite"] == "Lax"
        assert not csrf["httponly"]  # the page's own scripts read it (and send it as X-CSRFToken)
        response = client.post(
            "/accounts/login/",
            {"username": "cookie", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
            secure=True,
        )
        assert response.status_code == 302
        session = response.cookies["sessionid"]
        assert session["secure"] is True
        assert session["httponly"] is True
        assert session["samesite"] == "Lax"
        assert int(session["max-age"]) == production["SESSION_COOKIE_AGE"]
        # Plain HTTP is sent to HTTPS.
        assert client.get("/accounts/login/").status_code == 301
