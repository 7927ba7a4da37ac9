"""Odd query values that once held a web thread or crashed a request."""

from __future__ import annotations

import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.security.conftest import World

# The phone remote's relay lives in the app's Redis: the embedded one is started when nothing else runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("app_broker")]


@pytest.mark.parametrize("wait", ["0.0001", "1e-9"])
def test_a_sub_millisecond_long_poll_answers_at_once(world: World, settings: Any, wait: str) -> None:
    """?wait=0.0001 used to round down to Redis' XREAD BLOCK 0 ("wait for ever"): the request then hung until
    the socket timed out (REMOTE_WAIT_SECONDS + 5 s) and answered a misleading 503 "relay not answering"."""
    settings.REMOTE_WAIT_SECONDS = 1
    api = APIClient()
    api.force_authenticate(world.owner)
    started = time.monotonic()
    response = api.get(f"/api/pitches/{world.pitch.pk}/remote/commands/", {"wait": wait})
    assert response.status_code == 200, response.content
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("wait", ["nan", "inf", "-1", "21", "soon"])
def test_a_long_poll_wait_out_of_range_is_refused_in_words(world: World, wait: str) -> None:
    api = APIClient()
    api.force_authenticate(world.owner)
    response = api.get(f"/api/pitches/{world.pitch.pk}/remote/commands/", {"wait": wait})
    assert response.status_code == 400
    assert "wait must be" in response.json()["message"]
