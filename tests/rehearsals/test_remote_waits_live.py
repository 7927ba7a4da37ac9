"""The phone remote's long-polls under the server production runs (ASGI, uvicorn: the ``live_server``), over HTTP.

An open long-poll holds no web thread: more of them than the old server had threads wait at once while a page,
an API call and a prediction answer, and one presenter state wakes them all. Each account holds at most
``OPEN_WAITS_PER_USER`` of them (429 beyond), and a client that goes away mid-wait gives its slot back.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User

from pitchlab.accounts.tokens import token_create
from pitchlab.pitches.models import Pitch
from tests.conftest import InferenceWorker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WAITS = 64  # more than the old server's web threads (2 workers × 4), and than the default cap (32)
PROMPT_S = 5.0  # far under a long-poll's wait (20 s): an answer this fast did not wait for one


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Api:
    """Calls to the live server as one account (its API token), each on a connection of its own."""

    port: int
    token: str
    connections: list[http.client.HTTPConnection] = field(default_factory=list)

    def connect(self, timeout: float) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        self.connections.append(connection)
        return connection

    def send(self, connection: http.client.HTTPConnection, method: str, path: str, body: Any = None) -> None:
        headers = {"Host": f"localhost:{self.port}", "Authorization": f"Token {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)

    @staticmethod
    def answer(connection: http.client.HTTPConnection) -> Answer:
        response = connection.getresponse()
        raw = response.read()
        kind = response.getheader("Content-Type") or ""
        body = json.loads(raw) if raw and kind.startswith("application/json") else raw
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)

    def call(self, method: str, path: str, body: Any = None, timeout: float = PROMPT_S) -> Answer:
        connection = self.connect(timeout)
        try:
            self.send(connection, method, path, body)
            return self.answer(connection)
        finally:
            connection.close()

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


@pytest.fixture
def relay(app_broker: str) -> Iterator[redis.Redis]:
    """The live server's Redis (settings.REDIS_URL); the relay's streams are removed afterwards."""
    client = redis.Redis.from_url(app_broker)
    yield client
    for key in client.scan_iter("pitchlab:remote:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def api(live_server: Any, owner: User) -> Iterator[Api]:
    _, key = token_create(user=owner, name="remote test")
    client = Api(live_server.port, key)
    yield client
    client.close()


def open_waits(relay: redis.Redis, user: User) -> int:
    """How many waits the account holds now (core/open_waits.py counts them in Redis)."""
    return int(relay.get(f"pitchlab:open-waits:{settings.RATELIMIT_NAMESPACE}user:{user.pk}") or 0)


def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.02)


class LongPolls:
    """``count`` phones long-polling the presenter's state after ``version``, each in a thread on its own connection."""

    def __init__(self, api: Api, pitch: Pitch, version: str, count: int, wait: int = 20) -> None:
        self.answers: list[Answer | BaseException] = []
        self._lock = threading.Lock()
        path = f"/api/pitches/{pitch.pk}/remote/state/?after={version}&wait={wait}"
        self.threads = [threading.Thread(target=self._poll, args=(api, path, wait), daemon=True) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def _poll(self, api: Api, path: str, wait: int) -> None:
        connection = api.connect(timeout=wait + 15)
        try:
            api.send(connection, "GET", path)
            answer: Answer | BaseException = api.answer(connection)
        except BaseException as exc:  # reported by the test, not lost in a thread
            answer = exc
        with self._lock:
            self.answers.append(answer)

    def pending(self) -> int:
        return sum(thread.is_alive() for thread in self.threads)

    def join(self, timeout: float) -> list[Answer | BaseException]:
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert self.pending() == 0, f"{self.pending()} long-polls still open"
        return self.answers


def a_state(api: Api, pitch: Pitch, slide: int) -> str:
    """The presenter puts its state at ``slide``; its version."""
    state = {"slide": slide, "count": 4, "title": f"Slide {slide}", "notes": "Pause after the 4,000 tickets."}
    assert api.call("PUT", f"/api/pitches/{pitch.pk}/remote/state/", state).status == 204
    version = api.call("GET", f"/api/pitches/{pitch.pk}/remote/state/").body["version"]
    return str(version)


def all_woken(answers: list[Answer | BaseException], slide: int, count: int) -> None:
    failures = [answer for answer in answers if not isinstance(answer, Answer) or answer.status != 200]
    assert not failures, failures[:3]
    assert len(answers) == count
    slides = [answer.body["state"]["slide"] if answer.body["state"] else None for answer in answers]  # type: ignore[union-attr]
    assert slides == [slide] * count
    assert len({answer.body["version"] for answer in answers}) == 1  # type: ignore[union-attr]


def test_many_open_long_polls_leave_pages_and_the_api_answering_and_one_state_wakes_them_all(
    api: Api, owner: User, pitch: Pitch, relay: redis.Redis, settings: Any
) -> None:
    settings.OPEN_WAITS_PER_USER = WAITS
    version = a_state(api, pitch, slide=1)
    polls = LongPolls(api, pitch, version, WAITS)
    try:
        until(lambda: open_waits(relay, owner) == WAITS, f"{WAITS} long-polls open")

        page = api.call("GET", "/accounts/login/")  # a plain page, under the PROMPT_S time-out
        listed = api.call("GET", "/api/pitches/")
        assert page.status == 200
        assert b"<form" in page.body
        assert listed.status == 200
        assert [row["id"] for row in listed.body["results"]] == [pitch.pk]
        assert polls.pending() == WAITS, "the long-polls were still waiting while the page and the API answered"

        assert api.call("PUT", f"/api/pitches/{pitch.pk}/remote/state/", {"slide": 2, "count": 4}).status == 204
        all_woken(polls.join(timeout=15), slide=2, count=WAITS)
    finally:
        a_state(api, pitch, slide=3)  # wakes any poll a failure left open
        polls.join(timeout=15)
    until(lambda: open_waits(relay, owner) == 0, "every slot given back")


def add_sample_model(api: Api, pitch: Pitch) -> dict[str, Any]:
    answer = api.call(
        "POST",
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "sample", "kind": "text", "name": "Feedback router"},
        timeout=60,
    )
    assert answer.status in (201, 202), answer.body
    model = dict(answer.body)
    deadline = time.monotonic() + 60
    while model["status"] == "preparing" and time.monotonic() < deadline:
        time.sleep(0.3)
        model = dict(api.call("GET", f"/api/demo-models/{model['id']}/").body)
    assert model["status"] == "ready", model
    return model


def test_a_prediction_answers_while_many_long_polls_wait(
    worker_up: InferenceWorker, api: Api, owner: User, pitch: Pitch, relay: redis.Redis, settings: Any
) -> None:
    settings.OPEN_WAITS_PER_USER = WAITS
    model = add_sample_model(api, pitch)
    version = a_state(api, pitch, slide=1)
    polls = LongPolls(api, pitch, version, WAITS)
    try:
        until(lambda: open_waits(relay, owner) == WAITS, f"{WAITS} long-polls open")
        predicted = api.call("POST", f"/api/demo-models/{model['id']}/predict/", {"text": "refund my invoice"})
        assert predicted.status == 200, predicted.body
        assert sorted(row["label"] for row in predicted.body["labels"]) == ["billing", "bug", "praise"]
        assert polls.pending() == WAITS
    finally:
        a_state(api, pitch, slide=2)
    all_woken(polls.join(timeout=15), slide=2, count=WAITS)


def test_past_the_cap_a_long_poll_is_429_and_a_slot_comes_back_when_a_client_goes_away(
    api: Api, owner: User, pitch: Pitch, relay: redis.Redis, settings: Any
) -> None:
    settings.OPEN_WAITS_PER_USER = 2
    version = a_state(api, pitch, slide=1)
    path = f"/api/pitches/{pitch.pk}/remote/state/?after={version}&wait=20"
    leaving, staying = api.connect(timeout=35), api.connect(timeout=35)
    api.send(leaving, "GET", path)
    api.send(staying, "GET", path)
    until(lambda: open_waits(relay, owner) == 2, "two long-polls open")

    refused = api.call("GET", path)
    assert refused.status == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many open connections" in refused.body["message"]
    commands = api.call("GET", f"/api/pitches/{pitch.pk}/remote/commands/?wait=5")
    assert commands.status == 429, "the cap counts every long-poll of the account, commands too"
    # Calls that do not wait hold no slot: the phone's first read and a press still go through.
    assert api.call("GET", f"/api/pitches/{pitch.pk}/remote/state/").status == 200
    assert api.call("POST", f"/api/pitches/{pitch.pk}/remote/commands/", {"action": "next"}).status == 202

    leaving.sock.close()  # the phone went away mid-wait
    until(lambda: open_waits(relay, owner) == 1, "the slot of the client that went away given back")
    let_through = api.call("GET", f"/api/pitches/{pitch.pk}/remote/state/?after={version}&wait=0.5")
    assert let_through.status == 200
    assert let_through.body == {"version": version, "state": None}

    assert api.call("PUT", f"/api/pitches/{pitch.pk}/remote/state/", {"slide": 2}).status == 204
    woken = api.answer(staying)
    assert woken.status == 200
    assert woken.body["state"] == {"slide": 2}
    until(lambda: open_waits(relay, owner) == 0, "every slot given back")


def test_a_press_wakes_the_waiting_presenter_and_resuming_loses_nothing(
    api: Api, owner: User, pitch: Pitch, relay: redis.Redis
) -> None:
    url = f"/api/pitches/{pitch.pk}/remote/commands/"
    start = api.call("GET", f"{url}?wait=0").body["last"]
    presenter = api.connect(timeout=35)
    api.send(presenter, "GET", f"{url}?after={start}&wait=20")
    until(lambda: open_waits(relay, owner) == 1, "the presenter's long-poll open")

    assert api.call("POST", url, {"action": "next"}).status == 202
    woken = api.answer(presenter)
    assert woken.status == 200
    assert [command["action"] for command in woken.body["commands"]] == ["next"]

    # Presses while no presenter waits are all there, in order, on the next poll from the id it was given.
    for body in ({"action": "prev"}, {"action": "goto", "slide": 3}, {"action": "blank"}):
        assert api.call("POST", url, body).status == 202
    later = api.call("GET", f"{url}?after={woken.body['last']}&wait=20").body
    assert [(c["action"], c["slide"]) for c in later["commands"]] == [("prev", None), ("goto", 3), ("blank", None)]
    assert later["last"] == later["commands"][-1]["id"]
