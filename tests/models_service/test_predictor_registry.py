"""The one registry of model kinds: a third kind registered by a test alone runs the real path (the artefact
check, model_kind, load, predict, explain, evaluate); an unknown kind is a refusal; the modules import in any order."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from models_service import inference, lifecycle
from models_service.artefacts import ArtefactRefused, validate_folder
from models_service.config import ServiceConfig, load_config
from models_service.errors import ServiceError
from models_service.loading import model_kind
from models_service.predictors.base import LoadedModel, Network, Predictor
from models_service.predictors.registry import PREDICTORS, predictor_for, register, unregister
from models_service.testing import tiny_text_model

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = "columns.json"


class TabularPredictor(Predictor):
    """Rows of two non-negative numbers; a row's "probabilities" are its numbers scaled to sum to one, so every
    answer can be checked by hand and a batch that mixed or dropped rows would show."""

    kind = "tabular"
    architecture_suffix = "ForTabularClassification"
    noun = "a table classifier"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def artefact_refusal(self, top_level: set[str]) -> ArtefactRefused | None:
        if COLUMNS in top_level:
            return None
        return ArtefactRefused("missing_columns", f"This table model has no {COLUMNS}.", file=COLUMNS)

    def load(self, path: Path, *, device: str, dtype: Any) -> Network:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        labels = tuple(config["id2label"][str(i)] for i in range(len(config["id2label"])))
        return Network(model=None, processor=None, labels=labels, bytes=0)

    def warmup_batches(self) -> list[list[Any]]:
        return [[(1.0, 1.0)]]

    def check_input(self, payload: dict[str, Any], config: ServiceConfig) -> list[Any]:
        rows = payload.get("rows")
        if not isinstance(rows, list) or not rows:
            raise ServiceError("no_input", "Send the rows as a list of [a, b].")
        for index, row in enumerate(rows, start=1):
            if not (isinstance(row, list) and len(row) == 2 and all(isinstance(v, int | float) for v in row)):
                raise ServiceError("bad_row", f"Row {index} is not two numbers.")
            if min(row) < 0 or sum(row) <= 0:
                raise ServiceError("bad_row", f"Row {index} must be non-negative and not all zero.")
        return [tuple(float(v) for v in row) for row in rows]

    def labelled_set(self, payload: dict[str, Any], config: ServiceConfig) -> tuple[list[Any], list[str]]:
        pairs = payload.get("labelled") or []
        return self.check_input({"rows": [row for row, _ in pairs]}, config), [label for _, label in pairs]

    def predict(self, loaded: LoadedModel, inputs: Sequence[Any]) -> list[list[float]]:
        self.batches.append(len(inputs))
        return [[a / (a + b), b / (a + b)] for a, b in inputs]

    def explain(self, loaded: LoadedModel, item: Any, *, label: str | None, deadline: float | None) -> dict[str, Any]:
        return {"method": "share", "columns": list(item), "label": label or "?"}


class Overcounting(TabularPredictor):
    """A broken predictor: one row too many for every batch."""

    def predict(self, loaded: LoadedModel, inputs: Sequence[Any]) -> list[list[float]]:
        return [*super().predict(loaded, inputs), [0.5, 0.5]]


def tabular_artefact(folder: Path, *, columns: bool = True) -> Path:
    """A folder the artefact check accepts as a "tabular" model: config.json, a real safetensors file, columns.json."""
    folder.mkdir(parents=True)
    config = {
        "architectures": ["TinyForTabularClassification"],
        "model_type": "tiny-tabular",
        "id2label": {"0": "left", "1": "right"},
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    header = json.dumps({"weight": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + struct.pack("<2f", 1, 2))
    if columns:
        (folder / COLUMNS).write_text('["a", "b"]', encoding="utf-8")
    return folder


@pytest.fixture
def config(tmp_path: Path) -> ServiceConfig:
    return replace(load_config({"PITCHLAB_DEVICE": "cpu"}), models_dir=tmp_path / "models")


@pytest.fixture
def tabular() -> Iterator[TabularPredictor]:
    """The third kind, registered for this test only."""
    predictor = TabularPredictor()
    register(predictor)
    try:
        yield predictor
    finally:
        unregister(predictor.kind)


def answer(call: Callable[..., dict[str, Any]], payload: Any, config: ServiceConfig) -> dict[str, Any]:
    """What the task answers: the result, or its refusal as data (models_service.tasks)."""
    try:
        return call(payload, config=config)
    except ServiceError as error:
        return error.as_json()


def test_the_built_in_kinds_are_registered_once_each() -> None:
    assert set(PREDICTORS) == {"text", "image"}
    assert predictor_for("text").matches("BertForSequenceClassification")
    assert not predictor_for("text").matches("ForSequenceClassification")
    assert predictor_for("image").matches("ViTForImageClassification")


def test_a_registered_third_kind_is_predicted_explained_and_evaluated_through_the_service(
    tabular: TabularPredictor, config: ServiceConfig
) -> None:
    folder = tabular_artefact(config.models_dir / "rows")
    assert validate_folder(folder).kind == "tabular"
    assert model_kind(folder) == "tabular"

    predicted = inference.predict({"model": "rows", "rows": [[3, 1], [0, 2]], "top_k": 2}, config=config)
    assert predicted["ok"] is True
    assert (predicted["model"], predicted["kind"], predicted["device"]) == ("rows", "tabular", "cpu")
    assert predicted["predictions"] == [
        [{"label": "left", "probability": 0.75}, {"label": "right", "probability": 0.25}],
        [{"label": "right", "probability": 1.0}, {"label": "left", "probability": 0.0}],
    ]
    assert tabular.batches[0] == 1, "warmed up at load with its own batch"

    explained = inference.explain({"model": "rows", "rows": [[1, 4]], "label": "right"}, config=config)
    assert explained["explanation"] == {"method": "share", "columns": [1.0, 4.0], "label": "right"}

    labelled = [[[5, 1], "left"], [[1, 5], "right"], [[2, 1], "right"]]
    evaluated = inference.evaluate({"model": "rows", "labelled": labelled}, config=config)
    assert evaluated["kind"] == "tabular"
    assert evaluated["report"]["accuracy"] == pytest.approx(2 / 3)

    described = lifecycle.describe({"model": "rows"}, config=config)
    assert (described["kind"], described["labels"]) == ("tabular", ["left", "right"])


def test_the_third_kind_checks_its_own_inputs_and_artefact_files(
    tabular: TabularPredictor, config: ServiceConfig
) -> None:
    tabular_artefact(config.models_dir / "rows")
    refused = answer(inference.predict, {"model": "rows", "rows": [[1, 1], [-1, 2]]}, config)
    assert refused == {
        "ok": False,
        "error": {"code": "bad_row", "message": "Row 2 must be non-negative and not all zero."},
    }
    assert all(size == 1 for size in tabular.batches), "a refused request never reaches a batch"

    with pytest.raises(ArtefactRefused) as refusal:
        validate_folder(tabular_artefact(config.models_dir / "bare", columns=False))
    assert refusal.value.code == "missing_columns"


def test_a_batch_that_answers_more_rows_than_it_was_given_fails_instead_of_misattributing(
    config: ServiceConfig,
) -> None:
    predictor = Overcounting()
    register(predictor)
    try:
        with pytest.raises(RuntimeError, match="1 inputs gave 2 predictions"):
            lifecycle.load(config, tabular_artefact(config.models_dir / "broken").name)
    finally:
        unregister(predictor.kind)


def test_a_kind_nobody_registered_is_a_clean_refusal(config: ServiceConfig) -> None:
    with pytest.raises(ServiceError) as refusal:
        predictor_for("tabular")
    assert refusal.value.code == "unknown_kind"
    assert refusal.value.message == "PitchLab cannot run 'tabular' models; the kinds it runs are: image, text."

    tabular_artefact(config.models_dir / "rows")
    refused = answer(inference.predict, {"model": "rows", "rows": [[1, 2]]}, config)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "bad_model"
    with pytest.raises(ArtefactRefused) as artefact_refusal:
        validate_folder(config.models_dir / "rows")
    assert artefact_refusal.value.code == "unsupported_architecture"
    assert str(artefact_refusal.value).endswith(
        "it must be a text classifier (…ForSequenceClassification) or an image classifier (…ForImageClassification)."
    )


def test_a_second_predictor_for_a_taken_kind_is_refused(tabular: TabularPredictor) -> None:
    with pytest.raises(ValueError, match="registered already"):
        register(TabularPredictor())
    assert register(tabular) is tabular, "registering the same predictor again is harmless"


def test_text_models_still_load_through_their_predictor(tmp_path: Path, config: ServiceConfig) -> None:
    tiny_text_model(config.models_dir / "feedback")
    predicted = inference.predict({"model": "feedback", "texts": ["refund", "crash"]}, config=config)
    assert predicted["kind"] == "text"
    assert len(predicted["predictions"]) == 2


MODULES = [
    "models_service.loading",
    "models_service.predictors.text",
    "models_service.predictors.image",
    "models_service.predictors.registry",
    "models_service.predictors.base",
    "models_service.artefacts",
    "models_service.explain",
    "models_service.inference",
    "models_service.lifecycle",
    "models_service.files",
    "models_service.training",
    "models_service.samples",
]


def test_every_module_imports_first_in_a_fresh_process() -> None:
    """Any module may be the first one a process imports: a cycle fails here for whichever order hits it."""
    script = (
        "import importlib, sys\n"
        f"modules = {MODULES!r}\n"
        "for first in modules:\n"
        "    for name in [m for m in sys.modules if m.split('.')[0] == 'models_service']:\n"
        "        del sys.modules[name]\n"
        "    importlib.import_module(first)\n"
        "    for other in modules:\n"
        "        importlib.import_module(other)\n"
        "print('torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False", "importing models_service must not import torch"


def test_no_module_imports_models_service_inside_a_function_to_dodge_a_cycle() -> None:
    import ast

    layered = [
        "loading.py",
        "artefacts.py",
        "explain.py",
        "inference.py",
        "lifecycle.py",
        "files.py",
        "zips.py",
        "payloads.py",
        "predictors/base.py",
        "predictors/registry.py",
        "predictors/text.py",
        "predictors/image.py",
    ]
    late: list[str] = []
    for name in layered:
        tree = ast.parse((ROOT / "models_service" / name).read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("models_service"):
                    late.append(f"{name}:{node.lineno}")
    assert late == []
