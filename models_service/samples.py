"""The sample models every PitchLab install can demo: built locally, offline, from data shipped in the package.

``sample-text``   customer feedback about software, in English or Chinese → bug, feature, billing or praise:
                  all-MiniLM-L6-v2 fine-tuned on ``data/feedback.csv`` (320 examples) and ``data/feedback_zh.csv``
                  (480: the Chinese characters are new to the model, so it needs more of them), written for PitchLab;
                  the Chinese ones on their own, not translated from the English.
``sample-image``  a chart's kind → bar, line, pie or scatter: a small ResNet trained from scratch on pictures
                  drawn by :mod:`models_service.charts_dataset`, half of them in the style of PitchLab's own charts.

Building is idempotent: a sample whose folder already holds a valid artefact of the sample's current ``revision``
is skipped (one built by an older PitchLab, from older data, is rebuilt).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar

from models_service.artefacts import ArtefactRefused, validate_folder
from models_service.training import METADATA, Progress, train_image, train_text

FEEDBACK = "data/feedback.csv"
FEEDBACK_FILES = {"en": FEEDBACK, "zh": "data/feedback_zh.csv"}  # one file per language, the same four labels
TEXT_DOMAIN = "customer feedback about software"
IMAGE_DOMAIN = "charts: bar, line, pie and scatter, PitchLab's own deck charts among them"


@dataclass(frozen=True)
class TextSample:
    """A text classifier fine-tuned on the shipped feedback sets; ``base``, ``per_label`` (the first n examples of
    each label in each language) and ``epochs`` make a quick build for tests."""

    description: str
    base: Path | None = None
    per_label: int | None = None
    epochs: int | None = None
    kind: ClassVar[str] = "text"
    revision: ClassVar[int] = 3  # 2: English and Chinese; 3: more Chinese, added characters learn at their own rate

    def train(self, out_dir: Path, *, seed: int, progress: Progress | None) -> dict[str, Any]:
        examples = feedback_examples(per_label=self.per_label)
        data = ", ".join(FEEDBACK_FILES.values())
        metadata = train_text(
            examples,
            out_dir,
            base=self.base,
            seed=seed,
            epochs=self.epochs,
            progress=progress,
            data=data,
            domain=TEXT_DOMAIN,
        )
        return metadata


@dataclass(frozen=True)
class ImageSample:
    """An image classifier trained from scratch on ``per_class`` generated charts of each kind."""

    description: str
    per_class: int = 800
    epochs: int | None = None
    kind: ClassVar[str] = "image"
    revision: ClassVar[int] = 3  # 2: PitchLab-style charts among the generated ones; 3: the deck's positioning map

    def train(self, out_dir: Path, *, seed: int, progress: Progress | None) -> dict[str, Any]:
        from models_service.charts_dataset import generate

        images, labels = generate(self.per_class, seed=seed)
        data = f"generated charts, {self.per_class} per kind (models_service.charts_dataset, seed {seed})"
        return train_image(
            images, labels, out_dir, seed=seed, epochs=self.epochs, progress=progress, data=data, domain=IMAGE_DOMAIN
        )


Sample = TextSample | ImageSample

SAMPLES: dict[str, Sample] = {
    "sample-text": TextSample("Customer feedback, English or Chinese, sorted into bug, feature, billing or praise."),
    "sample-image": ImageSample("A chart recognised as a bar, line, pie or scatter chart."),
}


def feedback_examples(*, per_label: int | None = None, languages: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The shipped ``(text, label)`` feedback examples of ``languages`` (default: all, English first), in file
    order; with ``per_label``, the first n of each label in each language."""
    from models_service.evaluation import read_text_csv

    examples: list[tuple[str, str]] = []
    for language in FEEDBACK_FILES if languages is None else languages:
        texts, labels = read_text_csv(files("models_service").joinpath(FEEDBACK_FILES[language]).read_bytes())
        seen: Counter[str] = Counter()
        for text, label in zip(texts, labels, strict=True):
            seen[label] += 1
            if per_label is None or seen[label] <= per_label:
                examples.append((text, label))
    return examples


def sample_metadata(folder: Path, kind: str, revision: int = 1) -> dict[str, Any] | None:
    """The ``pitchlab.json`` of a valid ``kind`` artefact of ``revision`` at ``folder``, or None if it is absent, not
    valid or of another revision."""
    try:
        metadata = json.loads((folder / METADATA).read_text(encoding="utf-8"))
        info = validate_folder(folder)
    except (OSError, ValueError, ArtefactRefused):
        return None
    if not isinstance(metadata, dict) or metadata.get("kind") != kind or info.kind != kind:
        return None
    if metadata.get("sample_revision", 1) != revision:
        return None
    return metadata


def missing_samples(models_dir: Path, *, samples: Mapping[str, Sample] = SAMPLES) -> list[str]:
    """The ids of the samples without a valid artefact under ``models_dir``."""
    return [
        model_id
        for model_id, sample in samples.items()
        if sample_metadata(models_dir / model_id, sample.kind, sample.revision) is None
    ]


def build_samples(
    models_dir: Path,
    *,
    force: bool = False,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
    seed: int = 0,
    samples: Mapping[str, Sample] = SAMPLES,
) -> dict[str, dict[str, Any]]:
    """Build each sample into ``models_dir/<id>`` and return its metadata by id, with ``"skipped"``.

    A sample that already has a valid artefact is skipped (``"skipped": true``, its stored metadata) unless
    ``force``; a built one also has ``"build_seconds"``, data generation included. ``progress`` receives the
    sample's id and each report of :func:`models_service.training.train_text` / ``train_image``.
    """
    results: dict[str, dict[str, Any]] = {}
    for model_id, sample in samples.items():
        folder = Path(models_dir) / model_id
        existing = None if force else sample_metadata(folder, sample.kind, sample.revision)
        if existing is not None:
            results[model_id] = {**existing, "skipped": True}
            if progress is not None:
                progress(model_id, {"stage": "skipped", "fraction": 1.0})
            continue
        report = None if progress is None else _for_sample(progress, model_id)
        started = time.monotonic()
        metadata = sample.train(folder, seed=seed, progress=report)
        metadata = _mark_revision(folder, metadata, sample.revision)
        results[model_id] = {**metadata, "skipped": False, "build_seconds": round(time.monotonic() - started, 2)}
    return results


def _mark_revision(folder: Path, metadata: dict[str, Any], revision: int) -> dict[str, Any]:
    """Record the sample's revision in its ``pitchlab.json``, so a later PitchLab knows whether to rebuild it."""
    marked = {**metadata, "sample_revision": revision}
    staging = folder / f".{METADATA}.new"
    staging.write_text(json.dumps(marked, indent=2) + "\n", encoding="utf-8")
    staging.replace(folder / METADATA)  # atomic: a reader sees the old file or the new one
    return marked


def _for_sample(progress: Callable[[str, dict[str, Any]], None], model_id: str) -> Progress:
    def report(event: dict[str, Any]) -> None:
        progress(model_id, event)

    return report
