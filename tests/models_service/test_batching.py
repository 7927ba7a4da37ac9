"""Dynamic batching: requests that arrive together share one forward and get exactly their own answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from models_service import inference
from models_service.batching import Engine, in_fresh_thread
from models_service.config import ServiceConfig, load_config
from models_service.testing import by_label, tiny_image_model, tiny_text_model


class Recorder:
    """A forward that records the batches it is given; each input's "probabilities" encode the input."""

    def __init__(self, delay: float = 0.0) -> None:
        self.batches: list[list[int]] = []
        self.delay = delay

    def __call__(self, inputs: Sequence[int]) -> list[list[float]]:
        self.batches.append(list(inputs))
        time.sleep(self.delay)
        return [[float(x), float(-x)] for x in inputs]


MODEL = object()


def test_requests_waiting_together_run_as_one_batch_and_each_gets_its_own_rows() -> None:
    forward = Recorder(delay=0.05)
    engine = Engine(max_batch=64, max_wait_ms=0)
    first = engine.submit(MODEL, forward, [0])  # occupies the forward while the others queue up
    time.sleep(0.01)
    futures = [engine.submit(MODEL, forward, [i, i + 100]) for i in range(1, 11)]
    assert first.result(timeout=5).rows == [[0.0, -0.0]]
    for i, future in enumerate(futures, start=1):
        result = future.result(timeout=5)
        assert result.rows == [[float(i), float(-i)], [float(i + 100), float(-i - 100)]]
        assert result.batch_size == 20
    assert forward.batches[0] == [0]
    assert len(forward.batches) == 2
    engine.close()


def test_a_batch_never_exceeds_the_maximum_and_never_splits_a_request() -> None:
    forward = Recorder(delay=0.03)
    engine = Engine(max_batch=5, max_wait_ms=0)
    engine.submit(MODEL, forward, [0])
    time.sleep(0.01)
    futures = [engine.submit(MODEL, forward, [i, i, i]) for i in range(1, 5)]
    for future in futures:
        future.result(timeout=5)
    assert all(len(batch) <= 5 for batch in forward.batches[1:])
    assert all(len(batch) % 3 == 0 for batch in forward.batches[1:])
    engine.close()


def test_requests_for_different_models_never_share_a_forward_and_keep_their_order() -> None:
    first, second = Recorder(delay=0.02), Recorder()
    engine = Engine(max_batch=64, max_wait_ms=0)
    engine.submit("a", first, [0])
    time.sleep(0.005)
    futures = [engine.submit("a" if i % 2 else "b", first if i % 2 else second, [i]) for i in range(1, 9)]
    for i, future in enumerate(futures, start=1):
        assert future.result(timeout=5).rows == [[float(i), float(-i)]]
    assert first.batches == [[0], [1, 3, 5, 7]]
    assert second.batches == [[2, 4, 6, 8]]
    engine.close()


def test_calls_run_on_the_engine_thread_in_turn() -> None:
    engine = Engine(max_batch=8, max_wait_ms=0)
    names = [engine.call(lambda: threading.current_thread().name).result(timeout=5) for _ in range(2)]
    assert names == ["models-engine", "models-engine"]
    with pytest.raises(ZeroDivisionError):
        engine.call(lambda: 1 / 0).result(timeout=5)
    assert engine.call(lambda: 42).result(timeout=5) == 42
    engine.close()


def test_with_batching_off_every_request_has_its_own_forward() -> None:
    forward = Recorder(delay=0.01)
    engine = Engine(max_batch=1, max_wait_ms=5)
    futures = [engine.submit(MODEL, forward, [i]) for i in range(6)]
    assert [f.result(timeout=5).rows[0][0] for f in futures] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert forward.batches == [[i] for i in range(6)]
    engine.close()


def test_a_lone_request_does_not_wait_for_company() -> None:
    engine = Engine(max_batch=32, max_wait_ms=500)
    result = engine.submit(MODEL, Recorder(), [1]).result(timeout=5)
    assert result.wait_ms < 250  # the 500 ms wait applies only while the worker is under load
    engine.close()


def test_a_failing_forward_fails_every_request_of_its_batch_and_the_engine_goes_on() -> None:
    calls = 0

    def forward(inputs: Sequence[int]) -> list[list[float]]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("out of memory")
        return [[1.0] for _ in inputs]

    engine = Engine(max_batch=8, max_wait_ms=0)
    with pytest.raises(RuntimeError, match="out of memory"):
        engine.submit(MODEL, forward, [1]).result(timeout=5)
    assert engine.submit(MODEL, forward, [2]).result(timeout=5).rows == [[1.0]]
    engine.close()


def test_a_fresh_thread_returns_the_result_or_raises() -> None:
    assert in_fresh_thread(lambda: threading.current_thread().name) == "models-training"
    empty: dict[str, int] = {}
    with pytest.raises(KeyError):
        in_fresh_thread(lambda: empty["missing"])


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> ServiceConfig:
    models = tmp_path_factory.mktemp("models")
    tiny_text_model(models / "feedback", seed=3)
    tiny_image_model(models / "charts", seed=3)
    return replace(load_config({"PITCHLAB_DEVICE": "cpu", "PITCHLAB_BATCH_WAIT_MS": "5"}), models_dir=models)


TEXTS = [
    "refund my charge",
    "love it thanks",
    "crash error bug bug crash",
    "login password",
    "invoice",
    "great great great thanks love",
    "error",
    "refund invoice charge login password crash",
]


def test_concurrent_predictions_are_batched_and_equal_to_unbatched_ones(config: ServiceConfig) -> None:
    unbatched = replace(config, max_batch=1)
    alone = {t: inference.predict({"model": "feedback", "text": t, "top_k": 3}, config=unbatched) for t in TEXTS}
    assert {r["batch_size"] for r in alone.values()} == {1}

    with ThreadPoolExecutor(16) as pool:
        replies = list(
            pool.map(
                lambda t: inference.predict({"model": "feedback", "text": t, "top_k": 3}, config=config), TEXTS * 6
            )
        )
    assert max(r["batch_size"] for r in replies) > 1
    for text, reply in zip(TEXTS * 6, replies, strict=True):
        assert by_label(reply["predictions"][0]) == pytest.approx(by_label(alone[text]["predictions"][0]), abs=1e-5)


def test_concurrent_image_predictions_are_batched_and_equal_to_unbatched_ones(config: ServiceConfig) -> None:
    import base64
    import io

    from PIL import Image

    def png(colour: str, size: tuple[int, int]) -> str:
        buffer = io.BytesIO()
        Image.new("RGB", size, colour).save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue()).decode()

    images = [png(c, s) for c in ("red", "navy", "white", "#3a7") for s in ((40, 30), (64, 64))]
    unbatched = replace(config, max_batch=1)
    alone = [inference.predict({"model": "charts", "image": i}, config=unbatched)["predictions"][0] for i in images]
    with ThreadPoolExecutor(8) as pool:
        replies = list(
            pool.map(lambda i: inference.predict({"model": "charts", "image": i}, config=config), images * 4)
        )
    assert max(r["batch_size"] for r in replies) > 1
    for expected, reply in zip(alone * 4, replies, strict=True):
        assert by_label(reply["predictions"][0]) == pytest.approx(by_label(expected), abs=1e-5)
