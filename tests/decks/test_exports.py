"""PDF exports: the API's contract, owner-only files, and a real worker rendering and serving one."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.decks.models import DeckExport
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.mark.django_db
def test_creating_an_export_answers_202_and_queues_it_on_commit(
    api_client: APIClient, owner: User, pitch: Pitch, django_capture_on_commit_callbacks: Any
) -> None:
    api_client.force_authenticate(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"theme": "dark"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["progress"], body["download_url"]) == ("queued", 0, None)
    export = DeckExport.objects.get(pk=body["id"])
    assert export.theme == "dark"
    assert export.revision.version == pitch.version  # records which revision it renders
    assert len(callbacks) == 1  # the task is sent only once the row is committed


@pytest.mark.django_db
def test_a_bad_theme_is_400_and_creates_nothing(api_client: APIClient, owner: User, pitch: Pitch) -> None:
    api_client.force_authenticate(owner)
    response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"theme": "neon"}, format="json")
    assert response.status_code == 400
    assert "theme" in response.json()["extra"]["fields"]
    assert not DeckExport.objects.exists()


@pytest.mark.django_db
def test_exports_and_their_files_are_the_owners_alone(
    api_client: APIClient, client: Client, owner: User, pitch: Pitch, make_user: Callable[..., User]
) -> None:
    export = DeckExport.objects.create(
        pitch=pitch, revision=pitch.revisions.get(version=pitch.version), status="ready", progress=100
    )
    export.file.save("t.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    intruder = make_user("intruder")
    api_client.force_authenticate(intruder)
    assert api_client.get(f"/api/exports/{export.pk}/").status_code == 404
    assert api_client.post(f"/api/pitches/{pitch.pk}/exports/").status_code == 404
    client.force_login(intruder)
    assert client.get(f"/exports/{export.pk}/download/").status_code == 404
    client.force_login(owner)
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_only_a_failed_export_can_be_retried(api_client: APIClient, owner: User, pitch: Pitch) -> None:
    api_client.force_authenticate(owner)
    export = DeckExport.objects.create(
        pitch=pitch, revision=pitch.revisions.get(version=pitch.version), status="rendering"
    )
    assert api_client.post(f"/api/exports/{export.pk}/retry/").status_code == 409
    DeckExport.objects.filter(pk=export.pk).update(status="failed", error="boom")
    response = api_client.post(f"/api/exports/{export.pk}/retry/")
    assert response.status_code == 202
    export.refresh_from_db()
    assert (export.status, export.error, export.attempts) == ("queued", "", 2)


@pytest.mark.django_db
def test_cli_export_writes_a_pdf(tmp_path: Path, pitch: Pitch) -> None:
    from django.core.management import call_command

    out = tmp_path / "deck.pdf"
    call_command("export_pdf", str(pitch.pk), "--output", str(out), "--lang", "zh")
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_cli_names_a_missing_pitch_in_one_line() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no pitch with id 999"):
        call_command("export_pdf", "999")


def wait_for(export_id: int, statuses: set[str], timeout: float = 90) -> DeckExport:
    deadline = time.monotonic() + timeout
    while True:
        export = DeckExport.objects.get(pk=export_id)
        if export.status in statuses or time.monotonic() > deadline:
            return export
        time.sleep(0.3)


@pytest.mark.slow
def test_a_real_worker_renders_the_export_and_the_owner_downloads_it(
    default_worker: Path, owner: User, client: Client, api_client: APIClient
) -> None:
    pitch = pitch_import(owner=owner, document=template_document("medical_imaging"))
    api_client.force_authenticate(owner)
    created = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"lang": "zh"}, format="json")
    assert created.status_code == 202
    export = wait_for(created.json()["id"], {"ready", "failed"})
    assert export.status == "ready", (export.error, default_worker.read_text()[-3000:])
    body = api_client.get(f"/api/exports/{export.pk}/").json()
    assert body["progress"] == 100
    assert body["download_url"] == f"/api/exports/{export.pk}/download/"
    client.force_login(owner)
    pdf = b"".join(client.get(body["download_url"]).streaming_content)  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF")
    assert export.pages >= 14


@pytest.mark.slow
def test_a_failing_export_is_marked_failed_and_a_retry_works(default_worker: Path, owner: User) -> None:
    from pitchlab.decks.services import export_create

    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    # Break the stored revision the worker will read: the worker must fail cleanly, not get stuck. (A wrongly
    # typed unit no longer breaks anything, the read model reads it as not given; a document that is not an
    # object at all cannot be read.)
    revision = pitch.revisions.get(version=pitch.version)
    good = revision.content
    revision.content = ["not", "a", "canvas"]
    revision.save()
    export = export_create(pitch=pitch)
    assert export.revision == revision
    failed = wait_for(export.pk, {"ready", "failed"})
    assert failed.status == "failed"
    assert failed.error.startswith("Rendering failed")
    revision.content = good
    revision.save()
    from pitchlab.decks.services import export_retry

    export_retry(export=failed)
    assert wait_for(export.pk, {"ready", "failed"}).status == "ready"


@pytest.mark.django_db
def test_an_export_that_cannot_be_queued_is_failed_with_the_reason(
    owner: User, pitch: Pitch, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombu.exceptions import OperationalError

    from pitchlab.decks import tasks
    from pitchlab.decks.services import export_create

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_render, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_create(pitch=pitch)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error.startswith("The worker queue is unreachable")


def edge_canvas(kind: str) -> dict[str, Any]:
    from pitchlab.pitches.canvas import empty_canvas

    canvas = empty_canvas()
    long_word = "Supercalifragilisticexpialidociousantidisestablishmentarianism"  # 60+ characters
    if kind == "single point":
        canvas["data"]["traction"] = [{"period": "2025-01", "metric": "users", "value": 10, "unit": ""}]
    elif kind == "zero and negative":
        canvas["data"]["traction"] = [
            {"period": f"2025-0{m}", "metric": "profit", "value": v, "unit": "USD"}
            for m, v in enumerate([0, -50, 20], 1)
        ]
        canvas["data"]["market"]["tam"]["value"] = 0
        canvas["ask"]["use_of_funds"] = [{"label": "All", "percent": 100}]
    elif kind == "200 rows":
        canvas["data"]["traction"] = [
            {"period": f"{2000 + i // 12}-{i % 12 + 1:02d}", "metric": "users", "value": i * 3, "unit": ""}
            for i in range(200)
        ]
    elif kind == "long words, emoji and mixed scripts":
        for field in canvas["story"]:
            if field != "target_minutes":
                canvas["story"][field] = f"{long_word} 🚀🔥 客服 AI 平台 {long_word} ÉÑ ü"
        canvas["team"] = [{"name": long_word, "role": "🚀 CEO 首席执行官", "bio": long_word * 3}]
        canvas["risks"] = [
            {
                "key": "",
                "title": long_word,
                "category": "market",
                "likelihood": 5,
                "impact": 5,
                "response": "accept",
                "mitigation": "",
                "owner": "😀",
            }
        ]
    return canvas


@pytest.mark.parametrize(
    "kind", ["empty", "single point", "zero and negative", "200 rows", "long words, emoji and mixed scripts"]
)
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.django_db
def test_odd_pitches_export_without_error(kind: str, lang: str) -> None:
    from pitchlab.decks.services import export_render_pdf

    data = export_render_pdf(name=f"Edge {kind}", canvas=edge_canvas(kind), theme="dark", lang=lang)
    assert data.startswith(b"%PDF")
