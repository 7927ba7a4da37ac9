import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long enough passphrase"


def test_sign_up_logs_the_founder_in(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": "ada", "email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="ada").email == "ada@example.com"
    assert client.get("/").status_code == 200


def test_sign_up_errors_are_shown_and_keep_what_was_typed(client: Client) -> None:
    response = client.post(
        "/accounts/signup/", {"username": "ada", "email": "ada@example.com", "password1": PASSWORD, "password2": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "password fields didn" in page
    assert 'value="ada@example.com"' in page
    assert not User.objects.exists()


def test_login_and_logout(client: Client) -> None:
    User.objects.create_user("ada", "ada@example.com", PASSWORD)
    assert client.post("/accounts/login/", {"username": "ada", "password": "wrong"}).status_code == 200
    assert client.get("/").status_code == 302
    assert client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change(client: Client) -> None:
    user = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    client.force_login(user)
    new = "another long passphrase"
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_by_e_mail_link(client: Client) -> None:
    user = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    assert client.post("/accounts/password/reset/", {"email": "ada@example.com"}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new = "a brand new passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_an_unknown_address_says_nothing_revealing(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True)
    assert response.status_code == 200
    assert "If an account has that address" in response.content.decode()
    assert mail.outbox == []
