"""The sample models every PitchLab install can demo: built locally, offline, from data shipped in the package.

``sample-text``   customer feedback → bug, feature, billing or praise: all-MiniLM-L6-v2 fine-tuned on
                  ``data/feedback.csv`` (320 examples written for PitchLab).
``sample-image``  a chart's kind → bar, line, pie or scatter: a small ResNet trained from scratch on pictures
                  drawn by :mod:`models_service.charts_dataset`.

Building is idempotent: a sample whose folder already holds a valid artefact with its ``pitchlab.json`` is skipped.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar

from models_service.artefacts import ArtefactRefused, validate_folder
from models_service.training import METADATA, Progress, train_image, train_text

FEEDBACK = "data/feedback.csv"


@dataclass(frozen=True)
class TextSample:
    """A text classifier fine-tuned on the shipped feedback set; ``base``, ``per_label`` (the first n examples of
    each label) and ``epochs`` make a quick build for tests."""

    description: str
    base: Path | None = None
    per_label: int | None = None
    epochs: int | None = None
    kind: ClassVar[str] = "text"

    def train(self, out_dir: Path, *, seed: int, progress: Progress | None) -> dict[str, Any]:
        examples = feedback_examples(per_label=self.per_label)
        return train_text(
            examples, out_dir, base=self.base, seed=seed, epochs=self.epochs, progress=progress, data=FEEDBACK
        )


@dataclass(frozen=True)
class ImageSample:
    """An image classifier trained from scratch on ``per_class`` generated charts of each kind."""

    description: str
    per_class: int = 800
    epochs: int | None = None
    kind: ClassVar[str] = "image"

    def train(self, out_dir: Path, *, seed: int, progress: Progress | None) -> dict[str, Any]:
        from models_service.charts_dataset import generate

        images, labels = generate(self.per_class, seed=seed)
        data = f"generated charts, {self.per_class} per kind (models_service.charts_dataset, seed {seed})"
        return train_image(images, labels, out_dir, seed=seed, epochs=self.epochs, progress=progress, data=data)


Sample = TextSample | ImageSample

SAMPLES: dict[str, Sample] = {
    "sample-text": TextSample("Customer feedback sorted into bug, feature, billing or praise."),
    "sample-image": ImageSample("A chart recognised as a bar, line, pie or scatter chart."),
}


def feedback_examples(*, per_label: int | None = None) -> list[tuple[str, str]]:
    """The shipped ``(text, label)`` feedback examples, in file order; with ``per_label``, the first n of each."""
    from models_service.evaluation import read_text_csv

    texts, labels = read_text_csv(files("models_service").joinpath(FEEDBACK).read_bytes())
    examples = list(zip(texts, labels, strict=True))
    if per_label is None:
        return examples
    seen: Counter[str] = Counter()
    kept = []
    for text, label in examples:
        seen[label] += 1
        if seen[label] <= per_label:
            kept.append((text, label))
    return kept


def sample_metadata(folder: Path, kind: str) -> dict[str, Any] | None:
    """The ``pitchlab.json`` of a valid ``kind`` artefact at ``folder``, or None if it is absent or not valid."""
    try:
        metadata = json.loads((folder / METADATA).read_text(encoding="utf-8"))
        info = validate_folder(folder)
    except (OSError, ValueError, ArtefactRefused):
        return None
    if not isinstance(metadata, dict) or metadata.get("kind") != kind or info.kind != kind:
        return None
    return metadata


def missing_samples(models_dir: Path, *, samples: Mapping[str, Sample] = SAMPLES) -> list[str]:
    """The ids of the samples without a valid artefact under ``models_dir``."""
    return [
        model_id for model_id, sample in samples.items() if sample_metadata(models_dir / model_id, sample.kind) is None
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
        existing = None if force else sample_metadata(folder, sample.kind)
        if existing is not None:
            results[model_id] = {**existing, "skipped": True}
            if progress is not None:
                progress(model_id, {"stage": "skipped", "fraction": 1.0})
            continue
        report = None if progress is None else _for_sample(progress, model_id)
        started = time.monotonic()
        metadata = sample.train(folder, seed=seed, progress=report)
        results[model_id] = {**metadata, "skipped": False, "build_seconds": round(time.monotonic() - started, 2)}
    return results


def _for_sample(progress: Callable[[str, dict[str, Any]], None], model_id: str) -> Progress:
    def report(event: dict[str, Any]) -> None:
        progress(model_id, event)

    return report
