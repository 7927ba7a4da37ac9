"""The live-demo API through a real inference worker and broker (tiny models stand in for the samples)."""

from __future__ import annotations

import io
import json
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.pitches.models import Pitch
from tests.conftest import InferenceWorker
from tests.demos.conftest import png_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=False)]


def add_sample(client: APIClient, pitch: Pitch, kind: str = "text", name: str = "Feedback router") -> dict[str, Any]:
    response = client.post(
        f"/api/pitches/{pitch.pk}/demo-models/", {"source": "sample", "kind": kind, "name": name}, format="json"
    )
    # Ready at once when the worker loads the model within the request's wait; on a cold, busy worker
    # it answers 202 "preparing" and the next reads settle it.
    assert response.status_code in (201, 202), response.content
    body = dict(response.json())
    deadline = time.monotonic() + 60
    while body["status"] == "preparing" and time.monotonic() < deadline:
        time.sleep(0.3)
        body = dict(client.get(f"/api/demo-models/{body['id']}/").json())
    assert body["status"] == "ready", body
    return body


def image_upload(data: bytes, name: str = "photo.png") -> dict[str, Any]:
    return {"image": SimpleUploadedFile(name, data, content_type="image/png")}


def huge_png_header(width: int = 30000, height: int = 30000) -> bytes:
    """A small PNG file whose header claims ``width``×``height`` pixels (a decompression bomb's calling card)."""
    data = bytearray(png_bytes((8, 8)))
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


def model_zip(folder: Path, extra: dict[str, bytes] | None = None, config_patch: dict[str, Any] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            content = path.read_bytes()
            if path.name == "config.json" and config_patch:
                content = json.dumps({**json.loads(content), **config_patch}).encode()
            archive.writestr(f"model/{path.name}", content)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


# ---------- adding models ----------


def test_a_sample_model_is_ready_with_its_labels(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    body = add_sample(client_of, pitch)
    assert body["status"] == "ready"
    assert body["labels"] == ["billing", "bug", "praise"]
    assert body["device"] == "cpu"
    assert body["urls"]["predict"] == f"/api/demo-models/{body['id']}/predict/"
    listed = client_of.get(f"/api/pitches/{pitch.pk}/demo-models/").json()
    assert [m["id"] for m in listed] == [body["id"]]


def test_another_users_model_is_404_everywhere(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch, make_user: Callable[..., User]
) -> None:
    model_id = add_sample(client_of, pitch)["id"]
    stranger = APIClient()
    stranger.force_authenticate(make_user("mallory"))
    base = f"/api/demo-models/{model_id}/"
    for method, url in [
        ("get", base),
        ("patch", base),
        ("delete", base),
        ("post", base + "predict/"),
        ("post", base + "explain/"),
        ("get", base + "examples/"),
        ("post", base + "preflight/"),
        ("get", base + "evaluate/"),
        ("post", base + "audience-link/"),
        ("get", f"/api/pitches/{pitch.pk}/demo-models/"),
    ]:
        response = getattr(stranger, method)(url, {"text": "refund"}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    assert DemoModel.objects.filter(pk=model_id).exists()
    assert APIClient().get(base).status_code == 401


def test_a_model_trained_from_examples_becomes_ready_with_progress(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    examples = [{"text": f"refund invoice charge {i}", "label": "billing"} for i in range(6)]
    examples += [{"text": f"crash error bug {i}", "label": "bug"} for i in range(6)]
    response = client_of.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "examples", "name": "Mine", "examples": examples},
        format="json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "preparing"
    assert body["labels"] == ["billing", "bug"]
    deadline = time.monotonic() + 120
    while body["status"] == "preparing" and time.monotonic() < deadline:
        time.sleep(0.5)
        body = client_of.get(f"/api/demo-models/{body['id']}/").json()
    assert body["status"] == "ready", body
    answer = client_of.post(f"/api/demo-models/{body['id']}/predict/", {"text": "refund"}, format="json").json()
    assert {row["label"] for row in answer["labels"]} == {"billing", "bug"}


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ([{"text": "a", "label": "x"}] * 6, "at least 2 different labels"),
        ([{"text": "a", "label": "x"}] * 6 + [{"text": "b", "label": "y"}] * 2, "too few for: y (2)"),
        ([{"text": "", "label": "x"}], "Row 1 has no text"),
    ],
)
def test_training_examples_are_checked_before_anything_is_queued(
    client_of: APIClient, pitch: Pitch, examples: list[dict[str, str]], message: str
) -> None:
    response = client_of.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "examples", "name": "M", "examples": examples},
        format="json",
    )
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not DemoModel.objects.exists()


def test_training_examples_come_from_a_csv_upload(client_of: APIClient, pitch: Pitch) -> None:
    rows = "text,label\n" + "".join(f"refund {i},billing\n" for i in range(5)) + "bug one,bug\n"
    response = client_of.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "examples", "name": "M", "csv": SimpleUploadedFile("e.csv", rows.encode())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "too few for: bug (1)" in response.json()["message"]


def test_an_uploaded_model_is_validated_installed_and_removed_on_delete(
    worker_up: InferenceWorker,
    client_of: APIClient,
    pitch: Pitch,
    demo_models_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = model_zip(demo_models_dir / "sample-text")
    response = client_of.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "upload", "name": "Uploaded", "file": SimpleUploadedFile("m.zip", data)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["labels"] == ["billing", "bug", "praise"]
    artefact = DemoModel.objects.get(pk=body["id"]).artefact
    assert (demo_models_dir / artefact / "config.json").is_file()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_of.delete(f"/api/demo-models/{body['id']}/").status_code == 204
    deadline = time.monotonic() + 30
    while (demo_models_dir / artefact).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (demo_models_dir / artefact).exists()
    assert (demo_models_dir / "sample-text").is_dir()  # samples are shared, never removed


@pytest.mark.parametrize(
    ("extra", "patch", "words"),
    [
        ({"model/pytorch_model.bin": b"\x80\x04K\x01."}, None, "pytorch_model.bin"),
        (None, {"auto_map": {"AutoModel": "evil.Model"}}, "auto_map"),
        ({"../escape.txt": b"x"}, None, ".."),
    ],
)
def test_unsafe_uploads_are_refused_with_the_reason(
    worker_up: InferenceWorker,
    client_of: APIClient,
    pitch: Pitch,
    demo_models_dir: Path,
    extra: dict[str, bytes] | None,
    patch: dict[str, Any] | None,
    words: str,
) -> None:
    data = model_zip(demo_models_dir / "sample-text", extra=extra, config_patch=patch)
    before = sorted(p.name for p in demo_models_dir.iterdir())
    response = client_of.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "upload", "name": "Bad", "file": SimpleUploadedFile("m.zip", data)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert words in response.json()["message"]
    assert not DemoModel.objects.exists()
    assert sorted(p.name for p in demo_models_dir.iterdir()) == before


def test_an_upload_that_is_not_a_zip_or_too_large_is_refused(client_of: APIClient, pitch: Pitch) -> None:
    url = f"/api/pitches/{pitch.pk}/demo-models/"
    response = client_of.post(
        url, {"source": "upload", "name": "X", "file": SimpleUploadedFile("m.zip", b"%PDF-1.4")}, format="multipart"
    )
    assert response.status_code == 400
    assert "not a zip" in response.json()["message"]
    with override_settings(DEMO_MAX_MODEL_UPLOAD_BYTES=1000):
        response = client_of.post(
            url, {"source": "upload", "name": "X", "file": SimpleUploadedFile("m.zip", b"0" * 2000)}, format="multipart"
        )
    assert response.status_code == 413
    assert "limit" in response.json()["message"]


# ---------- live calls ----------


def test_a_text_prediction_answers_every_label_best_first(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch)
    response = client_of.post(model["urls"]["predict"], {"text": "refund my invoice"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    scores = [row["score"] for row in body["labels"]]
    assert sorted(row["label"] for row in body["labels"]) == ["billing", "bug", "praise"]
    assert scores == sorted(scores, reverse=True)
    assert abs(sum(scores) - 1) < 1e-3
    assert body["device"] == "cpu"
    assert body["latency_ms"] > 0
    assert "forward_ms" in body["timings"]


def test_explain_highlights_words_and_overlays_images(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    text_model = add_sample(client_of, pitch)
    body = client_of.post(text_model["urls"]["explain"], {"text": "refund crash thanks"}, format="json").json()
    assert [w["word"] for w in body["explanation"]["words"]] == ["refund", "crash", "thanks"]
    assert body["explanation"]["label"] == body["labels"][0]["label"]
    image_model = add_sample(client_of, pitch, kind="image", name="Charts")
    response = client_of.post(image_model["urls"]["explain"], image_upload(png_bytes()), format="multipart")
    assert response.status_code == 200, response.content
    explanation = response.json()["explanation"]
    assert explanation["overlay"].startswith("data:image/png;base64,")
    assert "heatmap_png" not in explanation


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"text": ""}, 400, "Type some text"),
        ({"text": "x" * 10_000}, 400, "10,000 characters; the limit is 2,000"),
        ({}, 400, "Type some text"),
    ],
)
def test_bad_text_gets_a_reason(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch, payload: dict[str, Any], status: int, words: str
) -> None:
    model = add_sample(client_of, pitch)
    response = client_of.post(model["urls"]["predict"], payload, format="json")
    assert response.status_code == status
    assert words in response.json()["message"]


def test_bad_images_get_a_reason(worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch) -> None:
    model = add_sample(client_of, pitch, kind="image", name="Charts")
    url = model["urls"]["predict"]
    cases = [
        (b"", 400, "empty"),
        (b"%PDF-1.7\n" + b"0" * 500, 400, "not an image"),
        (huge_png_header(), 400, "too many pixels; the limit is 25 megapixels"),
        (huge_png_header(6000, 6000), 400, "6,000×6,000 pixels; the limit is 25 megapixels"),
        (b"\x89PNG" + b"0" * 50_000_000, 413, "limit"),
    ]
    for data, status, words in cases:
        response = client_of.post(url, image_upload(data), format="multipart")
        assert response.status_code == status, (words, response.content[:200])
        assert words in response.json()["message"]
    assert client_of.post(url, {"text": "hello"}, format="json").status_code == 400
    assert client_of.post(url, image_upload(png_bytes(fmt="JPEG"), "x.jpg"), format="multipart").status_code == 200


def test_a_model_that_is_not_ready_answers_409(client_of: APIClient, pitch: Pitch) -> None:
    model = DemoModel.objects.create(pitch=pitch, name="Busy", kind="text", source="examples", artefact="text-x")
    response = client_of.post(f"/api/demo-models/{model.pk}/predict/", {"text": "hi"}, format="json")
    assert response.status_code == 409
    assert "not ready" in response.json()["message"]


# ---------- examples, pre-flight, audience ----------


def test_preflight_stores_each_examples_output(worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch) -> None:
    model = add_sample(client_of, pitch)
    url = model["urls"]["examples"]
    assert client_of.post(url, {"text": "refund", "expected_label": "nope"}, format="json").status_code == 400
    for text in ("refund my invoice", "it crashed"):
        assert client_of.post(url, {"text": text, "expected_label": "billing"}, format="json").status_code == 201
    report = client_of.post(model["urls"]["preflight"], {}, format="json").json()["preflight"]
    assert report["all_ok"]
    assert len(report["examples"]) == 2
    assert report["budget_ms"] == 2000
    examples = client_of.get(url).json()
    for example, row in zip(examples, report["examples"], strict=True):
        assert example["cached_output"]["labels"] == row["labels"]
        assert row["matches"] == (row["labels"][0]["label"] == "billing")


def test_an_image_example_is_stored_small_and_served_to_its_owner(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch, kind="image", name="Charts")
    response = client_of.post(
        model["urls"]["examples"],
        {**image_upload(png_bytes((3000, 1000))), "expected_label": "bar"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    image = client_of.get(response.json()["image_url"])
    from PIL import Image

    assert image.status_code == 200
    content = b"".join(image.streaming_content)  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(content)).size == (1024, 341)
    assert APIClient().get(response.json()["image_url"]).status_code == 401


def test_the_audience_link_reaches_one_model_and_nothing_else(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch)
    link = client_of.post(model["urls"]["audience_link"], {"expires_in_minutes": 30}, format="json").json()
    assert link["url"].endswith(f"/d/{link['token']}/")
    assert len(link["token"]) >= 24
    anonymous = APIClient()
    response = anonymous.post(f"/d/{link['token']}/predict/", {"text": "refund"}, format="json")
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"labels", "latency_ms", "device"}
    assert client_of.get(link["qr_svg_url"]).content.startswith(b"<svg")
    # A new link replaces the old one; revoking closes it: both 404.
    newer = client_of.post(model["urls"]["audience_link"], {}, format="json").json()
    assert anonymous.post(f"/d/{link['token']}/predict/", {"text": "a"}, format="json").status_code == 404
    assert client_of.delete(model["urls"]["audience_link"]).status_code == 204
    response = anonymous.post(f"/d/{newer['token']}/predict/", {"text": "a"}, format="json")
    assert response.status_code == 404
    assert "closed" in response.json()["message"]
    assert anonymous.post("/d/not-a-token/predict/", {"text": "a"}, format="json").status_code == 404


def test_an_expired_audience_link_is_404(worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch) -> None:
    model = add_sample(client_of, pitch)
    link = client_of.post(model["urls"]["audience_link"], {"expires_in_minutes": 5}, format="json").json()
    AudienceLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert APIClient().post(f"/d/{link['token']}/predict/", {"text": "a"}, format="json").status_code == 404


@override_settings(AUDIENCE_RATE_PER_CLIENT="3/min", AUDIENCE_RATE_TOTAL="5/min")
def test_the_audience_is_rate_limited_per_client_and_in_total(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch)
    token = client_of.post(model["urls"]["audience_link"], {}, format="json").json()["token"]
    url = f"/d/{token}/predict/"
    phone = APIClient(REMOTE_ADDR="10.0.0.1")
    codes = [phone.post(url, {"text": "refund"}, format="json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = APIClient(REMOTE_ADDR="10.0.0.2")
    codes = [other.post(url, {"text": "refund"}, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the room's total (5) is spent although this phone sent only 2
    response = other.post(url, {"text": "refund"}, format="json")
    assert "wait a few seconds" in response.json()["message"]
    assert int(response["Retry-After"]) > 0
    # The presenter is not limited by the audience's quota.
    assert client_of.post(model["urls"]["predict"], {"text": "refund"}, format="json").status_code == 200


# ---------- evaluation into the Data section ----------


def test_evaluate_proposes_measured_results_with_the_confusion_matrix(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch)
    rows = "text,label\n" + "refund,billing\ncrash,bug\nthanks,praise\nlogin,bug\n"
    response = client_of.post(
        model["urls"]["evaluate"],
        {"file": SimpleUploadedFile("eval.csv", rows.encode()), "name": "support tickets"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    deadline = time.monotonic() + 60
    state = response.json()
    while state.get("status") == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
        state = client_of.get(model["urls"]["evaluate"]).json()
    assert state["status"] == "done", state
    assert state["result"]["samples"] == 4
    # Proposed, not written (tests/demos/test_evaluation_preview.py covers accepting).
    accuracy = next(row for row in state["proposed"] if row["metric"] == "accuracy")
    assert accuracy["model"] == "Feedback router"
    assert accuracy["dataset"] == "support tickets"
    assert accuracy["samples"] == 4
    assert accuracy["device"] == "cpu"
    matrix = accuracy["confusion"]["matrix"]
    assert accuracy["confusion"]["labels"] == ["billing", "bug", "praise"]
    assert sum(map(sum, matrix)) == 4
    assert abs(accuracy["value"] - sum(matrix[i][i] for i in range(3)) / 4) < 1e-9
    assert {row["metric"] for row in state["proposed"]} >= {"accuracy", "F1 (macro)"}
    pitch.refresh_from_db()
    assert pitch.content["data"]["experiments"] == []


def test_evaluate_refuses_labels_the_model_does_not_have(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch)
    client_of.post(
        model["urls"]["evaluate"],
        {"file": SimpleUploadedFile("eval.csv", b"text,label\nhello,weather\n")},
        format="multipart",
    )
    deadline = time.monotonic() + 30
    state: dict[str, Any] = {"status": "running"}
    while state.get("status") == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
        state = client_of.get(model["urls"]["evaluate"]).json()
    assert state["status"] == "failed"
    assert "weather" in state["error"]
    pitch.refresh_from_db()
    assert pitch.content["data"]["experiments"] == []


# ---------- the schema, and the worker going away ----------


def test_every_demo_endpoint_is_in_the_openapi_schema(client_of: APIClient) -> None:
    schema = client_of.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/pitches/{pitch_id}/demo-models/",
        "/api/demo-models/{model_id}/",
        "/api/demo-models/{model_id}/predict/",
        "/api/demo-models/{model_id}/explain/",
        "/api/demo-models/{model_id}/examples/",
        "/api/demo-models/{model_id}/preflight/",
        "/api/demo-models/{model_id}/evaluate/",
        "/api/demo-models/{model_id}/audience-link/",
        "/d/{token}/predict/",
    ]:
        assert path in schema["paths"], path


def test_a_stopped_worker_gives_503_within_the_budget(
    worker_up: InferenceWorker, client_of: APIClient, pitch: Pitch
) -> None:
    model = add_sample(client_of, pitch)
    worker_up.stop()
    try:
        started = time.monotonic()
        response = client_of.post(model["urls"]["predict"], {"text": "refund"}, format="json")
        elapsed = time.monotonic() - started
    finally:
        worker_up.start()
    assert response.status_code == 503
    assert "did not answer within 2 s" in response.json()["message"]
    assert elapsed < 4


def test_audience_calls_in_flight_to_the_model_are_capped_and_each_gives_its_slot_back(
    pitch: Pitch, settings: Any, app_broker: str
) -> None:
    """Beyond AUDIENCE_MAX_IN_FLIGHT audience calls of a model in flight (every web process together, counted in
    Redis with the rate limits), the room gets 429; a call that ends, answered or not, leaves the cap."""
    import redis as redis_sync

    from pitchlab.core import ratelimit
    from pitchlab.demos.public_apis import in_flight_limit

    settings.DEMO_BUDGET_MS = 100  # a call that gets through gives up quickly when no worker answers in time
    settings.AUDIENCE_MAX_IN_FLIGHT = 1
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text"
    )
    link = AudienceLink.objects.create(demo_model=model, token="w" * 24)
    url = f"/d/{link.token}/predict/"
    cap = in_flight_limit(model.pk)
    in_flight = ratelimit.hit(cap)  # one phone's call is in flight to the model (another web process, say)
    assert in_flight.allowed
    busy = APIClient(REMOTE_ADDR="10.0.0.7").post(url, {"text": "refund"}, format="json")
    assert busy.status_code == 429
    assert "wait a few seconds" in busy.json()["message"]
    assert busy.headers["Retry-After"]
    ratelimit.take_back(in_flight)
    through = APIClient(REMOTE_ADDR="10.0.0.8").post(url, {"text": "refund"}, format="json")
    # Let through to the model: answered (an inference worker another test started, its model warm) or past the
    # budget (none running); never refused by the cap.
    assert through.status_code in (200, 503), through.content
    # ... and its slot was given back: the cap's set is empty, the next call is let through again.
    assert redis_sync.Redis.from_url(settings.REDIS_URL).zcard(cap.key()) == 0
    assert ratelimit.hit(cap).allowed


def test_a_refused_audience_call_is_answered_after_a_pause_so_a_client_retrying_at_once_is_paced(
    pitch: Pitch, settings: Any, app_broker: str
) -> None:
    """A phone over its limit gets its 429 (with Retry-After) after a pause of up to a second: a script or a
    stuck button that retries at once sends about one call a second, not hundreds."""
    from pitchlab.demos.public_apis import REFUSAL_PAUSE_S

    settings.DEMO_BUDGET_MS = 100
    settings.AUDIENCE_RATE_PER_CLIENT = "1/min"
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text"
    )
    link = AudienceLink.objects.create(demo_model=model, token="p" * 24)
    phone = APIClient(REMOTE_ADDR="10.0.0.9")
    assert phone.post(f"/d/{link.token}/predict/", {"text": "refund"}, format="json").status_code in (200, 503)
    started = time.monotonic()
    refused = phone.post(f"/d/{link.token}/predict/", {"text": "refund"}, format="json")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > REFUSAL_PAUSE_S  # told to wait the minute out ...
    assert time.monotonic() - started >= REFUSAL_PAUSE_S * 0.9  # ... and answered only after the pause
