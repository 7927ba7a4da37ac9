"""One request that breaks a shared forward gets its own error; the others of its batch still get their rows.

Also: the service refuses text a tokenizer cannot take before it reaches a batch, and a request past its
budget never uses the model.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from models_service import inference, lifecycle
from models_service.batching import BatchResult, Engine
from models_service.config import ServiceConfig, load_config
from models_service.errors import ServiceError
from models_service.testing import tiny_text_model

MODEL = object()
POISON = -1


class Poisoned:
    """A forward that raises when any input of its batch is POISON (as a tokenizer does on a lone surrogate)."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def __call__(self, inputs: Sequence[int]) -> list[list[float]]:
        self.batches.append(list(inputs))
        if POISON in inputs:
            raise TypeError("TextEncodeInput must be Union[TextInputSequence, Tuple[InputSequence, InputSequence]]")
        return [[float(x), float(-x)] for x in inputs]


def hold(engine: Engine) -> threading.Event:
    """Keep the engine thread busy until the returned event is set, so what is submitted meanwhile queues up."""
    release, started = threading.Event(), threading.Event()

    def busy() -> None:
        started.set()
        release.wait(5)

    engine.call(busy)
    assert started.wait(5)
    return release


@pytest.mark.parametrize(
    "requests",
    [
        [[POISON], [1], [2], [3]],  # the poisoned request first
        [[1], [2], [POISON], [3], [4]],  # in the middle
        [[1, 2], [3, 4], [5, POISON]],  # inside a request of several inputs
        [[1], [POISON], [2], [POISON, 3], [4]],  # two poisoned requests
        [[i] for i in range(1, 20)] + [[POISON]],  # last of a full batch
    ],
)
def test_each_request_of_a_failed_batch_gets_its_own_answer(requests: list[list[int]]) -> None:
    forward = Poisoned()
    engine = Engine(max_batch=64, max_wait_ms=0)
    release = hold(engine)
    futures = [engine.submit(MODEL, forward, inputs) for inputs in requests]
    release.set()
    for inputs, future in zip(requests, futures, strict=True):
        if POISON in inputs:
            with pytest.raises(TypeError):
                future.result(timeout=5)
        else:
            assert future.result(timeout=5).rows == [[float(x), float(-x)] for x in inputs]
    # The shared forward ran first, once; then one forward per request.
    assert forward.batches[0] == [x for inputs in requests for x in inputs]
    assert sorted(map(tuple, forward.batches[1:])) == sorted(map(tuple, requests))
    # The engine goes on batching afterwards.
    assert engine.submit(MODEL, forward, [7]).result(timeout=5).rows == [[7.0, -7.0]]
    engine.close()


def test_a_forward_with_the_wrong_row_count_is_retried_per_request() -> None:
    def forward(inputs: Sequence[int]) -> list[list[float]]:
        rows = [[float(x)] for x in inputs]
        return rows[:-1] if len(inputs) > 1 else rows  # a broken batched path, a sound single one

    engine = Engine(max_batch=8, max_wait_ms=0)
    release = hold(engine)
    futures = [engine.submit(MODEL, forward, [i]) for i in range(4)]
    release.set()
    assert [f.result(timeout=5).rows for f in futures] == [[[float(i)]] for i in range(4)]
    engine.close()


# ---------- the real model: the tokenizer raises on a lone surrogate ----------


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> ServiceConfig:
    models = tmp_path_factory.mktemp("models")
    tiny_text_model(models / "feedback", seed=3)
    return replace(load_config({"PITCHLAB_DEVICE": "cpu", "PITCHLAB_BATCH_WAIT_MS": "0"}), models_dir=models)


GOOD = ["refund the charge", "crash on login", "thanks, great", "password error", "invoice bug"]
BAD = ["hi \ud800", "\udfff", "x\udc00\ud800y", "ok \ud83d\ude00"]  # lone, lone, reversed, a split pair


@pytest.mark.parametrize("bad", BAD)
def test_a_real_batch_with_an_unencodable_text_answers_the_others(config: ServiceConfig, bad: str) -> None:
    loaded, _ = lifecycle.load(config, "feedback")
    alone = [inference.run_batched(loaded, [text], config=config)[0][0] for text in GOOD]
    engine = Engine(max_batch=64, max_wait_ms=0)
    release = hold(engine)
    futures: list[Future[BatchResult]] = [engine.submit(loaded, loaded.forward, [text]) for text in GOOD[:2]]
    poisoned = engine.submit(loaded, loaded.forward, [bad])
    futures += [engine.submit(loaded, loaded.forward, [text]) for text in GOOD[2:]]
    release.set()
    with pytest.raises(TypeError):
        poisoned.result(timeout=30)
    for future, expected in zip(futures, alone, strict=True):
        assert future.result(timeout=30).rows[0] == pytest.approx(expected, abs=1e-5)
    engine.close()


@pytest.mark.parametrize("bad", BAD)
def test_the_service_refuses_unencodable_text_before_any_batch(config: ServiceConfig, bad: str) -> None:
    with pytest.raises(ServiceError) as refused:
        inference.predict({"model": "feedback", "texts": ["refund", bad]}, config=config)
    assert refused.value.code == "bad_text"
    assert "Text 2" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        inference.explain({"model": "feedback", "text": bad}, config=config)
    assert refused.value.code == "bad_text"
    examples = [{"text": "refund", "label": "billing"}, {"text": bad, "label": "bug"}]
    with pytest.raises(ServiceError) as refused:
        lifecycle.train_text({"examples": examples, "model": "never-made"}, config=config)
    assert refused.value.code == "bad_text"
    assert not (config.models_dir / "never-made").exists()


# ---------- budgets: a request past its time never uses the model ----------


def test_a_prediction_past_its_budget_is_taken_off_the_queue(config: ServiceConfig) -> None:
    loaded, _ = lifecycle.load(config, "feedback")
    seen: list[str] = []

    def forward(texts: Sequence[str]) -> list[list[float]]:
        seen.extend(texts)
        return loaded.forward(texts)

    engine = lifecycle.engine_for(config)
    release = hold(engine)
    late: Any = SimpleNamespace(forward=forward)  # the same model, through a forward that records its inputs
    with pytest.raises(ServiceError) as refused:
        inference.run_batched(late, ["refund"], config=config, budget=0.05)
    assert refused.value.code == "timeout"
    release.set()
    assert inference.run_batched(loaded, ["crash"], config=config)[0]
    assert seen == []


@pytest.mark.parametrize("budget_s", [0.2, 0.5, 1.0])
def test_an_explanation_stops_at_the_budget_the_sender_gives(config: ServiceConfig, budget_s: float) -> None:
    engine = lifecycle.engine_for(config)
    release = hold(engine)
    started = time.monotonic()
    # The engine is busy for longer than the budget: the explanation must give up, and never start later.
    threading.Timer(budget_s + 0.5, release.set).start()
    with pytest.raises(ServiceError) as refused:
        inference.explain({"model": "feedback", "text": "refund " * 280, "budget_s": budget_s}, config=config)
    assert refused.value.code == "timeout"
    assert time.monotonic() - started < budget_s + 1.5
    assert inference.predict({"model": "feedback", "text": "refund"}, config=config)["ok"]


def test_a_budget_larger_than_the_service_s_own_is_not_taken(config: ServiceConfig) -> None:
    assert inference.request_budget_s({"budget_s": 10_000}, 20) == 20
    assert inference.request_budget_s({"budget_s": 2.5}, 20) == 2.5
    for bad in (0, -1, True, "5", None):
        assert inference.request_budget_s({"budget_s": bad}, 20) == 20
