"""The predictor contract: what one kind of model (text, image, ...) must say and do, and a loaded model.

One :class:`Predictor` per kind, registered once in :mod:`models_service.predictors.registry`. The hooks follow
LitServe's shape: ``load`` for a device (LitServe's ``setup``), ``check_input`` (decode and validate one request),
``predict`` (one batch through the network), ``explain``; plus what the artefact check, the evaluation and the
warm-up need to know about the kind. Everything else (the device decision, the cache, batching, budgets, the
answers' JSON) is the same for every kind and lives once, outside the predictors.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models_service.config import ServiceConfig
from models_service.zips import ArtefactRefused

# Every transformers load: files of the artefact folder only, safetensors only, never code from the folder.
MODEL_OPTIONS: dict[str, Any] = {"local_files_only": True, "use_safetensors": True, "trust_remote_code": False}
PROCESSOR_OPTIONS: dict[str, Any] = {"local_files_only": True, "trust_remote_code": False}


@dataclass(frozen=True)
class Network:
    """What :meth:`Predictor.load` gives back: the network on its device (in eval mode), its tokenizer or image
    processor, the labels in index order and the bytes its parameters take."""

    model: Any
    processor: Any
    labels: tuple[str, ...]
    bytes: int


@dataclass
class LoadedModel:
    """A model ready to predict: its predictor, the network, its tokenizer or image processor, labels and device."""

    model_id: str
    predictor: Predictor
    model: Any
    processor: Any
    labels: tuple[str, ...]
    device: str
    dtype: str
    bytes: int
    load_ms: float

    @property
    def kind(self) -> str:
        """The kind of model ("text", "image", ...): its predictor's."""
        return self.predictor.kind

    def forward(self, inputs: Sequence[Any]) -> list[list[float]]:
        """Class probabilities for a list of checked inputs, in one pass; exactly one row per input."""
        rows = self.predictor.predict(self, inputs)
        if len(rows) != len(inputs):  # a batch must give back exactly one answer per input
            raise RuntimeError(f"{len(inputs)} inputs gave {len(rows)} predictions")
        return rows


class Predictor(ABC):
    """One kind of classifier. Subclasses set ``kind``, ``architecture_suffix`` and ``noun`` and fill in the hooks.

    ``kind``                 the name requests, answers and metadata use ("text")
    ``architecture_suffix``  how the class named in an artefact's config.json ends ("ForSequenceClassification")
    ``noun``                 what a founder reads in a refusal ("a text classifier")
    """

    kind: str
    architecture_suffix: str
    noun: str

    def matches(self, architecture: str) -> bool:
        """Whether config.json's architecture is one of this kind (the suffix alone is not a class name)."""
        return architecture.endswith(self.architecture_suffix) and architecture != self.architecture_suffix

    @abstractmethod
    def artefact_refusal(self, top_level: set[str]) -> ArtefactRefused | None:
        """Why an artefact of this kind whose top-level files are ``top_level`` cannot be loaded (a missing
        tokenizer, a missing image-processor config), or None when it has what this kind needs."""

    @abstractmethod
    def load(self, path: Path, *, device: str, dtype: Any) -> Network:
        """The network of the artefact at ``path`` on ``device`` in ``dtype``, ready for inference.

        Local files only, safetensors only, never remote code; torch and transformers are imported here."""

    @abstractmethod
    def warmup_batches(self) -> list[list[Any]]:
        """Checked inputs to run through a freshly loaded model, so the first real request pays no lazy setup."""

    @abstractmethod
    def check_input(self, payload: dict[str, Any], config: ServiceConfig) -> list[Any]:
        """The request's inputs, decoded and checked against the limits before any tensor is built.

        Raises ServiceError for anything refused; a refused input never reaches a shared batch."""

    @abstractmethod
    def labelled_set(self, payload: dict[str, Any], config: ServiceConfig) -> tuple[list[Any], list[str]]:
        """An evaluation request's checked inputs and their true labels, in the same order."""

    @abstractmethod
    def predict(self, loaded: LoadedModel, inputs: Sequence[Any]) -> list[list[float]]:
        """Class probabilities for each input, computed as one batch on the model's device."""

    @abstractmethod
    def explain(self, loaded: LoadedModel, item: Any, *, label: str | None, deadline: float | None) -> dict[str, Any]:
        """Why the model gives ``label`` (default: its prediction) for one checked input; stops at ``deadline``."""


def transformers_network(model: Any, processor: Any, device: str) -> Network:
    """A transformers classifier and its processor moved to ``device`` in eval mode, with id2label's labels."""
    model.to(device)
    model.eval()
    labels = tuple(str(model.config.id2label[i]) for i in range(len(model.config.id2label)))
    size = sum(p.numel() * p.element_size() for p in model.parameters())
    return Network(model, processor, labels, size)


def softmax_rows(scores: Any) -> list[list[float]]:
    """Probabilities (a list per row) from a tensor of raw scores."""
    import torch

    rows: list[list[float]] = torch.softmax(scores, dim=-1).cpu().tolist()
    return rows
