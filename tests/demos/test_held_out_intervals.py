"""A trained model's held-out figures keep their 95 % intervals when it settles, so its live demo card (web and PDF)
can say how sure each figure is."""

from __future__ import annotations

import pytest

from pitchlab.demos.models import DemoModel
from pitchlab.demos.services import demo_model_settle
from pitchlab.pitches.models import Pitch


@pytest.mark.django_db
def test_settling_keeps_each_held_out_figures_interval(pitch: Pitch) -> None:
    model = DemoModel.objects.create(
        pitch=pitch, name="Tickets", kind="text", source="examples", artefact="text-abc", status="preparing"
    )
    wilson = {"low": 0.71, "high": 0.93, "method": "wilson"}
    report = {
        "samples": 40,
        "accuracy": 0.85,
        "macro_f1": 0.84,
        "intervals": {"accuracy": wilson, "macro_f1": {"low": 0.7, "high": 0.92, "method": "bootstrap"}, "x": 1},
    }
    answer = {
        "ok": True,
        "model": "text-abc",
        "kind": "text",
        "labels": ["billing", "bug"],
        "metadata": {"kind": "text", "metrics": report, "held_out": {"examples": 40}},
        "device": "cpu",
    }
    demo_model_settle(demo_model_id=model.pk, answer=answer)
    model.refresh_from_db()
    assert model.metrics["examples"] == 40
    assert model.metrics["intervals"]["accuracy"] == wilson
    assert set(model.metrics["intervals"]) == {"accuracy", "macro_f1"}
