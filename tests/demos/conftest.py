"""Live demos through a real inference worker: tiny models stand in for the samples (fast to build)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from tests.support import python_env, start, stop


@pytest.fixture(scope="session")
def demo_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models_service.testing import tiny_image_model, tiny_text_model

    folder = tmp_path_factory.mktemp("demo-models")
    tiny_text_model(folder / "sample-text", seed=3)
    tiny_image_model(folder / "sample-image", seed=3)
    tiny_text_model(folder.parent / "demo-base-encoder", seed=4)
    return folder


class InferenceWorker:
    """A real ``models_service`` worker on the web side's broker; stop() and start() it to test an outage."""

    def __init__(self, broker: str, models: Path, log: Path) -> None:
        self.broker, self.models, self.log = broker, models, log
        self.proc: Any = None

    def start(self) -> None:
        env = python_env(
            REDIS_URL=self.broker,
            PITCHLAB_DEVICE="cpu",
            PITCHLAB_MODELS_DIR=str(self.models),
            PITCHLAB_TEXT_BASE=str(self.models.parent / "demo-base-encoder"),
            PITCHLAB_BATCH_WAIT_MS="2",
        )
        env.pop("DATABASE_URL", None)
        command = ["celery", "-A", "models_service.celery_app", "worker", "-Q", "inference", "-n", "test-demos@%h"]
        self.proc = start([*command, "-P", "threads", "-c", "8"], env, self.log)
        _wait_for_worker()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


def _wait_for_worker(timeout: float = 60) -> None:
    from pitchlab.celery import app

    app.send_task("models_service.ping", args=["up"]).get(timeout=timeout)


@pytest.fixture(scope="session")
def inference_worker(
    app_broker: str, demo_models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InferenceWorker]:
    worker = InferenceWorker(app_broker, demo_models_dir, tmp_path_factory.mktemp("inference") / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def worker_up(inference_worker: InferenceWorker) -> InferenceWorker:
    """The inference worker, running (a test that stopped it restarts it for the next)."""
    if inference_worker.proc is None:
        inference_worker.start()
    return inference_worker


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


@pytest.fixture
def client_of(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def png_bytes(size: tuple[int, int] = (48, 40), colour: str = "red", fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()
