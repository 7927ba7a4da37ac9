"""api.stream in a real page against the live server: a demo card follows its model's event stream (no polling
while the stream is healthy) until the model is ready; a stream refused before its first event falls back to
polling, which gives up in words on a 404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.demos.models import DemoModel
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _redis(app_broker: str) -> None:
    """The open-waits counts and the pub/sub hub live in the web side's Redis."""


@pytest.fixture
def pitch(transactional_db: None) -> Pitch:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    return pitch_create(owner=owner, name="Lumen")


@pytest.fixture
def context(browser: Any, live_server: Any, pitch: Pitch) -> Iterator[Any]:
    context = logged_in(browser, live_server.url)
    yield context
    context.close()


def test_a_preparing_card_follows_its_stream_until_the_model_is_ready(
    context: Any, live_server: Any, pitch: Pitch
) -> None:
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="examples", status="preparing", task_id="no-such-task"
    )
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(urlsplit(request.url).path) if request.method == "GET" else None)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
    card = page.locator(f"#demo-model-{model.pk}")
    expect(card).to_have_attribute("data-status", "preparing")
    page.wait_for_timeout(3000)  # a poll would have asked three times by now
    assert seen.count(f"/api/demo-models/{model.pk}/events/") == 1
    assert f"/api/demo-models/{model.pk}/" not in seen

    DemoModel.objects.filter(pk=model.pk).update(status="ready", artefact="sample-text", labels=["a", "b"], task_id="")
    expect(card).to_have_attribute("data-status", "ready", timeout=15_000)
    assert f"/api/demo-models/{model.pk}/" not in seen


def test_a_refused_stream_falls_back_to_polling_which_gives_up_on_a_404(
    context: Any, live_server: Any, pitch: Pitch
) -> None:
    page = context.new_page()
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
    page.wait_for_function("window.PitchLab && window.PitchLab.api")
    got = page.evaluate(
        """() => new Promise((resolve) => {
          const seen = [];
          const polled = () => performance.getEntriesByType("resource").some((e) => e.name.endsWith("/999999/"));
          window.PitchLab.api.stream({
            url: "/api/demo-models/999999/events/", fallback: "/api/demo-models/999999/", intervalMs: 100,
            onData: (data) => seen.push(data),
            onGiveUp: (reason) => resolve({ reason, seen: seen.length, polled: polled() }),
          });
        })"""
    )
    assert got["seen"] == 0
    assert got["polled"]  # it fell back to the polling endpoint
    assert "Not found" in got["reason"]
