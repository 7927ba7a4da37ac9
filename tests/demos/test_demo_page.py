"""The founder's demo-models page: who may see it, and what it shows before any JavaScript runs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from pitchlab.demos.models import DemoModel
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Lumen")


def demo_model(pitch: Pitch, name: str, **fields: object) -> DemoModel:
    values: dict[str, object] = {"kind": "text", "source": "examples", "artefact": f"text-{name.lower()}"}
    values.update(fields)
    return DemoModel.objects.create(pitch=pitch, name=name, **values)


def page_of(client: Client, user: User, pitch: Pitch) -> str:
    client.force_login(user)
    response = client.get(f"/pitches/{pitch.pk}/demo/")
    assert response.status_code == 200
    return response.content.decode()


def card_of(page: str, model: DemoModel) -> str:
    """The server-rendered card of ``model``: from its opening tag to the next card's."""
    start = page.index(f'data-model-id="{model.pk}"')
    end = page.find("data-model-id=", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_anonymous_visitor_is_sent_to_log_in(client: Client, pitch: Pitch) -> None:
    response = client.get(f"/pitches/{pitch.pk}/demo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_elses_demo_page_is_404(client: Client, pitch: Pitch, make_user: Callable[..., User]) -> None:
    demo_model(pitch, "Secret model", status="ready")
    client.force_login(make_user("intruder"))
    response = client.get(f"/pitches/{pitch.pk}/demo/")
    assert response.status_code == 404
    assert "Secret model" not in response.content.decode()


def test_a_missing_pitch_is_404(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.get("/pitches/999999/demo/").status_code == 404


def test_owner_sees_each_model_with_its_status(client: Client, owner: User, pitch: Pitch) -> None:
    ready = demo_model(
        pitch,
        "Ticket router",
        status="ready",
        labels=["billing", "bug"],
        metrics={"accuracy": 0.92, "macro_f1": 0.9, "samples": 40},
    )
    preparing = demo_model(pitch, "Chart reader", kind="image", source="upload", status="preparing")
    failed = demo_model(
        pitch,
        "Broken upload",
        source="upload",
        status="failed",
        failure="pytorch_model.bin: pickle weights are refused",
    )
    page = page_of(client, owner, pitch)

    ready_card = card_of(page, ready)
    assert "Ticket router" in ready_card
    assert 'data-status="ready"' in ready_card
    assert "Ready" in ready_card
    assert "billing" in ready_card
    assert "bug" in ready_card
    assert "92%" in ready_card  # held-out accuracy, in words a founder reads

    preparing_card = card_of(page, preparing)
    assert "Chart reader" in preparing_card
    assert "Preparing" in preparing_card
    assert "Image classifier" in preparing_card

    failed_card = card_of(page, failed)
    assert "Failed" in failed_card
    assert "pytorch_model.bin: pickle weights are refused" in failed_card


def test_the_failure_reason_is_escaped(client: Client, owner: User, pitch: Pitch) -> None:
    demo_model(pitch, "Bad", status="failed", failure="<script>alert(1)</script> is not a model")
    page = page_of(client, owner, pitch)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not a model" in page


def test_page_lists_only_this_pitchs_models(client: Client, owner: User, pitch: Pitch) -> None:
    other = pitch_create(owner=owner, name="Other pitch")
    demo_model(pitch, "Mine here", status="ready")
    demo_model(other, "From the other pitch", status="ready")
    page = page_of(client, owner, pitch)
    assert "Mine here" in page
    assert "From the other pitch" not in page


def test_empty_page_invites_to_add_a_model(client: Client, owner: User, pitch: Pitch) -> None:
    page = page_of(client, owner, pitch)
    assert re.search(r'<p class="empty" id="demo-empty">', page)  # shown, not hidden
    for form in ("add-sample", "add-examples", "add-upload"):  # the three ways to add one
        assert f'id="{form}"' in page


def test_page_hands_the_script_its_api_and_limits(client: Client, owner: User, pitch: Pitch) -> None:
    page = page_of(client, owner, pitch)
    match = re.search(r'<script id="demo-page-state" type="application/json">(.*?)</script>', page, re.S)
    assert match is not None
    state = json.loads(match.group(1))
    assert state["listUrl"] == f"/api/pitches/{pitch.pk}/demo-models/"
    assert state["dataUrl"] == f"/pitches/{pitch.pk}/#section-data"
    assert state["budgetMs"] == 2000
    assert state["capacity"]["max_users"] == 100
    assert state["capacity"]["max_seconds"] == 60
    assert state["uploadLimitBytes"] > 0
    assert f"{state['uploadLimitBytes'] // 1_000_000} MB" in page  # the upload limit is stated
    assert "pitchlab/demo.js" in page
    assert "pitchlab/demo_admin.js" in page


def test_editor_demo_section_links_to_the_demo_page(client: Client, owner: User, pitch: Pitch) -> None:
    demo_model(pitch, "Ticket router", status="ready")
    demo_model(pitch, "Still training", status="preparing", on_slide=False)
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/").content.decode()
    section = page[page.index('id="section-demo"') :]
    section = section[: section.index("</section>")]
    assert f'href="/pitches/{pitch.pk}/demo/"' in section
    assert "Ticket router" in section
    assert "Still training" in section
    assert "Preparing" in section


def test_editor_demo_section_links_to_the_demo_page_without_models(client: Client, owner: User, pitch: Pitch) -> None:
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/").content.decode()
    section = page[page.index('id="section-demo"') :]
    assert f'href="/pitches/{pitch.pk}/demo/"' in section[: section.index("</section>")]
