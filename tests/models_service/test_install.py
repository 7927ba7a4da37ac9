"""Installing, describing and deleting models in-process: zipped uploads, their refusals, the cache, train answers."""

from __future__ import annotations

import base64
import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from models_service import inference, lifecycle
from models_service.config import ConfigError, ServiceConfig, load_config
from models_service.errors import ServiceError
from models_service.testing import tiny_image_model, tiny_text_model

WORDS = {"billing": ("refund", "charge", "invoice"), "bug": ("crash", "error", "bug"), "praise": ("love", "great")}


@pytest.fixture(scope="module")
def text_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_text_model(tmp_path_factory.mktemp("upload") / "text", seed=3)


@pytest.fixture(scope="module")
def image_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_image_model(tmp_path_factory.mktemp("upload") / "image", seed=3)


@pytest.fixture
def config(tmp_path: Path) -> ServiceConfig:
    return replace(load_config({"PITCHLAB_DEVICE": "cpu"}), models_dir=tmp_path / "models")


def zipped(folder: Path, *, prefix: str = "", add: dict[str, bytes] | None = None, edit: Any = None) -> str:
    """The folder zipped in memory, base64 as the web side sends it; ``add`` adds members, ``edit`` changes
    config.json (a function of its parsed content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            data = path.read_bytes()
            if path.name == "config.json" and edit is not None:
                data = json.dumps(edit(json.loads(data))).encode()
            archive.writestr(prefix + path.name, data)
        for name, data in (add or {}).items():
            archive.writestr(name, data)
    return base64.b64encode(buffer.getvalue()).decode()


def answer(call: Callable[..., dict[str, Any]], payload: Any, config: ServiceConfig) -> dict[str, Any]:
    """What the task answers: the service's result, or its refusal as data (models_service.tasks)."""
    try:
        return call(payload, config=config)
    except ServiceError as error:
        return error.as_json()


def entries(folder: Path) -> list[str]:
    """Everything in ``folder``, hidden names included (a staging folder left behind would show)."""
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_an_uploaded_text_model_is_installed_warm_and_described(config: ServiceConfig, text_model: Path) -> None:
    installed = answer(lifecycle.install, {"model": "upload-text", "zip": zipped(text_model)}, config)
    assert installed == {
        "ok": True,
        "model": "upload-text",
        "kind": "text",
        "labels": ["billing", "bug", "praise"],
        "metadata": None,
        "metrics": {},
        "device": "cpu",
    }
    folder = config.models_dir / "upload-text"
    assert (folder / "model.safetensors").is_file()
    assert lifecycle.model_cache(config.memory_budget_mb).peek(folder) is not None, "not loaded by the install"
    assert entries(config.models_dir) == ["upload-text"]

    assert answer(lifecycle.describe, {"model": "upload-text"}, config) == installed
    predicted = inference.predict({"model": "upload-text", "text": "refund my charge"}, config=config)
    assert {r["label"] for r in predicted["predictions"][0]} <= {"billing", "bug", "praise"}


def test_an_image_model_zipped_inside_one_folder_is_installed(config: ServiceConfig, image_model: Path) -> None:
    installed = answer(lifecycle.install, {"model": "charts", "zip": zipped(image_model, prefix="my-model/")}, config)
    assert installed["ok"], installed
    assert (installed["kind"], installed["labels"]) == ("image", ["bar", "line"])
    assert (config.models_dir / "charts" / "preprocessor_config.json").is_file()


def test_metrics_claimed_by_an_uploaded_pitchlab_json_are_not_taken_as_measured(
    config: ServiceConfig, text_model: Path
) -> None:
    claim = json.dumps({"kind": "text", "metrics": {"accuracy": 1.0}}).encode()
    installed = answer(
        lifecycle.install, {"model": "claims", "zip": zipped(text_model, add={"pitchlab.json": claim})}, config
    )
    assert installed["ok"], installed
    assert (installed["metadata"], installed["metrics"]) == (None, {})
    assert not (config.models_dir / "claims" / "pitchlab.json").exists()


def test_describing_an_unknown_model_is_refused(config: ServiceConfig) -> None:
    refused = answer(lifecycle.describe, {"model": "nothing-here"}, config)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "unknown_model"


def _with_auto_map(config_json: dict[str, Any]) -> dict[str, Any]:
    return {**config_json, "auto_map": {"AutoModelForSequenceClassification": "modeling.Evil"}}


def _unknown_type(config_json: dict[str, Any]) -> dict[str, Any]:
    return {**config_json, "model_type": "not-a-real-model"}


REFUSALS = {
    "pickle weights": (
        {"add": {"pytorch_model.bin": b"\x80\x04\x95fake pickle"}},
        "pickle_weights",
        "pytorch_model.bin",
    ),
    "auto_map": ({"edit": _with_auto_map}, "custom_code", "auto_map"),
    "a ../ member": ({"add": {"../evil.txt": b"escape"}}, "unsafe_path", "'../evil.txt'"),
    "code in the folder": ({"add": {"modeling.py": b"import os"}}, "custom_code", "modeling.py"),
    "an unloadable model": ({"edit": _unknown_type}, "bad_model", "could not load it"),
}


@pytest.mark.parametrize(("options", "code", "named"), list(REFUSALS.values()), ids=list(REFUSALS))
def test_an_unsafe_or_broken_upload_is_refused_by_name_and_leaves_nothing(
    config: ServiceConfig, text_model: Path, options: dict[str, Any], code: str, named: str
) -> None:
    refused = answer(lifecycle.install, {"model": "upload", "zip": zipped(text_model, **options)}, config)
    assert refused["ok"] is False
    assert refused["error"]["code"] == code
    assert named in refused["error"]["message"]
    assert entries(config.models_dir) == []
    assert lifecycle.model_cache(config.memory_budget_mb).peek(config.models_dir / "upload") is None


@pytest.mark.parametrize(
    ("raw", "code", "named"),
    [
        ("not base64!", "bad_zip", "base64"),
        (base64.b64encode(b"a text file, not a zip").decode(), "bad_zip", "not a readable zip"),
        (None, "no_input", "'zip'"),
    ],
)
def test_an_upload_that_is_not_a_base64_zip_is_refused(
    config: ServiceConfig, raw: str | None, code: str, named: str
) -> None:
    refused = answer(lifecycle.install, {"model": "upload", "zip": raw}, config)
    assert refused["error"]["code"] == code
    assert named in refused["error"]["message"]
    assert entries(config.models_dir) == []


def test_an_oversize_zip_is_refused_naming_both_sizes(config: ServiceConfig, text_model: Path) -> None:
    raw = zipped(text_model)
    size = len(base64.b64decode(raw))
    small = replace(config, max_model_upload_bytes=size - 1)
    refused = answer(lifecycle.install, {"model": "upload", "zip": raw}, small)
    assert refused["error"]["code"] == "too_large"
    assert f"{size:,}" in refused["error"]["message"]
    assert f"{size - 1:,}" in refused["error"]["message"]
    assert entries(config.models_dir) == []
    assert answer(lifecycle.install, {"model": "upload", "zip": raw}, replace(config, max_model_upload_bytes=size))[
        "ok"
    ]


def test_an_existing_or_sample_id_is_refused_and_the_model_there_is_kept(
    config: ServiceConfig, text_model: Path, image_model: Path
) -> None:
    assert answer(lifecycle.install, {"model": "mine", "zip": zipped(text_model)}, config)["ok"]
    before = (config.models_dir / "mine" / "config.json").read_bytes()
    again = answer(lifecycle.install, {"model": "mine", "zip": zipped(image_model)}, config)
    assert again["error"]["code"] == "model_exists"
    assert "'mine'" in again["error"]["message"]
    assert (config.models_dir / "mine" / "config.json").read_bytes() == before
    sample = answer(lifecycle.install, {"model": "sample-text", "zip": zipped(text_model)}, config)
    assert sample["error"]["code"] == "protected"
    bad_id = answer(lifecycle.install, {"model": "../elsewhere", "zip": zipped(text_model)}, config)
    assert bad_id["error"]["code"] == "bad_model_id"
    assert entries(config.models_dir) == ["mine"]


def test_delete_removes_the_folder_and_the_cached_model(config: ServiceConfig, text_model: Path) -> None:
    assert answer(lifecycle.install, {"model": "gone", "zip": zipped(text_model)}, config)["ok"]
    folder = config.models_dir / "gone"
    assert inference.predict({"model": "gone", "text": "crash"}, config=config)["ok"]

    assert answer(lifecycle.delete, {"model": "gone"}, config) == {"ok": True, "model": "gone", "deleted": True}
    assert entries(config.models_dir) == []
    assert lifecycle.model_cache(config.memory_budget_mb).peek(folder) is None
    after = answer(inference.predict, {"model": "gone", "text": "crash"}, config)
    assert after["error"]["code"] == "unknown_model"
    assert answer(lifecycle.delete, {"model": "gone"}, config) == {"ok": True, "model": "gone", "deleted": False}


def test_a_model_installed_again_under_a_deleted_id_is_the_new_one(config: ServiceConfig, tmp_path: Path) -> None:
    first = tiny_text_model(tmp_path / "first", labels=("billing", "bug"))
    second = tiny_text_model(tmp_path / "second", labels=("happy", "sad", "angry"))
    assert answer(lifecycle.install, {"model": "reused", "zip": zipped(first)}, config)["labels"] == ["billing", "bug"]
    assert answer(lifecycle.delete, {"model": "reused"}, config)["deleted"] is True
    assert answer(lifecycle.install, {"model": "reused", "zip": zipped(second)}, config)["ok"]
    predicted = inference.predict({"model": "reused", "text": "love", "top_k": 3}, config=config)
    assert {r["label"] for r in predicted["predictions"][0]} == {"happy", "sad", "angry"}


def test_sample_models_are_protected_and_other_folders_are_left_alone(config: ServiceConfig) -> None:
    refused = answer(lifecycle.delete, {"model": "sample-image"}, config)
    assert refused["error"]["code"] == "protected"
    notes = config.models_dir / "notes"
    notes.mkdir(parents=True)
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    assert answer(lifecycle.delete, {"model": "notes"}, config)["deleted"] is False
    assert (notes / "todo.txt").is_file()
    assert answer(lifecycle.delete, {"model": "../notes"}, config)["error"]["code"] == "bad_model_id"


def test_the_upload_limit_is_read_from_the_environment() -> None:
    assert load_config({}).max_model_upload_bytes == 300_000_000
    assert load_config({"PITCHLAB_MAX_MODEL_UPLOAD_BYTES": "1000"}).max_model_upload_bytes == 1000
    with pytest.raises(ConfigError, match="PITCHLAB_MAX_MODEL_UPLOAD_BYTES"):
        load_config({"PITCHLAB_MAX_MODEL_UPLOAD_BYTES": "lots"})


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import BertTokenizer

    folder = tiny_text_model(tmp_path_factory.mktemp("base") / "tiny-bert")
    # As in test_training: saved again from its vocab.txt, so the words get their own ids.
    BertTokenizer(vocab=str(folder / "vocab.txt")).save_pretrained(folder)
    return folder


def examples(per_label: int) -> list[dict[str, str]]:
    rng = random.Random(0)
    return [
        {"text": " ".join(rng.choice(words) for _ in range(3)), "label": label}
        for _ in range(per_label)
        for label, words in WORDS.items()
    ]


def test_a_trained_model_is_answered_like_describe_with_its_held_out_metrics(config: ServiceConfig, base: Path) -> None:
    trainer = replace(config, text_base=base)
    trained = answer(lifecycle.train_text, {"model": "trained", "examples": examples(12)}, trainer)
    assert trained["ok"], trained
    assert trained["labels"] == ["billing", "bug", "praise"]
    assert trained["metrics"]["samples"] == trained["metadata"]["held_out"]["examples"] > 0
    assert "accuracy" in trained["metrics"]
    assert trained["train_ms"] > 0
    described = answer(lifecycle.describe, {"model": "trained"}, config)
    assert described == {key: value for key, value in trained.items() if key != "train_ms"}


def test_a_model_trained_without_a_held_out_set_has_empty_metrics(config: ServiceConfig, base: Path) -> None:
    trained = answer(lifecycle.train_text, {"model": "small", "examples": examples(6)}, replace(config, text_base=base))
    assert trained["ok"], trained
    assert trained["metrics"] == {}
    assert trained["metadata"]["held_out"] is None
    assert trained["labels"] == ["billing", "bug", "praise"]


def test_the_web_side_queues_with_the_inference_workers_priority_options() -> None:
    """ "sep" also spells the queue bindings stored in Redis: with another one the web could not route at all."""
    from django.conf import settings

    from models_service.celery_app import BROKER_TRANSPORT_OPTIONS, DEFAULT_PRIORITY

    web = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert {key: web.get(key) for key in BROKER_TRANSPORT_OPTIONS} == BROKER_TRANSPORT_OPTIONS
    assert settings.CELERY_TASK_DEFAULT_PRIORITY == DEFAULT_PRIORITY
