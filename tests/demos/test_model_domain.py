"""A demo model says what it was trained on: its domain and languages reach the card, the API and the try panel."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.demos.domain import trained_on_from, trained_on_line
from pitchlab.demos.models import DemoModel
from pitchlab.demos.services import demo_model_settle
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

PASSWORD = "a-long enough passphrase"
SAMPLE_TEXT = {"domain": "customer feedback about software", "languages": ["en", "zh"]}
FEEDBACK_LABELS = ["billing", "bug", "feature", "praise"]


# --- the line (pure) --------------------------------------------------------------------------------------------------


def test_the_sample_text_line_names_its_domain_languages_and_labels() -> None:
    line = trained_on_line(trained_on=SAMPLE_TEXT, artefact="sample-text", kind="text", labels=FEEDBACK_LABELS)
    assert line == (
        "Trained on: customer feedback about software (English, 中文). Labels: billing, bug, feature, praise."
    )


def test_the_sample_image_line_has_no_languages() -> None:
    line = trained_on_line(
        trained_on={"domain": "charts", "languages": []}, artefact="sample-image", kind="image", labels=["bar", "pie"]
    )
    assert line.startswith("Trained on: charts (bar, line, pie and scatter), PitchLab's own deck charts among them.")
    assert "English" not in line
    assert line.endswith("Labels: bar, pie.")


def test_a_founder_model_shows_its_description_or_its_languages() -> None:
    described = trained_on_line(
        trained_on={"domain": "support tickets of a bank", "languages": ["zh"]},
        artefact="text-1",
        kind="text",
        labels=["a", "b"],
    )
    assert described == "Trained on: support tickets of a bank (中文). Labels: a, b."
    undescribed = trained_on_line(
        trained_on={"domain": None, "languages": ["en", "latin"]}, artefact="text-2", kind="text", labels=[]
    )
    assert undescribed == "Trained on examples in English, other Latin-script languages."


def test_an_uploaded_model_says_its_training_is_unknown() -> None:
    line = trained_on_line(trained_on={}, artefact="upload-1", kind="text", labels=["yes", "no"])
    assert line == "What it was trained on is not known (an uploaded model). Labels: yes, no."


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"domain": "  feedback  ", "languages": ["en", "zh"]}, {"domain": "feedback", "languages": ["en", "zh"]}),
        ({"domain": "x" * 500, "languages": []}, {"domain": "x" * 200, "languages": []}),
        ({"domain": 7, "languages": ["en", 3, "", "z" * 40]}, {"domain": None, "languages": ["en"]}),
        ({"kind": "text", "metrics": None}, {}),  # an artefact trained before domains were recorded
        (None, {}),
        ("not a dict", {}),
    ],
)
def test_trained_on_keeps_only_well_formed_metadata(metadata: Any, expected: dict[str, Any]) -> None:
    assert trained_on_from(metadata) == expected


# --- stored when the model is settled, shown on the card and in the API ---------------------------------------------


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


def _ready_sample(pitch: Pitch) -> DemoModel:
    return DemoModel.objects.create(
        pitch=pitch,
        name="Feedback triage",
        kind="text",
        source="sample",
        artefact="sample-text",
        status="ready",
        labels=FEEDBACK_LABELS,
        trained_on=SAMPLE_TEXT,
    )


@pytest.mark.django_db
def test_settling_stores_the_domain_and_languages_of_the_models_metadata(pitch: Pitch) -> None:
    model = DemoModel.objects.create(
        pitch=pitch, name="Tickets", kind="text", source="examples", artefact="text-abc", status="preparing"
    )
    answer = {
        "ok": True,
        "model": "text-abc",
        "kind": "text",
        "labels": ["billing", "bug"],
        "metadata": {"kind": "text", "domain": None, "languages": ["zh", "en"], "metrics": None},
        "metrics": {},
        "device": "cpu",
    }
    demo_model_settle(demo_model_id=model.pk, answer=answer)
    model.refresh_from_db()
    assert model.status == "ready"
    assert model.trained_on == {"domain": None, "languages": ["zh", "en"]}
    assert model.trained_on_text == "Trained on examples in 中文, English. Labels: billing, bug."


@pytest.mark.django_db
def test_the_card_and_the_api_say_what_the_model_was_trained_on(client: Client, owner: User, pitch: Pitch) -> None:
    model = _ready_sample(pitch)
    preparing = DemoModel.objects.create(
        pitch=pitch, name="Later", kind="text", source="examples", artefact="text-x", status="preparing"
    )
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/demo/").content.decode()
    card = page[page.index(f'data-model-id="{model.pk}"') : page.index(f'data-model-id="{preparing.pk}"')]
    assert "Trained on: customer feedback about software (English, 中文)." in card
    assert "Labels: billing, bug, feature, praise." in card
    later = page[page.index(f'data-model-id="{preparing.pk}"') :]
    assert 'data-role="trained-on" hidden' in later  # nothing to say until it is ready

    api = APIClient()
    api.force_authenticate(owner)
    response = api.get(f"/api/pitches/{pitch.pk}/demo-models/")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert rows[model.pk]["trained_on"] == SAMPLE_TEXT
    assert rows[model.pk]["trained_on_text"].startswith("Trained on: customer feedback about software (English, 中文).")


# --- the try panel, in a real browser ---------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_try_panel_says_what_the_model_was_trained_on(browser: Any, live_server: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("PITCHLAB_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_create(owner=owner, name="Lumen")
    _ready_sample(pitch)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "ada")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
        card = page.locator(".demo-card[data-model-id]").first
        line = card.locator('[data-role="trained-on"]')
        line.wait_for(state="visible")
        assert "customer feedback about software (English, 中文)" in line.inner_text()
        panel = card.locator("details.demo-panel")
        panel.wait_for(state="visible")
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        domain = card.locator(".pl-demo .pl-demo-domain")
        domain.wait_for(state="visible")
        assert domain.inner_text().startswith("Trained on: customer feedback about software (English, 中文).")
        # The line sits inside the card, above the text box, and is not clipped.
        box, card_box = domain.bounding_box(), card.bounding_box()
        text_box = card.locator(".pl-demo textarea").bounding_box()
        assert box is not None
        assert card_box is not None
        assert text_box is not None
        assert card_box["x"] <= box["x"]
        assert box["x"] + box["width"] <= card_box["x"] + card_box["width"] + 0.5
        assert box["y"] + box["height"] <= text_box["y"]
        page.screenshot(path=str(shots / f"try-panel-domain-{width}.png"), full_page=True)
        context.close()
