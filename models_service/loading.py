"""Loading models once per worker process: Auto classes, local files only, an LRU cache under a memory budget."""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from models_service.errors import ServiceError

Kind = Literal["text", "image"]


@dataclass
class LoadedModel:
    """A model ready to predict: the network, its tokenizer or image processor, labels and device."""

    model_id: str
    kind: Kind
    model: Any
    processor: Any
    labels: tuple[str, ...]
    device: str
    dtype: str
    bytes: int
    load_ms: float

    def forward(self, inputs: Any) -> list[list[float]]:
        """Class probabilities for a list of texts or images, in one pass."""
        from models_service.predictors import image, text

        return (text.forward if self.kind == "text" else image.forward)(self, inputs)


def model_kind(path: Path) -> Kind:
    """ "text" or "image", from the architecture named in ``config.json``."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ServiceError("bad_model", f"{path.name} has no readable config.json") from None
    architectures = config.get("architectures") or []
    name = architectures[0] if architectures else ""
    if name.endswith("ForSequenceClassification"):
        return "text"
    if name.endswith("ForImageClassification"):
        return "image"
    raise ServiceError("bad_model", f"{path.name} is a {name or 'model of unknown kind'}, not a classifier")


def load_model(path: Path, *, model_id: str, device: str, threads: int = 0) -> LoadedModel:
    """Load the artefact at ``path`` onto ``device`` with the transformers Auto classes and warm it up.

    Local files only (``local_files_only``), safetensors only, never remote code; half precision on CUDA.
    """
    import torch
    from transformers import (
        AutoImageProcessor,
        AutoModelForImageClassification,
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    if threads > 0:
        torch.set_num_threads(threads)
    started = time.perf_counter()
    kind = model_kind(path)
    options: dict[str, Any] = {"local_files_only": True, "use_safetensors": True, "trust_remote_code": False}
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    if kind == "text":
        model = AutoModelForSequenceClassification.from_pretrained(path, dtype=dtype, **options)
        processor = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
    else:
        model = AutoModelForImageClassification.from_pretrained(path, dtype=dtype, **options)
        processor = AutoImageProcessor.from_pretrained(path, local_files_only=True, trust_remote_code=False)
    model.to(device)
    model.eval()
    labels = tuple(str(model.config.id2label[i]) for i in range(len(model.config.id2label)))
    size = sum(p.numel() * p.element_size() for p in model.parameters())
    loaded = LoadedModel(model_id, kind, model, processor, labels, device, str(dtype).replace("torch.", ""), size, 0.0)
    _warm_up(loaded)
    loaded.load_ms = (time.perf_counter() - started) * 1000
    return loaded


def _warm_up(loaded: LoadedModel) -> None:
    """Forward passes at load, so the first real request does not pay for lazy initialisation."""
    if loaded.kind == "text":
        loaded.forward(["warm-up"])
        loaded.forward(["a slightly longer warm-up sentence", "and a second one for a batch"])
    else:
        from PIL import Image

        loaded.forward([Image.new("RGB", (32, 32), "white")] * 2)


class ModelCache:
    """Loaded models by id, least recently used first out when the memory budget is exceeded.

    One cache per worker process: a model is loaded once and shared by the requests that follow.
    """

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._models: OrderedDict[str, LoadedModel] = OrderedDict()
        self._lock = threading.Lock()
        self.loads = 0

    def get(self, model_id: str, path: Path, *, device: str, threads: int = 0) -> LoadedModel:
        """The model at ``path``, loaded once; models are keyed by their folder, so two folders never mix."""
        key = str(path.resolve())
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
            loaded = load_model(path, model_id=model_id, device=device, threads=threads)
            self.loads += 1
            self._models[key] = loaded
            while len(self._models) > 1 and self.used_bytes > self.budget_bytes:
                self._models.popitem(last=False)
            return loaded

    def peek(self, path: Path) -> LoadedModel | None:
        """The model at ``path`` when it is loaded already (marked as just used), else None; never loads."""
        key = str(path.resolve())
        with self._lock:
            loaded = self._models.get(key)
            if loaded is not None:
                self._models.move_to_end(key)
            return loaded

    def evict(self, path: Path) -> bool:
        """Forget the model at ``path`` (deleted, or about to be replaced); whether it was loaded.

        Requests already running keep their reference and finish; the next one for ``path`` loads it afresh.
        """
        key = str(path.resolve())
        with self._lock:
            return self._models.pop(key, None) is not None

    @property
    def used_bytes(self) -> int:
        return sum(m.bytes for m in self._models.values())
