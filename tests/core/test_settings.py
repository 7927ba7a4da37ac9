"""Settings are read at start; a bad or missing one stops the process with one line naming it."""

import subprocess

import pytest

from tests.support import run_python

PRODUCTION = {
    "PITCHLAB_DEBUG": "0",
    "PITCHLAB_SECRET_KEY": "k" * 20 + "-a-long-and-random-production-secret-0123456789",
    "PITCHLAB_ALLOWED_HOSTS": "pitch.example.com",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python(["manage.py", *args], **env)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PITCHLAB_DEBUG": "0"}, "PITCHLAB_SECRET_KEY"),
        ({"PITCHLAB_DEBUG": "0", "PITCHLAB_SECRET_KEY": "short"}, "PITCHLAB_SECRET_KEY"),
        ({"PITCHLAB_DEBUG": "perhaps"}, "PITCHLAB_DEBUG"),
        ({"REDIS_URL": "http://nope"}, "REDIS_URL"),
        ({"PITCHLAB_HEALTH_TIMEOUT_MS": "soon"}, "PITCHLAB_HEALTH_TIMEOUT_MS"),
    ],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(env: dict[str, str], variable: str) -> None:
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]


def test_production_mode_passes_the_deploy_checks() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # ... with the Content-Security-Policy and the other headers of the security block in force (security (D)).
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], 'csp.middleware.CSPMiddleware'"
        " in s.MIDDLEWARE, s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_CROSS_ORIGIN_OPENER_POLICY, s.X_FRAME_OPTIONS]))"
    )
    result = run_python(["-c", code], DJANGO_SETTINGS_MODULE="pitchlab.settings", **PRODUCTION)
    assert result.stdout.strip() == '[["\'self\'"], true, true, "same-origin", "DENY"]', result.stderr


def test_production_mode_switches_on_secure_cookies_and_hsts() -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.ALLOWED_HOSTS]))"
    )
    result = run_python(["-c", code], DJANGO_SETTINGS_MODULE="pitchlab.settings", **PRODUCTION)
    assert result.stdout.strip() == '[false, true, true, true, ["pitch.example.com"]]', result.stderr
