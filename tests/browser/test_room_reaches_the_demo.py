"""The room reaches the demo: every audience QR surface says when its address is this computer's own, and a
model with no curated examples still gets a slide the presenter can use live."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from pitchlab.sharing.models import ShareLink
from tests.browser.conftest import without_beacons
from tests.conftest import InferenceWorker

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"
WARNING = "Phones can't open this address"
UNREACHABLE = "The live demo link is not reachable from other devices."
LOOPBACK_URL, LAN_URL = "http://127.0.0.1:8000", "http://192.168.1.23:8000"


def shots_dir(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("PITCHLAB_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def founder_with_a_demo(*, examples: bool = True) -> tuple[Pitch, DemoModel]:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    model = DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source="sample",
        status="ready",
        artefact="sample-text",
        labels=["billing", "bug", "praise"],
        on_slide=True,
    )
    if examples:
        model.examples.create(text="I was charged twice", expected_label="billing")
    return pitch, model


def logged_in(browser: Browser, live_server: Any, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def warm_up(page: Page, predict_url: str) -> None:
    """Load the model on the worker first: the slide's 2 s budget is for the show, not for a cold start."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = page.request.post(predict_url, data={"text": "warm up"}, headers={"X-CSRFToken": csrf})
        if answer.ok:
            return
        time.sleep(0.5)
    raise AssertionError(f"the model never answered: {answer.status} {answer.text()}")


def demo_slide_number(page: Page) -> str:
    return str(page.locator("[data-demo-model]").first.evaluate("node => node.closest('[data-slide]').dataset.slide"))


def on_demo_slide(page: Page, url: str) -> Any:
    """Open ``url`` (a deck, the presenter view or the shared deck) on its live demo slide."""
    page.goto(url)
    page.wait_for_load_state("load")
    number = demo_slide_number(page)
    page.goto(f"{url}#{number}")
    page.reload()  # the presenter view reads the hash once, at start
    page.wait_for_load_state("load")
    slide = page.locator(f"[data-slide='{number}']:visible").first
    expect(slide.locator(".live-demo-qr")).to_be_visible()
    return slide


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("public_url", "loopback"), [(LOOPBACK_URL, True), (LAN_URL, False)], ids=["loopback", "lan"])
def test_every_audience_qr_surface_says_when_phones_cannot_open_it(
    browser: Browser,
    live_server: Any,
    tmp_path: Path,
    public_url: str,
    loopback: bool,
) -> None:
    # make run: loopback; make present: the laptop's LAN address (the pages are opened on loopback either way).
    with override_settings(PUBLIC_URL=public_url):
        check_every_surface(browser, live_server, tmp_path, public_url, loopback)


def check_every_surface(browser: Browser, live_server: Any, tmp_path: Path, public_url: str, loopback: bool) -> None:
    shots = shots_dir(tmp_path)
    pitch, model = founder_with_a_demo()
    link = AudienceLink.objects.create(demo_model=model, token="roomQrToken123456")
    share = ShareLink.objects.create(pitch=pitch, token="roomShareToken123456")
    name = "loopback" if loopback else "lan"

    for width in (1280, 390):
        page = logged_in(browser, live_server, width)

        # The demo page's audience link panel.
        page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
        card = page.locator(f".demo-card[data-model-id='{model.pk}']")
        panel = card.locator("details.demo-panel")
        expect(panel).to_be_visible()
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        expect(card.locator("[data-role=link-url]")).to_have_value(
            f"{public_url if not loopback else live_server.url}/d/{link.token}/"
        )
        warning = card.locator("[data-role=link-warning]")
        if loopback:
            expect(warning).to_be_visible()
            expect(warning).to_contain_text(WARNING)
            expect(warning).to_contain_text("make present")
        else:
            expect(warning).to_be_hidden()
        card.locator("[data-part=audience]").screenshot(path=str(shots / f"demo-page-{name}-{width}.png"))

        # The web deck's live demo slide, and the presenter view's current slide.
        for where in ("deck", "present"):
            slide = on_demo_slide(page, f"{live_server.url}/pitches/{pitch.pk}/{where}/")
            qr = slide.locator(".live-demo-qr")
            expect(qr.locator("svg")).to_be_visible()  # the founder still sees the code (and the address)
            if loopback:
                expect(qr.locator("[data-loopback-warning]")).to_be_visible()
                expect(qr.locator("[data-loopback-warning]")).to_contain_text(WARNING)
            else:
                expect(qr.locator("[data-loopback-warning]")).to_have_count(0)
                expect(qr).to_contain_text(f"{LAN_URL}/d/{link.token}/")
            page.screenshot(path=str(shots / f"{where}-{name}-{width}.png"))
        page.context.close()

        # The shared deck, as an investor opens it: no dead QR code passed off as working.
        investor = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844}).new_page()
        # Not what is tested here: the viewer analytics' beacons (sent on every slide change and on close) would
        # otherwise still be writing when the test's database is emptied (a deadlock on PostgreSQL).
        without_beacons(investor)
        slide = on_demo_slide(investor, f"{live_server.url}/s/{share.token}/")
        qr = slide.locator(".live-demo-qr")
        if loopback:
            expect(qr.locator("svg")).to_have_count(0)
            expect(qr).to_contain_text(UNREACHABLE)
            expect(qr).not_to_contain_text(link.token)
        else:
            expect(qr.locator("svg")).to_be_visible()
            expect(qr.locator("[data-loopback-warning]")).to_have_count(0)
        investor.screenshot(path=str(shots / f"share-{name}-{width}.png"))
        investor.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_text_model_without_examples_gets_a_slide_that_answers_what_the_presenter_types(
    browser: Browser, live_server: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    worker: InferenceWorker = request.getfixturevalue("worker_up")
    assert worker.proc is not None
    shots = shots_dir(tmp_path)
    pitch, model = founder_with_a_demo(examples=False)
    page = logged_in(browser, live_server)
    warm_up(page, f"{live_server.url}/api/demo-models/{model.pk}/predict/")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/")
    page.wait_for_load_state("load")
    number = demo_slide_number(page)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/#{number}")
    slide = page.locator(f"[data-slide='{number}']")
    expect(slide).to_be_visible()
    expect(slide.locator(".pl-demo-example")).to_have_count(0)  # nothing curated ...
    box = slide.locator(".pl-demo textarea")
    expect(box).to_be_visible()  # ... and still a working input, not a blank slide
    box.fill("The app crashed when I saved my invoice")
    slide.locator(".pl-demo-run").click()
    expect(slide.locator(".pl-demo-bar.is-top .pl-demo-bar-score")).to_contain_text("%", timeout=30_000)
    expect(slide.locator(".pl-demo-bar")).to_have_count(3)
    page.screenshot(path=str(shots / "no-examples-slide-1280.png"))
    page.context.close()
