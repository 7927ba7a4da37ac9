"""The room reaches the demo: a loopback audience link is called dead in the PDF (pdftotext reads it), and a new
demo model reaches the deck only when the founder puts it on a slide."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.test import APIClient

from pitchlab.decks.pdf import render_pdf
from pitchlab.decks.services import pitch_stage_models
from pitchlab.decks.slides import build_deck
from pitchlab.demos.models import AudienceLink
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.documents import TEMPLATES_DIR
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from tests.conftest import InferenceWorker

WARNING = "Phones can't open this address"


def router(audience_url: str) -> StageModel:
    cached = {"labels": [{"label": "billing", "score": 0.97}], "latency_ms": 40.0, "at": "now"}
    return StageModel(
        id=1,
        name="Ticket router",
        kind="text",
        labels=("billing", "bug_report"),
        ready=True,
        metrics={"accuracy": 0.94, "samples": 64},
        examples=(StageExample(1, "Charged twice for the annual plan.", "", "billing", cached),),
        audience_url=audience_url,
    )


def pdf_text(model: StageModel, tmp_path: Path) -> str:
    canvas = json.loads((TEMPLATES_DIR / "support_nlp.json").read_text(encoding="utf-8"))
    path = tmp_path / "deck.pdf"
    path.write_bytes(render_pdf(build_deck(name="Lumen", canvas=canvas, lang="en", demos=(model,)), charts={}))
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True, capture_output=True, text=True)
    return " ".join(done.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_the_pdf_says_under_a_loopback_qr_code_that_phones_cannot_open_it(host: str, tmp_path: Path) -> None:
    text = pdf_text(router(f"http://{host}/d/Xq3Zk9Lr7TbW2mNc/"), tmp_path)
    assert WARNING in text
    assert "make present" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("url", ["http://192.168.1.23:8000/d/Xq3Zk9Lr7TbW2mNc/", "https://pitch.example.com/d/Xq3/"])
def test_the_pdf_says_nothing_of_the_kind_for_an_address_phones_can_open(url: str, tmp_path: Path) -> None:
    text = pdf_text(router(url), tmp_path)
    assert "Try it on your phone" in text
    assert WARNING not in text


# ---------- a new model is on a slide only when the founder says so ----------


@pytest.fixture
def founder(make_user: Callable[..., User]) -> User:
    return make_user("founder")


def slide_keys(pitch: Pitch) -> list[str]:
    pitch.refresh_from_db()
    deck = build_deck(name=pitch.name, canvas=pitch.content, lang="en", demos=pitch_stage_models(pitch=pitch))
    return [slide.key for slide in deck.slides]


@pytest.mark.django_db
def test_adding_a_demo_model_leaves_the_deck_alone_until_the_founder_puts_it_on_a_slide(
    worker_up: InferenceWorker, founder: User
) -> None:
    pitch = pitch_create(owner=founder, name="Acme AI")
    client = APIClient()
    client.force_authenticate(founder)
    before = slide_keys(pitch)
    added = client.post(
        f"/api/pitches/{pitch.pk}/demo-models/", {"source": "sample", "kind": "text", "name": "Router"}, format="json"
    )
    assert added.status_code in (201, 202), added.content
    model = added.json()
    assert model["on_slide"] is False
    assert slide_keys(pitch) == before
    deck_page = client.get(f"/pitches/{pitch.pk}/deck/")
    assert b"data-demo-model" not in deck_page.content

    turned_on = client.patch(f"/api/demo-models/{model['id']}/", {"on_slide": True}, format="json")
    assert turned_on.status_code == 200, turned_on.content
    after = slide_keys(pitch)
    assert f"demo-{model['id']}" in after
    assert [key for key in after if key != f"demo-{model['id']}"] == before


@pytest.mark.django_db
@override_settings(PUBLIC_URL="http://192.168.1.23:8000")
def test_the_api_says_whether_a_phone_can_open_the_audience_link(worker_up: InferenceWorker, founder: User) -> None:
    pitch = pitch_create(owner=founder, name="Acme AI")
    client = APIClient(SERVER_NAME="127.0.0.1")  # the founder browses on this computer's own address
    client.force_authenticate(founder)
    model = client.post(
        f"/api/pitches/{pitch.pk}/demo-models/", {"source": "sample", "kind": "text", "name": "Router"}, format="json"
    ).json()
    link = client.post(f"/api/demo-models/{model['id']}/audience-link/", {}, format="json").json()
    # The page was opened on loopback; PITCHLAB_PUBLIC_URL names the LAN: phones get that.
    assert link["url"] == f"http://192.168.1.23:8000/d/{link['token']}/"
    assert link["reachable"] is True
    assert link["warning"] == ""
    with override_settings(PUBLIC_URL="http://127.0.0.1:8000"):  # make run: nothing but loopback
        again = client.get(f"/api/demo-models/{model['id']}/audience-link/").json()
    assert again["reachable"] is False
    assert again["warning"].startswith(WARNING)
    assert AudienceLink.objects.filter(demo_model_id=model["id"]).count() == 1
