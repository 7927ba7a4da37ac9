"""The inference service through a real Celery worker and broker: batched, explained, trained, evaluated,
installed and deleted, with the presenter's calls served before the audience's."""

from __future__ import annotations

import base64
import io
import socket
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery

from models_service import inference
from models_service.config import load_config
from models_service.testing import by_label, tiny_image_model, tiny_text_model
from tests.support import python_env, start, stop

pytestmark = pytest.mark.slow

WORKER = "test-batching"
TEXTS = ["refund my charge", "love it thanks", "crash error bug", "login password", "invoice", "great thanks"]


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    tiny_text_model(folder / "feedback", seed=5)
    tiny_image_model(folder / "charts", seed=5)
    tiny_text_model(folder.parent / "base-encoder", seed=6)
    return folder


@pytest.fixture(scope="module")
def worker(redis_url: str, models: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    log = tmp_path_factory.mktemp("worker") / "inference.log"
    env = python_env(
        REDIS_URL=redis_url,
        PITCHLAB_DEVICE="cpu",
        PITCHLAB_MODELS_DIR=str(models),
        PITCHLAB_TEXT_BASE=str(models.parent / "base-encoder"),
        PITCHLAB_BATCH_WAIT_MS="5",
    )
    env.pop("DATABASE_URL", None)
    command = ["celery", "-A", "models_service.celery_app", "worker", "-Q", "inference", "-n", f"{WORKER}@%h"]
    proc = start([*command, "-P", "threads", "-c", "8"], env, log)
    try:
        yield log
    finally:
        stop(proc)


def call(sender: Celery, name: str, payload: dict[str, Any], timeout: float = 120) -> Any:
    return sender.send_task(name, args=[payload]).get(timeout=timeout)


def png(colour: str, size: tuple[int, int] = (48, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_requests_sent_together_are_batched_and_answer_as_if_alone(worker: Path, sender: Celery, models: Path) -> None:
    call(sender, "models_service.warmup", {"models": ["feedback"]})
    texts = TEXTS * 5
    pending = [sender.send_task("models_service.predict", args=[{"model": "feedback", "text": t}]) for t in texts]
    replies = [result.get(timeout=120) for result in pending]
    assert all(reply["ok"] for reply in replies)
    assert max(reply["batch_size"] for reply in replies) > 1, "nothing was batched"

    alone = replace(load_config({"PITCHLAB_DEVICE": "cpu"}), models_dir=models, max_batch=1)
    for text, reply in zip(texts, replies, strict=True):
        expected = inference.predict({"model": "feedback", "text": text}, config=alone)["predictions"][0]
        assert by_label(reply["predictions"][0]) == pytest.approx(by_label(expected), abs=1e-5)


def test_an_image_is_predicted_and_explained_with_a_heatmap(worker: Path, sender: Celery) -> None:
    image = base64.b64encode(png("teal")).decode()
    predicted = call(sender, "models_service.predict", {"model": "charts", "image": image, "top_k": 2})
    assert predicted["ok"]
    assert predicted["kind"] == "image"
    explained = call(sender, "models_service.explain", {"model": "charts", "image": image})
    assert explained["ok"], explained
    assert explained["explanation"]["label"] == predicted["predictions"][0][0]["label"]
    from PIL import Image

    heatmap = Image.open(io.BytesIO(base64.b64decode(explained["explanation"]["heatmap_png"])))
    assert heatmap.format == "PNG"
    assert heatmap.size == (48, 40)


def test_a_text_is_explained_word_by_word(worker: Path, sender: Celery) -> None:
    text = "please refund the double charge"
    explained = call(sender, "models_service.explain", {"model": "feedback", "text": text})
    assert explained["ok"], explained
    words = explained["explanation"]["words"]
    assert [w["word"] for w in words] == text.split()
    assert all(text[w["start"] : w["end"]] == w["word"] for w in words)


def test_a_model_is_trained_from_examples_with_progress_and_then_serves(worker: Path, sender: Celery) -> None:
    examples = [{"text": f"refund charge invoice {i}", "label": "billing"} for i in range(6)]
    examples += [{"text": f"crash error bug {i}", "label": "bug"} for i in range(6)]
    result = sender.send_task("models_service.train_text", args=[{"model": "trained", "examples": examples}])
    states: set[str] = set()
    deadline = time.monotonic() + 300
    while not result.ready() and time.monotonic() < deadline:
        states.add(result.state)
        time.sleep(0.02)
    reply = result.get(timeout=10)
    assert reply["ok"], reply
    assert "PROGRESS" in states
    assert sorted(reply["metadata"]["labels"]) == ["billing", "bug"]
    predicted = call(sender, "models_service.predict", {"model": "trained", "text": "refund my invoice"})
    assert {r["label"] for r in predicted["predictions"][0]} == {"billing", "bug"}


def test_evaluation_reports_accuracy_confusion_and_latency(worker: Path, sender: Celery) -> None:
    rows = "\n".join(
        f"{t},{label}" for t, label in [("refund", "billing"), ("crash", "bug"), ("love it", "praise")] * 4
    )
    reply = call(sender, "models_service.evaluate", {"model": "feedback", "csv": f"text,label\n{rows}\n", "name": "s"})
    assert reply["ok"], reply
    report = reply["report"]
    assert report["samples"] == 12
    assert sum(map(sum, report["confusion"]["matrix"])) == 12
    assert report["latency_ms_p50"] > 0
    assert reply["dataset"] == "s"


def test_refusals_come_back_as_codes(worker: Path, sender: Celery) -> None:
    refused = call(sender, "models_service.train_text", {"examples": [{"text": "a", "label": "x"}] * 5})
    assert refused["ok"] is False
    assert refused["error"]["code"]
    bad_zip = call(sender, "models_service.evaluate", {"model": "charts", "zip": base64.b64encode(b"nope").decode()})
    assert bad_zip["error"]["code"] == "bad_zip"


def zipped(folder: Path) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return base64.b64encode(buffer.getvalue()).decode()


def test_an_uploaded_model_is_installed_described_served_evicted_and_deleted(
    worker: Path, sender: Celery, models: Path, tmp_path: Path
) -> None:
    upload = zipped(tiny_text_model(tmp_path / "upload", labels=("yes", "no"), seed=7))
    installed = call(sender, "models_service.install", {"model": "uploaded", "zip": upload})
    assert installed == {
        "ok": True,
        "model": "uploaded",
        "kind": "text",
        "labels": ["yes", "no"],
        "metadata": None,
        "metrics": {},
        "device": "cpu",
    }
    assert call(sender, "models_service.describe", {"model": "uploaded"}) == installed
    predicted = call(sender, "models_service.predict", {"model": "uploaded", "text": "great"})
    assert {r["label"] for r in predicted["predictions"][0]} == {"yes", "no"}
    again = call(sender, "models_service.install", {"model": "uploaded", "zip": upload})
    assert again["error"]["code"] == "model_exists"

    destination = [f"{WORKER}@{socket.gethostname()}"]
    replies = sender.control.broadcast(
        "evict_model", arguments={"model": "uploaded"}, destination=destination, reply=True, timeout=5, limit=1
    )
    assert replies == [{destination[0]: {"model": "uploaded", "evicted": True}}]

    deleted = call(sender, "models_service.delete", {"model": "uploaded"})
    assert deleted == {"ok": True, "model": "uploaded", "deleted": True}
    assert not (models / "uploaded").exists()
    gone = call(sender, "models_service.predict", {"model": "uploaded", "text": "great"})
    assert gone["error"]["code"] == "unknown_model"
    assert call(sender, "models_service.delete", {"model": "uploaded"})["deleted"] is False


def test_a_presenter_call_queued_behind_many_audience_calls_runs_first(
    worker: Path, sender: Celery, redis_url: str
) -> None:
    # The worker is up: it consumes, and answers control commands.
    assert call(sender, "models_service.noop", {"up": True}) == {"up": True}
    # A queue the worker does not consume yet, so everything is queued before it starts taking any.
    queue = "priority-check"
    audience = [sender.send_task("models_service.noop", args=[i], queue=queue, priority=9) for i in range(40)]
    presenter = sender.send_task("models_service.noop", args=["stage"], queue=queue, priority=0)
    broker = redis.Redis.from_url(redis_url)
    assert (broker.llen(f"{queue}:9"), broker.llen(queue)) == (40, 1), "not queued by priority as the worker reads"

    destination = [f"{WORKER}@{socket.gethostname()}"]
    assert sender.control.add_consumer(queue, destination=destination, reply=True, timeout=5), "no worker answered"
    try:
        assert presenter.get(timeout=30) == "stage"
        assert [result.get(timeout=30) for result in audience] == list(range(40))
    finally:
        sender.control.cancel_consumer(queue, destination=destination, reply=True, timeout=5)
    presenter_done = presenter.date_done
    done = [result.date_done for result in audience]
    assert presenter_done is not None
    assert None not in done
    earlier = sum(date < presenter_done for date in done if date is not None)
    # The presenter's call is the worker's first pick; only calls taken by its other threads in the same
    # instant can finish before it (without priorities it would be the last of 41).
    assert earlier < 8, f"{earlier} audience calls finished before the presenter's"
