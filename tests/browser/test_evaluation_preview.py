"""A founder evaluates a model on ten labelled rows: the preview shows n and the interval and calls the figures a
small sample; only the figures the founder ticks go into Data, and the performance slide shows their interval."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.demos.models import DemoModel
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from tests.conftest import InferenceWorker
from tests.demos.test_evaluation_preview import TEN_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"


def test_the_preview_shows_n_and_interval_and_only_ticked_rows_reach_data_and_the_slide(
    browser: Any, live_server: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    request.getfixturevalue("worker_up")
    worker: InferenceWorker = request.getfixturevalue("inference_worker")
    assert worker is not None
    shots = Path(os.environ.get("PITCHLAB_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    # The founder's own (uploaded) model; the tests' worker runs the tiny stand-in weights under this name.
    model = DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source=DemoModel.Source.UPLOAD,
        artefact="sample-text",
        status=DemoModel.Status.READY,
        labels=["billing", "bug", "praise"],
        device="cpu",
        on_slide=False,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
    card = page.locator(f'.demo-card[data-model-id="{model.pk}"]')
    panel = card.locator("details.demo-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    form = card.locator('[data-role="evaluate-form"]')
    form.locator('[name="name"]').fill("March tickets")
    form.locator('[name="file"]').set_input_files(
        {"name": "tickets.csv", "mimeType": "text/csv", "buffer": TEN_ROWS.encode()}
    )
    form.locator('[type="submit"]').click()

    proposed = card.locator('[data-role="proposed"]')
    expect(proposed).to_be_visible(timeout=60_000)
    rows = proposed.locator("li[data-key]")
    expect(rows).to_have_count(5)
    for index in range(5):
        expect(rows.nth(index)).to_contain_text("n = 10")
    accuracy = proposed.locator('li[data-key="accuracy"]')
    expect(accuracy).to_contain_text("95% CI")
    expect(accuracy).to_contain_text("Wilson")
    expect(proposed.locator('li[data-key="macro_f1"]')).to_contain_text("bootstrap")
    expect(proposed.locator('[data-role="small-sample"]')).to_have_count(5)
    expect(proposed.locator('li[data-key="latency_p50"]')).to_contain_text(" ms")
    proposed.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "evaluation-preview-1280.png"), full_page=False)

    # Nothing is in Data before the founder accepts.
    pitch.refresh_from_db()
    assert not [row for row in pitch.content["data"]["experiments"] if row.get("model") == "Ticket router"]

    for key in ("macro_f1", "macro_precision", "macro_recall"):
        proposed.locator(f'li[data-key="{key}"] input').uncheck()
    proposed.locator('[data-role="accept"]').click()
    expect(proposed.locator('li[data-key="accuracy"] .mark.done')).to_be_visible(timeout=10_000)
    expect(card.locator(".written")).to_contain_text("Added to the Data section")

    pitch.refresh_from_db()
    ours = [row for row in pitch.content["data"]["experiments"] if row.get("model") == "Ticket router"]
    assert sorted(row["metric"] for row in ours) == ["accuracy", "latency (p50)"]
    accuracy_row = next(row for row in ours if row["metric"] == "accuracy")
    assert accuracy_row["samples"] == 10
    assert accuracy_row["ci_low"] <= accuracy_row["value"] <= accuracy_row["ci_high"]
    assert accuracy_row["ci_method"] == "wilson"

    page.set_viewport_size({"width": 390, "height": 844})
    proposed.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "evaluation-preview-390.png"), full_page=False)
    box = proposed.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390 + 0.5  # the preview fits a phone's width

    # The Model performance slide shows the interval, n and the small-sample mark.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/")
    page.wait_for_load_state("load")
    number = page.locator('[data-slide][data-kind="performance"]').get_attribute("data-slide")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/#{number}")
    slide = page.locator("[data-slide]:visible")
    expect(slide).to_have_attribute("data-kind", "performance")
    expect(slide).to_contain_text("n = 10")
    expect(slide).to_contain_text("small sample")
    expect(slide).to_contain_text("95% CI")
    expect(slide.locator('[data-role="interval"]').first).to_be_attached()
    page.screenshot(path=str(shots / "performance-slide-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "performance-slide-390.png"), full_page=True)
    context.close()
