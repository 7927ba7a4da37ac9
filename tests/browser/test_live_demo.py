"""A founder tries a live demo model, presents it from the deck, and the slide survives the model going away."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from tests.conftest import InferenceWorker

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"
EXAMPLE = "I was charged twice, please refund my invoice"


def _csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def _api(page: Page, method: str, url: str, data: dict[str, Any]) -> Any:
    response = page.request.fetch(url, method=method, data=data, headers={"X-CSRFToken": _csrf(page)})
    assert response.ok, f"{method} {url}: {response.status} {response.text()}"
    return response.json()


def _demo_slide(page: Page, url: str) -> Any:
    """Open the deck on its live demo slide (by its number in the URL); the visible slide."""
    page.goto(url)
    page.wait_for_load_state("load")  # deck.js and demo.js have run: keys are handled, the panel is mounted
    number = page.locator("[data-demo-model]").first.evaluate("node => node.closest('[data-slide]').dataset.slide")
    page.goto(f"{url}#{number}")  # the same page: deck.js follows the hash
    slide = page.locator("[data-slide]:visible")
    expect(slide).to_have_attribute("data-slide", number)
    expect(slide.locator(".pl-demo")).to_be_visible()
    return slide


def test_a_live_demo_runs_explains_presents_and_falls_back_to_the_cached_answer(
    browser: Any, live_server: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    worker: InferenceWorker = request.getfixturevalue("worker_up")
    shots = Path(os.environ.get("PITCHLAB_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=User.objects.get(username="ada"), document=template_document("support_nlp"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    # The founder adds the sample text model on the demo page and tries it with Explain on.
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
    page.fill("#add-sample [name=name]", "Feedback triage")
    page.click("#add-sample button[type=submit]")
    card = page.locator(".demo-card[data-model-id]").first
    expect(card).to_have_attribute("data-status", "ready", timeout=60_000)
    model_id = card.get_attribute("data-model-id")
    panel = card.locator("details.demo-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    founder = card.locator(".pl-demo")
    founder.locator("textarea").fill("The app crashed and then I was charged twice")
    founder.locator(".pl-demo-switch").click()
    founder.locator(".pl-demo-run").click()
    # The first answer (an explanation on a cold worker, on a busy machine) may take a while.
    expect(founder.locator(".pl-demo-bar.is-top")).to_have_count(1, timeout=30_000)
    expect(founder.locator(".pl-demo-bar")).to_have_count(3)  # every label of the tiny sample
    expect(founder.locator(".pl-demo-meta")).to_contain_text(" ms · cpu")
    words = founder.locator(".pl-demo-words .pl-word")
    expect(words.first).to_be_visible(timeout=20_000)
    assert words.count() >= 8
    assert words.first.get_attribute("title")
    founder.screenshot(path=str(shots / "founder-try.png"))

    # A curated example, pre-flighted so it has a cached answer, and an audience link for the QR code.
    api = f"{live_server.url}/api/demo-models/{model_id}"
    _api(page, "POST", f"{api}/examples/", {"text": EXAMPLE, "expected_label": "billing"})
    assert _api(page, "POST", f"{api}/preflight/", {})["preflight"]["all_ok"]
    link = _api(page, "POST", f"{api}/audience-link/", {"expires_in_minutes": 30})
    _api(page, "PATCH", f"{api}/", {"on_slide": True})  # a new model is on a slide when the founder says so

    # On the deck's demo slide, 1 picks the example and Enter runs it, in both themes.
    for theme in ("light", "dark"):
        slide = _demo_slide(page, f"{live_server.url}/pitches/{pitch.pk}/deck/?theme={theme}")
        expect(slide.locator(".live-demo-qr svg")).to_be_visible()
        page.keyboard.press("1")
        expect(slide.locator(".pl-demo textarea")).to_have_value(EXAMPLE)
        page.keyboard.press("Enter")
        expect(slide.locator(".pl-demo-bar.is-top .pl-demo-bar-score")).to_contain_text("%", timeout=10_000)
        expect(slide.locator(".pl-demo-output")).not_to_have_class("cached")
        page.screenshot(path=str(shots / f"stage-{theme}.png"))

    # The audience page on a phone: the model, its example, predictions only (no Explain switch).
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    audience = phone.new_page()
    audience.goto(link["url"])
    expect(audience.locator("h1")).to_have_text("Feedback triage")
    expect(audience.locator(".pl-demo-switch")).to_have_count(0)
    audience.locator(".pl-demo-example").first.click()
    expect(audience.locator(".pl-demo-bar.is-top .pl-demo-bar-score")).to_contain_text("%", timeout=10_000)
    audience.screenshot(path=str(shots / "audience-phone.png"), full_page=True)
    assert "incoming support ticket" not in audience.content()  # the pitch's own story stays private
    closed = audience.goto(f"{live_server.url}/d/not-a-token/")
    assert closed is not None
    assert closed.status == 404
    expect(audience.locator("h1")).to_have_text("This demo link is closed")
    phone.close()

    # The inference worker goes away mid-pitch: the example shows its cached answer, not an error.
    slide = _demo_slide(page, f"{live_server.url}/pitches/{pitch.pk}/deck/?theme=light")
    worker.stop()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    cached = slide.locator(".pl-demo-output.cached")
    expect(cached).to_contain_text("cached", timeout=8_000)
    expect(cached.locator(".pl-demo-bar")).to_have_count(3)
    expect(slide.locator(".pl-demo-run")).to_be_enabled(timeout=8_000)
    expect(slide).not_to_contain_text("not answering")
    page.screenshot(path=str(shots / "stage-cached.png"))
    context.close()
