"""An evaluation proposes rows (n, 95 % interval, small sample, sample model, overlap); only accepted ones reach Data.

The worker's answer is the real ``models_service.evaluation`` report of known predictions, handed to the settle
step the Celery callback calls (the fake is at the outer edge: the inference worker). One test runs the whole
path through a real worker and the sample model.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from models_service.evaluation import evaluate
from pitchlab.demos import inference
from pitchlab.demos.models import DemoModel
from pitchlab.demos.services import evaluation_settle_answer, text_digest
from pitchlab.pitches.checks import check_canvas
from pitchlab.pitches.metrics import is_small_sample
from pitchlab.pitches.models import Pitch, PitchMember
from tests.conftest import InferenceWorker

pytestmark = pytest.mark.django_db

TEN_ROWS = "text,label\n" + "".join(
    f"{text},{label}\n"
    for text, label in [
        ("refund my invoice", "billing"),
        ("charged twice", "billing"),
        ("the app crashed", "bug"),
        ("error on login", "bug"),
        ("thanks a lot", "praise"),
        ("great support", "praise"),
        ("wrong amount billed", "billing"),
        ("it freezes on start", "bug"),
        ("love the new screen", "praise"),
        ("button does nothing", "bug"),
    ]
)


def _answer(samples: int = 10, wrong: int = 2) -> dict[str, Any]:
    """The worker's answer for ``samples`` predictions of which ``wrong`` are wrong, 14.0393 ms each."""
    truth = [("billing", "bug", "praise")[i % 3] for i in range(samples)]
    predicted = ["bug" if i < wrong and t != "bug" else ("billing" if i < wrong else t) for i, t in enumerate(truth)]
    latencies = [14.039298999932726] * samples
    report = evaluate(truth, predicted, labels=["billing", "bug", "praise"], latencies_ms=latencies)
    return {
        "ok": True,
        "model": "text-abc",
        "kind": "text",
        "device": "cpu",
        "dataset": "tickets",
        "evaluated_at": "2026-11-02T10:00:00+00:00",
        "report": report.as_json(),
    }


def _model(pitch: Pitch, *, source: str = DemoModel.Source.EXAMPLES, digests: list[str] | None = None) -> DemoModel:
    return DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source=source,
        artefact="text-abc",
        status=DemoModel.Status.READY,
        labels=["billing", "bug", "praise"],
        training_digests=digests or [],
    )


def _evaluated(
    client: APIClient, demo_model: DemoModel, monkeypatch: pytest.MonkeyPatch, answer: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Start an evaluation of TEN_ROWS (the task is not sent: the answer is settled here) and read its state."""
    monkeypatch.setattr(inference, "send", lambda *args, **kwargs: "task-1")
    response = client.post(
        f"/api/demo-models/{demo_model.pk}/evaluate/",
        {"file": SimpleUploadedFile("eval.csv", TEN_ROWS.encode()), "name": "March tickets"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    evaluation_settle_answer(demo_model_id=demo_model.pk, answer=answer or _answer())
    state = client.get(f"/api/demo-models/{demo_model.pk}/evaluate/").json()
    assert state["status"] == "done", state
    return dict(state)


def _experiments(pitch: Pitch) -> list[dict[str, Any]]:
    pitch.refresh_from_db()
    return list(pitch.content["data"]["experiments"])


def test_an_evaluation_proposes_rows_and_writes_nothing_before_accept(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _evaluated(client_of, _model(pitch), monkeypatch)
    proposed = {row["key"]: row for row in state["proposed"]}
    assert list(proposed) == ["accuracy", "macro_f1", "macro_precision", "macro_recall", "latency_p50"]
    accuracy = proposed["accuracy"]
    assert accuracy["model"] == "Ticket router"
    assert accuracy["dataset"] == "March tickets"
    assert accuracy["samples"] == 10
    assert accuracy["value"] == pytest.approx(0.8)
    assert accuracy["ci_method"] == "wilson"
    assert accuracy["ci_low"] == pytest.approx(0.4902, abs=1e-4)  # Wilson, 8 of 10
    assert accuracy["ci_high"] == pytest.approx(0.9433, abs=1e-4)
    assert accuracy["small_sample"] is True
    assert accuracy["sample_model"] is False
    assert proposed["macro_f1"]["ci_method"] == "bootstrap"
    assert proposed["macro_precision"]["ci_method"] == "wilson"
    for row in proposed.values():
        assert row["small_sample"] is True, row["key"]
    assert state["accepted"] == []
    assert _experiments(pitch) == []


def test_latency_is_proposed_in_ms_at_a_tenth_of_a_millisecond(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _evaluated(client_of, _model(pitch), monkeypatch)
    latency = next(row for row in state["proposed"] if row["key"] == "latency_p50")
    assert latency["value"] == 14.0
    assert latency["unit"] == "ms"
    assert latency["metric"] == "latency (p50)"
    assert state["result"]["latency_ms_p50"] == 14.0


def test_accept_writes_the_chosen_rows_only(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_model = _model(pitch)
    _evaluated(client_of, demo_model, monkeypatch)
    response = client_of.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/",
        {"metrics": ["accuracy", "latency_p50"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == ["accuracy", "latency_p50"]
    rows = _experiments(pitch)
    assert [row["metric"] for row in rows] == ["accuracy", "latency (p50)"]
    accuracy, latency = rows
    assert accuracy["measured"] is True
    assert accuracy["model"] == "Ticket router"
    assert accuracy["dataset"] == "March tickets"
    assert accuracy["samples"] == 10
    assert accuracy["ci_low"] < accuracy["value"] < accuracy["ci_high"]
    assert accuracy["ci_method"] == "wilson"
    assert accuracy["confusion"]["labels"] == ["billing", "bug", "praise"]
    assert "key" not in accuracy
    assert "small_sample" not in accuracy  # computed wherever it is shown, never stored
    assert latency["value"] == 14.0
    assert latency["unit"] == "ms"
    # Accepting another figure later adds it; accepting one again does not duplicate it.
    again = client_of.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": ["macro_f1", "accuracy"]}, format="json"
    )
    assert again.status_code == 200
    assert sorted(row["metric"] for row in _experiments(pitch)) == ["F1 (macro)", "accuracy", "latency (p50)"]


@pytest.mark.parametrize(
    ("metrics", "reason"),
    [
        ([], "Choose at least one"),
        ("accuracy", "Choose at least one"),
        (["accuracy", "auc"], "Unknown figure: auc"),
    ],
)
def test_accept_refuses_an_empty_or_unknown_choice_with_400(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch, metrics: Any, reason: str
) -> None:
    demo_model = _model(pitch)
    _evaluated(client_of, demo_model, monkeypatch)
    response = client_of.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": metrics}, format="json"
    )
    assert response.status_code == 400
    assert reason in response.json()["message"]
    assert _experiments(pitch) == []


def test_accept_without_a_finished_evaluation_is_409(client_of: APIClient, pitch: Pitch) -> None:
    demo_model = _model(pitch)
    response = client_of.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": ["accuracy"]}, format="json"
    )
    assert response.status_code == 409
    assert "no finished evaluation" in response.json()["message"]


def test_discard_drops_the_proposal_and_accept_is_then_409(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_model = _model(pitch)
    _evaluated(client_of, demo_model, monkeypatch)
    response = client_of.post(f"/api/demo-models/{demo_model.pk}/evaluation/discard/")
    assert response.status_code == 200
    assert response.json()["status"] == "discarded"
    demo_model.refresh_from_db()
    assert "proposed" not in demo_model.evaluation
    accept = client_of.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": ["accuracy"]}, format="json"
    )
    assert accept.status_code == 409
    assert _experiments(pitch) == []


def test_a_viewer_cannot_accept(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch, make_user: Callable[..., User]
) -> None:
    demo_model = _model(pitch)
    _evaluated(client_of, demo_model, monkeypatch)
    viewer = make_user("vera")
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=pitch.owner)
    client = APIClient()
    client.force_authenticate(viewer)
    response = client.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": ["accuracy"]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["message"]
    assert _experiments(pitch) == []


def test_figures_of_a_sample_model_are_marked_and_refused(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_model = _model(pitch, source=DemoModel.Source.SAMPLE)
    state = _evaluated(client_of, demo_model, monkeypatch)
    assert state["sample_model"] is True
    assert all(row["sample_model"] is True for row in state["proposed"])
    response = client_of.post(
        f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": ["accuracy"]}, format="json"
    )
    assert response.status_code == 400
    assert "sample model" in response.json()["message"]
    assert response.json()["extra"]["code"] == "sample_model"
    assert _experiments(pitch) == []


def test_overlap_with_the_training_examples_is_counted_and_checked(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three of the ten evaluation texts were training examples (case and spaces do not hide them).
    digests = [text_digest(t) for t in ("Refund my  invoice", "THE APP CRASHED", "thanks a lot", "unrelated")]
    demo_model = _model(pitch, digests=digests)
    state = _evaluated(client_of, demo_model, monkeypatch)
    assert state["overlap"] == 3
    assert all(row["overlap"] == 3 for row in state["proposed"])
    client_of.post(f"/api/demo-models/{demo_model.pk}/evaluation/accept/", {"metrics": ["accuracy"]}, format="json")
    (row,) = _experiments(pitch)
    assert row["overlap"] == 3
    pitch.refresh_from_db()
    overlap = [f for f in check_canvas(pitch.content) if f.code == "eval_overlap"]
    assert len(overlap) == 1
    assert "3 of the evaluation inputs" in overlap[0].message_en
    assert "3 条" in overlap[0].message_zh


def test_a_sample_or_uploaded_model_has_no_overlap_count(
    client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _evaluated(client_of, _model(pitch, source=DemoModel.Source.UPLOAD), monkeypatch)
    assert state["overlap"] is None
    assert all("overlap" not in row for row in state["proposed"])


def test_a_large_set_is_not_a_small_sample(client_of: APIClient, pitch: Pitch, monkeypatch: pytest.MonkeyPatch) -> None:
    state = _evaluated(client_of, _model(pitch), monkeypatch, answer=_answer(samples=3000, wrong=300))
    accuracy = next(row for row in state["proposed"] if row["key"] == "accuracy")
    assert accuracy["samples"] == 3000
    assert accuracy["small_sample"] is False
    assert accuracy["ci_high"] - accuracy["ci_low"] < 0.03


# ---------- the small-sample rule, and the checker ----------


@pytest.mark.parametrize(
    ("row", "small"),
    [
        ({"metric": "accuracy", "value": 0.9, "samples": 99}, True),
        ({"metric": "accuracy", "value": 0.9, "samples": 100}, False),
        ({"metric": "accuracy", "value": 0.9, "samples": 500, "ci_low": 0.75, "ci_high": 0.96}, True),  # ±10.5
        ({"metric": "accuracy", "value": 0.9, "samples": 500, "ci_low": 0.85, "ci_high": 0.94}, False),
        ({"metric": "accuracy", "value": 91, "samples": 500, "ci_low": 70, "ci_high": 95}, True),  # percent scale
        ({"metric": "latency (p50)", "value": 14.0, "unit": "ms", "samples": 10}, True),
        ({"metric": "accuracy", "value": 0.9}, False),  # nothing stated: no_sample_count asks for n instead
    ],
)
def test_the_small_sample_rule(row: dict[str, Any], small: bool) -> None:
    assert is_small_sample(row) is small


def test_the_checker_flags_small_samples_and_sample_model_rows() -> None:
    from pitchlab.pitches.canvas import empty_canvas

    canvas = empty_canvas()
    canvas["data"]["experiments"] = [
        {"model": "Router", "metric": "accuracy", "value": 0.8, "baseline": 0.6, "samples": 10, "measured": True,
         "ci_low": 0.49, "ci_high": 0.94, "ci_method": "wilson"},
        {"model": "Sample", "metric": "accuracy", "value": 0.9, "baseline": 0.6, "samples": 400,
         "sample_model": True},
        {"model": "Big", "metric": "accuracy", "value": 0.9, "baseline": 0.6, "samples": 4000},
    ]  # fmt: skip
    findings = check_canvas(canvas)
    small = [f for f in findings if f.code == "small_sample"]
    assert [f.excerpt for f in small] == ["Router · accuracy"]
    assert small[0].severity == "warning"
    assert small[0].path == "data.experiments"
    assert "n = 10" in small[0].message_en
    assert "±22" in small[0].message_en
    assert "样本量偏小" in small[0].message_zh
    samples = [f for f in findings if f.code == "sample_model_result"]
    assert [f.excerpt for f in samples] == ["Sample · accuracy"]
    assert {f.code for f in findings if f.excerpt == "Big · accuracy"} == set()


# ---------- validation ----------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"ci_low": 0.7}, "ci_high"),
        ({"ci_low": 0.85, "ci_high": 0.95}, "ci_low"),  # does not hold the value 0.8
        ({"ci_low": -0.1, "ci_high": 0.9}, "ci_low"),
        ({"ci_low": 0.7, "ci_high": 1.2}, "ci_high"),  # a fraction's interval stays in 0..1
        ({"ci_method": "guess"}, "ci_method"),
        ({"unit": "milliseconds per request"}, "unit"),
        ({"overlap": -1}, "overlap"),
    ],
)
def test_the_canvas_refuses_a_broken_interval_with_400(
    client_of: APIClient, pitch: Pitch, extra: dict[str, Any], field: str
) -> None:
    row = {"model": "Router", "metric": "accuracy", "value": 0.8, **extra}
    response = client_of.patch(
        f"/api/pitches/{pitch.pk}/canvas/",
        {"base_version": pitch.version, "changes": {"data.experiments": [row]}},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in str(response.json()), response.json()
    assert _experiments(pitch) == []


def test_a_founder_row_may_state_n_and_its_interval_and_older_rows_stay_valid(
    client_of: APIClient, pitch: Pitch
) -> None:
    rows = [
        {"model": "Router", "metric": "accuracy", "value": 91, "ci_low": 88, "ci_high": 94, "samples": 2000},
        {"model": "Router", "metric": "F1", "value": 0.9},  # stored before intervals existed
    ]
    response = client_of.patch(
        f"/api/pitches/{pitch.pk}/canvas/",
        {"base_version": pitch.version, "changes": {"data.experiments": rows}},
        format="json",
    )
    assert response.status_code == 200, response.content
    stored = _experiments(pitch)
    assert (stored[0]["ci_low"], stored[0]["ci_high"]) == (88, 94)
    assert "ci_low" not in stored[1]


# ---------- through a real worker ----------


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_the_sample_model_on_ten_rows_is_previewed_small_and_refused(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    from tests.demos.test_demo_api import add_sample

    model = add_sample(client_of, pitch)
    response = client_of.post(
        model["urls"]["evaluate"],
        {"file": SimpleUploadedFile("eval.csv", TEN_ROWS.encode()), "name": "support tickets"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    deadline = time.monotonic() + 60
    state = response.json()
    while state.get("status") == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
        state = client_of.get(model["urls"]["evaluate"]).json()
    assert state["status"] == "done", state
    assert [row["samples"] for row in state["proposed"]] == [10] * 5
    assert all(row["small_sample"] and row["sample_model"] for row in state["proposed"])
    assert all(row["ci_low"] <= row["value"] <= row["ci_high"] for row in state["proposed"] if "ci_low" in row)
    latency = next(row for row in state["proposed"] if row["key"] == "latency_p50")
    assert latency["unit"] == "ms"
    assert latency["value"] == round(latency["value"], 1)
    refused = client_of.post(model["urls"]["evaluation_accept"], {"metrics": ["accuracy"]}, format="json")
    assert refused.status_code == 400
    assert _experiments(pitch) == []
