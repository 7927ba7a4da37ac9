"""Through a real inference worker: one bad request among many fails alone, and an explanation past its budget
frees the model for the next prediction (issue 15 §1 and §6)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from pitchlab.celery import app
from tests.conftest import InferenceWorker

pytestmark = pytest.mark.slow

SLOW_MODEL = "slow-text"
LONG_TEXT = " ".join(["refund", "charge", "invoice", "crash", "error", "bug", "love", "great"] * 36)  # < 2,000 chars


@pytest.fixture(scope="module")
def slow_model(demo_models_dir: Path) -> str:
    """A text classifier big enough that explaining a long text takes seconds on a CPU."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    from models_service.testing import WORDS

    folder = demo_models_dir / SLOW_MODEL
    if not folder.exists():
        torch.manual_seed(0)
        folder.mkdir()
        vocab = folder / "vocab.txt"
        vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n", encoding="utf-8")
        config = BertConfig(
            vocab_size=5 + len(WORDS),
            # Sized so that even an idle 2-core machine takes ~4 s to explain LONG_TEXT (4 layers took 2.2 s there,
            # under the premise below); a loaded one hits the worker's own 20 s budget, which the test allows.
            hidden_size=256,
            num_hidden_layers=8,
            num_attention_heads=4,
            intermediate_size=1024,
            max_position_embeddings=512,
            id2label={0: "billing", 1: "bug"},
            label2id={"billing": 0, "bug": 1},
        )
        BertForSequenceClassification(config).save_pretrained(folder)
        BertTokenizer(vocab=str(vocab)).save_pretrained(folder)
    return SLOW_MODEL


def send(task: str, payload: dict[str, Any]) -> Any:
    return app.send_task(f"models_service.{task}", args=[{**payload, "sent_at": time.time()}])


@pytest.mark.parametrize(
    ("good", "bad"),
    [(8, "hi \ud800"), (16, "\udfff"), (12, "x\udc00\ud800y"), (20, ["refund", "tail \udbff"])],
)
def test_one_poisoned_request_among_many_fails_alone(worker_up: InferenceWorker, good: int, bad: Any) -> None:
    texts = ["refund the charge", "crash on login", "thanks, great", "password error"]
    results = [send("predict", {"model": "sample-text", "text": texts[i % 4]}) for i in range(good // 2)]
    poisoned = send("predict", {"model": "sample-text", "texts" if isinstance(bad, list) else "text": bad})
    results += [send("predict", {"model": "sample-text", "text": texts[i % 4]}) for i in range(good // 2, good)]
    answers = [result.get(timeout=60) for result in results]
    assert all(answer["ok"] for answer in answers), answers
    assert [answer["predictions"][0][0]["label"] in ("billing", "bug", "praise") for answer in answers] == [True] * good
    refused = poisoned.get(timeout=60)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "bad_text"


def test_an_explanation_past_its_budget_frees_the_model_for_the_next_prediction(
    worker_up: InferenceWorker, slow_model: str
) -> None:
    assert send("predict", {"model": slow_model, "text": "refund"}).get(timeout=120)["ok"]  # loaded, warm
    started = time.monotonic()
    full = send("explain", {"model": slow_model, "text": LONG_TEXT}).get(timeout=120)
    full_s = time.monotonic() - started
    assert full["ok"] or full["error"]["code"] == "timeout", full  # the worker's own 20 s budget, on a slow machine
    # The premise: unbudgeted, this explanation holds the model longer than a prediction's 2 s budget.
    assert full_s > 2.5, f"the explanation took only {full_s:.2f} s: the test would prove nothing"

    # The prediction's budget is half of that: without the explanation's budget it would wait for nearly all of
    # it; with it, for about one of the explanation's 17 forward passes. Relative, so a loaded machine is fair.
    predict_budget_s = full_s / 2
    for budget_s in (0.4, 0.8):
        started = time.monotonic()
        explanation = send("explain", {"model": slow_model, "text": LONG_TEXT, "budget_s": budget_s})
        time.sleep(0.1)
        prediction = send("predict", {"model": slow_model, "text": "crash", "budget_s": predict_budget_s})
        answer = prediction.get(timeout=30)
        answered_s = time.monotonic() - started
        assert answer["ok"], answer
        assert answered_s < predict_budget_s + 0.1, f"the prediction waited {answered_s:.2f} s of {full_s:.2f} s"
        stopped = explanation.get(timeout=30)
        assert stopped["ok"] is False
        assert stopped["error"]["code"] == "timeout"
