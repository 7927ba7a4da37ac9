"""The broker (Redis) down: editing and autosave keep working, exports and predictions answer 503 in
words, /healthz names the broker, and when it returns the work that was queued goes on.

The stack is the Procfile's web and worker lines on a redis-server of the test's own, which is shut
down (SIGTERM, as an operator or an orchestrator stops it) and started again on the same port with
its append-only file, as docker-compose.yml runs Redis. The web server and the worker are not
restarted: they must find the broker again by themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from tests.reliability.conftest import Founder, default_worker
from tests.reliability.stack import Http, Process, RedisServer, WebServer, poll, wait_until

pytestmark = pytest.mark.slow

# Each export then renders for a few seconds: the first one keeps the single worker busy while the
# second waits in the queue, so that one is queued in Redis when Redis goes down.
SLIDE_DELAY_MS = "400"
TRACTION = [{"period": "2026-01", "metric": "users", "value": 120, "unit": ""}]


def export_status(api: Http, export_id: int) -> str:
    reply = api.get(f"/api/exports/{export_id}/")
    assert reply.status == 200, reply
    return str(reply.json["status"])


def wait_ready(api: Http, export_id: int, timeout: float = 60) -> None:
    status = poll(
        lambda: export_status(api, export_id),
        lambda status: status in ("ready", "failed"),
        timeout=timeout,
        what=f"export {export_id} to finish",
    )
    assert status == "ready", api.get(f"/api/exports/{export_id}/")


def assert_unavailable(reply: Any, *words: str) -> None:
    """A 503 that says what is wrong in a sentence (JSON ``{"message", "extra"}``), fast."""
    assert reply.status == 503, reply
    assert reply.is_json(), reply
    message = reply.json["message"]
    assert all(word in message for word in words), message
    assert reply.seconds < 5, f"{reply.seconds:.1f} s to say the broker is down"


def test_the_broker_down_and_back(
    founder: Founder,
    broker: RedisServer,
    web: WebServer,
    app_env: dict[str, str],
    tmp_path: Path,
    processes: list[Process],
) -> None:
    worker = default_worker(app_env, tmp_path / "worker.log", PITCHLAB_TEST_EXPORT_SLIDE_DELAY_MS=SLIDE_DELAY_MS)
    processes.append(worker)
    worker.start()
    pitch = pitch_import(owner=founder.user, document=template_document("support_nlp"))
    model = DemoModel.objects.create(
        pitch=pitch, name="Ticket router", kind="text", source="sample", status="ready", artefact="sample-text"
    )
    link = AudienceLink.objects.create(demo_model=model, token="reliability-broker-down-link")
    api = web.client(founder.token)
    browser = web.client()
    browser.login("founder", founder.password)  # a founder with the editor open, before the outage
    canvas = f"/api/pitches/{pitch.pk}/canvas/"

    # The worker is busy with one export while a second one waits for it in the queue.
    busy = api.post(f"/api/pitches/{pitch.pk}/exports/")
    assert busy.status == 202, busy
    wait_until(lambda: export_status(api, busy.json["id"]) == "rendering", timeout=30, what="the first export")
    waiting = api.post(f"/api/pitches/{pitch.pk}/exports/", {"lang": "zh"})
    assert waiting.status == 202, waiting
    assert broker.queue_length("default") == 1, "the second export should be waiting in Redis"

    broker.stop()

    # Editing and autosave keep working: the API, and the editor's own autosave (session and CSRF).
    version = api.get(canvas).json["version"]
    saved = api.patch(canvas, {"base_version": version, "changes": {"story.vision": "Support that never sleeps"}})
    assert saved.status == 200, saved
    # A traction change also queues the chart warm-up, which cannot be queued now: the save still lands.
    autosaved = browser.patch(canvas, {"base_version": saved.json["version"], "changes": {"data.traction": TRACTION}})
    assert autosaved.status == 200, autosaved
    assert saved.seconds < 5, saved.seconds
    assert autosaved.seconds < 5, autosaved.seconds
    after = api.get(canvas).json
    assert after["version"] == version + 2
    assert after["content"]["story"]["vision"] == "Support that never sleeps"
    assert after["content"]["data"]["traction"][0]["value"] == 120
    for page in (f"/pitches/{pitch.pk}/", f"/pitches/{pitch.pk}/deck/"):  # charts drawn without their cache
        assert browser.get(page).status == 200, page
    # Logging in still works (the log-in rate limits let it through when Redis is away).
    late = web.client()
    late.login("founder", founder.password)

    # Exports and predictions cannot be queued: 503, in words, at once.
    # Anyway: "never sleeps" above is a pre-flight finding (an absolute claim); the queue is what is tested here.
    refused = api.post(f"/api/pitches/{pitch.pk}/exports/", {"export_anyway": True})
    assert_unavailable(refused, "task queue")
    assert refused.json["extra"]["retry_after"] > 0
    assert_unavailable(api.post(f"/api/demo-models/{model.pk}/predict/", {"text": "refund please"}), "not reachable")
    assert_unavailable(Http(web.port).post(f"/d/{link.token}/predict/", {"text": "refund please"}), "not reachable")

    # /healthz names the broker as what is down.
    health = api.get("/healthz")
    assert health.status == 503, health
    assert "broker" in health.json["failing"]
    assert health.json["broker"]["status"] == "down"
    assert health.json["database"]["status"] == "up"

    # What was queued before the outage is still queued, not failed.
    assert export_status(api, waiting.json["id"]) == "queued"

    broker.start()

    # The queued export goes on, in the same worker, which found its broker again by itself.
    wait_ready(api, busy.json["id"])
    wait_ready(api, waiting.json["id"])
    # New work goes through the same web server: the refused export can be retried, a new one queued.
    retried = poll(
        lambda: api.post(f"/api/exports/{refused.json['extra']['export_id']}/retry/"),
        lambda reply: reply.status != 503,
        timeout=20,
        what="the web server to queue again",
        interval=0.5,
    )
    assert retried.status == 202, retried
    wait_ready(api, retried.json["id"])

    def healthy_broker_and_worker() -> dict[str, Any] | None:
        body = dict(api.get("/healthz").json)
        return body if body["broker"]["status"] == "up" and body["workers"]["default"]["status"] == "up" else None

    wait_until(healthy_broker_and_worker, timeout=30, what="/healthz to see the broker and the worker", interval=0.5)
    assert worker.starts == 1
    assert worker.running()
