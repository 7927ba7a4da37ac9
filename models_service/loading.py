"""Loading models once per worker process: by their kind's predictor, local files only, an LRU cache under a budget."""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from pathlib import Path

from models_service.errors import ServiceError
from models_service.predictors.base import LoadedModel as LoadedModel
from models_service.predictors.base import Predictor
from models_service.predictors.registry import predictor_for_architecture


def model_kind(path: Path) -> str:
    """The kind of the model at ``path`` ("text", "image", ...), from the architecture named in ``config.json``."""
    return _predictor(path).kind


def _predictor(path: Path) -> Predictor:
    """The registered predictor whose architecture ``config.json`` names; ServiceError("bad_model") if none."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ServiceError("bad_model", f"{path.name} has no readable config.json") from None
    architectures = config.get("architectures") or []
    name = architectures[0] if architectures else ""
    predictor = predictor_for_architecture(name) if isinstance(name, str) else None
    if predictor is None:
        raise ServiceError("bad_model", f"{path.name} is a {name or 'model of unknown kind'}, not a classifier")
    return predictor


def load_model(path: Path, *, model_id: str, device: str, threads: int = 0) -> LoadedModel:
    """Load the artefact at ``path`` onto ``device`` with its kind's predictor and warm it up.

    Local files only (``local_files_only``), safetensors only, never remote code; half precision on CUDA.
    """
    import torch

    if threads > 0:
        torch.set_num_threads(threads)
    started = time.perf_counter()
    predictor = _predictor(path)
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    network = predictor.load(path, device=device, dtype=dtype)
    loaded = LoadedModel(
        model_id,
        predictor,
        network.model,
        network.processor,
        network.labels,
        device,
        str(dtype).replace("torch.", ""),
        network.bytes,
        0.0,
    )
    # Forward passes at load, so the first real request does not pay for lazy initialisation.
    for batch in predictor.warmup_batches():
        loaded.forward(batch)
    loaded.load_ms = (time.perf_counter() - started) * 1000
    return loaded


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
