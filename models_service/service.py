"""The task-level functions under their old module name, for importers outside models_service.

The service lives in three modules: :mod:`models_service.inference` (predict, explain, evaluate),
:mod:`models_service.lifecycle` (load, warm up, describe, train, build the samples, install, delete) and
:mod:`models_service.files` (a model's folder by id, its files for the data archive). New code imports those;
this module only keeps older importers working and goes once none is left.
"""

from __future__ import annotations

from models_service.files import READ_CHUNK_MAX, artefact_files, artefact_read, check_model_id, model_path
from models_service.inference import evaluate, explain, predict, request_budget_s, run_batched
from models_service.lifecycle import (
    build_samples,
    delete,
    describe,
    engine_for,
    install,
    load,
    model_cache,
    train_text,
    warmup,
)

__all__ = [
    "READ_CHUNK_MAX",
    "artefact_files",
    "artefact_read",
    "build_samples",
    "check_model_id",
    "delete",
    "describe",
    "engine_for",
    "evaluate",
    "explain",
    "install",
    "load",
    "model_cache",
    "model_path",
    "predict",
    "request_budget_s",
    "run_batched",
    "train_text",
    "warmup",
]
