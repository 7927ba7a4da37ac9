"""A founder rehearses in the presenter view: slide timings, the audience window, the phone remote, a closed tab."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.demos.models import DemoExample, DemoModel
from pitchlab.pitches.canvas import SLIDE_KINDS
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"
SHOWN = ("title", "problem", "solution", "ask")  # a four-slide deck, 5 s planned per slide


@pytest.fixture(scope="module", autouse=True)
def _short_long_polls() -> Iterator[None]:
    """Long-polls of 2 s instead of 20, so no server thread is still waiting on Redis long after its test."""
    before = settings.REMOTE_WAIT_SECONDS
    settings.REMOTE_WAIT_SECONDS = 2
    yield
    settings.REMOTE_WAIT_SECONDS = before


def _short_pitch(owner: User, *, demo: bool = False) -> Pitch:
    """The support template with every slide but four hidden in its deck settings, each planned at 5 s.

    With ``demo`` the live demo slides (one per demo model on the slide) come after "solution".
    """
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    shown = (*SHOWN, "demo") if demo else SHOWN
    pitch.content["deck"]["slides"] = [
        {"kind": kind, "title": "", "notes": f"Say the {kind} slide.", "seconds": 5, "hidden": kind not in shown}
        for kind in SLIDE_KINDS
    ]
    pitch.save(update_fields=["content"])
    return pitch


def _logged_in(browser: Any, live_server: Any, **options: Any) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _present(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")  # present.js has run: keys are handled, the state is on its way out
    expect(page.locator("[data-current] [data-slide]:visible")).to_have_count(1)


def _shown(page: Page) -> Any:
    return page.locator("[data-current] [data-slide]:visible")


def _api(context: BrowserContext, url: str) -> Any:
    response = context.request.get(url)
    assert response.ok, f"GET {url}: {response.status} {response.text()}"
    return response.json()


def test_a_rehearsal_times_each_slide_and_its_report_shows_the_times(browser: Any, live_server: Any) -> None:
    pitch = _short_pitch(User.objects.create_user("ada", "ada@example.com", PASSWORD))
    context, page = _logged_in(browser, live_server)
    _present(page, f"{live_server.url}/pitches/{pitch.pk}/present/#3")
    expect(page.locator("[data-position]")).to_have_text("3 / 4")

    started = time.monotonic()
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/rehearsals/")) as created:
        page.click("[data-rehearse]")
    assert created.value.status == 201
    rehearsal_id = created.value.json()["id"]
    expect(_shown(page)).to_have_attribute("data-key", "title")  # a rehearsal starts on slide 1
    expect(page.locator("[data-rec-pill]")).to_be_visible()

    # Slide by slide, with one step back: the times of a slide shown twice add up.
    plan = [
        ("ArrowRight", 1.5),
        ("ArrowRight", 2.5),
        ("ArrowLeft", 1.0),
        ("PageDown", 1.0),
        ("ArrowRight", 0.5),
        ("", 1.0),
    ]
    expected = dict.fromkeys(SHOWN, 0.0)
    on = "title"
    for key, pause in plan:
        time.sleep(pause)
        now = time.monotonic()
        expected[on] += now - started
        started = now
        if key:
            page.keyboard.press(key)
            on = SHOWN[SHOWN.index(on) + (1 if key in ("ArrowRight", "PageDown") else -1)]
            expect(_shown(page)).to_have_attribute("data-key", on)
    assert on == "ask"
    expect(page.locator("[data-slide-timer]")).to_have_attribute("data-level", "green")  # 1 s of a 5 s plan

    page.click("[data-finish]")
    link = page.locator("[data-report-link]")
    expect(link).to_be_visible()
    expect(page.locator("[data-summary]")).to_contain_text("Rehearsal saved")
    assert link.get_attribute("href") == f"/pitches/{pitch.pk}/rehearsals/{rehearsal_id}/"

    report = _api(context, f"{live_server.url}/api/rehearsals/{rehearsal_id}/report/")
    assert report["rehearsal"]["status"] == "complete"
    assert report["timing"]["visits_back"] == 1
    actual = {row["key"]: row["actual"] for row in report["timing"]["slides"]}
    for key in SHOWN:
        assert abs(actual[key] - expected[key]) < 1.0, (key, actual[key], expected[key])

    link.click()
    for key in SHOWN:
        row = page.locator(f'[data-slide-row="{key}"]')
        expect(row).to_have_count(1)
        shown = float(row.get_attribute("data-actual") or "nan")
        assert abs(shown - expected[key]) < 1.0, (key, shown, expected[key])
    context.close()


def test_the_audience_window_follows_the_presenter_blanks_and_mirrors_the_live_demo(
    browser: Any, live_server: Any
) -> None:
    pitch = _short_pitch(User.objects.create_user("ada", "ada@example.com", PASSWORD), demo=True)
    # A live demo model with a pre-flighted example: with no inference worker running, its cached answer is shown,
    # through the same result hook as a live one.
    model = DemoModel.objects.create(
        pitch=pitch, name="Feedback triage", kind="text", source="sample", status="ready", artefact="sample-text",
        labels=["billing", "bug"],
    )  # fmt: skip
    scores = [{"label": "billing", "score": 0.91}, {"label": "bug", "score": 0.09}]
    DemoExample.objects.create(
        demo_model=model, text="Charged twice", expected_label="billing", cached_output={"labels": scores}
    )
    context, page = _logged_in(browser, live_server)
    _present(page, f"{live_server.url}/pitches/{pitch.pk}/present/")
    page.keyboard.press("ArrowRight")
    expect(_shown(page)).to_have_attribute("data-slide", "2")

    with context.expect_page() as opened:
        page.click("[data-audience-open]")
    audience = opened.value
    audience.wait_for_load_state("load")
    assert "audience=1" in audience.url
    # It asked the presenter where we are: it starts on slide 2, not on its own slide 1.
    expect(audience.locator("[data-slide]:visible")).to_have_attribute("data-slide", "2")
    expect(audience.locator(".deck-nav")).to_have_count(0)

    page.bring_to_front()
    page.keyboard.press("ArrowRight")
    expect(_shown(page)).to_have_attribute("data-slide", "3")
    expect(audience.locator("[data-slide]:visible")).to_have_attribute("data-slide", "3")

    page.keyboard.press("b")
    expect(audience.locator("[data-blank]")).to_be_visible()
    expect(page.locator("[data-blank-pill]")).to_be_visible()
    expect(page.locator("[data-veil]")).to_be_visible()  # the presenter still sees the slide, marked blanked
    page.keyboard.press("b")
    expect(audience.locator("[data-blank]")).to_be_hidden()

    page.keyboard.press("p")
    expect(page.locator("[data-paused-pill]")).to_be_visible()
    frozen = page.locator("[data-total-elapsed]").inner_text()
    time.sleep(1.3)
    assert page.locator("[data-total-elapsed]").inner_text() == frozen
    page.keyboard.press("p")
    expect(page.locator("[data-paused-pill]")).to_be_hidden()

    # The live demo slide: 1 picks the example, Enter runs it; the projector shows the same answer.
    demo_key = f"demo-{model.pk}"
    page.keyboard.press("ArrowRight")
    expect(_shown(page)).to_have_attribute("data-key", demo_key)
    expect(audience.locator("[data-slide]:visible")).to_have_attribute("data-key", demo_key)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    top = page.locator(f'[data-current] [data-key="{demo_key}"] .pl-demo-bar.is-top')
    expect(top).to_contain_text("billing", timeout=10_000)
    mirrored = audience.locator(f'[data-key="{demo_key}"]')
    expect(mirrored.locator(".pl-demo-bar.is-top")).to_contain_text("billing")
    expect(mirrored.locator("textarea")).to_have_value("Charged twice")

    # Typing in the panel: B and P are letters there, and the projector shows the words as they are typed.
    box = page.locator(f'[data-current] [data-key="{demo_key}"] textarea')
    box.click()
    box.press("End")
    page.keyboard.type(" bp")
    expect(mirrored.locator("textarea")).to_have_value("Charged twice bp")
    expect(page.locator("[data-blank-pill]")).to_be_hidden()
    expect(page.locator("[data-paused-pill]")).to_be_hidden()
    expect(_shown(page)).to_have_attribute("data-key", demo_key)  # the click into the box did not move on
    page.keyboard.press("Escape")  # leaves the box: the keys move slides again
    page.keyboard.press("ArrowRight")
    expect(_shown(page)).to_have_attribute("data-key", "ask")
    expect(audience.locator("[data-slide]:visible")).to_have_attribute("data-key", "ask")
    context.close()


def test_a_blocked_pop_up_is_said_in_words_with_a_plain_link(browser: Any, live_server: Any) -> None:
    pitch = _short_pitch(User.objects.create_user("ada", "ada@example.com", PASSWORD))
    context, page = _logged_in(browser, live_server)
    page.add_init_script("window.open = () => null;")  # what a pop-up blocker answers
    _present(page, f"{live_server.url}/pitches/{pitch.pk}/present/?theme=dark")
    notice = page.locator("[data-popup-blocked]")
    expect(notice).to_be_hidden()
    page.click("[data-audience-open]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("blocked")
    href = page.locator("[data-audience-link]").get_attribute("href") or ""
    assert href.startswith(f"/pitches/{pitch.pk}/deck/?audience=1")
    assert "theme=dark" in href  # the audience sees the theme the presenter chose
    context.close()


def test_the_phone_remote_moves_and_pauses_the_presenter(browser: Any, live_server: Any, app_broker: str) -> None:
    pitch = _short_pitch(User.objects.create_user("ada", "ada@example.com", PASSWORD))
    context, page = _logged_in(browser, live_server)
    _present(page, f"{live_server.url}/pitches/{pitch.pk}/present/")
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/pitches/{pitch.pk}/remote/")
    # The presenter view listens for a phone only once its "Phone remote" panel (the QR code) was opened.
    expect(phone.locator("[data-link]")).to_have_text("Open “Phone remote” on the laptop")
    page.locator("[data-remote-open]").click()
    expect(page.locator("#pv-remote svg")).to_be_visible()
    page.locator('#pv-remote [popovertargetaction="hide"]').click()
    expect(phone.locator("[data-link]")).to_have_text("Connected")
    expect(phone.locator("[data-position]")).to_have_text("1 / 4")
    expect(phone.locator("[data-notes]")).to_have_text("Say the title slide.")
    next_button = phone.locator('[data-action="next"]')
    box = next_button.bounding_box()
    assert box is not None
    assert box["width"] >= 350  # the phone's full width
    assert box["height"] >= 64  # and thumb-sized

    next_button.click()
    expect(_shown(page)).to_have_attribute("data-slide", "2")
    expect(phone.locator("[data-position]")).to_have_text("2 / 4")
    expect(phone.locator("[data-title]")).to_have_text("The problem")

    phone.locator('[data-action="pause"]').click()
    expect(page.locator("[data-paused-pill]")).to_be_visible()
    expect(phone.locator("[data-paused]")).to_be_visible()
    phone.locator('[data-action="prev"]').click()
    expect(_shown(page)).to_have_attribute("data-slide", "1")

    page.close()  # the presenter view says goodbye: the phone stops showing its last slide as live
    expect(phone.locator("[data-waiting]")).to_contain_text("The presenter view was closed.")
    context.close()


def test_a_tab_closed_mid_rehearsal_leaves_an_incomplete_rehearsal(browser: Any, live_server: Any) -> None:
    pitch = _short_pitch(User.objects.create_user("ada", "ada@example.com", PASSWORD))
    context, page = _logged_in(browser, live_server)
    _present(page, f"{live_server.url}/pitches/{pitch.pk}/present/")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/rehearsals/")) as created:
        page.click("[data-rehearse]")
    rehearsal_id = created.value.json()["id"]
    time.sleep(1.2)
    page.keyboard.press("ArrowRight")
    time.sleep(0.6)
    page.close()

    url = f"{live_server.url}/api/rehearsals/{rehearsal_id}/"
    deadline = time.monotonic() + 10
    rehearsal = _api(context, url)
    while rehearsal["status"] == "recording" and time.monotonic() < deadline:
        time.sleep(0.2)
        rehearsal = _api(context, url)
    assert rehearsal["status"] == "incomplete"
    slides = [segment["slide"] for segment in rehearsal["segments"]]
    assert slides == ["title", "problem"]
    assert rehearsal["segments"][-1]["end_ms"] >= 1700
    context.close()
