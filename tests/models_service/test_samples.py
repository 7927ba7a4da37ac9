"""The sample models and their data: the shipped feedback set, the generated charts, idempotent builds."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from models_service.artefacts import artefact_id, validate_folder
from models_service.charts_dataset import LABELS, generate, write_folder
from models_service.languages import languages_of, text_language
from models_service.samples import (
    IMAGE_DOMAIN,
    SAMPLES,
    TEXT_DOMAIN,
    ImageSample,
    Sample,
    TextSample,
    build_samples,
    feedback_examples,
    missing_samples,
)
from models_service.testing import tiny_text_model
from models_service.training import METADATA

# --- the shipped feedback set ----------------------------------------------------------------------------------------


FEEDBACK_LABELS = ("bug", "feature", "billing", "praise")


@pytest.mark.parametrize(("language", "per_label"), [("en", 80), ("zh", 120)])
def test_the_feedback_set_has_distinct_examples_of_each_label_in_each_language(language: str, per_label: int) -> None:
    """As many of each label; more in Chinese, whose characters are new to the model and learnt from these alone."""
    examples = feedback_examples(languages=[language])
    assert Counter(label for _, label in examples) == dict.fromkeys(FEEDBACK_LABELS, per_label)
    texts = [text.strip().lower() for text, _ in examples]
    assert len(set(texts)) == len(texts)
    assert all(len(text) >= (10 if language == "en" else 5) for text in texts)
    # Every text is in the file's language, told from its script (a short English text without a common English
    # word reads as "Latin script" on its own, and as English among English texts).
    assert {text_language(text) for text in texts} <= ({"en", "latin"} if language == "en" else {"zh"})
    assert languages_of(texts) == [language]


def test_the_chinese_set_is_written_not_translated_row_by_row() -> None:
    """Its own sentences: lengths vary as much as the English set's, and it is not the English set's order of topics."""
    import statistics

    english = feedback_examples(languages=["en"])
    chinese = feedback_examples(languages=["zh"])
    lengths = [len(text) for text, _ in chinese]
    assert min(lengths) <= 8
    assert max(lengths) >= 35
    assert statistics.pstdev(lengths) >= 5
    assert [label for _, label in english][:8] == [label for _, label in chinese][:8]  # interleaved the same way
    assert len({text for text, _ in chinese} & {text for text, _ in english}) == 0


def test_all_examples_are_both_languages_english_first() -> None:
    examples = feedback_examples()
    assert len(examples) == 800
    assert examples[:320] == feedback_examples(languages=["en"])
    assert examples[320:] == feedback_examples(languages=["zh"])
    assert languages_of(text for text, _ in examples) == ["zh", "en"]  # most texts first: 480 Chinese, 320 English


def test_per_label_keeps_the_first_examples_of_each_label_in_each_language() -> None:
    kept = feedback_examples(per_label=3)
    assert Counter(label for _, label in kept) == dict.fromkeys(FEEDBACK_LABELS, 6)
    assert Counter(text_language(text) for text, _ in kept) == {"en": 12, "zh": 12}
    assert kept == [example for example in feedback_examples() if example in kept]


# --- the generated charts --------------------------------------------------------------------------------------------


def test_charts_are_deterministic_in_the_seed_and_grow_by_appending() -> None:
    images, labels = generate(3, seed=7)
    again, _ = generate(3, seed=7)
    other, _ = generate(3, seed=8)
    more, more_labels = generate(5, seed=7)
    assert [image.tobytes() for image in images] == [image.tobytes() for image in again]
    assert all(a.tobytes() != b.tobytes() for a, b in zip(images, other, strict=True))
    assert [image.tobytes() for image in more[:12]] == [image.tobytes() for image in images]
    assert labels == list(LABELS) * 3
    assert more_labels == list(LABELS) * 5
    assert {(image.mode, image.size) for image in images} == {("RGB", (32, 32))}
    assert generate(1, seed=0, size=48)[0][0].size == (48, 48)


def test_a_larger_size_draws_the_same_chart_at_a_higher_resolution() -> None:
    """Uploads come in any size and the server shrinks them: a big chart, shrunk, must look like the small one."""
    import numpy as np
    from PIL import Image

    small, _ = generate(3, seed=3)
    large, _ = generate(3, seed=3, size=128)
    other, _ = generate(3, seed=4)

    def distance(a: Any, b: Any) -> float:
        return float(np.abs(np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)).mean())

    for index, picture in enumerate(small):
        shrunk = large[index].resize((32, 32), Image.Resampling.BILINEAR)
        assert distance(picture, shrunk) < 12
        assert distance(picture, shrunk) < distance(picture, other[index]) / 2


def test_the_four_kinds_of_chart_are_told_apart_by_their_average_picture() -> None:
    """A nearest-mean classifier on raw pixels beats chance by far: the kinds differ, though not trivially."""
    import numpy as np

    def pixels(images: list[Any]) -> Any:
        return np.stack([np.asarray(image.convert("L"), dtype=np.float32).ravel() for image in images])

    images, labels = generate(60, seed=0)
    train = pixels(images)
    means = np.stack([train[[i for i, label in enumerate(labels) if label == kind]].mean(axis=0) for kind in LABELS])
    test_images, test_labels = generate(25, seed=1)
    distances = ((pixels(test_images)[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)
    predicted = [LABELS[i] for i in distances.argmin(axis=1)]
    accuracy = sum(p == t for p, t in zip(predicted, test_labels, strict=True)) / len(test_labels)
    assert 0.4 < accuracy < 0.95  # chance is 0.25; a model has to learn shapes to do much better


def test_write_folder_lays_out_one_folder_of_pngs_per_label(tmp_path: Path) -> None:
    from PIL import Image

    root = write_folder(tmp_path / "charts", 3, seed=0)
    assert sorted(path.name for path in root.iterdir()) == sorted(LABELS)
    for label in LABELS:
        assert sorted(path.name for path in (root / label).iterdir()) == ["0.png", "1.png", "2.png"]
    images, _ = generate(3, seed=0)
    with Image.open(root / "line" / "0.png") as saved:
        assert saved.convert("RGB").tobytes() == images[1].tobytes()


# --- building the samples ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Sample]:
    """The two samples, made fast: a tiny BERT on 12 examples per label and language, 10 charts per kind, few
    epochs."""
    base = tiny_text_model(tmp_path_factory.mktemp("base") / "tiny-bert", labels=("a", "b"))
    text_sample = SAMPLES["sample-text"]
    image_sample = SAMPLES["sample-image"]
    assert isinstance(text_sample, TextSample)
    assert isinstance(image_sample, ImageSample)
    return {
        "sample-text": replace(text_sample, base=base, per_label=12, epochs=2),
        "sample-image": replace(image_sample, per_class=10, epochs=2),
    }


def test_build_writes_both_samples_then_skips_them(quick: dict[str, Sample], tmp_path: Path) -> None:
    assert missing_samples(tmp_path) == ["sample-text", "sample-image"]
    events: list[tuple[str, str]] = []
    built = build_samples(
        tmp_path, samples=quick, progress=lambda model_id, event: events.append((model_id, event["stage"]))
    )

    assert set(built) == {"sample-text", "sample-image"}
    text, image = built["sample-text"], built["sample-image"]
    assert (text["skipped"], image["skipped"]) == (False, False)
    assert text["labels"] == ["billing", "bug", "feature", "praise"]
    assert text["held_out"] == {"examples": 20, "fraction": 0.2}
    assert 0 <= text["metrics"]["accuracy"] <= 1
    assert text["data"] == "data/feedback.csv, data/feedback_zh.csv"
    assert (text["domain"], text["languages"]) == (TEXT_DOMAIN, ["en", "zh"])
    by_language = text["metrics_by_language"]
    assert set(by_language) == {"en", "zh"}
    assert by_language["en"]["examples"] + by_language["zh"]["examples"] == 20
    assert all(0 <= figures["accuracy"] <= 1 for figures in by_language.values())
    assert text["added_tokens"] > 100  # the tiny BERT knows no Chinese: each character of the examples is added
    assert image["labels"] == sorted(LABELS)
    assert image["held_out"] == {"examples": 8, "fraction": 0.2}
    assert (image["domain"], image["languages"]) == (IMAGE_DOMAIN, [])
    assert (text["sample_revision"], image["sample_revision"]) == (3, 3)
    assert built["sample-text"]["build_seconds"] > 0
    for model_id in built:
        info = validate_folder(tmp_path / model_id)
        assert info.kind == quick[model_id].kind
        stored = json.loads((tmp_path / model_id / METADATA).read_text(encoding="utf-8"))
        assert stored == {
            key: value for key, value in built[model_id].items() if key not in {"skipped", "build_seconds"}
        }
    assert ("sample-text", "saving") in events
    assert ("sample-image", "training") in events
    assert missing_samples(tmp_path) == []

    ids = {model_id: artefact_id(tmp_path / model_id) for model_id in built}
    events.clear()
    again = build_samples(
        tmp_path, samples=quick, progress=lambda model_id, event: events.append((model_id, event["stage"]))
    )
    assert {model_id: result["skipped"] for model_id, result in again.items()} == {
        "sample-text": True,
        "sample-image": True,
    }
    assert again["sample-image"]["metrics"] == image["metrics"]
    assert events == [("sample-text", "skipped"), ("sample-image", "skipped")]
    assert {model_id: artefact_id(tmp_path / model_id) for model_id in built} == ids


def test_force_rebuilds_and_a_broken_sample_is_rebuilt(quick: dict[str, Sample], tmp_path: Path) -> None:
    build_samples(tmp_path, samples=quick)
    forced = build_samples(tmp_path, samples=quick, force=True)
    assert {model_id: result["skipped"] for model_id, result in forced.items()} == {
        "sample-text": False,
        "sample-image": False,
    }

    (tmp_path / "sample-image" / METADATA).unlink()
    (tmp_path / "sample-text" / "model.safetensors").write_bytes(b"not weights")
    assert missing_samples(tmp_path) == ["sample-text", "sample-image"]
    rebuilt = build_samples(tmp_path, samples=quick)
    assert {model_id: result["skipped"] for model_id, result in rebuilt.items()} == {
        "sample-text": False,
        "sample-image": False,
    }
    assert missing_samples(tmp_path) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sample-image", "sample-text"]


def test_a_sample_built_from_older_data_is_rebuilt(quick: dict[str, Sample], tmp_path: Path) -> None:
    """An install that built the English-only text sample (no revision recorded) gets the bilingual one."""
    build_samples(tmp_path, samples=quick)
    stored = json.loads((tmp_path / "sample-text" / METADATA).read_text(encoding="utf-8"))
    del stored["sample_revision"]
    (tmp_path / "sample-text" / METADATA).write_text(json.dumps(stored), encoding="utf-8")
    assert missing_samples(tmp_path, samples=quick) == ["sample-text"]
    rebuilt = build_samples(tmp_path, samples=quick)
    assert {model_id: result["skipped"] for model_id, result in rebuilt.items()} == {
        "sample-text": False,
        "sample-image": True,
    }
    assert json.loads((tmp_path / "sample-text" / METADATA).read_text(encoding="utf-8"))["sample_revision"] == 3


def test_a_sample_folder_holding_the_other_kind_counts_as_missing(quick: dict[str, Sample], tmp_path: Path) -> None:
    build_samples(tmp_path, samples={"sample-image": quick["sample-image"]})
    (tmp_path / "sample-image").rename(tmp_path / "sample-text")
    assert missing_samples(tmp_path) == ["sample-text", "sample-image"]
