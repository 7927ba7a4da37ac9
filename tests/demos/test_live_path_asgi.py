"""The live path under the ASGI server (the live server is the project's ASGI app under uvicorn): a waiting
prediction holds no thread, a client that goes away frees its slot at once, and no worker is a 503 in words
within the budget.

No inference worker runs in this module, so every prediction waits out its budget: what is measured is the
waiting, not the model.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from django.contrib.auth.models import User

from pitchlab.accounts.tokens import token_create
from pitchlab.asgi import WAITING_THREADS
from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.demos.public_apis import in_flight_limit
from pitchlab.pitches.models import Pitch

pytestmark = pytest.mark.slow


@pytest.fixture
def model(pitch: Pitch, app_broker: str) -> DemoModel:
    return DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text"
    )


def address(live_server: Any) -> tuple[str, int]:
    parts = urlsplit(live_server.url)
    return "127.0.0.1", int(parts.port or 80)


def post_json(live_server: Any, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    host, port = address(live_server)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    started = time.monotonic()
    connection.request(
        "POST", path, json.dumps(body), {"Content-Type": "application/json", "Host": "localhost", **(headers or {})}
    )
    reply = connection.getresponse()
    data = reply.read()
    connection.close()
    return reply.status, json.loads(data or b"{}"), time.monotonic() - started


def until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_no_worker_is_a_503_in_words_within_the_budget(
    live_server: Any, model: DemoModel, owner: User, settings: Any
) -> None:
    settings.DEMO_BUDGET_MS = 1000
    _, key = token_create(user=owner, name="stage")
    status, body, seconds = post_json(
        live_server, f"/api/demo-models/{model.pk}/predict/", {"text": "refund"}, {"Authorization": f"Token {key}"}
    )
    assert status == 503, body
    assert body["message"] == "Router did not answer within 1 s."
    assert 0.9 < seconds < 3


def test_a_client_that_goes_away_frees_its_slot_at_once(live_server: Any, model: DemoModel, settings: Any) -> None:
    settings.DEMO_BUDGET_MS = 20_000  # the call would wait 20 s for the worker that is not there
    settings.AUDIENCE_MAX_IN_FLIGHT = 1
    link = AudienceLink.objects.create(demo_model=model, token="g" * 24)
    cap = redis.Redis.from_url(settings.REDIS_URL)
    key = in_flight_limit(model.pk).key()
    body = json.dumps({"text": "refund"}).encode()
    phone = socket.create_connection(address(live_server), timeout=10)
    phone.sendall(
        f"POST /d/{link.token}/predict/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    until(lambda: cap.zcard(key) == 1, 10, "the call to be in flight")
    broadcasts = cap.pubsub()
    broadcasts.psubscribe("*pidbox*")  # Celery's control channel: where a revoke goes to the workers
    # While it is, the cap is full: the next phone is told to wait.
    status, answer, _ = post_json(live_server, f"/d/{link.token}/predict/", {"text": "crash"})
    assert status == 429, answer
    phone.close()  # the phone goes away (the page closed, the Wi-Fi dropped)
    until(lambda: cap.zcard(key) == 0, 5, "the slot to be freed")  # not after the 20 s budget
    # ... and the task still queued for it is revoked: a worker that comes back drops it instead of running it.
    deadline = time.monotonic() + 5
    revoked = False
    while not revoked and time.monotonic() < deadline:
        message = broadcasts.get_message(timeout=0.5)
        if message and message["type"] == "pmessage":
            envelope = json.loads(message["data"])  # kombu's: the body base64-encoded
            revoked = b"revoke" in base64.b64decode(envelope["body"])
    broadcasts.close()
    assert revoked, "no revoke was broadcast for the call nobody waits for"


def test_waiting_predictions_hold_no_thread_a_page_still_answers(
    live_server: Any, model: DemoModel, owner: User, settings: Any
) -> None:
    """48 predictions wait for the model at once (each would have held one of the Procfile's 16 threads before);
    meanwhile a page and an API call are answered without waiting for any of them."""
    settings.DEMO_BUDGET_MS = 6000
    _, key = token_create(user=owner, name="stage")
    headers = {"Authorization": f"Token {key}"}
    results: list[int] = []

    def predict() -> None:
        status, _, _ = post_json(live_server, f"/api/demo-models/{model.pk}/predict/", {"text": "refund"}, headers)
        results.append(status)

    callers = [threading.Thread(target=predict, daemon=True) for _ in range(48)]
    threads_before = threading.active_count()
    for caller in callers:
        caller.start()
    time.sleep(1.0)  # all of them sent and waiting
    # The server runs in this process: beside the 48 callers' own threads, it adds no thread per waiting call
    # (Django would keep one per request for its sync code: pitchlab/asgi.py).
    server_threads = threading.active_count() - threads_before - len(callers)
    assert server_threads <= WAITING_THREADS + 8, server_threads
    host, port = address(live_server)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    started = time.monotonic()
    connection.request("GET", "/accounts/login/", headers={"Host": "localhost"})
    page = connection.getresponse()
    page.read()
    connection.request("GET", f"/api/pitches/{model.pitch_id}/demo-models/", headers={"Host": "localhost", **headers})
    api = connection.getresponse()
    api.read()
    answered_in = time.monotonic() - started
    assert (page.status, api.status) == (200, 200)
    assert answered_in < 3, f"{answered_in:.1f} s: the page waited for the predictions"
    assert not results, "the predictions were answered before their budget: nothing was waiting"
    for caller in callers:
        caller.join(timeout=20)
    assert results == [503] * 48
