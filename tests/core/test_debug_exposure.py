"""No debug page, ever, where anyone else can see it (issue 15 §3).

Two lines of defence: ``make run`` turns debug off when it serves beyond loopback, and with debug on a client
that is not loopback still gets the plain 404 and 500 pages. The demo account with its public password exists
only where nobody else can log in.
"""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from pitchlab import launcher
from pitchlab import urls as site_urls
from pitchlab.core.debug_guard import client_is_loopback
from pitchlab.core.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from tests.support import run_python

SECRET_LOCAL = "s3cret-local-value-of-a-frame"


def _boom(request: HttpRequest) -> HttpResponse:
    api_key = SECRET_LOCAL  # a local variable the technical 500 page would print
    raise RuntimeError(f"boom with {api_key[:3]}")


def _missing(request: HttpRequest) -> HttpResponse:
    raise Http404("No pitch matches the given query: internal detail")


def _bad(request: HttpRequest) -> HttpResponse:
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("tampered signature in /var/secret/path")


# The site's own error handlers (an API 404 may answer JSON): the guard serves what debug off would serve.
handler404 = getattr(site_urls, "handler404", "django.views.defaults.page_not_found")
urlpatterns = [
    path("boom/", _boom),
    path("missing/", _missing),
    path("bad/", _bad),
    path("", include("pitchlab.urls")),
]

NOT_LOOPBACK = ["10.1.2.3", "192.168.1.5", "8.8.8.8", "2001:db8::7", "::ffff:10.0.0.1", "", "unknown"]
LOOPBACK = ["127.0.0.1", "127.5.6.7", "::1", "::ffff:127.0.0.1"]

# What only the technical pages show.
TECHNICAL_500 = ("Traceback", "Local vars", "Request information", SECRET_LOCAL, "RuntimeError")
TECHNICAL_404 = ("URLconf", "api/pitches/", "healthz", "Django tried these URL patterns")


def _client(remote_addr: str, **headers: Any) -> Client:
    return Client(REMOTE_ADDR=remote_addr, raise_request_exception=False, **headers)


# ---------- the launcher: which binds are beyond loopback, and what it changes for them ----------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]", "app.localhost"])
def test_loopback_binds_change_nothing(host: str, tmp_path: Path) -> None:
    assert launcher.is_loopback_host(host)
    changes, notice = launcher.public_serving_environment(host, {}, tmp_path)
    assert changes == {}
    assert notice == ""
    assert not (tmp_path / launcher.SECRET_KEY_FILE).exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "[::]", "192.168.1.5", "10.0.0.7", "fe80::1", "laptop.lan"])
def test_a_bind_beyond_loopback_turns_debug_off_with_one_notice(host: str, tmp_path: Path) -> None:
    assert not launcher.is_loopback_host(host)
    changes, notice = launcher.public_serving_environment(host, {"PITCHLAB_DEBUG": "1"}, tmp_path)
    assert changes["PITCHLAB_DEBUG"] == "0"  # even when the environment asked for debug
    assert "\n" not in notice
    assert host in notice
    assert "debug is off" in notice
    # Debug off needs a real secret key (settings refuse the public default), kept for the next start.
    key = changes["PITCHLAB_SECRET_KEY"]
    assert len(key) >= 50
    key_file = tmp_path / launcher.SECRET_KEY_FILE
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again, _ = launcher.public_serving_environment(host, {}, tmp_path)
    assert again["PITCHLAB_SECRET_KEY"] == key
    # Loopback keeps working; plain HTTP on the local network needs no HTTPS redirect and no Secure-only cookies.
    hosts = changes["PITCHLAB_ALLOWED_HOSTS"].split(",")
    assert {"127.0.0.1", "localhost"} <= set(hosts)
    assert changes["PITCHLAB_SSL_REDIRECT"] == "0"
    assert changes["PITCHLAB_SECURE_COOKIES"] == "0"


@pytest.mark.parametrize(("host", "allowed"), [("192.168.1.5", "192.168.1.5"), ("fe80::1", "[fe80::1]")])
def test_a_specific_address_is_an_allowed_host(host: str, allowed: str, tmp_path: Path) -> None:
    changes, _ = launcher.public_serving_environment(host, {}, tmp_path)
    assert allowed in changes["PITCHLAB_ALLOWED_HOSTS"].split(",")


def test_the_operators_own_settings_are_kept(tmp_path: Path) -> None:
    environ = {
        "PITCHLAB_SECRET_KEY": "x" * 60,
        "PITCHLAB_ALLOWED_HOSTS": "pitch.example.com",
        "PITCHLAB_SSL_REDIRECT": "1",
        "PITCHLAB_SECURE_COOKIES": "1",
    }
    changes, _ = launcher.public_serving_environment("0.0.0.0", environ, tmp_path)
    assert changes == {"PITCHLAB_DEBUG": "0"}
    assert not (tmp_path / launcher.SECRET_KEY_FILE).exists()


def test_a_spoilt_secret_key_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / launcher.SECRET_KEY_FILE).write_text("short\n")
    with pytest.raises(launcher.LaunchError, match="delete it"):
        launcher.public_serving_environment("0.0.0.0", {}, tmp_path)


def test_settings_on_the_network_load_with_debug_off_and_no_demo_account(tmp_path: Path) -> None:
    """What the launcher sets for 0.0.0.0 (in its own process too: it collects the static files) makes settings
    that load: debug off, cookies a phone over plain HTTP sends back, no demo account."""
    env = {"DATABASE_URL": "", "REDIS_URL": "", "PITCHLAB_VAR_DIR": str(tmp_path)}
    env |= {"PITCHLAB_DEBUG": "", "PITCHLAB_SECRET_KEY": "", "PITCHLAB_DEMO_ACCOUNT": ""}
    code = (
        "import os, sys; from pitchlab import launcher;"
        "changes, notice = launcher.public_serving_environment('0.0.0.0', os.environ, launcher.Path(sys.argv[1]));"
        "os.environ.update(changes); print(notice); launcher.check_settings_and_database();"
        "from django.conf import settings;"
        "from pitchlab.core.management.commands.seed_demo import demo_account_allowed;"
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, demo_account_allowed())"
    )
    result = run_python(["-c", code, str(tmp_path)], **env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "debug is off" in lines[0]
    assert lines[-1] == "False False False False"


# ---------- with debug on, other devices see the plain pages ----------


@pytest.mark.parametrize("remote", NOT_LOOPBACK)
@pytest.mark.django_db
@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_a_crash_shows_other_devices_the_plain_500_page(remote: str) -> None:
    for accept in ("text/html", "application/json", "*/*"):
        response = _client(remote, HTTP_ACCEPT=accept).get("/boom/")
        assert response.status_code == 500
        body = response.content.decode()
        for marker in TECHNICAL_500:
            assert marker not in body, (remote, accept, marker)


@pytest.mark.parametrize("remote", NOT_LOOPBACK)
@pytest.mark.django_db
@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_unknown_urls_and_404s_show_other_devices_the_plain_404_page(remote: str) -> None:
    for url in ("/no-such-page/", "/api/no-such-endpoint/", "/missing/"):
        response = _client(remote).get(url)
        assert response.status_code == 404
        body = response.content.decode()
        for marker in (*TECHNICAL_404, "internal detail"):
            assert marker not in body, (remote, url, marker)
        assert "Not found" in body


@pytest.mark.parametrize("remote", NOT_LOOPBACK[:3])
@pytest.mark.django_db
@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_a_bad_request_shows_other_devices_the_plain_400_page(remote: str) -> None:
    response = _client(remote).get("/bad/")
    assert response.status_code == 400
    assert "/var/secret/path" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("remote", LOOPBACK)
@pytest.mark.django_db
@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_this_computer_still_gets_the_debug_pages(remote: str) -> None:
    crash = _client(remote).get("/boom/", HTTP_ACCEPT="text/html")
    assert crash.status_code == 500
    assert SECRET_LOCAL in crash.content.decode()
    unknown = _client(remote).get("/no-such-page/")
    assert unknown.status_code == 404
    assert "URLconf" in unknown.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_loopback_through_a_proxy_is_not_this_computer() -> None:
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        response = _client("127.0.0.1", **{header: "203.0.113.9"}).get("/boom/", HTTP_ACCEPT="text/html")
        assert response.status_code == 500
        assert SECRET_LOCAL not in response.content.decode()


def test_client_is_loopback_family() -> None:
    from django.test import RequestFactory

    for remote in LOOPBACK:
        assert client_is_loopback(RequestFactory().get("/", REMOTE_ADDR=remote)), remote
    for remote in NOT_LOOPBACK:
        assert not client_is_loopback(RequestFactory().get("/", REMOTE_ADDR=remote)), remote


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_with_debug_off_everybody_gets_the_plain_pages() -> None:
    for remote in ("127.0.0.1", "10.1.2.3"):
        assert SECRET_LOCAL not in _client(remote).get("/boom/").content.decode()
        assert "URLconf" not in _client(remote).get("/no-such-page/").content.decode()


# ---------- the demo account ----------


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("debug", "demo_account"),
    [(False, True), (False, False), (True, False)],
)
def test_no_demo_account_unless_asked_for_and_never_with_debug_off(debug: bool, demo_account: bool) -> None:
    with override_settings(DEBUG=debug, DEMO_ACCOUNT=demo_account):
        _seed()
    assert not User.objects.filter(username=DEMO_USERNAME).exists()


@pytest.mark.django_db
def test_the_demo_account_exists_where_asked_for_with_debug_on() -> None:
    with override_settings(DEBUG=True, DEMO_ACCOUNT=True):
        assert "pitchlab-demo" in _seed()
    assert User.objects.get(username=DEMO_USERNAME).check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_an_old_demo_account_loses_its_public_password_when_debug_goes_off() -> None:
    with override_settings(DEBUG=True, DEMO_ACCOUNT=True):
        _seed()
    with override_settings(DEBUG=False, DEMO_ACCOUNT=False):
        assert "changepassword" in _seed()
    demo = User.objects.get(username=DEMO_USERNAME)
    assert not demo.check_password(DEMO_PASSWORD)
    assert demo.pitches.exists()  # the founder's pitch stays


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": ""}, "True"),  # the embedded local default
        ({"DATABASE_URL": "postgres://u:p@127.0.0.1:1/x"}, "False"),
        ({"DATABASE_URL": "postgres://u:p@127.0.0.1:1/x", "PITCHLAB_DEMO_ACCOUNT": "1"}, "True"),
        ({"DATABASE_URL": "", "PITCHLAB_DEMO_ACCOUNT": "0"}, "False"),
    ],
)
def test_demo_account_setting_defaults_to_the_embedded_mode(env: dict[str, str], expected: str) -> None:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEMO_ACCOUNT)"
    result = run_python(["-c", code], DJANGO_SETTINGS_MODULE="pitchlab.settings", PITCHLAB_DEBUG="1", **env)
    assert result.stdout.strip() == expected, result.stderr


def test_asking_for_the_demo_account_with_debug_off_stops_with_one_line() -> None:
    env = {"PITCHLAB_DEBUG": "0", "PITCHLAB_SECRET_KEY": "k" * 60, "PITCHLAB_DEMO_ACCOUNT": "1"}
    result = run_python(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "PITCHLAB_DEMO_ACCOUNT" in result.stderr


def test_the_compose_stack_has_no_demo_account() -> None:
    import yaml

    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    env = compose["x-app"]["environment"]
    assert str(env["PITCHLAB_DEBUG"]) == "0"
    assert str(env.get("PITCHLAB_DEMO_ACCOUNT", "0")) in ("0", "")
