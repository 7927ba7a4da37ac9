"""Log-in, sign-up and password reset are rate-limited: a refused attempt gets 429, the form and the reason.

The counters live in Redis and outlive a test, so each test comes from an address of its own (and uses
names of its own): a rerun within the hour, or another test, never inherits its counts.
(The audience link's predict endpoint has its own DRF throttles, tested with a real worker in
tests/demos/test_demo_api.py::test_the_audience_is_rate_limited_per_client_and_in_total.)
"""

from __future__ import annotations

import re
import uuid
from typing import Any as SettingsWrapper

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

# The rate limits count in Redis: the embedded default needs its server running (app_broker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("app_broker")]

PASSWORD = "a-long enough passphrase"
REFUSAL = re.compile(r"Too many attempts; try again in (\d+) seconds?\.")


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def ip(tag: str) -> str:
    """An address of this test's own (in the documentation range, 2001:db8::/32)."""
    return f"2001:db8::{tag[:4]}:{tag[4:8]}"


def _client(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def _refusal(body: bytes) -> int:
    match = REFUSAL.search(body.decode())
    assert match, body.decode()[:2000]
    return int(match.group(1))


def test_failed_logins_per_username_are_limited_and_the_right_password_too_is_then_refused(
    settings: SettingsWrapper, tag: str
) -> None:
    settings.LOGIN_FAILURES_PER_USERNAME = "3/min"
    name = f"ada-{tag}"
    User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    # Every guess from another address: a limit per username holds against a spread-out attack.
    codes = [
        _client(f"2001:db8:1::{tag[:4]}:{i}").post(
            "/accounts/login/", {"username": name, "password": "nope", "next": "/pitches/7/deck/"}
        )
        for i in range(4)
    ]
    assert [response.status_code for response in codes] == [200, 200, 200, 429]
    refused = codes[-1]
    seconds = _refusal(refused.content)
    assert 1 <= seconds <= 60
    assert refused["Retry-After"] == str(seconds)
    # The form is there again, with the username kept and the password not.
    page = refused.content.decode()
    assert '<form method="post"' in page
    assert f'value="{name}"' in page
    assert 'name="next" value="/pitches/7/deck/"' in page  # where the founder was going is kept too
    assert "nope" not in page
    # The right password is not even checked while the lock holds ("Ada" is the same account to the limit).
    fresh = _client(f"2001:db8:2::{tag[:4]}")
    response = fresh.post("/accounts/login/", {"username": name.upper(), "password": PASSWORD})
    assert response.status_code == 429
    response = fresh.post("/accounts/login/", {"username": name, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in fresh.session


def test_failed_logins_per_address_are_limited_across_usernames(settings: SettingsWrapper, ip: str, tag: str) -> None:
    settings.LOGIN_FAILURES_PER_IP = "4/min"
    User.objects.create_user(f"grace-{tag}", "grace@example.com", PASSWORD)
    client = _client(ip)
    codes = [
        client.post("/accounts/login/", {"username": f"user{i}-{tag}", "password": "nope"}).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    response = client.post("/accounts/login/", {"username": f"grace-{tag}", "password": PASSWORD})
    assert response.status_code == 429
    _refusal(response.content)
    # Another address is not concerned.
    assert (
        _client(f"{ip}:1").post("/accounts/login/", {"username": f"grace-{tag}", "password": PASSWORD}).status_code
        == 302
    )


def test_successful_logins_are_never_counted(settings: SettingsWrapper, ip: str, tag: str) -> None:
    settings.LOGIN_FAILURES_PER_IP = "2/min"
    settings.LOGIN_FAILURES_PER_USERNAME = "2/min"
    name = f"ada-{tag}"
    User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    for _ in range(6):
        client = _client(ip)
        assert client.post("/accounts/login/", {"username": name, "password": PASSWORD}).status_code == 302
        assert client.get("/").status_code == 200


def test_sign_ups_per_address_are_limited_and_the_refused_one_creates_nothing(
    settings: SettingsWrapper, ip: str, tag: str
) -> None:
    settings.SIGNUP_RATE_PER_IP = "2/h"
    for i in range(2):
        data = {"username": f"u{i}-{tag}", "email": f"u{i}@example.com", "password1": PASSWORD, "password2": PASSWORD}
        assert _client(ip).post("/accounts/signup/", data).status_code == 302
    data = {"username": f"u9-{tag}", "email": "u9@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = _client(ip).post("/accounts/signup/", data)
    assert response.status_code == 429
    seconds = _refusal(response.content)
    assert 1 <= seconds <= 3600
    assert response["Retry-After"] == str(seconds)
    page = response.content.decode()
    assert f'value="u9-{tag}"' in page
    assert 'value="u9@example.com"' in page
    assert PASSWORD not in page
    assert not User.objects.filter(username=f"u9-{tag}").exists()
    assert User.objects.filter(username__endswith=tag).count() == 2


def test_password_reset_is_limited_per_e_mail_address(settings: SettingsWrapper, tag: str) -> None:
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "2/h"
    email = f"ada-{tag}@example.com"
    User.objects.create_user(f"ada-{tag}", email, PASSWORD)
    codes = [
        _client(f"2001:db8:3::{tag[:4]}:{i}").post("/accounts/password/reset/", {"email": email}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2  # the refused request sent nothing
    response = _client(f"2001:db8:4::{tag[:4]}").post("/accounts/password/reset/", {"email": email.upper()})
    assert response.status_code == 429
    page = response.content.decode()
    assert f'value="{email.upper()}"' in page
    _refusal(response.content)
    assert len(mail.outbox) == 2


def test_password_reset_is_limited_per_address(settings: SettingsWrapper, ip: str, tag: str) -> None:
    settings.PASSWORD_RESET_RATE_PER_IP = "3/h"
    client = _client(ip)
    codes = [
        client.post("/accounts/password/reset/", {"email": f"x{i}-{tag}@example.com"}).status_code for i in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    _refusal(client.post("/accounts/password/reset/", {"email": f"y-{tag}@example.com"}).content)


def test_a_redis_outage_lets_logins_through(settings: SettingsWrapper, ip: str, tag: str) -> None:
    """The limits fail open: with the cache down, founders can still log in (and a warning is logged)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    name = f"ada-{tag}"
    User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    client = _client(ip)
    assert client.post("/accounts/login/", {"username": name, "password": "nope"}).status_code == 200
    assert client.post("/accounts/login/", {"username": name, "password": PASSWORD}).status_code == 302


def test_rates_are_checked_at_start() -> None:
    from tests.support import run_python

    result = run_python(["manage.py", "check"], PITCHLAB_LOGIN_FAILURES_PER_IP="lots")
    assert result.returncode != 0
    assert "PITCHLAB_LOGIN_FAILURES_PER_IP" in result.stderr
