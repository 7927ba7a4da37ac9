"""The owner shares the deck with a password; two anonymous viewers read it; the analytics count them; revoked, 404."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
LINK_PASSWORD = "open sesame"


def _watch(page: Page, problems: list[str]) -> None:
    """Collect page errors and console errors (a CSP violation is one: "Refused to …")."""
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{page.url}: console: {message.text}")

    page.on("console", console)


def _read_deck(browser: Any, url: str, problems: list[str], stays: tuple[float, float]) -> BrowserContext:
    """An anonymous viewer opens ``url``, types the password, stays on slides 1 and 2, and closes the page."""
    context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _watch(page, problems)
    page.goto(url)
    expect(page.locator("input[type=password]")).to_be_visible()
    page.fill("input[type=password]", LINK_PASSWORD)
    page.get_by_role("button", name="Open the deck").click()
    expect(page.locator("[data-slide]:visible")).to_have_attribute("data-kind", "title")
    page.wait_for_load_state("load")  # deck.js and share.js are listening
    time.sleep(stays[0])
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-slide]:visible")).to_have_attribute("data-kind", "problem")
    time.sleep(stays[1])
    page.close(run_before_unload=True)  # pagehide: share.js sends what is left with sendBeacon
    return context


def _figures(page: Page, link_id: str) -> dict[str, Any]:
    card = page.locator(f"[data-share-link='{link_id}']")
    seconds = {
        row.get_attribute("data-slide-stat"): float(row.get_attribute("data-seconds") or 0)
        for row in card.locator("[data-slide-stat]").all()
    }
    return {
        "views": card.locator("[data-views]").inner_text(),
        "unique": card.locator("[data-unique]").inner_text(),
        "seconds": seconds,
    }


def _wait_for(page: Page, link_id: str, check: Any, timeout: float = 10) -> dict[str, Any]:
    """Reload the share page until ``check(figures)`` holds (the last beacon may land a moment after close)."""
    deadline = time.monotonic() + timeout
    while True:
        page.reload()
        figures = _figures(page, link_id)
        if check(figures) or time.monotonic() > deadline:
            return figures
        time.sleep(0.5)


def test_share_with_password_count_viewers_and_time_then_revoke(browser: Any, live_server: Any) -> None:
    base = live_server.url
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    problems: list[str] = []

    owner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = owner_context.new_page()
    _watch(page, problems)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/pitches/{pitch.pk}/")
    page.click("[data-share-link]")
    expect(page).to_have_url(f"{base}/pitches/{pitch.pk}/share/")

    page.fill("#id_label", "Acme Ventures")
    page.fill("#id_password", LINK_PASSWORD)
    page.click("[data-share-create]")
    card = page.locator("[data-share-link]").first
    expect(card.locator("[data-share-state]")).to_have_text("active")
    link_id = card.get_attribute("data-share-link") or ""
    url = card.locator("[data-share-url]").input_value()
    assert url.startswith(f"{base}/s/")

    first = _read_deck(browser, url, problems, stays=(1.5, 2.5))
    figures = _wait_for(page, link_id, lambda f: f["seconds"].get("problem", 0) > 1.4)
    assert (figures["views"], figures["unique"]) == ("1", "1")
    assert figures["seconds"]["title"] == pytest.approx(1.5, abs=1.0)
    assert figures["seconds"]["problem"] == pytest.approx(2.5, abs=1.0)
    assert figures["seconds"].get("ask", 0) == 0
    bar = page.locator(f"[data-share-link='{link_id}'] .share-chart.wide svg rect[data-slide='problem']")
    expect(bar).to_be_visible()
    first.close()

    second = _read_deck(browser, url, problems, stays=(0.5, 0.5))
    figures = _wait_for(page, link_id, lambda f: f["unique"] == "2")
    assert (figures["views"], figures["unique"]) == ("2", "2")
    second.close()

    page.click(f"[data-share-link='{link_id}'] [data-revoke]")
    expect(page.locator(f"[data-share-link='{link_id}'] [data-share-state]")).to_have_text("revoked")
    gone_context = browser.new_context()
    gone = gone_context.new_page()
    _watch(gone, problems)
    response = gone.goto(url)
    assert response is not None
    assert response.status == 404
    expect(gone.get_by_role("heading", name="This link does not work")).to_be_visible()
    gone_context.close()
    owner_context.close()

    # The 404 page itself logs "Failed to load resource: 404" for its own document; anything else is a problem.
    assert [p for p in problems if "status of 404" not in p] == []
