"""Training: a tiny BERT fine-tuned on a separable set, a small ResNet on generated charts, refusals, atomic saves."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from models_service.artefacts import artefact_id, validate_folder
from models_service.charts_dataset import generate
from models_service.errors import ServiceError
from models_service.loading import load_model
from models_service.predictors import image, text
from models_service.testing import tiny_text_model
from models_service.training import METADATA, minilm_path, stratified_split, train_image, train_text

VOCABULARY = {
    "billing": ("refund", "charge", "invoice"),
    "bug": ("crash", "error", "bug"),
    "praise": ("love", "great", "thanks"),
}


def separable(per_label: int, seed: int = 0) -> list[tuple[str, str]]:
    """Texts made of their label's words and a neutral one, so a tiny model can learn them in a few epochs."""
    rng = random.Random(seed)
    examples = []
    for _ in range(per_label):
        for label, words in VOCABULARY.items():
            chosen = [rng.choice(words) for _ in range(rng.randint(1, 3))] + [rng.choice(("login", "password"))]
            rng.shuffle(chosen)
            examples.append((" ".join(chosen), label))
    return examples


def quick_text(examples: list[tuple[str, str]], out: Path, base: Path, **options: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {"epochs": 30, "learning_rate": 3e-3, "batch_size": 8, **options}
    return train_text(examples, out, base=base, **settings)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import BertTokenizer

    folder = tiny_text_model(tmp_path_factory.mktemp("base") / "tiny-bert")
    # transformers 5 ignores BertTokenizer(vocab_file=...), which tiny_text_model passes, and saves a tokenizer that
    # knows only the special tokens; saved again from its vocab.txt, the words get their own ids.
    BertTokenizer(vocab=str(folder / "vocab.txt")).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def trained(base: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("trained") / "feedback"
    return out, quick_text(separable(15), out, base)


def test_a_tiny_model_learns_a_separable_set_and_reports_held_out_metrics(trained: tuple[Path, dict[str, Any]]) -> None:
    _, metadata = trained
    assert metadata["kind"] == "text"
    assert metadata["labels"] == ["billing", "bug", "praise"]
    assert (metadata["examples"], metadata["train_examples"]) == (45, 36)
    assert metadata["held_out"] == {"examples": 9, "fraction": 0.2}
    assert metadata["held_out_reason"] is None
    metrics = metadata["metrics"]
    assert metrics["samples"] == 9
    assert metrics["accuracy"] > 0.6  # chance is 1/3
    assert metrics["confusion"]["labels"] == ["billing", "bug", "praise"]
    assert [score["support"] for score in metrics["per_class"]] == [3, 3, 3]


def test_the_artefact_is_valid_carries_its_metadata_and_predicts_through_the_server_loader(
    trained: tuple[Path, dict[str, Any]],
) -> None:
    out, metadata = trained
    info = validate_folder(out)
    assert (info.kind, info.labels) == ("text", ("billing", "bug", "praise"))
    assert "model.safetensors" in info.files
    assert json.loads((out / METADATA).read_text(encoding="utf-8")) == metadata
    assert not [path.name for path in out.parent.iterdir() if path.name.startswith(".")]

    loaded = load_model(out, model_id="feedback", device="cpu")
    examples = separable(10, seed=99)
    probabilities = text.forward(loaded, [t for t, _ in examples])
    predicted = [loaded.labels[max(range(3), key=row.__getitem__)] for row in probabilities]
    right = sum(p == label for p, (_, label) in zip(predicted, examples, strict=True))
    assert right / len(examples) > 0.8


def test_the_same_seed_gives_the_same_weights_and_another_seed_does_not(base: Path, tmp_path: Path) -> None:
    examples = separable(10)
    for name, seed in (("a", 0), ("b", 0), ("c", 1)):
        quick_text(examples, tmp_path / name, base, epochs=2, seed=seed)
    weights = {name: (tmp_path / name / "model.safetensors").read_bytes() for name in "abc"}
    assert weights["a"] == weights["b"]
    assert weights["a"] != weights["c"]


@pytest.mark.parametrize(
    ("examples", "code", "named"),
    [
        ([(f"crash {i}", "bug") for i in range(10)], "too_few_labels", "'bug'"),
        (
            [(f"crash {i}", "bug") for i in range(6)] + [(f"love {i}", "praise") for i in range(4)],
            "too_few_examples",
            "'praise' has 4",
        ),
        ([*separable(5), ("  ", "bug")], "empty_text", "Example 16"),
        ([*separable(5), ("refund", "")], "bad_label", "Example 16"),
    ],
)
def test_unusable_examples_are_refused_with_a_code_and_nothing_is_written(
    base: Path, tmp_path: Path, examples: list[tuple[str, str]], code: str, named: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        train_text(examples, tmp_path / "out", base=base)
    assert refused.value.code == code
    assert named in refused.value.message
    assert list(tmp_path.iterdir()) == []


def test_progress_is_reported_with_rising_fractions_then_evaluating_and_saving(base: Path, tmp_path: Path) -> None:
    reports: list[dict[str, Any]] = []
    quick_text(separable(10), tmp_path / "out", base, epochs=3, progress=reports.append)
    training = [report for report in reports if report["stage"] == "training"]
    fractions = [report["fraction"] for report in training]
    assert len(training) >= 3
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert training[-1]["epoch"] == training[-1]["epochs"] == 3
    assert training[-1]["step"] == training[-1]["steps"]
    assert [report["stage"] for report in reports[len(training) :]] == ["evaluating", "saving"]


def test_a_passed_deadline_stops_training_with_timeout_and_leaves_nothing(base: Path, tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as refused:
        quick_text(separable(10), tmp_path / "out", base, deadline=time.monotonic() - 1)
    assert refused.value.code == "timeout"
    assert list(tmp_path.iterdir()) == []


def test_too_few_examples_to_hold_out_trains_on_all_and_says_why(base: Path, tmp_path: Path) -> None:
    metadata = quick_text(separable(6), tmp_path / "out", base, epochs=1)
    assert metadata["held_out"] is None
    assert metadata["metrics"] is None
    assert metadata["train_examples"] == 18
    assert "'billing' has 6" in metadata["held_out_reason"]
    validate_folder(tmp_path / "out")


def test_a_model_folder_is_replaced_but_an_unrelated_folder_is_not(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    quick_text(separable(6), out, base, epochs=1, seed=0)
    first = (out / "model.safetensors").read_bytes()
    quick_text(separable(6), out, base, epochs=1, seed=1)
    assert (out / "model.safetensors").read_bytes() != first
    assert sorted(path.name for path in tmp_path.iterdir()) == ["model"]

    unrelated = tmp_path / "notes"
    unrelated.mkdir()
    (unrelated / "todo.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        quick_text(separable(6), unrelated, base, epochs=1)
    assert [path.name for path in unrelated.iterdir()] == ["todo.txt"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["model", "notes"]


def test_a_failure_while_saving_keeps_the_previous_model_and_leaves_no_partial_folder(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "model"
    quick_text(separable(6), out, base, epochs=1)
    before = artefact_id(out)

    def crash(path: Path) -> None:
        assert (path / "model.safetensors").is_file()  # everything is written, only the swap is left
        raise OSError("disk full")

    monkeypatch.setattr("models_service.training.validate_folder", crash)
    with pytest.raises(OSError, match="disk full"):
        quick_text(separable(6), out, base, epochs=1, seed=1)
    assert artefact_id(out) == before
    assert [path.name for path in tmp_path.iterdir()] == ["model"]


def test_the_split_holds_out_a_fifth_of_each_label_and_depends_only_on_the_seed() -> None:
    labels = ["a"] * 50 + ["b"] * 10 + ["c"] * 13
    train, held, reason = stratified_split(labels, seed=3)
    assert reason is None
    assert sorted(train + held) == list(range(len(labels)))
    assert sorted(labels[i] for i in held) == ["a"] * 10 + ["b"] * 2 + ["c"] * 3
    assert stratified_split(labels, seed=3) == (train, held, None)
    assert stratified_split(labels, seed=4)[1] != held


def test_a_small_image_model_trains_loads_and_predicts_deterministically(tmp_path: Path) -> None:
    images, labels = generate(10, seed=0)
    first = train_image(images, labels, tmp_path / "a", epochs=2, seed=0)
    train_image(images, labels, tmp_path / "b", epochs=2, seed=0)
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()
    assert first["kind"] == "image"
    assert first["labels"] == ["bar", "line", "pie", "scatter"]
    assert first["held_out"] == {"examples": 8, "fraction": 0.2}
    assert first["metrics"]["samples"] == 8
    assert validate_folder(tmp_path / "a").kind == "image"

    loaded = load_model(tmp_path / "a", model_id="charts", device="cpu")
    assert loaded.labels == ("bar", "line", "pie", "scatter")
    probabilities = image.forward(loaded, images[:3])
    assert len(probabilities) == 3
    assert all(sum(row) == pytest.approx(1.0, abs=1e-5) and len(row) == 4 for row in probabilities)


def test_images_and_labels_must_pair_up(tmp_path: Path) -> None:
    images, labels = generate(5, seed=0)
    with pytest.raises(ServiceError) as refused:
        train_image(images, labels[:-1], tmp_path / "out")
    assert refused.value.code == "bad_example"


def test_the_real_minilm_fine_tunes_offline_into_a_servable_artefact(tmp_path: Path) -> None:
    """A few steps on the shipped encoder: the head is new, the artefact loads and predicts every label."""
    from models_service.samples import feedback_examples

    assert (minilm_path() / "config.json").is_file()
    metadata = train_text(feedback_examples(per_label=6), tmp_path / "minilm", epochs=1, batch_size=8)
    assert metadata["base"] == "all-MiniLM-L6-v2"
    assert metadata["architecture"] == "BertForSequenceClassification"
    loaded = load_model(tmp_path / "minilm", model_id="minilm", device="cpu")
    assert loaded.labels == ("billing", "bug", "feature", "praise")
    assert len(text.forward(loaded, ["I was charged twice"])[0]) == 4


CHINESE = {
    "billing": ("退款", "扣费", "发票"),
    "bug": ("闪退", "报错", "卡死"),
    "praise": ("好用", "感谢", "点赞"),
}


def test_added_characters_learn_at_their_own_rate_and_the_pretrained_vocabulary_stays_as_it_was(
    base: Path, tmp_path: Path
) -> None:
    """Characters the base vocabulary lacks start from nothing it knows: they get the higher new-token rate, the
    pretrained rows are left exactly as they were (their gradient is masked), and the rate is recorded."""
    from safetensors.torch import load_file

    rng = random.Random(1)
    examples = [
        ("".join(rng.choice(words) for _ in range(2)) + " login", label)
        for _ in range(15)
        for label, words in CHINESE.items()
    ]
    key = "bert.embeddings.word_embeddings.weight"
    pretrained = load_file(base / "model.safetensors")[key]
    rows = pretrained.shape[0]

    fast = quick_text(examples, tmp_path / "fast", base, epochs=10, learning_rate=1e-4, new_token_learning_rate=3e-2)
    still = quick_text(examples, tmp_path / "still", base, epochs=10, learning_rate=1e-4, new_token_learning_rate=0.0)
    moved = load_file(tmp_path / "fast" / "model.safetensors")[key]
    kept = load_file(tmp_path / "still" / "model.safetensors")[key]

    assert (
        fast["added_tokens"]
        == still["added_tokens"]
        == len({ch for words in CHINESE.values() for w in words for ch in w})
    )
    assert moved.shape[0] == rows + fast["added_tokens"]
    assert (moved[:rows] == pretrained).all()
    assert (kept[:rows] == pretrained).all()
    # The same seed gives the same starting rows: with a zero rate they stay there, with the high rate they move far.
    assert float((moved[rows:] - kept[rows:]).abs().mean()) > 0.05
    assert fast["new_token_learning_rate"] == 3e-2


def test_an_english_only_model_adds_nothing_and_records_no_new_token_rate(trained: tuple[Path, dict[str, Any]]) -> None:
    _, metadata = trained
    assert metadata["added_tokens"] == 0
    assert "new_token_learning_rate" not in metadata
