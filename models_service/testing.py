"""Tiny, randomly initialised models in the real artefact format, for tests and examples (fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

WORDS = ("refund", "charge", "invoice", "crash", "error", "bug", "love", "great", "thanks", "login", "password")


def tiny_text_model(folder: Path, labels: tuple[str, ...] = ("billing", "bug", "praise"), seed: int = 0) -> Path:
    """A one-layer BERT sequence classifier with its own small WordPiece vocabulary, saved as safetensors."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(vocab=str(vocab))
    config = BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def tiny_image_model(folder: Path, labels: tuple[str, ...] = ("bar", "line"), seed: int = 0) -> Path:
    """A one-layer ViT image classifier on 32×32 inputs with its image-processor config, saved as safetensors."""
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    config = ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


def by_label(ranked: list[dict[str, Any]]) -> dict[str, float]:
    """Probabilities by label: near-ties may rank in either order, the numbers must agree."""
    return {r["label"]: r["probability"] for r in ranked}
