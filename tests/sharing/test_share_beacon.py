"""The dwell beacon: checked strictly, nothing stored from a bad report, no CSRF token needed, rate-limited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any as SettingsWrapper

import pytest
from django.test import Client

from pitchlab.sharing.models import ShareLink, SlideDwell
from tests.sharing.conftest import deck_url

# The rate limits count in Redis: the embedded default needs its server running (app_broker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("app_broker")]


def _viewer(link: ShareLink) -> Client:
    """A browser that opened the deck (it has the viewer cookie and a visit) and enforces CSRF like a real one."""
    client = Client(enforce_csrf_checks=True)
    assert client.get(deck_url(link)).status_code == 200
    return client


def _beacon(client: Client, link: ShareLink, body: bytes | str) -> int:
    return client.post(f"/s/{link.token}/beacon/", body, content_type="text/plain;charset=UTF-8").status_code


def test_a_report_is_stored_without_a_csrf_token(link: ShareLink) -> None:
    client = _viewer(link)
    assert _beacon(client, link, '{"title": 1500, "problem": 700}') == 204
    assert _beacon(client, link, '{"problem": 300, "ask": 0}') == 204
    assert dict(SlideDwell.objects.values_list("slide_key", "ms")) == {"title": 1500, "problem": 1000}


@pytest.mark.parametrize(
    "body",
    [
        '{"no-such-slide": 100}',
        '{"title": 100, "demo-999": 100}',
        '{"title": 600001}',
        '{"title": -5}',
        '{"title": 12.5}',
        '{"title": null}',
        '{"title": 400000, "problem": 300000}',
        "[1, 2, 3]",
        "garbage",
        "",
        '{"title": 1' + " " * 5000 + "}",
    ],
)
def test_a_bad_report_gets_400_and_nothing_is_stored(link: ShareLink, body: str) -> None:
    client = _viewer(link)
    assert _beacon(client, link, body) == 400
    assert not SlideDwell.objects.exists()


def test_a_report_without_a_visit_is_refused(link: ShareLink) -> None:
    assert _beacon(Client(), link, '{"title": 100}') == 400
    stranger = Client()
    stranger.cookies["pl_viewer"] = "made-up-viewer-id-0000"
    assert _beacon(stranger, link, '{"title": 100}') == 400
    assert not SlideDwell.objects.exists()


def test_a_locked_link_takes_no_report(make_link: Callable[..., ShareLink]) -> None:
    link = make_link(password="open sesame")
    client = Client()
    client.post(deck_url(link), {"password": "wrong-wrong"})
    assert _beacon(client, link, '{"title": 100}') == 404
    assert not SlideDwell.objects.exists()


def test_only_post(link: ShareLink) -> None:
    assert _viewer(link).get(f"/s/{link.token}/beacon/").status_code == 405


def test_beacons_are_rate_limited(link: ShareLink, settings: SettingsWrapper) -> None:
    settings.SHARE_RATE_BEACON = "3/min"
    client = _viewer(link)
    assert [_beacon(client, link, '{"title": 100}') for _ in range(4)] == [204, 204, 204, 429]
    assert SlideDwell.objects.get().ms == 300
