import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from pitchlab.core.health import Check, HealthReport, check_broker, health_report, redacted


def test_redacted_hides_the_password_only() -> None:
    assert redacted("redis://:s3cret@cache:6379/0") == "redis://:***@cache:6379/0"
    assert redacted("postgres://pl:pw@db/pitchlab") == "postgres://pl:***@db/pitchlab"
    assert redacted("redis://cache:6379/0") == "redis://cache:6379/0"


def test_report_is_healthy_only_when_every_check_is_up() -> None:
    up = Check(True)
    checks = {
        "database": up,
        "broker": up,
        "workers.default": up,
        "workers.inference": Check(False, {"error": "none"}),
        "inference_device": up,
    }
    report = HealthReport(checks)
    assert not report.healthy
    assert report.failing == ["workers.inference"]
    assert report.as_json()["workers"]["inference"] == {"status": "down", "error": "none"}


@pytest.mark.django_db
def test_down_broker_gives_503_naming_it(client: Client, tmp_path: Path) -> None:
    with override_settings(REDIS_URL=f"unix://{tmp_path / 'nobody-listens.sock'}?db=0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "down"
    assert "broker" in body["failing"]
    assert body["broker"]["status"] == "down"
    assert "nobody-listens.sock" in body["broker"]["url"]
    assert body["database"]["status"] == "up"
    # Without a broker nobody can answer for the workers: they are named as down too.
    assert {"workers.default", "workers.inference", "inference_device"} <= set(body["failing"])


@pytest.mark.django_db
def test_broker_up_but_no_workers_names_each_empty_queue(client: Client, redis_url: str) -> None:
    with override_settings(REDIS_URL=redis_url, HEALTH_WORKER_TIMEOUT=0.3):
        report = health_report()
    assert report.checks["broker"].up
    assert report.checks["database"].up
    # A networked Redis in CI may have workers of another test attached; an empty one has none.
    if not report.checks["workers.default"].up:
        assert report.checks["workers.default"].detail["error"] == "no worker consumes the 'default' queue"
        assert "workers.default" in report.failing


def test_unreachable_tcp_broker_is_down_with_the_reason() -> None:
    check = check_broker("redis://127.0.0.1:1/0")
    assert not check.up
    assert "Error" in check.detail["error"]


# ---------- who sees the details (issue 15 §3) ----------

SUMMARY_KEYS = {"status", "failing"}


def _health(client: Client, tmp_path: Path, remote: str) -> tuple[int, dict[str, Any], str]:
    with override_settings(REDIS_URL=f"unix://{tmp_path / 'nobody-listens.sock'}?db=0"):
        response = client.get("/healthz", REMOTE_ADDR=remote)
    return response.status_code, json.loads(response.content), response.content.decode()


@pytest.mark.parametrize("remote", ["10.1.2.3", "192.168.1.5", "2001:db8::1", "203.0.113.7"])
@pytest.mark.django_db
def test_anonymous_callers_from_elsewhere_get_the_status_and_failing_names_only(
    client: Client, tmp_path: Path, remote: str
) -> None:
    status, body, raw = _health(client, tmp_path, remote)
    assert status == 503
    assert set(body) == SUMMARY_KEYS
    assert body["status"] == "down"
    assert {"broker", "workers.default", "workers.inference", "inference_device"} <= set(body["failing"])
    for secret in ("nobody-listens.sock", str(tmp_path), "unix://", "Error", "sqlite", "vendor"):
        assert secret not in raw


@pytest.mark.django_db
def test_a_logged_in_founder_who_is_not_staff_gets_the_summary(client: Client, make_user: Any, tmp_path: Path) -> None:
    client.force_login(make_user("founder"))
    _, body, raw = _health(client, tmp_path, "10.1.2.3")
    assert set(body) == SUMMARY_KEYS
    assert "nobody-listens.sock" not in raw


@pytest.mark.parametrize("remote", ["10.1.2.3", "127.0.0.1"])
@pytest.mark.django_db
def test_staff_get_the_details_from_anywhere(client: Client, make_user: Any, tmp_path: Path, remote: str) -> None:
    staff = make_user("operator")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    _, body, raw = _health(client, tmp_path, remote)
    assert "nobody-listens.sock" in raw
    assert body["database"] == {"status": "up", "vendor": body["database"]["vendor"]}


@pytest.mark.parametrize("remote", ["127.0.0.1", "127.0.0.53", "::1"])
@pytest.mark.django_db
def test_a_probe_on_this_computer_gets_the_details(client: Client, tmp_path: Path, remote: str) -> None:
    status, body, _ = _health(client, tmp_path, remote)
    assert status == 503
    assert "nobody-listens.sock" in body["broker"]["url"]
    assert set(body) > SUMMARY_KEYS


def test_the_summary_of_a_healthy_report_names_nothing() -> None:
    up = Check(True, {"url": "redis://cache-host:6379/0", "workers": ["inference@gpu-box-7"]})
    report = HealthReport(
        {name: up for name in ("database", "broker", "workers.default", "workers.inference", "inference_device")}
    )
    assert report.summary_json() == {"status": "ok", "failing": []}
