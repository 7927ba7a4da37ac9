"""A demo model's preparing progress and its evaluation as server-sent events, over real HTTP to the ASGI live
server: each event is the polling answer's JSON; the stream wakes on the task's result channel, where Celery's
result backend publishes a PROGRESS state; it ends once the model is ready or failed, or the evaluation is over."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from celery import states
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create
from pitchlab.celery import app as celery_app
from pitchlab.demos.models import DemoModel
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

READ_TIMEOUT_S = 15


@pytest.fixture(autouse=True)
def _redis(app_broker: str) -> None:
    """The web side's Redis (result backend, open-waits counts, pub/sub), running."""


@pytest.fixture
def owner() -> User:
    return User.objects.create_user("founder", "founder@example.com", "a-long enough passphrase")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


@pytest.fixture
def key(owner: User) -> str:
    return token_create(user=owner, name="events")[1]


@pytest.fixture
def events(live_server: Any, key: str) -> Iterator[Callable[[str], tuple[int, Iterator[tuple[str, Any]]]]]:
    conns: list[http.client.HTTPConnection] = []
    parts = urlsplit(live_server.url)

    def open_(path: str) -> tuple[int, Iterator[tuple[str, Any]]]:
        conn = http.client.HTTPConnection(parts.hostname or "localhost", parts.port, timeout=READ_TIMEOUT_S)
        conns.append(conn)
        conn.request("GET", path, headers={"Accept": "text/event-stream", "Authorization": f"Token {key}"})
        response = conn.getresponse()

        def read() -> Iterator[tuple[str, Any]]:
            name, data = "message", None
            while raw := response.readline():
                line = raw.decode().rstrip("\r\n")
                if not line and data is not None:
                    yield name, data
                    name, data = "message", None
                elif line.startswith("event:"):
                    name = line.removeprefix("event:").strip()
                elif line.startswith("data:"):
                    data = json.loads(line.removeprefix("data:"))

        return response.status, read()

    yield open_
    for conn in conns:
        conn.close()


def _polled(key: str, path: str) -> Any:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.json()


def test_preparing_model_streams_its_task_progress_until_it_fails(
    events: Callable[[str], tuple[int, Iterator[tuple[str, Any]]]], pitch: Pitch, key: str
) -> None:
    task_id = f"test-training-{time.time_ns()}"
    demo_model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="examples", status="preparing", task_id=task_id
    )
    status, stream = events(f"/api/demo-models/{demo_model.pk}/events/")
    assert status == 200
    name, first = next(stream)
    assert (name, first["status"], first["progress"]) == ("progress", "preparing", {"stage": "queued", "fraction": 0.0})
    assert first == _polled(key, f"/api/demo-models/{demo_model.pk}/")

    # What the training task's update_state does: the backend stores the state and publishes it on its channel.
    celery_app.backend.store_result(task_id, {"stage": "training", "fraction": 0.5}, "PROGRESS")
    name, data = next(stream)
    assert data["progress"] == {"stage": "training", "fraction": 0.5}

    DemoModel.objects.filter(pk=demo_model.pk).update(status="failed", failure="Training stopped.")
    name, data = next(stream)
    assert (data["status"], data["failure"], data["progress"]) == ("failed", "Training stopped.", None)
    assert next(stream, None) is None  # ended after the terminal state
    celery_app.backend.forget(task_id)


def test_running_evaluation_streams_until_its_task_fails(
    events: Callable[[str], tuple[int, Iterator[tuple[str, Any]]]], pitch: Pitch, key: str
) -> None:
    task_id = f"test-evaluation-{time.time_ns()}"
    demo_model = DemoModel.objects.create(
        pitch=pitch,
        name="Router",
        kind="text",
        source="examples",
        status="ready",
        evaluation={"status": "running", "task_id": task_id, "dataset": "Held-out tickets"},
    )
    status, stream = events(f"/api/demo-models/{demo_model.pk}/evaluation/events/")
    assert status == 200
    _name, first = next(stream)
    assert first == {"status": "running", "dataset": "Held-out tickets"}  # the task id stays on the server
    assert first == _polled(key, f"/api/demo-models/{demo_model.pk}/evaluate/")

    celery_app.backend.store_result(task_id, {"fraction": 0.25, "done": 10}, "PROGRESS")
    _name, data = next(stream)
    assert data["progress"] == {"fraction": 0.25, "done": 10}

    celery_app.backend.store_result(task_id, RuntimeError("worker lost"), states.FAILURE)
    _name, data = next(stream)
    assert data["status"] == "failed"
    assert next(stream, None) is None
    demo_model.refresh_from_db()
    assert demo_model.evaluation["status"] == "failed"  # settled by the stream's read, as a poll settles it
    celery_app.backend.forget(task_id)


def test_stranger_gets_404(
    events: Callable[[str], tuple[int, Iterator[tuple[str, Any]]]], make_user: Callable[..., User]
) -> None:
    stranger = make_user("stranger")
    theirs = DemoModel.objects.create(
        pitch=pitch_create(owner=stranger, name="Not yours"), name="Router", kind="text", source="sample"
    )
    for path in (f"/api/demo-models/{theirs.pk}/events/", f"/api/demo-models/{theirs.pk}/evaluation/events/"):
        status, _stream = events(path)
        assert status == 404
