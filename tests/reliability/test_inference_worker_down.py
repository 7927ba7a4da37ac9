"""The inference worker down (killed with SIGKILL, mid-pitch): predictions through the API answer 503
within their time budget, the live demo slides still carry the answers pre-flight cached, and when the
worker is back the model answers again.

What the slide does with the cached answer in the browser (shows it, marked "cached", when the live
call misses its budget) is tests/browser/test_live_demo.py; here the server side, over HTTP, against
the Procfile's web and inference lines.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from tests.reliability.conftest import Founder
from tests.reliability.stack import CeleryWorker, Http, Process, WebServer, poll, wait_until

pytestmark = pytest.mark.slow

BUDGET_MS, EXPLAIN_BUDGET_MS = 2000, 3000
EXAMPLE = "I was charged twice, please refund my invoice"


@pytest.fixture
def web_env(app_env: dict[str, str]) -> dict[str, str]:
    # The stage budgets, said explicitly so the test knows them (2 s is also settings' default).
    return {
        **app_env,
        "PITCHLAB_DEMO_BUDGET_MS": str(BUDGET_MS),
        "PITCHLAB_DEMO_EXPLAIN_BUDGET_MS": str(EXPLAIN_BUDGET_MS),
    }


@pytest.fixture
def stage(web_env: dict[str, str], tmp_path: Path, processes: list[Process]) -> WebServer:
    server = WebServer(web_env, tmp_path / "web.log")
    processes.append(server)
    server.start()
    return server


def inference_worker(app_env: dict[str, str], models: Path, log: Path) -> CeleryWorker:
    env = {
        **app_env,
        "PITCHLAB_DEVICE": "cpu",
        "PITCHLAB_MODELS_DIR": str(models),
        "PITCHLAB_TEXT_BASE": str(models.parent / "demo-base-encoder"),
        "PITCHLAB_BATCH_WAIT_MS": "2",
        "PITCHLAB_INFERENCE_CONCURRENCY": "4",
    }
    env.pop("DATABASE_URL", None)  # models_service knows no database
    return CeleryWorker("inference", env, log)


def demo_data(page: str) -> dict[str, Any]:
    """The deck's live demo models as the slide's script gets them (json_script "demo-data")."""
    found = re.search(r'<script id="demo-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the deck has no live demo data"
    return dict(json.loads(found.group(1)))


def assert_unavailable_within(reply: Any, budget_ms: int) -> None:
    assert reply.status == 503, reply
    assert f"did not answer within {budget_ms / 1000:g} s" in reply.json["message"], reply
    # It waited for the model as long as the budget allows, then answered (plus the web's own overhead).
    assert budget_ms / 1000 - 0.1 <= reply.seconds < budget_ms / 1000 + 2, f"{reply.seconds:.2f} s"


def test_the_inference_worker_killed_mid_pitch(
    founder: Founder,
    stage: WebServer,
    app_env: dict[str, str],
    demo_models_dir: Path,
    tmp_path: Path,
    processes: list[Process],
) -> None:
    worker = inference_worker(app_env, demo_models_dir, tmp_path / "inference.log")
    processes.append(worker)
    worker.start()
    pitch = pitch_import(owner=founder.user, document=template_document("support_nlp"))
    api = stage.client(founder.token)

    # Before the pitch: a demo model, a curated example pre-flighted (its answer cached), an audience link.
    added = api.post(
        f"/api/pitches/{pitch.pk}/demo-models/", {"source": "sample", "kind": "text", "name": "Ticket router"}
    )
    assert added.status in (201, 202), added
    model = f"/api/demo-models/{added.json['id']}"
    wait_until(lambda: api.get(f"{model}/").json["status"] == "ready", timeout=60, what="the model", interval=0.3)
    assert api.post(f"{model}/examples/", {"text": EXAMPLE, "expected_label": "billing"}).status == 201
    preflight = api.post(f"{model}/preflight/")
    assert preflight.status == 200, preflight
    assert preflight.json["preflight"]["all_ok"], preflight
    cached = api.get(f"{model}/examples/").json[0]["cached_output"]
    assert cached["labels"], cached
    link = api.post(f"{model}/audience-link/")
    assert link.status == 201, link
    assert api.patch(f"{model}/", {"on_slide": True}).status == 200  # a new model is on a slide when asked
    audience = Http(stage.port)
    assert api.post(f"{model}/predict/", {"text": EXAMPLE}).status == 200

    worker.kill()

    # Predictions answer 503, in words, within their budget: the presenter's, the audience's, an explanation.
    assert_unavailable_within(api.post(f"{model}/predict/", {"text": EXAMPLE}), BUDGET_MS)
    assert_unavailable_within(audience.post(f"/d/{link.json['token']}/predict/", {"text": EXAMPLE}), BUDGET_MS)
    assert_unavailable_within(api.post(f"{model}/explain/", {"text": EXAMPLE}), EXPLAIN_BUDGET_MS)

    # A pre-flight now reports the failure and keeps the answers cached before (the slide's insurance).
    again = api.post(f"{model}/preflight/")
    assert again.status == 200, again
    assert not again.json["preflight"]["all_ok"]
    assert "did not answer" in again.json["preflight"]["examples"][0]["error"]
    assert api.get(f"{model}/examples/").json[0]["cached_output"] == cached

    # The live demo slide carries the cached answer: in the data its script falls back on, and printed.
    browser = stage.client()
    browser.login("founder", founder.password)
    deck = browser.get(f"/pitches/{pitch.pk}/deck/")
    assert deck.status == 200, deck
    (on_slide,) = demo_data(deck.text).values()
    assert on_slide["examples"][0]["cached"] == cached
    top = cached["labels"][0]
    printed = html.unescape(deck.text.split('class="live-demo-print"', 1)[1].split("</ol>", 1)[0])
    assert EXAMPLE in printed
    assert f"{top['label']} {round(top['score'] * 100)}%" in printed
    # …and so does the audience's page behind the link.
    phone = audience.get(f"/d/{link.json['token']}/")
    assert phone.status == 200, phone
    assert demo_data(phone.text)["examples"][0]["cached"] == cached

    # The worker comes back: the model answers again, through the same web server.
    worker.start()
    answer = poll(
        lambda: api.post(f"{model}/predict/", {"text": EXAMPLE}),
        lambda reply: reply.status == 200,
        timeout=30,
        what="the model to answer again",
        interval=0.5,
    )
    assert answer.json["labels"][0]["label"] == top["label"]
