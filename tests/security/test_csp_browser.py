"""Every page satisfies the Content-Security-Policy in chromium, and still works under it.

A listener for ``securitypolicyviolation`` is added before any page script runs (Playwright's init scripts
are not subject to the page's CSP), and the console is watched for "Content Security Policy" refusals and
uncaught errors. On each page one thing is done that needs its scripts (autosave, a slide change, a live
prediction, a drill question, Swagger UI drawing the schema...), so a script the policy broke is noticed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.rehearsals.models import DrillQuestion
from tests.conftest import InferenceWorker
from tests.security.conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched:
    """A browser context whose pages report CSP violations, CSP console messages and uncaught errors."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.problems: list[str] = []
        context.add_init_script(LISTENER)
        context.on("page", self._watch)

    def _watch(self, page: Page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: uncaught {error}"))

    def _console(self, page: Page, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"{page.url}: console: {text}")

    def page(self) -> Page:
        return self.context.new_page()

    def check(self, page: Page, name: str) -> None:
        """No violation on ``page`` so far (the listener's list lives as long as the document)."""
        violations = page.evaluate("window.__csp || []")
        assert violations == [], f"{name}: {violations}"
        assert self.problems == [], f"{name}: {self.problems}"


@pytest.fixture(scope="module", autouse=True)
def _short_long_polls() -> Iterator[None]:
    """The phone remote's long-polls last 2 s here, so no server thread waits long after its test."""
    before = settings.REMOTE_WAIT_SECONDS
    settings.REMOTE_WAIT_SECONDS = 2
    yield
    settings.REMOTE_WAIT_SECONDS = before


def _shots() -> Path | None:
    folder = os.environ.get("PITCHLAB_SCREENSHOTS")
    return Path(folder) if folder else None


def _shot(page: Page, name: str) -> None:
    folder = _shots()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"csp-{name}.png"))


@pytest.fixture
def watch(browser: Any) -> Iterator[Callable[..., Watched]]:
    """Makes watched browser contexts, and closes them even when the test fails (no request then reaches
    the live server after its test)."""
    made: list[Watched] = []

    def make(**options: Any) -> Watched:
        made.append(Watched(browser.new_context(**options)))
        return made[-1]

    yield make
    for watched in made:
        watched.context.close()


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_account_pages_and_404_satisfy_the_policy(watch: Callable[..., Watched], live_server: Any) -> None:
    User.objects.create_user("ada", "ada@example.com", PASSWORD)
    watched = watch()
    page = watched.page()
    base = live_server.url

    page.goto(f"{base}/accounts/signup/")
    expect(page.locator("#id_username")).to_be_visible()
    watched.check(page, "signup")

    page.goto(f"{base}/accounts/password/reset/")
    page.fill("#id_email", "ada@example.com")
    with page.expect_navigation(url=f"{base}/accounts/password/reset/sent/", timeout=60_000):
        page.click("button[type=submit]")
    watched.check(page, "password reset")

    response = page.goto(f"{base}/no/such/page/")
    assert response is not None
    assert response.status == 404
    watched.check(page, "404")

    _log_in(page, base)  # the login page, and its form posting under form-action 'self'
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    watched.check(page, "login → dashboard")
    # The language switch (a form of buttons) posts to Django's set_language.
    with page.expect_navigation():
        page.click('[data-language-switch] button[value="zh-hans"]')
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    watched.check(page, "language switch")


def test_the_founders_pages_satisfy_the_policy_and_still_work(
    watch: Callable[..., Watched], live_server: Any, request: pytest.FixtureRequest, settings: Any
) -> None:
    worker: InferenceWorker = request.getfixturevalue("worker_up")
    assert worker.proc is not None
    settings.DEMO_BUDGET_MS = 30_000  # the first call loads the model on a cold worker, on a busy machine
    world = build_world(User.objects.create_user("ada", "ada@example.com", PASSWORD))
    DrillQuestion.objects.all().delete()  # the live server's database holds only what this test makes
    DrillQuestion.objects.create(
        key="bank:moat", category="market", text_en="What stops a bigger player copying you?", text_zh="为什么抄不走？"
    )
    base, pages = live_server.url, world.pages()
    watched = watch(viewport={"width": 1280, "height": 860})
    page = watched.page()
    _log_in(page, base)

    # Dashboard: a new pitch through the page's own form.
    page.goto(f"{base}{pages['dashboard']}")
    page.fill("#id_name", "Fresh Co")
    page.locator("#id_name").press("Enter")
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-2] == "pitches")
    watched.check(page, "dashboard")

    # Editor: a keystroke autosaves.
    page.goto(f"{base}{pages['editor']}")
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    page.locator("#input-story\\.conflict").press_sequentially(" More.", delay=5)
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    world.pitch.refresh_from_db()
    assert " More." in world.pitch.content["story"]["conflict"]
    _shot(page, "editor")
    watched.check(page, "editor")

    # Deck: the arrow key moves to the next slide.
    page.goto(f"{base}{pages['deck']}")
    page.wait_for_load_state("load")
    expect(page.locator("[data-slide]:visible")).to_have_attribute("data-slide", "1")
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-slide]:visible")).to_have_attribute("data-slide", "2")
    watched.check(page, "deck")

    # Presenter view: position, a slide change, and the audience window it opens.
    page.goto(f"{base}{pages['presenter view']}")
    page.wait_for_load_state("load")
    position = page.locator("[data-position]")
    expect(position).to_have_text("1 / 14")
    page.keyboard.press("ArrowRight")
    expect(position).to_have_text("2 / 14")
    with page.expect_popup() as popup:
        page.click("[data-audience-open]")
    audience = popup.value
    audience.wait_for_load_state("load")
    expect(audience.locator("[data-slide]:visible")).to_have_attribute("data-slide", "2")
    page.keyboard.press("ArrowRight")  # the audience window follows over BroadcastChannel
    expect(audience.locator("[data-slide]:visible")).to_have_attribute("data-slide", "3")
    watched.check(audience, "audience window")
    watched.check(page, "presenter view")
    audience.close()

    # The audience window opened by its address.
    page.goto(f"{base}{pages['audience window']}")
    page.wait_for_load_state("load")
    expect(page.locator("[data-slide]:visible")).to_have_count(1)
    watched.check(page, "audience window (address)")

    # Phone remote: its script fills in the position from the relay.
    phone = watched.page()
    phone.goto(f"{base}{pages['phone remote']}")
    phone.wait_for_load_state("load")
    expect(phone.locator("[data-link]")).not_to_have_text("Connecting…", timeout=10_000)
    watched.check(phone, "phone remote")
    phone.close()

    # Demo page: a live prediction from the real inference worker.
    page.goto(f"{base}{pages['demo page']}")
    card = page.locator(".demo-card[data-model-id]").first
    expect(card).to_have_attribute("data-status", "ready")
    panel = card.locator("details.demo-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    demo = card.locator(".pl-demo")
    demo.locator("textarea").fill("I was charged twice, please refund my invoice")
    demo.locator(".pl-demo-run").click()
    try:
        expect(demo.locator(".pl-demo-bar.is-top")).to_have_count(1, timeout=30_000)
    finally:
        _shot(page, "demo-page")
    _shot(page, "demo-page")
    watched.check(page, "demo page")

    # The audience link page (no login): a curated example runs.
    visitor = watch(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone = visitor.page()
    phone.goto(f"{base}{pages['audience link']}")
    phone.locator(".pl-demo-example").first.click()
    expect(phone.locator(".pl-demo-bar.is-top .pl-demo-bar-score")).to_contain_text("%", timeout=15_000)
    visitor.check(phone, "audience link")

    # Rehearsals: the list draws its bars; the report analyses a pasted transcript.
    page.goto(f"{base}{pages['rehearsals']}")
    page.wait_for_load_state("load")
    expect(page.locator(f'[data-rehearsal="{world.rehearsal.pk}"]')).to_be_visible()
    watched.check(page, "rehearsals")
    page.goto(f"{base}{pages['rehearsal report']}")
    page.fill("[data-transcript]", "Um, we, um, basically route tickets. You know, it works.")
    page.click("[data-transcript-save]")
    expect(page.locator("#transcript-analysis")).to_contain_text("basically")
    watched.check(page, "rehearsal report")

    # Drill: a question is asked.
    page.goto(f"{base}{pages['drill']}")
    page.check('input[name="source"][value="bank"]')
    page.click("[data-drill-start]")
    expect(page.locator("#drill-question")).to_contain_text("What stops a bigger player copying you?")
    watched.check(page, "drill")

    page.goto(f"{base}{pages['password change']}")
    expect(page.locator("#id_old_password")).to_be_visible()
    watched.check(page, "password change")

    # API docs: Swagger UI draws the schema from its separately served start-up script.
    page.goto(f"{base}{pages['API docs']}")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("PitchLab API", timeout=20_000)
    expect(page.locator(".opblock").first).to_be_visible()
    _shot(page, "api-docs")
    watched.check(page, "API docs")

    page.goto(f"{base}/pitches/{world.pitch.pk}/delete/")
    watched.check(page, "delete")


def test_the_admin_satisfies_the_policy(watch: Callable[..., Watched], live_server: Any) -> None:
    """Operators edit the checklist catalogues in Django's admin: its pages and scripts work under the policy."""
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    watched = watch()
    page = watched.page()
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    watched.check(page, "admin index")
    page.goto(f"{base}/admin/checklists/checklistitem/")
    page.wait_for_load_state("load")
    watched.check(page, "admin change list")
    page.goto(f"{base}/admin/checklists/checklistitem/add/")
    expect(page.locator("form#checklistitem_form")).to_be_visible()
    watched.check(page, "admin add form")
    page.goto(f"{base}/admin/auth/user/add/")
    expect(page.locator("#id_username")).to_be_visible()
    watched.check(page, "admin add user")
