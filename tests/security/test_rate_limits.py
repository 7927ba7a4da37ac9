"""Log-in, sign-up and password reset are rate-limited: a refused attempt gets 429, the form and the reason.

The counters live in Redis and outlive a test, so each test comes from an address of its own (and uses
names of its own): a rerun within the hour, or another test, never inherits its counts.

Every limit is exact under concurrency (pitchlab/core/ratelimit.py): the last part sends concurrent clients
at a real server (pytest-django's live server) on every limited endpoint (audience link per client and per
room, share page and beacon, log-in, sign-up, reset) and counts exactly the limit through.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from typing import Any
from typing import Any as SettingsWrapper
from urllib.parse import urlencode, urlsplit

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


# ---------- exact under concurrency, over HTTP ----------

THREADS, CALLS = 8, 6  # 48 requests, all at once from 8 clients


@pytest.fixture
def server(live_server: Any, settings: SettingsWrapper) -> str:
    """The live server's address; clients are told apart by X-Forwarded-For (one proxy of our own)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The limits are under test, not password hashing: a fast hasher keeps each failed log-in cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return str(live_server.url)


def _request(url: str, *, method: str = "GET", body: bytes = b"", headers: dict[str, str]) -> tuple[int, str]:
    """One request on a connection of its own: the status and the Retry-After header ("" when none)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        connection.request(method, parts.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After") or ""
    finally:
        connection.close()


def _storm(send: Callable[[int, int], tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """THREADS clients released at once, each sending CALLS requests in a row: the answers, per client."""
    start = threading.Barrier(THREADS)

    def client(thread: int) -> list[tuple[int, str]]:
        start.wait(timeout=10)
        return [send(thread, i) for i in range(CALLS)]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(client, range(THREADS)))


def _through(answers: list[list[tuple[int, str]]], *, limit: int, period: int, passed: set[int]) -> None:
    """Exactly ``limit`` answers were let through (with a status in ``passed``), every other one is a 429
    with a Retry-After within the period."""
    statuses = [status for row in answers for status, _ in row]
    assert sum(status in passed for status in statuses) == limit, statuses
    assert statuses.count(429) == THREADS * CALLS - limit, statuses
    waits = [int(wait) for row in answers for status, wait in row if status == 429]
    assert all(1 <= wait <= period for wait in waits), waits


def _form(
    server: str, path: str, fields: Callable[[int, int], dict[str, str]], address: Callable[[int], str]
) -> Callable[[int, int], tuple[int, str]]:
    """A sender of form posts to ``path`` with a valid CSRF token, from ``address(thread)``."""
    page = http.client.HTTPConnection(urlsplit(server).hostname or "", urlsplit(server).port, timeout=30)
    page.request("GET", path)
    response = page.getresponse()
    response.read()
    token = SimpleCookie(response.getheader("Set-Cookie") or "")["csrftoken"].value
    page.close()

    def send(thread: int, i: int) -> tuple[int, str]:
        body = urlencode({"csrfmiddlewaretoken": token, **fields(thread, i)}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "X-Forwarded-For": address(thread),
        }
        return _request(server + path, method="POST", body=body, headers=headers)

    return send


@pytest.fixture
def audience_token(monkeypatch: pytest.MonkeyPatch, tag: str, settings: SettingsWrapper) -> str:
    """An open audience link whose model answers at once (the model is the outer edge here, not the limit)."""
    from pitchlab.demos import live
    from pitchlab.demos.models import AudienceLink, DemoModel
    from pitchlab.pitches.services import pitch_create

    async def answer_at_once(**kwargs: Any) -> dict[str, Any]:
        return {"labels": [], "latency_ms": 1.0, "device": "cpu"}

    monkeypatch.setattr(live, "apredict", answer_at_once)
    settings.AUDIENCE_MAX_IN_FLIGHT = THREADS * CALLS
    owner = User.objects.create_user(f"founder-{tag}", f"founder-{tag}@example.com", PASSWORD)
    pitch = pitch_create(owner=owner, name="Acme AI")
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text"
    )
    return AudienceLink.objects.create(demo_model=model, token=f"aud{tag}{uuid.uuid4().hex[:12]}").token


def _audience(server: str, token: str, address: Callable[[int], str]) -> Callable[[int, int], tuple[int, str]]:
    def send(thread: int, i: int) -> tuple[int, str]:
        headers = {"Content-Type": "application/json", "X-Forwarded-For": address(thread)}
        return _request(f"{server}/d/{token}/predict/", method="POST", body=b'{"text": "refund"}', headers=headers)

    return send


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("rate", "limit", "period"), [("20/min", 20, 60), ("7/h", 7, 3600)])
def test_concurrent_calls_of_one_phone_pass_exactly_its_audience_limit(
    server: str, settings: SettingsWrapper, audience_token: str, ip: str, rate: str, limit: int, period: int
) -> None:
    settings.AUDIENCE_RATE_PER_CLIENT, settings.AUDIENCE_RATE_TOTAL = rate, "1000/min"
    answers = _storm(_audience(server, audience_token, lambda thread: ip))
    _through(answers, limit=limit, period=period, passed={200})
    # The refusal keeps its shape: the API's {"message", "extra"} and Retry-After.
    request = urllib.request.Request(
        f"{server}/d/{audience_token}/predict/",
        data=b'{"text": "refund"}',
        headers={"Content-Type": "application/json", "X-Forwarded-For": ip},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 429
    assert 1 <= int(refused.value.headers["Retry-After"]) <= period
    body = json.loads(refused.value.read())
    assert "wait a few seconds" in body["message"]
    assert set(body) == {"message", "extra"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("per_client", "room", "limit"), [("4/min", "15/min", 15), ("100/min", "13/h", 13)])
def test_concurrent_phones_pass_exactly_the_rooms_limit_and_each_its_own(
    server: str, settings: SettingsWrapper, audience_token: str, tag: str, per_client: str, room: str, limit: int
) -> None:
    settings.AUDIENCE_RATE_PER_CLIENT, settings.AUDIENCE_RATE_TOTAL = per_client, room
    answers = _storm(_audience(server, audience_token, lambda thread: f"2001:db8:5::{tag[:4]}:{thread}"))
    _through(answers, limit=limit, period=3600, passed={200})
    own = int(per_client.split("/")[0])
    assert all(sum(status == 200 for status, _ in row) <= own for row in answers)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("what", "rate", "limit"), [("page", "20/min", 20), ("beacon", "13/min", 13)])
def test_concurrent_requests_to_a_share_link_pass_exactly_its_limit(
    server: str, settings: SettingsWrapper, ip: str, tag: str, what: str, rate: str, limit: int
) -> None:
    """The limit comes before the link is looked up: an unknown link answers 404 to what gets through."""
    settings.SHARE_RATE_PAGE = settings.SHARE_RATE_BEACON = rate
    url = f"{server}/s/missing{tag}/" + ("beacon/" if what == "beacon" else "")

    def send(thread: int, i: int) -> tuple[int, str]:
        method = "POST" if what == "beacon" else "GET"
        return _request(url, method=method, body=b"{}" if method == "POST" else b"", headers={"X-Forwarded-For": ip})

    _through(_storm(send), limit=limit, period=60, passed={404})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("which", "limit"), [("LOGIN_FAILURES_PER_USERNAME", 20), ("LOGIN_FAILURES_PER_IP", 9)], ids=["username", "ip"]
)
def test_concurrent_wrong_passwords_get_exactly_the_limit_checked(
    server: str, settings: SettingsWrapper, tag: str, which: str, limit: int
) -> None:
    settings.LOGIN_FAILURES_PER_USERNAME = settings.LOGIN_FAILURES_PER_IP = "1000/min"
    setattr(settings, which, f"{limit}/min")
    name = f"ada-{tag}"
    User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    per_user = which == "LOGIN_FAILURES_PER_USERNAME"  # one account from 8 addresses, or 8 accounts from one

    def fields(thread: int, i: int) -> dict[str, str]:
        return {"username": name if per_user else f"{name}-{thread}-{i}", "password": "nope"}

    def address(thread: int) -> str:
        return f"2001:db8:6::{tag[:4]}:{thread}" if per_user else f"2001:db8:7::{tag[:4]}"

    answers = _storm(_form(server, "/accounts/login/", fields, address))
    _through(answers, limit=limit, period=60, passed={200})
    # The right password too is refused now, without being checked.
    right = _form(server, "/accounts/login/", lambda t, i: {"username": name, "password": PASSWORD}, address)
    assert right(0, 0)[0] == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_right_passwords_are_never_refused(server: str, settings: SettingsWrapper, tag: str) -> None:
    """Each attempt holds its place only while its password is checked: 48 log-ins pass a limit of 20."""
    settings.LOGIN_FAILURES_PER_USERNAME = settings.LOGIN_FAILURES_PER_IP = "20/min"
    name = f"ada-{tag}"
    User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    send = _form(
        server, "/accounts/login/", lambda t, i: {"username": name, "password": PASSWORD}, lambda t: "2001:db8:8::1"
    )
    statuses = [status for row in _storm(send) for status, _ in row]
    assert statuses == [302] * THREADS * CALLS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("rate", "limit"), [("11/h", 11), ("20/h", 20)])
def test_concurrent_sign_ups_from_one_address_pass_exactly_the_limit(
    server: str, settings: SettingsWrapper, ip: str, tag: str, rate: str, limit: int
) -> None:
    """Every attempt counts, valid or not: mismatched passwords (400, nothing written) keep the test cheap."""
    settings.SIGNUP_RATE_PER_IP = rate

    def fields(thread: int, i: int) -> dict[str, str]:
        username = f"u{thread}x{i}-{tag}"
        return {"username": username, "email": f"{username}@example.com", "password1": PASSWORD, "password2": "x"}

    _through(
        _storm(_form(server, "/accounts/signup/", fields, lambda thread: ip)), limit=limit, period=3600, passed={400}
    )
    assert not User.objects.filter(username__endswith=tag).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("which", "limit"), [("PASSWORD_RESET_RATE_PER_EMAIL", 7), ("PASSWORD_RESET_RATE_PER_IP", 12)], ids=["email", "ip"]
)
def test_concurrent_password_resets_pass_exactly_the_limit(
    server: str, settings: SettingsWrapper, tag: str, which: str, limit: int
) -> None:
    settings.PASSWORD_RESET_RATE_PER_EMAIL = settings.PASSWORD_RESET_RATE_PER_IP = "1000/h"
    setattr(settings, which, f"{limit}/h")
    per_email = which == "PASSWORD_RESET_RATE_PER_EMAIL"  # one inbox from 8 addresses, or 48 inboxes from one

    def fields(thread: int, i: int) -> dict[str, str]:
        return {"email": f"nobody-{tag}@example.com" if per_email else f"n{thread}x{i}-{tag}@example.com"}

    def address(thread: int) -> str:
        return f"2001:db8:9::{tag[:4]}:{thread}" if per_email else f"2001:db8:a::{tag[:4]}"

    _through(
        _storm(_form(server, "/accounts/password/reset/", fields, address)), limit=limit, period=3600, passed={302}
    )
