"""The inference worker resolves transformers' lazy names before its task threads run (the lazy resolution is
not thread-safe: concurrent tasks failed with "cannot import name 'AutoModelForSequenceClassification'")."""

from __future__ import annotations

import ast
from pathlib import Path

import models_service
from models_service import celery_app

PACKAGE = Path(models_service.__file__).parent


def test_every_transformers_name_the_tasks_import_is_resolved_at_worker_start() -> None:
    used: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        if source.name == "testing.py":  # the tests' tiny models, never imported by a worker's tasks
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "transformers":
                used |= {alias.name for alias in node.names}
    assert used, "no transformers import found: the scan is broken"
    assert used <= set(celery_app.TRANSFORMERS_NAMES), used - set(celery_app.TRANSFORMERS_NAMES)


def test_the_worker_start_hook_resolves_them() -> None:
    import transformers

    celery_app.resolve_model_classes()
    for name in celery_app.TRANSFORMERS_NAMES:
        assert name in vars(transformers), name  # cached on the module: no lazy lookup left for a task thread
