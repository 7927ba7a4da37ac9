"""Text classification: check the inputs, tokenize, forward, softmax; explain by deleting words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from models_service.config import ServiceConfig
from models_service.errors import ServiceError
from models_service.evaluation import EvaluationInputError, read_text_csv
from models_service.explain import in_chunks, label_index, log_odds, softmax
from models_service.predictors import argmax
from models_service.predictors.base import (
    MODEL_OPTIONS,
    PROCESSOR_OPTIONS,
    LoadedModel,
    Network,
    Predictor,
    softmax_rows,
    transformers_network,
)
from models_service.zips import ArtefactRefused

MAX_TOKENS = 256
TOKENIZER_HELP = "tokenizer.json, vocab.txt, vocab.json with merges.txt, or a sentencepiece .model file"


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
    return softmax_rows(logits(loaded, texts))


# The CJK ideograph blocks BERT's tokenizer splits into single characters: Chinese is written without
# spaces, so each character is a word.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# A word is one CJK ideograph or a run of letters and digits. Punctuation and symbols are never words:
# they carry little meaning, each would cost a forward pass, and hiding "-" in "foo-bar" says nothing.
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")


def explain_text(
    loaded: LoadedModel, text: str, *, label: str | None = None, deadline: float | None = None, max_words: int = 128
) -> dict[str, Any]:
    """Per-word weights towards ``label`` (default: the predicted label), by deleting one word at a time.

    Each variant is the text with one word deleted, run through ``predictors.text.forward`` exactly as a
    prediction is (same tokenizer call, truncation and padding), so the numbers agree with ``predict``.
    For WordPiece tokenizers deleting the word's characters is the same as dropping its word pieces.
    Words after the first ``max_words`` are listed with weight 0 and ``truncated`` is true.
    """
    wanted = label_index(loaded, label)
    spans = word_spans(loaded.processor, text)
    scored = spans[: max(max_words, 0)]
    texts = [text, *(_without(text, start, end) for start, end in scored)]
    scores = in_chunks(
        len(texts),
        lambda indices: logits(loaded, [texts[i] for i in indices]).tolist(),
        loaded,
        deadline,
    )
    rows = [softmax(row) for row in scores]
    target = argmax(rows[0]) if wanted is None else wanted
    probability = rows[0][target]
    unscored = [0.0] * (len(spans) - len(scored))
    drops = [probability - row[target] for row in rows[1:]] + unscored
    weights = [log_odds(scores[0], target) - log_odds(row, target) for row in scores[1:]] + unscored
    return {
        "label": loaded.labels[target],
        "probability": probability,
        "method": "occlusion",
        "words": [
            {"word": text[start:end], "start": start, "end": end, "weight": weight, "probability_drop": drop}
            for (start, end), weight, drop in zip(spans, weights, drops, strict=True)
        ],
        "truncated": len(scored) < len(spans),
    }


def word_spans(tokenizer: Any, text: str) -> list[tuple[int, int]]:
    """The words of ``text`` as ``(start, end)`` character offsets, in order.

    A fast tokenizer says where its words are (``word_ids`` and offsets), which merges word pieces back
    into whole words; each is then cut by ``_WORD``, so CJK characters stand alone and punctuation drops
    out. A slow tokenizer has no offsets: the whole text is cut by ``_WORD``.
    """
    regions = [(0, len(text))]
    if getattr(tokenizer, "is_fast", False):
        encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        merged: dict[int, tuple[int, int]] = {}
        for word_id, (start, end) in zip(encoding.word_ids(), encoding["offset_mapping"], strict=True):
            if word_id is not None:
                first, last = merged.get(word_id, (start, end))
                merged[word_id] = (min(first, start), max(last, end))
        regions = sorted(merged.values()) or regions
    spans: list[tuple[int, int]] = []
    for start, end in regions:
        for match in _WORD.finditer(text, start, end):
            if not spans or match.start() >= spans[-1][1]:  # regions of odd tokenizers may overlap
                spans.append(match.span())
    return spans


def _without(text: str, start: int, end: int) -> str:
    before, after = text[:start], text[end:]
    if before[-1:].isalnum() and after[:1].isalnum():  # "abc123def" without "123" must not become one word
        return f"{before} {after}"
    return before + after


def has_tokenizer(top_level: set[str]) -> bool:
    """Whether an artefact's top-level files include a tokenizer transformers can load."""
    return (
        "tokenizer.json" in top_level
        or "vocab.txt" in top_level
        or {"vocab.json", "merges.txt"} <= top_level
        or any(name.endswith(".model") for name in top_level)
    )


class TextPredictor(Predictor):
    """Sequence classifiers: a text or a list of texts in, top labels per text out, word weights as explanation."""

    kind = "text"
    architecture_suffix = "ForSequenceClassification"
    noun = "a text classifier"

    def artefact_refusal(self, top_level: set[str]) -> ArtefactRefused | None:
        if has_tokenizer(top_level):
            return None
        return ArtefactRefused(
            "missing_tokenizer",
            f"This text model has no tokenizer; add the tokenizer's files ({TOKENIZER_HELP}) with "
            "tokenizer.save_pretrained().",
        )

    def load(self, path: Path, *, device: str, dtype: Any) -> Network:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        model = AutoModelForSequenceClassification.from_pretrained(path, dtype=dtype, **MODEL_OPTIONS)
        processor = AutoTokenizer.from_pretrained(path, **PROCESSOR_OPTIONS)
        return transformers_network(model, processor, device)

    def warmup_batches(self) -> list[list[Any]]:
        return [["warm-up"], ["a slightly longer warm-up sentence", "and a second one for a batch"]]

    def check_input(self, payload: dict[str, Any], config: ServiceConfig) -> list[Any]:
        texts = payload.get("texts", payload.get("text"))
        return check(texts, max_chars=config.max_text_chars, max_texts=config.max_texts)

    def labelled_set(self, payload: dict[str, Any], config: ServiceConfig) -> tuple[list[Any], list[str]]:
        """ "csv": CSV text with the columns text,label."""
        raw = payload.get("csv")
        if not isinstance(raw, str):
            raise ServiceError("no_input", "Send the labelled set as CSV text with the columns text,label in 'csv'.")
        try:
            texts, labels = read_text_csv(raw, max_rows=config.max_examples)
        except EvaluationInputError as exc:
            raise ServiceError("bad_dataset", f"The CSV cannot be used: {exc}.") from None
        return list(check(texts, max_chars=config.max_text_chars, max_texts=len(texts))), labels

    def predict(self, loaded: LoadedModel, inputs: Sequence[Any]) -> list[list[float]]:
        return forward(loaded, inputs)

    def explain(self, loaded: LoadedModel, item: Any, *, label: str | None, deadline: float | None) -> dict[str, Any]:
        return explain_text(loaded, item, label=label, deadline=deadline)


PREDICTOR = TextPredictor()
