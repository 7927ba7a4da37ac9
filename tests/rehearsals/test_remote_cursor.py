"""The phone remote's long-poll parameters: a malformed or out-of-range cursor or wait is a 400 with the reason,
never a 503 from Redis refusing it (issue 15 §6)."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch

pytestmark = pytest.mark.django_db

MAX = 2**64 - 1
BAD_AFTER = [
    "99999999999999999999999-0",  # the reported one: 23 digits
    f"{MAX + 1}-0",
    f"0-{MAX + 1}",
    f"{MAX}-{MAX + 1}",
    "1" * 100 + "-0",
    "-1-0",
    "1-",
    "-1",
    "1",
    "1-2-3",
    "1.5-0",
    "0x10-0",
    "１-0",  # a full-width digit
    "٣-0",  # an Arabic-Indic digit
    " 1-0",
    "1-0 ",
    "+",
    "$",
    "latest",
]
BAD_WAIT = ["-1", "21", "1e400", "nan", "inf", "-inf", "soon", "", "0x10", "1_000"]
STREAMS = ("commands", "state")


def _get(client: APIClient, pitch: Pitch, stream: str, **query: str) -> Any:
    return client.get(f"/api/pitches/{pitch.pk}/remote/{stream}/", query)


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("after", BAD_AFTER)
def test_a_malformed_or_out_of_range_cursor_is_400(
    client_of: APIClient, pitch: Pitch, relay: redis.Redis, stream: str, after: str
) -> None:
    response = _get(client_of, pitch, stream, after=after, wait="0")
    assert response.status_code == 400, (after, response.content)
    assert response.json()["extra"]["field"] == "after"
    assert "after" in response.json()["message"]


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("wait", BAD_WAIT)
def test_a_malformed_or_out_of_range_wait_is_400(
    client_of: APIClient, pitch: Pitch, relay: redis.Redis, stream: str, wait: str
) -> None:
    response = _get(client_of, pitch, stream, after="0-0", wait=wait)
    assert response.status_code == 400, (wait, response.content)
    assert response.json()["extra"]["field"] == "wait"


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize(
    "after", ["0-0", "1-0", f"{MAX}-{MAX}", f"{MAX}-0", "1700000000000-5", "00000000000000000001-0"]
)
def test_every_id_redis_can_hold_is_accepted(
    client_of: APIClient, pitch: Pitch, relay: redis.Redis, stream: str, after: str
) -> None:
    response = _get(client_of, pitch, stream, after=after, wait="0")
    assert response.status_code == 200, (after, response.content)


def test_the_cursor_a_poll_returns_is_taken_back(client_of: APIClient, pitch: Pitch, relay: redis.Redis) -> None:
    url = f"/api/pitches/{pitch.pk}/remote/commands/"
    first = client_of.get(url, {"wait": "0"}).json()
    client_of.post(url, {"action": "next"}, format="json")
    second = client_of.get(url, {"after": first["last"], "wait": "1"}).json()
    assert [c["action"] for c in second["commands"]] == ["next"]
    assert client_of.get(url, {"after": second["last"], "wait": "0"}).json()["commands"] == []
