"""A username must not look like an e-mail address, on every path that chooses one (issue 15 §5)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "a-long enough passphrase"

EMAIL_LIKE = [
    "jane@fund.example",
    "JANE@FUND.EXAMPLE",
    "jane+pitch@fund.example",
    "@jane",
    "jane@",
    "a@b",
    "jane\uff20fund.example",  # FULLWIDTH COMMERCIAL AT: NFKC folds it into "@"
]
FINE = ["jane", "jane.doe", "jane_doe-2", "Zoë", "张伟", "j+d"]


def _sign_up(client: Client, username: str) -> int:
    data = {"username": username, "email": "jane@fund.example", "password1": PASSWORD, "password2": PASSWORD}
    return int(client.post("/accounts/signup/", data).status_code)


@pytest.mark.parametrize("username", EMAIL_LIKE)
def test_sign_up_refuses_an_email_like_username_at_the_field(client: Client, username: str) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": username, "email": "jane@fund.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_username-errors"' in page
    assert "must not look like an e-mail address" in page
    assert not User.objects.exists()


@pytest.mark.parametrize("username", FINE)
def test_sign_up_takes_an_ordinary_username(client: Client, username: str) -> None:
    assert _sign_up(client, username) == 302
    assert User.objects.get().username == username


@pytest.mark.parametrize("username", EMAIL_LIKE[:3])
def test_the_admin_refuses_it_when_adding_and_when_renaming(client: Client, username: str) -> None:
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client.force_login(admin)
    added = client.post(
        "/admin/auth/user/add/",
        {"username": username, "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert added.status_code == 200  # the form again, with the error
    assert "must not look like an e-mail address" in added.content.decode()
    assert not User.objects.filter(username=username).exists()
    ada = User.objects.create_user("ada", "ada@example.com")
    renamed = client.post(
        f"/admin/auth/user/{ada.pk}/change/",
        {"username": username, "email": "ada@example.com", "date_joined_0": "2025-01-01", "date_joined_1": "00:00"},
    )
    assert "must not look like an e-mail address" in renamed.content.decode()
    ada.refresh_from_db()
    assert ada.username == "ada"


@pytest.mark.parametrize("username", EMAIL_LIKE[:3])
def test_full_clean_and_createsuperuser_refuse_it(username: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as refused:
        User(username=username, password="x").full_clean()
    assert "username" in refused.value.message_dict
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="e-mail address"):
        call_command("createsuperuser", "--noinput", "--username", username, "--email", "x@example.com")
    assert not User.objects.filter(username=username).exists()


def test_the_rule_adds_no_migration_to_django_auth() -> None:
    # The validator is added at start-up, outside the field's deconstruction: auth keeps its own migrations.
    call_command("makemigrations", "auth", "--check", "--dry-run", verbosity=0)
