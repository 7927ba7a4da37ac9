"""Real Celery workers, one per queue, against a real Redis: tasks go by name and come back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.test import Client, override_settings

from models_service.testing import tiny_text_model
from tests.support import python_env, start, stop

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workers(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("workers")
    tiny_text_model(folder / "models" / "feedback")
    env = python_env(
        REDIS_URL=redis_url,
        PITCHLAB_VAR_DIR=str(folder),
        PITCHLAB_DEVICE="cpu",
        PITCHLAB_MODELS_DIR=str(folder / "models"),
    )
    env.pop("DATABASE_URL", None)  # the ping task needs no database; keep the worker off the test database
    logs = {"default": folder / "default.log", "inference": folder / "inference.log"}
    procs = [
        start(
            ["celery", "-A", "pitchlab", "worker", "-Q", "default", "-n", "test-default@%h", "-c", "1", "-P", "solo"],
            env,
            logs["default"],
        ),
        start(
            [
                "celery",
                "-A",
                "models_service.celery_app",
                "worker",
                "-Q",
                "inference",
                "-n",
                "test-inference@%h",
                "-P",
                "threads",
                "-c",
                "1",
            ],
            env,
            logs["inference"],
        ),
    ]
    try:
        yield logs
    finally:
        for proc in procs:
            stop(proc)


def test_default_queue_round_trip(workers: dict[str, Path], sender: Celery) -> None:
    result = sender.send_task("pitchlab.core.ping", args=["hello"])
    reply = result.get(timeout=60)
    assert reply["echo"] == "hello"
    assert reply["worker"].startswith("test-default@")


def test_inference_tasks_are_routed_by_name_to_the_inference_worker(workers: dict[str, Path], sender: Celery) -> None:
    # No queue is given: the route for models_service.* must send it to "inference".
    result = sender.send_task("models_service.ping", args=["on stage"])
    reply = result.get(timeout=90)
    assert reply["echo"] == "on stage"
    assert reply["device"] == "cpu"
    assert reply["worker"].startswith("test-inference@")


def test_an_unknown_json_payload_is_refused(sender: Celery) -> None:
    with pytest.raises(Exception, match="not JSON serializable"):
        sender.send_task("pitchlab.core.ping", args=[object()])


@pytest.mark.django_db
def test_healthz_is_200_with_both_workers_up(workers: dict[str, Path], redis_url: str, client: Client) -> None:
    deadline = time.monotonic() + 60
    with override_settings(REDIS_URL=redis_url, HEALTH_WORKER_TIMEOUT=1.0):
        while True:
            response = client.get("/healthz")
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
    body = response.json()
    assert response.status_code == 200, body
    assert any(w.startswith("test-default@") for w in body["workers"]["default"]["workers"])
    assert any(w.startswith("test-inference@") for w in body["workers"]["inference"]["workers"])
    assert set(body["inference_device"]["devices"].values()) == {"cpu"}


def test_a_prediction_round_trips_through_the_inference_worker(workers: dict[str, Path], sender: Celery) -> None:
    payload = {"model": "feedback", "texts": ["refund my charge"], "top_k": 2, "sent_at": time.time()}
    reply = sender.send_task("models_service.predict", args=[payload]).get(timeout=120)
    assert reply["ok"] is True
    assert reply["device"] == "cpu"
    assert len(reply["predictions"][0]) == 2
    assert reply["timings"]["queue_ms"] is not None


def test_bad_input_comes_back_as_a_structured_error_and_the_worker_keeps_serving(
    workers: dict[str, Path], sender: Celery
) -> None:
    refused = sender.send_task("models_service.predict", args=[{"model": "feedback", "texts": [""]}]).get(timeout=60)
    assert refused == {"ok": False, "error": {"code": "empty_text", "message": "Text 1 is empty."}}
    again = sender.send_task("models_service.predict", args=[{"model": "feedback", "texts": ["bug"]}]).get(timeout=60)
    assert again["ok"] is True
