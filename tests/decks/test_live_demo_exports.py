"""Decks built for a pitch carry its on-slide demo models: the web deck, the worker's export and the CLI."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from pitchlab.decks.models import DeckExport
from pitchlab.decks.services import export_run
from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel
from pitchlab.demos.selectors import stage_models
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def demo_model(pitch: Pitch, name: str, **values: Any) -> DemoModel:
    fields: dict[str, Any] = {
        "kind": "text",
        "source": "sample",
        "status": "ready",
        "artefact": "sample-text",
        "labels": ["billing", "bug_report"],
        "metrics": {"accuracy": 0.94, "macro_f1": 0.93, "examples": 64, "source": "held-out"},
        **values,
    }
    return DemoModel.objects.create(pitch=pitch, name=name, **fields)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def pdf_images(data: bytes) -> list[tuple[int, int]]:
    sizes = []
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for item in resources.get_object().get("/XObject", {}).values():
            image = item.get_object()
            if image["/Subtype"] == "/Image":
                sizes.append((int(image["/Width"]), int(image["/Height"])))
    return sizes


def test_the_web_deck_gets_a_slide_and_the_json_of_each_on_slide_model(
    client: Client, owner: User, pitch: Pitch
) -> None:
    router = demo_model(pitch, "Ticket router")
    DemoExample.objects.create(demo_model=router, text="Charged twice", expected_label="billing", position=0)
    AudienceLink.objects.create(demo_model=router, token="tok-live-1")
    triage = demo_model(pitch, "X-ray triage", kind="image", labels=["normal", "pneumonia"])
    demo_model(pitch, "Off stage", on_slide=False)
    client.force_login(owner)
    response = client.get(f"/pitches/{pitch.pk}/deck/?lang=en")
    assert response.status_code == 200
    deck = response.context["deck"]
    slides = [slide for slide in deck.slides if slide.kind == "demo"]
    assert [slide.title for slide in slides] == ["Live demo: Ticket router", "Live demo: X-ray triage"]
    ids = [block.demo.id for slide in slides for block in slide.blocks if block.kind == "live_demo"]
    assert ids == [router.pk, triage.pk]
    assert [slide.number for slide in deck.slides] == list(range(1, 16))
    demos_json = response.context["demos_json"]
    assert set(demos_json) == {str(router.pk), str(triage.pk)}
    assert demos_json[str(router.pk)]["examples"][0]["text"] == "Charged twice"
    assert demos_json[str(router.pk)]["audience_url"] == "http://testserver/d/tok-live-1/"
    assert demos_json[str(router.pk)]["predict_url"] == f"/api/demo-models/{router.pk}/predict/"
    expected = stage_models(pitch=pitch, request=response.wsgi_request)
    assert demos_json == {str(model.id): dataclasses.asdict(model) for model in expected}
    assert demos_json[str(router.pk)]["qr_svg"].startswith("<svg")
    json.dumps(demos_json)  # plain data, ready for json_script


def test_without_demo_models_the_web_deck_keeps_the_canvas_demo_slide(
    client: Client, owner: User, pitch: Pitch
) -> None:
    client.force_login(owner)
    response = client.get(f"/pitches/{pitch.pk}/deck/")
    assert response.context["demos_json"] == {}
    (slide,) = [slide for slide in response.context["deck"].slides if slide.kind == "demo"]
    assert [block.kind for block in slide.blocks] == ["demo"]


def test_a_confusion_matrix_shows_on_the_web_deck(client: Client, owner: User, pitch: Pitch) -> None:
    content = pitch.content
    content["data"]["experiments"].append(
        {
            "model": "Ticket router",
            "metric": "accuracy",
            "value": 0.93,
            "dataset": "holdout.csv",
            "samples": 400,
            "date": "2026-11-02",
            "measured": True,
            "device": "cpu",
            "confusion": {"labels": ["billing", "bug"], "matrix": [[40, 2], [3, 55]]},
        }
    )
    Pitch.objects.filter(pk=pitch.pk).update(content=content)
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/deck/?lang=en").content.decode()
    assert 'data-chart="confusion"><svg' in page
    assert 'data-count="55"' in page
    assert "Measured by PitchLab · holdout.csv · n = 400 · 2026-11-02 · cpu" in page


def test_the_export_worker_renders_the_demo_models_with_their_images(pitch: Pitch) -> None:
    router = demo_model(pitch, "Ticket router")
    DemoExample.objects.create(
        demo_model=router,
        text="Charged twice",
        expected_label="billing",
        cached_output={"labels": [{"label": "billing", "score": 0.97}], "latency_ms": 30, "at": "now"},
    )
    triage = demo_model(pitch, "X-ray triage", kind="image", labels=["normal", "pneumonia"], metrics={})
    example = DemoExample(demo_model=triage, expected_label="pneumonia")
    example.image.save("xray.png", ContentFile(png(40, 30)), save=True)
    AudienceLink.objects.create(demo_model=router, token="tok-export")
    export = DeckExport.objects.create(pitch=pitch, revision=pitch.revisions.get(version=pitch.version))
    export = export_run(export_id=export.pk)
    assert export.status == DeckExport.Status.READY, export.error
    data = export.file.read()
    text = pdf_text(data)
    for phrase in ("Livedemo:Ticketrouter", "Livedemo:X-raytriage", "Chargedtwice", "billing97%", "notpre-flightedyet"):
        assert phrase in text, phrase
    assert "/d/tok-export/" in text  # no request, so no host: the path is printed, without a QR code
    assert (40, 30) in pdf_images(data)  # the example's own image, as a thumbnail
    assert "imageexample" not in text


def test_the_cli_export_includes_the_demo_models(tmp_path: Path, pitch: Pitch) -> None:
    from django.core.management import call_command

    demo_model(pitch, "Ticket router")
    out = tmp_path / "deck.pdf"
    call_command("export_pdf", str(pitch.pk), "--output", str(out))
    assert "Livedemo:Ticketrouter" in pdf_text(out.read_bytes())
