"""``python -m models_service``: JSON answers, one-line refusals, evaluation of CSV and image zips."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from models_service.__main__ import main
from models_service.testing import tiny_image_model, tiny_text_model


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    tiny_text_model(folder / "feedback")
    tiny_image_model(folder / "charts")
    return folder


@pytest.fixture(autouse=True)
def environment(models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PITCHLAB_MODELS_DIR", str(models))
    monkeypatch.setenv("PITCHLAB_DEVICE", "cpu")


def png(colour: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_predict_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["predict", "feedback", "refund my charge", "love it", "--top-k", "2"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is True
    assert len(answer["predictions"]) == 2
    assert len(answer["predictions"][0]) == 2


def test_an_image_file_is_predicted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "chart.png").write_bytes(png("red"))
    assert main(["predict", "charts", "--image", str(tmp_path / "chart.png")]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "image"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["predict", "nothing-here", "hello"], "There is no model 'nothing-here'. (unknown_model)"),
        (["predict", "feedback"], "give a text, or --image FILE for an image model"),
        (["predict", "charts", "--image", "/no/such/file.png"], "cannot read /no/such/file.png"),
        (["evaluate", "feedback", "/no/such.csv"], "cannot read /no/such.csv"),
    ],
)
def test_a_refusal_is_one_line_and_status_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("models_service: ")
    assert message in err
    assert "\n" not in err
    assert "Traceback" not in err


def test_evaluate_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [("refund", "billing"), ("crash", "bug"), ("love it, thanks", "praise")] * 3
    (tmp_path / "set.csv").write_text("text,label\n" + "\n".join(f'"{t}",{label}' for t, label in rows) + "\n")
    assert main(["evaluate", "feedback", str(tmp_path / "set.csv")]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["report"]["samples"] == 9
    assert answer["dataset"] == "set.csv"
    assert [c["support"] for c in answer["report"]["per_class"]] == [3, 3, 3]


def test_evaluate_a_zip_of_label_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i, colour in enumerate(("red", "blue", "green")):
            archive.writestr(f"charts/bar/{i}.png", png(colour))
            archive.writestr(f"charts/line/{i}.png", png(colour))
        archive.writestr("__MACOSX/._junk", b"ignored")
    (tmp_path / "set.zip").write_bytes(buffer.getvalue())
    assert main(["evaluate", "charts", str(tmp_path / "set.zip")]) == 0
    report = json.loads(capsys.readouterr().out)["report"]
    assert report["samples"] == 6
    assert report["confusion"]["labels"] == ["bar", "line"]


def test_a_zip_with_a_stray_file_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bar/0.png", png("red"))
        archive.writestr("notes.txt", b"hello")
    (tmp_path / "set.zip").write_bytes(buffer.getvalue())
    assert main(["evaluate", "charts", str(tmp_path / "set.zip")]) == 2
    assert "notes.txt is not inside a label folder" in capsys.readouterr().err


def test_labels_the_model_does_not_know_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "set.csv").write_text("text,label\nrefund,billing\nhello,greeting\n")
    assert main(["evaluate", "feedback", str(tmp_path / "set.csv")]) == 2
    err = capsys.readouterr().err
    assert "greeting" in err
    assert "unknown_label" in err


def test_device(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device"]) == 0
    assert json.loads(capsys.readouterr().out)["device"] == "cpu"
