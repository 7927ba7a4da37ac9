"""An export's progress as server-sent events, over real HTTP to the ASGI live server (uvicorn, as production).

The stream sends the export's current state first (the JSON GET /api/exports/{id}/ answers), a new event each
time the worker changes the row, and ends after the terminal state; a stranger gets the polling endpoint's 404;
one account's open streams are capped (429 beyond ``OPEN_WAITS_PER_USER``); gzip never holds an event back.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create
from pitchlab.core import waiting
from pitchlab.decks.models import DeckExport
from pitchlab.decks.progress_apis import ANNOUNCED_INTERVAL_S
from pitchlab.decks.services import export_fail, exports_channel
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, revision_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

READ_TIMEOUT_S = 15


@pytest.fixture(autouse=True)
def _redis(app_broker: str) -> None:
    """The web side's Redis (the open-waits counts, the pub/sub hub), running."""


class Stream:
    """One open event stream, read event by event (comments skipped)."""

    def __init__(self, conn: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
        self.conn = conn
        self.response = response

    def next_event(self) -> tuple[str, Any] | None:
        """The next event's (name, data), or None when the server ended the stream."""
        name, data = "message", None
        while True:
            raw = self.response.readline()
            if not raw:
                return None
            line = raw.decode().rstrip("\r\n")
            if not line:
                if data is not None:
                    return name, data
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data = json.loads(value)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def open_stream(live_server: Any) -> Iterator[Callable[..., tuple[int, dict[str, str], Stream]]]:
    opened: list[Stream] = []
    parts = urlsplit(live_server.url)

    def open_(path: str, key: str, **headers: str) -> tuple[int, dict[str, str], Stream]:
        conn = http.client.HTTPConnection(parts.hostname or "localhost", parts.port, timeout=READ_TIMEOUT_S)
        conn.request("GET", path, headers={"Accept": "text/event-stream", "Authorization": f"Token {key}", **headers})
        response = conn.getresponse()
        stream = Stream(conn, response)
        opened.append(stream)
        return response.status, {k.lower(): v for k, v in response.getheaders()}, stream

    yield open_
    for stream in opened:
        stream.close()


@pytest.fixture
def owner() -> User:
    return User.objects.create_user("founder", "founder@example.com", "a-long enough passphrase")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture
def export(pitch: Pitch) -> DeckExport:
    # The row export_create makes, without queueing it: the test plays the worker.
    revision = pitch.revisions.filter(version=pitch.version).first() or revision_create(pitch=pitch, reason="manual")
    return DeckExport.objects.create(pitch=pitch, revision=revision, created_by=pitch.owner)


def _key(user: User) -> str:
    return token_create(user=user, name="events")[1]


def _polled(key: str, export: DeckExport) -> dict[str, Any]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get(f"/api/exports/{export.pk}/")
    assert answer.status_code == 200
    return dict(answer.json())


def test_export_stream_sends_each_state_then_ends_after_the_terminal_one(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], owner: User, export: DeckExport
) -> None:
    key = _key(owner)
    status, headers, stream = open_stream(f"/api/exports/{export.pk}/events/", key, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["cache-control"] == "no-cache"
    assert "content-encoding" not in headers  # gzip would hold the events back

    first = stream.next_event()
    assert first == ("progress", _polled(key, export))
    assert first[1]["status"] == "queued"

    # What the worker's export_run does as slides are drawn.
    DeckExport.objects.filter(pk=export.pk).update(status=DeckExport.Status.RENDERING, progress=40)
    name, data = stream.next_event() or ("", {})
    assert (name, data["status"], data["progress"]) == ("progress", "rendering", 40)
    assert data == _polled(key, export)

    export_fail(export_id=export.pk, reason="Rendering took longer than two minutes and was stopped.")
    name, data = stream.next_event() or ("", {})
    assert (name, data["status"]) == ("progress", "failed")
    assert data["error"].startswith("Rendering took longer")
    assert stream.next_event() is None  # the stream ended after the terminal state


def test_stream_of_a_finished_export_sends_it_once_and_ends(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], owner: User, export: DeckExport
) -> None:
    DeckExport.objects.filter(pk=export.pk).update(status=DeckExport.Status.FAILED, error="Rendering failed: x")
    status, _headers, stream = open_stream(f"/api/exports/{export.pk}/events/", _key(owner))
    assert status == 200
    event = stream.next_event()
    assert event is not None
    assert event[1]["status"] == "failed"
    assert stream.next_event() is None


def test_stranger_gets_404_as_from_the_polling_endpoint(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], export: DeckExport
) -> None:
    stranger = User.objects.create_user("stranger", "s@example.com", "a-long enough passphrase")
    status, headers, stream = open_stream(f"/api/exports/{export.pk}/events/", _key(stranger))
    assert status == 404
    assert headers["content-type"].startswith("application/json")
    assert "message" in json.loads(stream.response.read())
    status, _headers, _stream = open_stream(f"/api/pitches/{export.pitch_id}/exports/events/", _key(stranger))
    assert status == 404


def test_anonymous_stream_is_refused(live_server: Any, export: DeckExport) -> None:
    parts = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(parts.hostname or "localhost", parts.port, timeout=READ_TIMEOUT_S)
    conn.request("GET", f"/api/exports/{export.pk}/events/", headers={"Accept": "text/event-stream"})
    assert conn.getresponse().status == 401
    conn.close()


def test_streams_beyond_the_accounts_cap_get_429(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]],
    owner: User,
    export: DeckExport,
    settings: Any,
) -> None:
    settings.OPEN_WAITS_PER_USER = 1
    key = _key(owner)
    status, _headers, held = open_stream(f"/api/exports/{export.pk}/events/", key)
    assert status == 200
    assert held.next_event() is not None  # open, and waiting for the next change

    status, headers, refused = open_stream(f"/api/pitches/{export.pitch_id}/exports/events/", key)
    assert status == 429
    assert int(headers["retry-after"]) >= 1
    assert "Too many open connections" in json.loads(refused.response.read())["message"]

    # The held stream ends (terminal state): its open wait is given back, and a new stream opens.
    export_fail(export_id=export.pk, reason="stopped")
    assert held.next_event() is not None
    assert held.next_event() is None
    for _ in range(50):  # the server gives the slot back as the stream's generator closes, just after its end
        status, _headers, again = open_stream(f"/api/exports/{export.pk}/events/", key)
        if status == 200:
            break
        again.close()
    assert status == 200


def test_pitch_stream_lists_the_exports_until_none_is_active(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], owner: User, export: DeckExport
) -> None:
    key = _key(owner)
    status, _headers, stream = open_stream(f"/api/pitches/{export.pitch_id}/exports/events/", key)
    assert status == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    event = stream.next_event()
    assert event == ("progress", client.get(f"/api/pitches/{export.pitch_id}/exports/").json())
    DeckExport.objects.filter(pk=export.pk).update(status=DeckExport.Status.RENDERING, progress=10)
    event = stream.next_event()
    assert event is not None
    assert [row["progress"] for row in event[1]] == [10]
    DeckExport.objects.filter(pk=export.pk).update(status=DeckExport.Status.READY, progress=100)
    event = stream.next_event()
    assert event is not None
    assert [row["status"] for row in event[1]] == ["ready"]
    assert stream.next_event() is None


def test_deleted_export_ends_the_stream_with_gone(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], owner: User, export: DeckExport
) -> None:
    status, _headers, stream = open_stream(f"/api/exports/{export.pk}/events/", _key(owner))
    assert status == 200
    assert stream.next_event() is not None
    DeckExport.objects.filter(pk=export.pk).delete()
    assert stream.next_event() == ("gone", {})
    assert stream.next_event() is None


def test_an_announced_change_reaches_the_stream_at_once(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], owner: User, export: DeckExport
) -> None:
    _, _, stream = open_stream(f"/api/pitches/{export.pitch_id}/exports/events/", _key(owner))
    first = stream.next_event()
    assert first is not None
    assert first[1][0]["status"] == "queued"
    time.sleep(0.3)
    started = time.monotonic()
    DeckExport.objects.filter(pk=export.pk).update(status=DeckExport.Status.RENDERING, progress=60)
    waiting.announce(exports_channel(export.pitch_id))  # as export_run does after each write
    name, data = stream.next_event() or ("", [])
    assert (name, data[0]["status"], data[0]["progress"]) == ("progress", "rendering", 60)
    assert time.monotonic() - started < ANNOUNCED_INTERVAL_S / 2, "the stream waited for its interval"
    started = time.monotonic()
    export_fail(export_id=export.pk, reason="Rendering took longer than two minutes and was stopped.")
    name, data = stream.next_event() or ("", [])
    assert (name, data[0]["status"]) == ("progress", "failed")
    assert time.monotonic() - started < ANNOUNCED_INTERVAL_S / 2


def test_a_stream_whose_client_goes_away_gives_its_open_wait_back(
    open_stream: Callable[..., tuple[int, dict[str, str], Stream]], owner: User, export: DeckExport, settings: Any
) -> None:
    settings.OPEN_WAITS_PER_USER = 1
    key = _key(owner)
    status, _headers, held = open_stream(f"/api/exports/{export.pk}/events/", key)
    assert status == 200
    assert held.next_event() is not None  # open, the export still queued: the stream waits on
    held.close()  # the tab is closed
    deadline = time.monotonic() + 10
    while True:
        status, _headers, again = open_stream(f"/api/exports/{export.pk}/events/", key)
        if status == 200 or time.monotonic() > deadline:
            break
        again.close()
        time.sleep(0.2)
    assert status == 200, "the closed stream kept the account's only open wait"
