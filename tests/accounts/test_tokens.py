"""API tokens: named, shown once, listed by name and last use, rotated, revoked; a new password revokes them all."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from pitchlab.accounts.models import ApiToken
from pitchlab.accounts.tokens import key_hash, token_create
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def ada(make_user: Callable[..., User]) -> User:
    return make_user("ada")


def _session(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _with_key(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _works(key: str) -> bool:
    status = _with_key(key).get("/api/pitches/").status_code
    assert status in (200, 401), status
    return status == 200


def test_created_key_is_shown_once_and_only_its_hash_is_stored(ada: User) -> None:
    api = _session(ada)
    created = api.post("/api/tokens/", {"name": "CI export job"}, format="json")
    assert created.status_code == 201, created.content
    assert created["Cache-Control"] == "no-store"
    key = created.json()["key"]
    assert key.startswith("pl_")
    assert len(key) >= 40
    token = ApiToken.objects.get(pk=created.json()["id"])
    assert token.key_hash == key_hash(key)
    assert key not in token.key_hash
    assert token.prefix == key[:10]
    listed = api.get("/api/tokens/").json()
    assert [row["name"] for row in listed] == ["CI export job"]
    assert "key" not in listed[0]  # never shown again
    assert key not in api.get("/api/tokens/").content.decode()
    assert _works(key)


def test_list_is_by_name_with_last_use_and_only_the_users_own(ada: User, make_user: Callable[..., User]) -> None:
    bob = make_user("bob")
    for name in ("zeta deploy", "Alpha laptop", "mid job"):
        token_create(user=ada, name=name)
    token_create(user=bob, name="bob's script")
    _, revoked_key = token_create(user=ada, name="old one")
    _with_key(revoked_key).delete(f"/api/tokens/{ApiToken.objects.get(name='old one').pk}/")
    rows = _session(ada).get("/api/tokens/").json()
    assert [row["name"] for row in rows] == ["Alpha laptop", "mid job", "zeta deploy"]
    assert all(row["last_used_at"] is None for row in rows)


def test_last_use_is_written_at_most_once_a_minute(ada: User) -> None:
    token, key = token_create(user=ada, name="cron")
    assert _works(key)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert timezone.now() - first < timedelta(seconds=30)
    assert _works(key)
    token.refresh_from_db()
    assert token.last_used_at == first  # the second call within the minute wrote nothing
    token.last_used_at = first - timedelta(minutes=5)  # as if the last use was 5 minutes ago: a save, which
    token.save(update_fields=["last_used_at"])  # drops the token the live path keeps in the cache
    assert _works(key)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first - timedelta(seconds=1)
    row = _session(ada).get("/api/tokens/").json()[0]
    assert row["last_used_at"] is not None


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token"])
def test_revoked_key_gets_401_in_every_scheme(ada: User, scheme: str) -> None:
    token, key = token_create(user=ada, name="laptop")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    assert api.get("/api/pitches/").status_code == 200
    assert _session(ada).delete(f"/api/tokens/{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/pitches/")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert _session(ada).get("/api/tokens/").json() == []


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token pl_not-a-real-key", "Token \u00e9t\u00e9", "Bearer " + "x" * 500]
)
def test_malformed_or_unknown_keys_get_401(ada: User, header: str) -> None:
    token_create(user=ada, name="real")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/pitches/")
    assert response.status_code == 401
    assert response.json()["message"]


def test_a_key_of_an_inactive_user_gets_401(ada: User) -> None:
    _, key = token_create(user=ada, name="laptop")
    User.objects.filter(pk=ada.pk).update(is_active=False)
    assert not _works(key)


def test_another_users_token_cannot_be_seen_revoked_or_rotated(ada: User, make_user: Callable[..., User]) -> None:
    bob = make_user("bob")
    theirs, their_key = token_create(user=bob, name="bob's CI")
    api = _session(ada)
    assert api.delete(f"/api/tokens/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/tokens/{theirs.pk}/rotate/").status_code == 404
    assert api.delete("/api/tokens/999999/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert _works(their_key)
    assert api.get("/api/tokens/").json() == []


def test_rotate_gives_a_new_key_under_the_same_name_and_kills_the_old(ada: User) -> None:
    token, old_key = token_create(user=ada, name="deploy")
    rotated = _with_key(old_key).post(f"/api/tokens/{token.pk}/rotate/")  # a script rotates its own key
    assert rotated.status_code == 201, rotated.content
    new_key = rotated.json()["key"]
    assert rotated.json()["name"] == "deploy"
    assert new_key != old_key
    assert not _works(old_key)
    assert _works(new_key)
    assert [row["id"] for row in _session(ada).get("/api/tokens/").json()] == [rotated.json()["id"]]


def test_a_token_manages_only_itself_and_cannot_mint_others(ada: User) -> None:
    mine, key = token_create(user=ada, name="stolen")
    other, other_key = token_create(user=ada, name="ci")
    api = _with_key(key)
    refused = api.post("/api/tokens/", {"name": "persistence"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["message"]
    assert api.delete(f"/api/tokens/{other.pk}/").status_code == 403
    assert api.post(f"/api/tokens/{other.pk}/rotate/").status_code == 403
    assert ApiToken.objects.filter(user=ada).count() == 2
    assert _works(other_key)
    listed = api.get("/api/tokens/").json()
    assert {row["name"]: row["current"] for row in listed} == {"ci": False, "stolen": True}
    assert api.delete(f"/api/tokens/{mine.pk}/").status_code == 204
    assert not _works(key)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_short_name(ada: User, name: str) -> None:
    response = _session(ada).post("/api/tokens/", {"name": name}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_anonymous_callers_get_401(db: None) -> None:
    assert APIClient().get("/api/tokens/").status_code == 401
    assert APIClient().post("/api/tokens/", {"name": "x"}, format="json").status_code == 401


def _three_tokens(user: User) -> list[str]:
    return [token_create(user=user, name=f"script {n}")[1] for n in range(3)]


def test_password_change_page_revokes_every_token_but_not_others(
    client: Client, ada: User, make_user: Callable[..., User]
) -> None:
    keys = _three_tokens(ada)
    _, bobs = token_create(user=make_user("bob"), name="bob's")
    client.force_login(ada)
    new = "another long passphrase"
    response = client.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert not any(_works(key) for key in keys)
    assert not ApiToken.objects.filter(user=ada, revoked_at__isnull=True).exists()
    assert _works(bobs)
    assert client.get("/").status_code == 200  # the session that changed it stays signed in


def test_password_reset_revokes_every_token(client: Client, ada: User) -> None:
    keys = _three_tokens(ada)
    assert client.post("/accounts/password/reset/", {"email": "ada@example.com"}).status_code == 302
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new = "a brand new passphrase"
    assert client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code == 302
    assert not any(_works(key) for key in keys)


def test_admin_and_shell_password_changes_revoke_too(client: Client, ada: User) -> None:
    keys = _three_tokens(ada)
    admin = User.objects.create_superuser("root", "root@example.com", "root passphrase long")
    client.force_login(admin)
    new = "set by the admin"
    response = client.post(
        f"/admin/auth/user/{ada.pk}/password/", {"password1": new, "password2": new, "usable_password": "true"}
    )
    assert response.status_code == 302, response.content[:500]
    assert not any(_works(key) for key in keys)
    # a shell, a management command, any code that sets a password
    more = _three_tokens(ada)
    ada.refresh_from_db()
    ada.set_password("and from a shell too")
    ada.save()
    assert not any(_works(key) for key in more)
    locked = _three_tokens(ada)
    ada.set_unusable_password()
    ada.save()
    assert not any(_works(key) for key in locked)


def test_unrelated_saves_and_hash_upgrades_keep_the_tokens(ada: User, settings: Any) -> None:
    keys = _three_tokens(ada)
    ada.first_name = "Ada"
    ada.save()
    Client().login(username="ada", password=PASSWORD)  # last_login is saved
    # A stronger hasher first: logging in re-hashes the same password, which is no new password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    before = User.objects.get(pk=ada.pk).password
    assert Client().login(username="ada", password=PASSWORD)
    assert User.objects.get(pk=ada.pk).password != before  # it was re-hashed
    assert all(_works(key) for key in keys)


def test_token_page_creates_shows_the_key_once_rotates_and_revokes(client: Client, ada: User) -> None:
    client.force_login(ada)
    assert client.get("/accounts/tokens/").status_code == 200
    created = client.post("/accounts/tokens/", {"action": "create", "name": "Laptop"})
    assert created.status_code == 201
    assert "no-store" in created["Cache-Control"]
    key_match = re.search(r'value="(pl_[^"]+)" data-token-key', created.content.decode())
    assert key_match is not None
    key = key_match.group(1)
    assert _works(key)
    again = client.get("/accounts/tokens/").content.decode()
    assert key not in again
    assert "Laptop" in again
    assert key[:10] in again
    token = ApiToken.objects.get(user=ada)
    rotated = client.post("/accounts/tokens/", {"action": "rotate", "token": token.pk})
    new_key = re.search(r'value="(pl_[^"]+)" data-token-key', rotated.content.decode())
    assert new_key is not None
    assert new_key.group(1) != key
    assert not _works(key)
    assert _works(new_key.group(1))
    live = ApiToken.objects.get(user=ada, revoked_at__isnull=True)
    assert client.post("/accounts/tokens/", {"action": "revoke", "token": live.pk}).status_code == 302
    assert not _works(new_key.group(1))
    bad = client.post("/accounts/tokens/", {"action": "create", "name": ""})
    assert bad.status_code == 400
    assert 'id="id_name-errors"' in bad.content.decode()


def test_token_page_cannot_touch_another_users_token(client: Client, ada: User, make_user: Callable[..., User]) -> None:
    theirs, key = token_create(user=make_user("bob"), name="bob's")
    client.force_login(ada)
    assert client.post("/accounts/tokens/", {"action": "revoke", "token": theirs.pk}).status_code == 404
    assert client.post("/accounts/tokens/", {"action": "rotate", "token": theirs.pk}).status_code == 404
    assert _works(key)
    assert client.get("/accounts/tokens/").status_code == 200
    assert Client().get("/accounts/tokens/").status_code == 302  # anonymous: to the log-in page


def test_old_drf_keys_are_moved_hashed_and_keep_working(ada: User, transactional_db: None) -> None:
    """The data migration: a key of DRF's old table works after it, under a name, and the plain text is gone."""
    from django.db import connection

    old_key = "0123456789abcdef0123456789abcdef01234567"
    pitch_create(owner=ada, name="Acme")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamp)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [old_key, ada.pk, "2025-01-02 03:04:05"])
    try:
        call_command("migrate", "accounts", "0001", verbosity=0)
        call_command("migrate", "accounts", verbosity=0)
        token = ApiToken.objects.get(user=ada)
        assert token.key_hash == key_hash(old_key)
        assert token.created_at.year == 2025
        assert _works(old_key)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone() == (0,)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")
