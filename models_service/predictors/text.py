"""Text classification: check the inputs, tokenize, forward, softmax."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models_service.errors import ServiceError
from models_service.loading import LoadedModel

MAX_TOKENS = 256


def check(texts: Any, *, max_chars: int, max_texts: int) -> list[str]:
    """The texts, or ServiceError before any tensor is built."""
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not texts:
        raise ServiceError("no_input", "Send one text or a list of texts.")
    if len(texts) > max_texts:
        raise ServiceError("too_many_inputs", f"At most {max_texts} texts per request (got {len(texts)}).")
    for index, item in enumerate(texts, start=1):
        if not isinstance(item, str) or not item.strip():
            raise ServiceError("empty_text", f"Text {index} is empty.")
        if len(item) > max_chars:
            raise ServiceError("text_too_long", f"Text {index} has {len(item)} characters; the limit is {max_chars}.")
        if not encodable(item):
            # The tokenizer raises on it, which in a shared forward would fail every request of the batch.
            raise ServiceError("bad_text", f"Text {index} has a character that cannot be encoded (a lone surrogate).")
    return list(texts)


def encodable(item: str) -> bool:
    """Whether ``item`` can be encoded as UTF-8: a str holding a UTF-16 surrogate (``"\\ud800"`` in JSON)
    cannot, and Rust tokenizers refuse it."""
    try:
        item.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def logits(loaded: LoadedModel, texts: Sequence[str]) -> Any:
    """The model's raw scores (a float32 tensor, one row per text), computed as one batch on its device."""
    import torch

    encoded = loaded.processor(
        list(texts), padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
    ).to(loaded.device)
    with torch.inference_mode():
        scores = loaded.model(**encoded).logits.float()
    if scores.shape[0] != len(texts):  # a batch must give back exactly one answer per input
        raise RuntimeError(f"{len(texts)} texts gave {scores.shape[0]} predictions")
    return scores


def forward(loaded: LoadedModel, texts: Sequence[str]) -> list[list[float]]:
    """Class probabilities for each text, computed as one batch on the model's device."""
    import torch

    result: list[list[float]] = torch.softmax(logits(loaded, texts), dim=-1).cpu().tolist()
    return result
